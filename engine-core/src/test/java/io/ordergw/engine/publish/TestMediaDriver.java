package io.ordergw.engine.publish;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An embedded media driver for tests: a unique directory (under /dev/shm when it exists) deleted at close, SHARED
 * threading with a backing-off idle strategy (never a spinning thread on a 2-core machine), 64 KiB terms, short
 * untethered and liveness time-outs; and one Aeron client of it.
 */
public final class TestMediaDriver implements AutoCloseable
{
    /** Term length of every test publication. */
    public static final int TERM_LENGTH = 64 * 1024;

    public final Path dir;
    public final MediaDriver driver;
    public final Aeron aeron;

    private TestMediaDriver(final Path dir, final MediaDriver driver, final Aeron aeron)
    {
        this.dir = dir;
        this.driver = driver;
        this.aeron = aeron;
    }

    /**
     * A driver with the test defaults.
     *
     * @return the driver and client.
     */
    public static TestMediaDriver launch()
    {
        return launch(ctx -> { });
    }

    /**
     * A driver with the test defaults, adjusted.
     *
     * @param customise changes to the driver context.
     * @return the driver and client.
     */
    public static TestMediaDriver launch(final Consumer<MediaDriver.Context> customise)
    {
        final Path dir = newAeronDir();
        final MediaDriver.Context ctx = context(dir);
        customise.accept(ctx);
        MediaDriver driver = null;
        try
        {
            driver = MediaDriver.launch(ctx);
            final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.toString()));
            return new TestMediaDriver(dir, driver, aeron);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            IoUtil.delete(dir.toFile(), true);
            throw ex;
        }
    }

    /**
     * The test defaults for a driver directory.
     *
     * @param dir the directory.
     * @return the context.
     */
    public static MediaDriver.Context context(final Path dir)
    {
        return new MediaDriver.Context()
            .aeronDirectoryName(dir.toString())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(
                10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1)))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .publicationTermBufferLength(TERM_LENGTH)
            .ipcTermBufferLength(TERM_LENGTH)
            // Untethered time-outs are checked on the driver's timer, so it ticks faster than the time-outs.
            .timerIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .untetheredWindowLimitTimeoutNs(TimeUnit.MILLISECONDS.toNanos(300))
            .untetheredLingerTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200))
            .untetheredRestingTimeoutNs(TimeUnit.MILLISECONDS.toNanos(300))
            .imageLivenessTimeoutNs(TimeUnit.SECONDS.toNanos(2))
            .publicationLingerTimeoutNs(TimeUnit.SECONDS.toNanos(1));
    }

    /**
     * A new, unique, empty directory for a driver, on tmpfs when there is one.
     *
     * @return the directory.
     */
    public static Path newAeronDir()
    {
        try
        {
            final Path shm = Path.of("/dev/shm");
            final Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ?
                shm : Path.of(System.getProperty("java.io.tmpdir"));
            final Path dir = Files.createTempDirectory(parent, "ordergw-aeron-test-");
            Files.delete(dir); // the driver creates it
            return dir;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A UDP port on 127.0.0.1 that was free a moment ago.
     *
     * @return the port.
     */
    public static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            return socket.getLocalPort();
        }
        catch (final SocketException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(aeron);
        CloseHelper.quietClose(driver);
        IoUtil.delete(dir.toFile(), true);
    }
}
