package io.ordergw.bench;

import io.ordergw.config.OrderGwConfig;

import java.nio.file.Path;

/**
 * The settings benchmarks run with: the defaults of {@code reference.conf} (the bounds, ring sizes, roll cycle and
 * batch limits a production gateway has), changed only where a benchmark must not collide with anything else on the
 * machine: its own data and Aeron directories, port 0, no UDP feed or replay control port, no periodic snapshots.
 */
public final class BenchConfig
{
    private BenchConfig()
    {
    }

    /**
     * Settings over private directories.
     *
     * @param dataDir      journal and snapshot root.
     * @param aeronDir     the Aeron directory.
     * @param engineIdle   the engine's idle strategy (busy-spin, yielding, backoff, ...).
     * @param extraHocon   more settings (HOCON, may be empty).
     * @return the validated configuration.
     */
    public static OrderGwConfig of(
        final Path dataDir, final String aeronDir, final String engineIdle, final String extraHocon)
    {
        final String hocon = "ordergw {\n" +
            "  data-dir = " + quote(dataDir.toAbsolutePath().toString()) + "\n" +
            "  engine.idle-strategy = " + quote(engineIdle) + "\n" +
            "  snapshot.interval = 0\n" +
            "  aeron.dir = " + quote(aeronDir) + "\n" +
            "  publisher.udp-channel = \"\"\n" +
            "  publisher.replay-control-channel = \"\"\n" +
            "  gateway.host = \"127.0.0.1\"\n" +
            "  gateway.port = 0\n" +
            "}\n" + extraHocon;
        return OrderGwConfig.parse(hocon);
    }

    private static String quote(final String text)
    {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
