package io.ordergw.gateway.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Whether the gateway can do its job, part by part: the engine (its thread decides commands), the journal (open,
 * with at least {@code ordergw.journal.min-free-space} free) and the feed (its thread publishes and its Aeron client is
 * open). {@code /ready} answers 200 only when all three are; {@code /health} only says that the process answers.
 */
public final class Readiness
{
    /** The parts, in the order they are reported. */
    public static final String[] COMPONENTS = {"engine", "journal", "feed"};

    private final BooleanSupplier[] checks;

    /**
     * Readiness over three checks, each safe to call from any thread.
     *
     * @param engine  whether the engine runs.
     * @param journal whether the journal takes appends.
     * @param feed    whether the feed publishes.
     */
    public Readiness(final BooleanSupplier engine, final BooleanSupplier journal, final BooleanSupplier feed)
    {
        this.checks = new BooleanSupplier[]{engine, journal, feed};
    }

    /**
     * Whether the file system holding a directory has the minimum free space the journal needs.
     *
     * @param dir          the directory.
     * @param minFreeBytes the minimum; 0 means no minimum.
     * @return true if there is room (or no minimum); false if there is not or it cannot be measured.
     */
    public static boolean hasFreeSpace(final Path dir, final long minFreeBytes)
    {
        if (minFreeBytes <= 0)
        {
            return true;
        }
        try
        {
            return Files.getFileStore(dir).getUsableSpace() >= minFreeBytes;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * Whether one part is ready.
     *
     * @param index its index in {@link #COMPONENTS}.
     * @return true if ready.
     */
    public boolean isReady(final int index)
    {
        try
        {
            return checks[index].getAsBoolean();
        }
        catch (final RuntimeException ex)
        {
            return false; // a part that cannot even be asked is not ready
        }
    }

    /**
     * Whether every part is ready.
     *
     * @return true if all are.
     */
    public boolean isReady()
    {
        for (int i = 0; i < checks.length; i++)
        {
            if (!isReady(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The report as JSON: {@code {"ready":false,"engine":"ready","journal":"ready","feed":"not ready",
     * "notReady":["feed"]}}.
     *
     * @return the JSON text.
     */
    public String json()
    {
        final StringBuilder sb = new StringBuilder(128);
        final StringBuilder notReady = new StringBuilder();
        boolean all = true;
        for (int i = 0; i < checks.length; i++)
        {
            final boolean ready = isReady(i);
            sb.append(",\"").append(COMPONENTS[i]).append("\":\"").append(ready ? "ready" : "not ready").append('"');
            if (!ready)
            {
                all = false;
                notReady.append(notReady.length() == 0 ? "" : ",").append('"').append(COMPONENTS[i]).append('"');
            }
        }
        return "{\"ready\":" + all + sb + ",\"notReady\":[" + notReady + "]}\n";
    }
}
