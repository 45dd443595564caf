package io.ordergw.engine.journal;

import io.ordergw.engine.Audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Refuses new events before the journal's file system is full. A memory-mapped write into a full disk kills the
 * process (SIGBUS), so the engine must stop appending while there is still room for the journal's next block.
 * <p>
 * Free space is measured at most once per interval, on the engine thread, from a cached {@link FileStore}; between
 * measurements the check is a comparison. The audit log gets one line when refusing starts and one when it ends,
 * written from a measurement (never per refused event).
 */
public final class DiskSpaceGuard
{
    private final LongSupplier usableBytes;
    private final long minFreeBytes;
    private final long checkIntervalNanos;
    private final String location;
    private long nextCheckNanos = Long.MIN_VALUE;
    private long lastUsableBytes = Long.MAX_VALUE;
    private boolean refusing;

    /**
     * A guard over the file system holding a directory.
     *
     * @param dir                a directory on the file system to watch.
     * @param minFreeBytes       refuse below this many usable bytes; 0 disables the guard.
     * @param checkIntervalNanos how often to measure.
     */
    public DiskSpaceGuard(final Path dir, final long minFreeBytes, final long checkIntervalNanos)
    {
        this(fileStoreUsableBytes(dir), minFreeBytes, checkIntervalNanos, dir.toString());
    }

    /**
     * A guard over any measure of free space (tests use this to fill a disk on demand).
     *
     * @param usableBytes        measures usable bytes.
     * @param minFreeBytes       refuse below this many usable bytes.
     * @param checkIntervalNanos how often to measure.
     * @param location           what is measured, for details.
     */
    public DiskSpaceGuard(
        final LongSupplier usableBytes, final long minFreeBytes, final long checkIntervalNanos, final String location)
    {
        this.usableBytes = usableBytes;
        this.minFreeBytes = minFreeBytes;
        this.checkIntervalNanos = checkIntervalNanos;
        this.location = location;
    }

    /**
     * Whether there is room to append.
     *
     * @param nowNanos a monotonic time, to pace measurements.
     * @return true if usable space is at least the minimum.
     */
    public boolean hasRoom(final long nowNanos)
    {
        if (minFreeBytes == 0)
        {
            return true;
        }
        if (nowNanos - nextCheckNanos >= 0 || nextCheckNanos == Long.MIN_VALUE)
        {
            lastUsableBytes = usableBytes.getAsLong();
            nextCheckNanos = nowNanos + checkIntervalNanos;
            if (refusing != lastUsableBytes < minFreeBytes)
            {
                refusing = !refusing;
                if (refusing)
                {
                    Audit.diskRefusing(location, lastUsableBytes, minFreeBytes);
                }
                else
                {
                    Audit.diskAccepting(location, lastUsableBytes, minFreeBytes);
                }
            }
        }
        return lastUsableBytes >= minFreeBytes;
    }

    /**
     * Usable bytes at the last measurement.
     *
     * @return bytes.
     */
    public long lastUsableBytes()
    {
        return lastUsableBytes;
    }

    /**
     * The configured minimum.
     *
     * @return bytes.
     */
    public long minFreeBytes()
    {
        return minFreeBytes;
    }

    /**
     * What is measured.
     *
     * @return a path.
     */
    public String location()
    {
        return location;
    }

    private static LongSupplier fileStoreUsableBytes(final Path dir)
    {
        try
        {
            Files.createDirectories(dir);
            final FileStore store = Files.getFileStore(dir);
            return () ->
            {
                try
                {
                    return store.getUsableSpace();
                }
                catch (final IOException ex)
                {
                    return 0; // cannot tell: assume full, refuse rather than risk the process
                }
            };
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot watch free space of " + dir, ex);
        }
    }
}
