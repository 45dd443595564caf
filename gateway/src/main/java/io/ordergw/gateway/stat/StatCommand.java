package io.ordergw.gateway.stat;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.ordergw.codec.OrderGwCounters;
import io.ordergw.config.ConfigError;
import io.ordergw.config.OrderGwConfig;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ordergw stat}: every counter of a gateway, running or stopped, read from its counters file
 * ({@code <data-dir>/counters.dat}, see {@link CountersFile}) without asking the gateway anything: one line per
 * counter with its id, type id, key, value and label, the way {@code AeronStat} prints a media driver's. With
 * {@code --watch} the table is printed again every interval until the command is stopped.
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Print every counter of the gateway on a data directory (id, type id, key, value, label), read "
        + "from <data-dir>/" + CountersFile.FILE_NAME + " while it runs or after it stopped.")
public final class StatCommand implements Callable<Integer>
{
    /** Exit status when there is no counters file to read. */
    public static final int EXIT_NO_COUNTERS = 1;
    /** Exit status of a bad setting. */
    public static final int EXIT_BAD_SETTING = 2;

    @Option(names = {"-c", "--config"}, description = "HOCON settings file (overrides reference.conf).")
    private Path configFile;

    @Option(names = "--data-dir", description = "The gateway's data directory (ordergw.data-dir).")
    private Path dataDir;

    @Option(names = "--watch", description = "Print the counters again every interval until stopped.")
    private boolean watch;

    @Option(names = "--interval-ms", defaultValue = "1000",
        description = "With --watch: milliseconds between prints (default ${DEFAULT-VALUE}).")
    private long intervalMs;

    @Option(names = "--type", description = "Only counters of this type id.")
    private Integer typeId;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final Path file;
        try
        {
            file = counterFile();
        }
        catch (final ConfigError | ConfigException ex)
        {
            err.println("ordergw: bad setting: " + ex.getMessage());
            return EXIT_BAD_SETTING;
        }
        if (watch && intervalMs <= 0)
        {
            err.println("ordergw: bad setting: --interval-ms must be above 0, was " + intervalMs);
            return EXIT_BAD_SETTING;
        }
        if (!Files.isRegularFile(file))
        {
            err.println("ordergw: stat: no counters file " + file.toAbsolutePath() +
                " (has a gateway run on this data directory?)");
            return EXIT_NO_COUNTERS;
        }
        final CountersFile counters;
        try
        {
            counters = CountersFile.open(file);
        }
        catch (final RuntimeException ex)
        {
            err.println("ordergw: stat: " + ex.getMessage());
            return EXIT_NO_COUNTERS;
        }
        try
        {
            do
            {
                if (watch)
                {
                    out.print("\u001b[H\u001b[2J"); // home and clear, as AeronStat does
                }
                print(counters, out);
                out.flush();
                if (watch)
                {
                    Thread.sleep(intervalMs);
                }
            }
            while (watch && !Thread.currentThread().isInterrupted());
        }
        finally
        {
            counters.close();
        }
        return 0;
    }

    private Path counterFile()
    {
        final Map<String, Object> values = new HashMap<>();
        if (null != dataDir)
        {
            values.put("ordergw.data-dir", dataDir.toString());
        }
        return OrderGwConfig.load(configFile, ConfigFactory.parseMap(values)).dataDir.resolve(CountersFile.FILE_NAME);
    }

    private void print(final CountersFile counters, final PrintWriter out)
    {
        final long pid = counters.pid();
        final boolean running = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        out.printf("%s - pid %d (%s), started %s, now %s%n", counters.file().toAbsolutePath(), pid,
            running ? "running" : "not running", Instant.ofEpochMilli(counters.startTimeMillis()), Instant.now());
        out.printf("%4s %7s %-32s %20s  %s%n", "id", "type", "key", "value", "label");
        final CountersReader reader = counters.countersReader();
        final int[] printed = {0};
        reader.forEach((counterId, type, keyBuffer, label) ->
        {
            if (null == typeId || typeId == type)
            {
                printed[0]++;
                out.printf(Locale.ROOT, "%4d %7d %-32s %,20d  %s%n", counterId, type,
                    OrderGwCounters.describeKey(reader, counterId), reader.getCounterValue(counterId), label);
            }
        });
        if (0 == printed[0] && !running)
        {
            out.println("no counters: the gateway stopped cleanly and freed them");
        }
    }
}
