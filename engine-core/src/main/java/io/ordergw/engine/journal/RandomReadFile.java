package io.ordergw.engine.journal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;

/**
 * A file opened for positioned reads with the kernel's readahead turned off for this file description
 * ({@code posix_fadvise(POSIX_FADV_RANDOM)}): each {@link #read} brings exactly the bytes asked for into the page
 * cache, no more.
 * <p>
 * Why {@link JournalReadAhead} needs it: a {@code pread} of 64 KiB into a hole of the journal's sparse file made the
 * kernel read ahead a whole window ({@code read_ahead_kb}, 8 MiB on this project's reference machine): 24 ms of
 * zero-filling in one system call, during which the engine, sharing a core with the reading thread, waited. With
 * readahead off the same reads cost about 100 us each and the engine waits at most for one duty cycle's reads. The
 * advice applies to this file description only: the journal's own mapping of the file is not affected.
 * <p>
 * Linux only (through JNA's direct mapping of the C library: primitive arguments, no allocation per call);
 * {@link #available()} says whether it can be used, and the read-ahead falls back to a {@code FileChannel}
 * elsewhere, or when {@link #open} fails on a file that exists (a file system that refuses the advice).
 */
final class RandomReadFile implements Closeable
{
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int POSIX_FADV_RANDOM = 1;
    private static final boolean AVAILABLE = register();

    private int fd;

    private RandomReadFile(final int fd)
    {
        this.fd = fd;
    }

    /**
     * Whether the C library could be bound (Linux with JNA's native part loadable).
     *
     * @return true when {@link #open} can be used.
     */
    static boolean available()
    {
        return AVAILABLE;
    }

    /**
     * Open a file for reading, with readahead off.
     *
     * @param file the file.
     * @return the open file.
     * @throws IOException when it cannot be opened or advised.
     */
    static RandomReadFile open(final File file) throws IOException
    {
        final int fd;
        try
        {
            fd = open(file.getPath(), O_RDONLY | O_CLOEXEC);
        }
        catch (final LastErrorException ex)
        {
            throw new IOException("open " + file + ": errno " + ex.getErrorCode(), ex);
        }
        final int error = posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
        if (error != 0)
        {
            close(fd);
            throw new IOException("posix_fadvise(POSIX_FADV_RANDOM) " + file + ": errno " + error);
        }
        return new RandomReadFile(fd);
    }

    /**
     * Read bytes at a file offset into native memory.
     *
     * @param address where to put them (at least {@code length} bytes).
     * @param length  how many bytes to read.
     * @param offset  the file offset.
     * @return bytes read, 0 at the end of the file.
     * @throws IOException when the read fails.
     */
    long read(final long address, final long length, final long offset) throws IOException
    {
        try
        {
            return pread(fd, address, length, offset);
        }
        catch (final LastErrorException ex)
        {
            throw new IOException("pread: errno " + ex.getErrorCode(), ex);
        }
    }

    @Override
    public void close()
    {
        if (fd >= 0)
        {
            close(fd);
            fd = -1;
        }
    }

    private static boolean register()
    {
        if (!Platform.isLinux())
        {
            return false;
        }
        try
        {
            Native.register(RandomReadFile.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        }
        catch (final LinkageError | RuntimeException ex)
        {
            return false;
        }
    }

    private static native int open(String path, int flags) throws LastErrorException;

    private static native int posix_fadvise(int fd, long offset, long length, int advice);

    private static native long pread(int fd, long address, long length, long offset) throws LastErrorException;

    private static native int close(int fd);
}
