package io.ordergw.gateway.reliability;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/**
 * A socket's input read no faster than a given rate, in small chunks with sleeps in between: what a reader on a slow
 * link looks like to the server (TCP's window closes, the server's unsent data grows). Time spent waiting for data
 * earns at most {@link #BURST_NS} worth of bytes, so a quiet spell is not followed by a long burst.
 */
final class ThrottledInputStream extends FilterInputStream
{
    private static final int CHUNK_BYTES = 4096;
    private static final long BURST_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private final long bytesPerSecond;
    private long nextReadNs = System.nanoTime();

    /**
     * Throttle a stream.
     *
     * @param in             the socket's input.
     * @param bytesPerSecond the most read per second.
     */
    ThrottledInputStream(final InputStream in, final long bytesPerSecond)
    {
        super(in);
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public int read() throws IOException
    {
        final byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(final byte[] b, final int off, final int len) throws IOException
    {
        final long waitNs = nextReadNs - System.nanoTime();
        if (waitNs > 0)
        {
            try
            {
                TimeUnit.NANOSECONDS.sleep(waitNs);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while throttled");
            }
        }
        final int read = super.read(b, off, Math.min(len, CHUNK_BYTES));
        if (read > 0)
        {
            nextReadNs = Math.max(nextReadNs, System.nanoTime() - BURST_NS) +
                TimeUnit.SECONDS.toNanos(1) * read / bytesPerSecond;
        }
        return read;
    }
}
