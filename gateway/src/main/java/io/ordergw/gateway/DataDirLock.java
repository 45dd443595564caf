package io.ordergw.gateway;

import org.agrona.CloseHelper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a directory a gateway owns ({@code ordergw.data-dir}, and the journal's directory when it lies
 * elsewhere): two gateways writing one journal would interleave SeqNums, so the second is refused before it opens
 * anything. The lock is an OS file lock ({@link FileChannel#tryLock()}) on {@value #FILE_NAME} in the directory, so it
 * goes away with the process that held it, SIGKILL included: no stale lock to clean up after a crash. The holder's
 * pid is written into the file for the refusal's message; the lock, not the pid, decides.
 */
public final class DataDirLock implements AutoCloseable
{
    /** The lock file's name inside the locked directory. */
    public static final String FILE_NAME = "ordergw.lock";

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(final Path dir, final FileChannel channel, final FileLock lock)
    {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Create the directory if needed and lock it.
     *
     * @param directory the directory.
     * @param setting   the setting that names it, for the refusal ({@code ordergw.data-dir}).
     * @return the held lock; close it to release.
     * @throws StartupFailure naming the setting and the directory (and the holder's pid when it is known) if another
     *                        gateway holds it or it cannot be created.
     */
    public static DataDirLock acquire(final Path directory, final String setting)
    {
        final Path dir;
        try
        {
            Files.createDirectories(directory);
            dir = directory.toRealPath();
        }
        catch (final IOException ex)
        {
            throw new StartupFailure(setting, directory.toAbsolutePath() + " cannot be created: " + ex, ex);
        }
        final Path file = dir.resolve(FILE_NAME);
        final FileChannel channel;
        try
        {
            channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        catch (final IOException ex)
        {
            throw new StartupFailure(setting, "cannot open the lock file " + file + ": " + ex, ex);
        }
        try
        {
            FileLock lock;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                lock = null; // held by another gateway in this same JVM
            }
            if (lock == null)
            {
                final String holder = readHolder(channel);
                throw new StartupFailure(setting, dir + " is in use by another gateway" +
                    (holder.isEmpty() ? "" : " (pid " + holder + ")"));
            }
            final byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            return new DataDirLock(dir, channel, lock);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(channel);
            throw new StartupFailure(setting, "cannot lock " + file + ": " + ex, ex);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(channel);
            throw ex;
        }
    }

    private static String readHolder(final FileChannel channel)
    {
        try
        {
            final ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            final String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
            return text.matches("[0-9]+") ? text : "";
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    /**
     * The locked directory, canonical (symbolic links resolved).
     *
     * @return the directory.
     */
    public Path dir()
    {
        return dir;
    }

    /**
     * Release the lock (the file stays: deleting it could let two gateways lock two different files of one name).
     */
    @Override
    public void close()
    {
        try
        {
            if (lock.isValid())
            {
                channel.truncate(0);
                lock.release();
            }
        }
        catch (final IOException ignore)
        {
            // the channel closes below, which releases the lock anyway
        }
        CloseHelper.quietClose(channel);
    }
}
