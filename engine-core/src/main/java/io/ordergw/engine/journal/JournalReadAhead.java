package io.ordergw.engine.journal;

import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Reads the journal's current file ahead of the engine's write position, off the engine's thread (the
 * {@code EngineScheduler} runs it), so that the pages the engine writes next are already in the page cache when it
 * writes them.
 * <p>
 * Why: Chronicle Queue appends through a memory-mapped, sparse file. The first touch of a hole in it is a page fault
 * that the kernel serves with readahead, zero-filling a whole window of the page cache in the faulting thread: on
 * this project's reference machine (ext4) 8 MiB at a time, 17 ms, once every 34,000 events of 248 bytes. That stall
 * landed on the engine thread, in the middle of an append. Reading the same range ahead with {@code pread} moves the
 * zero-filling here; the engine's own faults then find the pages cached and cost microseconds. The file is read
 * with the kernel's own readahead off ({@link RandomReadFile}, on Linux), so that a read here zero-fills the 64 KiB
 * it asks for and not a whole readahead window: a 24 ms system call on a thread that shares a core with the engine.
 * <p>
 * It only reads: the journal's bytes are never touched, and a failure here costs latency, never data. The engine
 * thread publishes where it has written with {@link #writtenTo} (a release store and, on a new roll cycle, the new
 * file); this agent reads at most {@link #READS_PER_DUTY_CYCLE} blocks of {@link #READ_BYTES} per duty cycle, so it
 * never holds a core for long.
 */
public final class JournalReadAhead implements Agent
{
    /** Bytes read per {@code pread}. */
    public static final int READ_BYTES = 64 * 1024;
    /** Reads per duty cycle at most (1 MiB). */
    public static final int READS_PER_DUTY_CYCLE = 16;

    private static final Logger LOG = LoggerFactory.getLogger(JournalReadAhead.class);
    private static final long PAGE_MASK = ~(4096L - 1);
    private static final VarHandle WRITE_POSITION;

    static
    {
        try
        {
            WRITE_POSITION = MethodHandles.lookup().findVarHandle(JournalReadAhead.class, "writePosition", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long aheadBytes;
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(READ_BYTES);
    private final long scratchAddress = BufferUtil.address(scratch);
    private final boolean readaheadOff;

    private volatile File file;
    @SuppressWarnings("unused") // accessed through WRITE_POSITION
    private long writePosition;

    private File openFile;
    private FileChannel channel;
    private RandomReadFile randomReadFile;
    private volatile long readTo;
    private volatile long bytesRead;
    private File failedFile;

    /**
     * A readAhead keeping a window ahead of the write position.
     *
     * @param aheadBytes how far ahead of the write position to read.
     */
    public JournalReadAhead(final long aheadBytes)
    {
        this(aheadBytes, RandomReadFile.available());
    }

    JournalReadAhead(final long aheadBytes, final boolean readaheadOff)
    {
        if (aheadBytes <= 0)
        {
            throw new IllegalArgumentException("aheadBytes must be positive: " + aheadBytes);
        }
        this.aheadBytes = aheadBytes;
        this.readaheadOff = readaheadOff;
    }

    /**
     * Called by the journal's writer after each append: where it has written to.
     *
     * @param currentFile the roll cycle's file (the same instance while the cycle lasts).
     * @param position    the file offset just past the last excerpt.
     */
    public void writtenTo(final File currentFile, final long position)
    {
        if (currentFile != file)
        {
            file = currentFile;
        }
        WRITE_POSITION.setRelease(this, position);
    }

    @Override
    public String roleName()
    {
        return "ordergw-journal-read-ahead";
    }

    @Override
    public int doWork()
    {
        final File current = file;
        if (current == null || current == failedFile)
        {
            return 0;
        }
        if (current != openFile && !open(current))
        {
            return 0;
        }
        final long position = (long)WRITE_POSITION.getAcquire(this);
        final long target = position + aheadBytes;
        long from = Math.max(readTo, position & PAGE_MASK);
        int reads = 0;
        try
        {
            while (from < target && reads < READS_PER_DUTY_CYCLE)
            {
                final int length = (int)Math.min(READ_BYTES, target - from);
                final long read = read(length, from);
                if (read <= 0)
                {
                    break; // at the end of the file: Chronicle extends it when it maps its next chunk
                }
                from += read;
                bytesRead += read;
                reads++;
            }
        }
        catch (final IOException ex)
        {
            fail(current, ex);
        }
        readTo = from;
        return reads;
    }

    @Override
    public void onClose()
    {
        closeFile();
    }

    /**
     * Whether files are opened with the kernel's readahead off ({@link RandomReadFile}); a file whose file system
     * refuses the advice is read through a {@code FileChannel} all the same.
     *
     * @return true on Linux with the C library bound.
     */
    public boolean readaheadOff()
    {
        return readaheadOff;
    }

    /**
     * The file last published by the writer.
     *
     * @return the file, or null before the first append.
     */
    public File file()
    {
        return file;
    }

    /**
     * The write position last published by the writer.
     *
     * @return the file offset just past the last excerpt.
     */
    public long writtenPosition()
    {
        return (long)WRITE_POSITION.getAcquire(this);
    }

    /**
     * The file offset up to which the current file has been read.
     *
     * @return the offset.
     */
    public long readTo()
    {
        return readTo;
    }

    /**
     * Bytes read ahead so far.
     *
     * @return bytes.
     */
    public long bytesRead()
    {
        return bytesRead;
    }

    private long read(final int length, final long offset) throws IOException
    {
        if (randomReadFile != null)
        {
            return randomReadFile.read(scratchAddress, length, offset);
        }
        scratch.clear().limit(length);
        return channel.read(scratch, offset);
    }

    private void closeFile()
    {
        CloseHelper.quietClose(channel);
        CloseHelper.quietClose(randomReadFile);
        channel = null;
        randomReadFile = null;
        openFile = null;
    }

    private boolean open(final File current)
    {
        closeFile();
        try
        {
            if (readaheadOff)
            {
                randomReadFile = openRandom(current);
            }
            if (randomReadFile == null)
            {
                channel = FileChannel.open(current.toPath(), StandardOpenOption.READ);
            }
            openFile = current;
            readTo = 0;
            return true;
        }
        catch (final IOException ex)
        {
            fail(current, ex);
            return false;
        }
    }

    private static RandomReadFile openRandom(final File current)
    {
        try
        {
            return RandomReadFile.open(current);
        }
        catch (final IOException ex)
        {
            // A file system that refuses the advice is still read ahead, with the kernel's readahead as before.
            return null;
        }
    }

    private void fail(final File current, final IOException ex)
    {
        // Reading ahead is an optimisation: stop for this file, say so once, and let the engine fault pages in itself.
        LOG.warn("journal read-ahead stopped for {}: {}", current, ex.toString());
        failedFile = current;
        closeFile();
    }
}
