package io.ordergw.bench.load;

import io.ordergw.bench.BenchConfig;
import io.ordergw.bench.BenchDirs;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.gateway.OrderGateway;
import io.ordergw.gateway.auth.UserDirectory;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * The gateway under test in a JVM of its own (so that the load generator's garbage and JIT never pause it): the whole
 * gateway ({@link OrderGateway}) on a free loopback port with the demo users, over a private journal and Aeron
 * directory, until its standard input closes ({@link ChildJvm}). The parent side is {@link #start}.
 */
public final class GatewayProcess implements AutoCloseable
{
    private final ChildJvm child;

    private GatewayProcess(final ChildJvm child)
    {
        this.child = child;
    }

    /**
     * The child's main: start the gateway, print its URL, run until stdin closes, then stop cleanly and delete its
     * data.
     *
     * @param args password, engine idle strategy, terminal orders the book keeps.
     * @throws Exception if it cannot start.
     */
    public static void main(final String[] args) throws Exception
    {
        final String password = args[0];
        final String engineIdle = args.length > 1 ? args[1] : "backoff";
        final String retained = args.length > 2 ? "ordergw.book.max-retained-terminal-orders = " + args[2] + "\n" : "";
        final Path dataDir = BenchDirs.newDataDir("gateway");
        final OrderGwConfig config = BenchConfig.of(dataDir, BenchDirs.newAeronDir("gateway"), engineIdle, retained);
        final OrderGateway gateway = OrderGateway.launch(config, UserDirectory.demo(password, config.omsId));
        try
        {
            ChildJvm.announce(gateway.webSocketUrl());
            ChildJvm.awaitParentGone();
        }
        finally
        {
            gateway.close();
            BenchDirs.deleteRecursively(dataDir);
        }
    }

    /**
     * Start a gateway process with the same class path and JVM flags as this one.
     *
     * @param password   the demo users' password.
     * @param engineIdle the engine's idle strategy.
     * @param retained   terminal orders the book keeps ({@code ordergw.book.max-retained-terminal-orders}).
     * @param log        where its output goes.
     * @return the running gateway.
     * @throws IOException if it does not come up within a minute.
     */
    public static GatewayProcess start(
        final String password, final String engineIdle, final int retained, final File log)
        throws IOException
    {
        return new GatewayProcess(
            ChildJvm.start(GatewayProcess.class, log, password, engineIdle, Integer.toString(retained)));
    }

    /**
     * The gateway's WebSocket URL.
     *
     * @return ws://127.0.0.1:port/WSGateway.
     */
    public URI url()
    {
        return child.url();
    }

    /**
     * The process id, for profilers.
     *
     * @return the pid.
     */
    public long pid()
    {
        return child.pid();
    }

    /** Stop it: close its stdin, wait for a clean stop, force it after 30 s. */
    @Override
    public void close()
    {
        child.close();
    }
}
