package io.ordergw.engine.journal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Which other processes use a journal directory, so that offline tools ({@code ordergw archive}) refuse to move files
 * out from under a running gateway. A gateway memory-maps its journal's cycle files and holds its metadata file open,
 * so on Linux every user shows in {@code /proc/<pid>/maps} or {@code /proc/<pid>/fd}; only processes of the same user
 * (or all, for root) can be seen, which covers a gateway run by the operator who archives.
 */
public final class JournalUsers
{
    private static final Path PROC = Path.of("/proc");

    private JournalUsers()
    {
    }

    /**
     * Whether this platform lets us see other processes' open files.
     *
     * @return true on Linux (a readable {@code /proc/self/maps}).
     */
    public static boolean canDetect()
    {
        return Files.isReadable(PROC.resolve("self").resolve("maps"));
    }

    /**
     * The first other process found using a file under a directory.
     *
     * @param dir the journal directory.
     * @return its pid, or empty if none was found.
     */
    public static OptionalLong find(final Path dir)
    {
        final String prefix = canonical(dir) + "/";
        final long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, entry ->
            entry.getFileName().toString().chars().allMatch(Character::isDigit)))
        {
            for (final Path process : processes)
            {
                final long pid = Long.parseLong(process.getFileName().toString());
                if (pid != self && (mapsUnder(process, prefix) || opensUnder(process, prefix)))
                {
                    return OptionalLong.of(pid);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list processes in " + PROC + ": " + ex.getMessage(), ex);
        }
        return OptionalLong.empty();
    }

    private static boolean mapsUnder(final Path process, final String prefix)
    {
        try
        {
            for (final String line : Files.readAllLines(process.resolve("maps")))
            {
                if (line.contains(prefix))
                {
                    return true;
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // gone, or another user's process: not ours to see
        }
        return false;
    }

    private static boolean opensUnder(final Path process, final String prefix)
    {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd")))
        {
            final List<Path> links = new ArrayList<>();
            fds.forEach(links::add);
            for (final Path fd : links)
            {
                try
                {
                    if (Files.readSymbolicLink(fd).toString().startsWith(prefix))
                    {
                        return true;
                    }
                }
                catch (final IOException | RuntimeException ex)
                {
                    // closed meanwhile
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // gone, or another user's process
        }
        return false;
    }

    private static String canonical(final Path dir)
    {
        try
        {
            return dir.toRealPath().toString();
        }
        catch (final IOException ex)
        {
            return dir.toAbsolutePath().normalize().toString();
        }
    }
}
