package io.ordergw.bench;

import io.aeron.CommonContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Private, throw-away directories for a benchmark's journal and Aeron driver. Every name carries this process id, so
 * that a benchmark never touches the journal or, worse, the Aeron directory of a gateway or test that another engineer
 * runs on the same machine (an embedded driver deletes its directory on start).
 * <p>
 * Journals go under {@code -Dbench.data.dir} (default: the system temp directory, a real disk, as in production; not
 * named {@code ordergw.*}, because the gateway's configuration refuses unknown system properties under that prefix);
 * Aeron directories beside Aeron's default (/dev/shm on Linux).
 */
public final class BenchDirs
{
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private BenchDirs()
    {
    }

    /**
     * A new, empty data directory.
     *
     * @param purpose a word for the name.
     * @return the directory (created).
     */
    public static Path newDataDir(final String purpose)
    {
        final Path root = Paths.get(System.getProperty("bench.data.dir", System.getProperty("java.io.tmpdir")));
        final Path dir = root.resolve("ordergw-bench-" + ProcessHandle.current().pid() + "-" + purpose + "-" +
            COUNTER.incrementAndGet());
        try
        {
            deleteRecursively(dir);
            return Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A name for a private Aeron directory (not created: the driver does that).
     *
     * @param purpose a word for the name.
     * @return the directory name.
     */
    public static String newAeronDir(final String purpose)
    {
        return CommonContext.getAeronDirectoryName() + "-ordergw-bench-" + ProcessHandle.current().pid() + "-" +
            purpose + "-" + COUNTER.incrementAndGet();
    }

    /**
     * Delete a directory and everything in it; nothing if it does not exist.
     *
     * @param dir the directory.
     */
    public static void deleteRecursively(final Path dir)
    {
        if (dir == null || !Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path ->
            {
                try
                {
                    Files.deleteIfExists(path);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
