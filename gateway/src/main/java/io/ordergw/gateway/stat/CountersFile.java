package io.ordergw.gateway.stat;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The gateway's counters in a memory-mapped file, {@code <data-dir>/counters.dat}, so that another process
 * ({@code ordergw stat}) reads them live, as {@code AeronStat} reads a media driver's CnC file. The counters are
 * written exactly as before (ordered stores into an Agrona {@link CountersManager}); the mapping only makes the
 * memory visible outside the process. Layout:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Version (written last, ordered)               |
 *  +---------------------------------------------------------------+
 *  |                      Metadata length                          |
 *  +---------------------------------------------------------------+
 *  |                       Values length                           |
 *  +---------------------------------------------------------------+
 *  |                          Reserved                             |
 *  +---------------------------------------------------------------+
 *  |                   Process id (8 bytes)                        |
 *  +---------------------------------------------------------------+
 *  |             Start time, epoch milliseconds (8 bytes)          |
 *  +---------------------------------------------------------------+
 *  |                 ... up to 128 bytes of header                 |
 *  +---------------------------------------------------------------+
 *  |                 Counters metadata (Agrona layout)             |
 *  +---------------------------------------------------------------+
 *  |                  Counters values (Agrona layout)              |
 *  +---------------------------------------------------------------+
 * </pre>
 * The file stays after the gateway stops (the process id tells a reader whether it still runs): a clean stop frees
 * every counter, a killed gateway leaves them with their last values. A gateway that starts replaces it with a new
 * file, so a reader that still maps the old one never sees it change under it.
 */
public final class CountersFile implements AutoCloseable
{
    /** The file's name in the data directory. */
    public static final String FILE_NAME = "counters.dat";
    /** The layout's version. */
    public static final int VERSION = 1;
    /** Bytes before the metadata: a multiple of the counters' 128-byte records, so every value stays aligned. */
    public static final int HEADER_LENGTH = 128;
    /** Bytes of values: room for 512 counters. */
    public static final int VALUES_LENGTH = 512 * CountersReader.COUNTER_LENGTH;

    private static final int VERSION_OFFSET = 0;
    private static final int METADATA_LENGTH_OFFSET = 4;
    private static final int VALUES_LENGTH_OFFSET = 8;
    private static final int PID_OFFSET = 16;
    private static final int START_TIME_OFFSET = 24;

    private final Path file;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final CountersReader reader;
    private final CountersManager manager;

    private CountersFile(final Path file, final MappedByteBuffer mapped, final boolean writable)
    {
        this.file = file;
        this.mapped = mapped;
        this.header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final int metaDataLength;
        final int valuesLength;
        if (writable)
        {
            metaDataLength = VALUES_LENGTH * (CountersReader.METADATA_LENGTH / CountersReader.COUNTER_LENGTH);
            valuesLength = VALUES_LENGTH;
        }
        else
        {
            if (mapped.capacity() < HEADER_LENGTH || header.getIntVolatile(VERSION_OFFSET) != VERSION)
            {
                throw new IllegalStateException(file + " is not an ordergw counters file of version " + VERSION +
                    " (or its gateway is still starting)");
            }
            metaDataLength = header.getInt(METADATA_LENGTH_OFFSET);
            valuesLength = header.getInt(VALUES_LENGTH_OFFSET);
            if ((long)HEADER_LENGTH + metaDataLength + valuesLength > mapped.capacity())
            {
                throw new IllegalStateException(file + " is shorter than its header says");
            }
        }
        final UnsafeBuffer metaData = new UnsafeBuffer(mapped, HEADER_LENGTH, metaDataLength);
        final UnsafeBuffer values = new UnsafeBuffer(mapped, HEADER_LENGTH + metaDataLength, valuesLength);
        if (writable)
        {
            manager = new CountersManager(metaData, values);
            reader = manager;
            header.putInt(METADATA_LENGTH_OFFSET, metaDataLength);
            header.putInt(VALUES_LENGTH_OFFSET, valuesLength);
            header.putLong(PID_OFFSET, ProcessHandle.current().pid());
            header.putLong(START_TIME_OFFSET, System.currentTimeMillis());
            header.putIntOrdered(VERSION_OFFSET, VERSION); // last: a reader that sees it sees the rest
        }
        else
        {
            manager = null;
            reader = new CountersReader(metaData, values);
        }
    }

    /**
     * Create the file for a gateway that starts, replacing the one a previous run left.
     *
     * @param file where.
     * @return the file, mapped.
     */
    public static CountersFile create(final Path file)
    {
        try
        {
            // Removed, not overwritten: a reader mapping the old file keeps the last run's values.
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot replace the counters file " + file, ex);
        }
        final int metaDataLength = VALUES_LENGTH * (CountersReader.METADATA_LENGTH / CountersReader.COUNTER_LENGTH);
        return new CountersFile(file, IoUtil.mapNewFile(file.toFile(), HEADER_LENGTH + metaDataLength +
            VALUES_LENGTH), true);
    }

    /**
     * Map a gateway's counters file to read it.
     *
     * @param file where.
     * @return the file, mapped read-only.
     */
    public static CountersFile open(final Path file)
    {
        return new CountersFile(
            file, IoUtil.mapExistingFile(file.toFile(), FileChannel.MapMode.READ_ONLY, "counters file"), false);
    }

    /**
     * Where the counters are allocated (the gateway's side only).
     *
     * @return the manager.
     */
    public CountersManager countersManager()
    {
        if (null == manager)
        {
            throw new IllegalStateException("read-only counters file " + file);
        }
        return manager;
    }

    /**
     * The counters, to read.
     *
     * @return the reader.
     */
    public CountersReader countersReader()
    {
        return reader;
    }

    /**
     * The process id of the gateway that wrote the file.
     *
     * @return the pid.
     */
    public long pid()
    {
        return header.getLong(PID_OFFSET);
    }

    /**
     * When the gateway that wrote the file started.
     *
     * @return epoch milliseconds.
     */
    public long startTimeMillis()
    {
        return header.getLong(START_TIME_OFFSET);
    }

    /**
     * The file.
     *
     * @return its path.
     */
    public Path file()
    {
        return file;
    }

    /**
     * Unmap the file. Only once nothing writes or reads the counters any more: a store into an unmapped page crashes
     * the JVM.
     */
    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
