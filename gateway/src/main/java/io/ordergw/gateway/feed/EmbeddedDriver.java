package io.ordergw.gateway.feed;

import io.aeron.Aeron;
import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.exceptions.ActiveDriverException;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.IdleStrategies;
import io.ordergw.gateway.StartupFailure;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * The Aeron media driver inside the gateway process, from the {@code ordergw.aeron} settings: SHARED threading (one
 * thread for conductor, sender and receiver, so a 2-core machine stays usable) with the configured idle strategy, the
 * configured term length for IPC and network publications, and a directory deleted on start and stop when
 * {@code dir-delete-on-start} is set.
 * <p>
 * Each gateway has a directory of its own: {@code ordergw.aeron.dir}, or when that is empty one named from its data
 * directory ({@link #directoryName(OrderGwConfig)}), so gateways on one host never share a driver by accident. A
 * directory that a live driver uses is never deleted, whatever {@code dir-delete-on-start} says: Aeron's own start
 * deletes it unasked when told to, so {@link #launch(MediaDriver.Context)} looks first ({@link #refuseIfLive}).
 * <pre>{@code
 * try (EmbeddedDriver driver = EmbeddedDriver.launch(config);
 *      Aeron aeron = driver.connect())
 * {
 *     ...
 * }
 * }</pre>
 * With {@code embedded-driver = false}, connect to an external driver at {@link #directoryName} instead.
 */
public final class EmbeddedDriver implements AutoCloseable
{
    /** The setting a refusal names. */
    private static final String DIR_SETTING = "ordergw.aeron.dir";
    /**
     * How long to watch a fresh heartbeat for a tick: a live driver's conductor writes it on every timer tick (1 s by
     * default), a killed one never again, so a heartbeat that stays still this long is a corpse's.
     */
    private static final long HEARTBEAT_WATCH_MS = 2_500;

    private final MediaDriver driver;

    private EmbeddedDriver(final MediaDriver driver)
    {
        this.driver = driver;
    }

    /**
     * The driver directory the {@code ordergw.aeron} settings name on their own: {@code dir}, or Aeron's default with
     * an {@code -ordergw} suffix. That is where the gateway looks for an external driver
     * ({@code embedded-driver = false}); its embedded driver uses {@link #directoryName(OrderGwConfig)}.
     *
     * @param settings the {@code ordergw.aeron} settings.
     * @return the directory.
     */
    public static String directoryName(final OrderGwConfig.Aeron settings)
    {
        return settings.dir.isEmpty() ? CommonContext.getAeronDirectoryName() + "-ordergw" : settings.dir;
    }

    /**
     * The embedded driver's directory: {@code ordergw.aeron.dir} when set, else Aeron's default directory (under
     * {@code /dev/shm} on Linux) with {@code -ordergw-} and the first 12 hex digits of the SHA-256 of the data
     * directory's canonical path, e.g. {@code /dev/shm/aeron-alice-ordergw-3f9a0c12be47}. Named from the data
     * directory so that two gateways (which never share a data directory, see the data directory's lock) never share
     * a driver directory, and the same gateway finds the same one after a restart. Not under the data directory
     * itself: the driver's term buffers are memory-mapped files written at message rate, which belong on tmpfs (as
     * Aeron recommends), not on the journal's disk where the kernel would write them back and compete with the
     * journal's own I/O.
     *
     * @param config the configuration.
     * @return the directory.
     */
    public static String directoryName(final OrderGwConfig config)
    {
        if (!config.aeron.dir.isEmpty())
        {
            return config.aeron.dir;
        }
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(canonical(config.dataDir).toString().getBytes(StandardCharsets.UTF_8));
            return CommonContext.getAeronDirectoryName() + "-ordergw-" + HexFormat.of().formatHex(digest, 0, 6);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JVM has SHA-256", ex);
        }
    }

    private static Path canonical(final Path dir)
    {
        final Path absolute = dir.toAbsolutePath().normalize();
        try
        {
            return absolute.toRealPath();
        }
        catch (final IOException ex)
        {
            return absolute; // not created yet: the gateway creates (and locks) it before its driver starts
        }
    }

    /**
     * The embedded driver's context for a gateway: {@link #context(OrderGwConfig.Aeron)} in
     * {@link #directoryName(OrderGwConfig)}.
     *
     * @param config the configuration.
     * @return the context.
     */
    public static MediaDriver.Context context(final OrderGwConfig config)
    {
        final MediaDriver.Context context = context(config.aeron);
        context.aeronDirectoryName(directoryName(config));
        return context;
    }

    /**
     * A driver context from the settings, to adjust before {@link #launch(MediaDriver.Context)} (tests shorten
     * time-outs here).
     *
     * @param settings the {@code ordergw.aeron} settings.
     * @return the context.
     */
    public static MediaDriver.Context context(final OrderGwConfig.Aeron settings)
    {
        return new MediaDriver.Context()
            .aeronDirectoryName(directoryName(settings))
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(IdleStrategies.of(settings.idleStrategy))
            .dirDeleteOnStart(settings.dirDeleteOnStart)
            .dirDeleteOnShutdown(settings.dirDeleteOnStart)
            .publicationTermBufferLength(settings.termLength)
            .ipcTermBufferLength(settings.termLength);
    }

    /**
     * Start a driver from the settings.
     *
     * @param settings the {@code ordergw.aeron} settings.
     * @return the running driver.
     */
    public static EmbeddedDriver launch(final OrderGwConfig.Aeron settings)
    {
        return launch(context(settings));
    }

    /**
     * Start a driver from a context.
     *
     * @param context the driver context, e.g. from {@link #context(OrderGwConfig.Aeron)}.
     * @return the running driver.
     */
    public static EmbeddedDriver launch(final MediaDriver.Context context)
    {
        refuseIfLive(new File(context.aeronDirectoryName()), context.driverTimeoutMs());
        try
        {
            return new EmbeddedDriver(MediaDriver.launch(context));
        }
        catch (final ActiveDriverException ex)
        {
            // dir-delete-on-start = false: Aeron refuses a heartbeat younger than its driver time-out, live or not.
            throw new StartupFailure(DIR_SETTING, context.aeronDirectoryName() + " holds a media driver that was " +
                "active less than " + context.driverTimeoutMs() + " ms ago (Aeron refuses it with " +
                "dir-delete-on-start = false): stop that driver, or wait and start again", ex);
        }
        catch (final RuntimeException ex)
        {
            throw new StartupFailure(DIR_SETTING, "the media driver cannot start in " + context.aeronDirectoryName() +
                ": " + StartupFailure.oneLine(ex.toString()), ex);
        }
    }

    /**
     * Refuse a directory whose media driver is alive, so that a second gateway given the same directory never
     * deletes it from under the first. Alive means what Aeron's {@link CommonContext#isDriverActive} checks (the
     * driver's heartbeat in the CnC file is younger than the driver time-out) and, since a driver killed a moment ago
     * leaves a young heartbeat behind, also that the process the CnC file names still runs or the heartbeat still
     * moves. A directory left by a killed gateway passes, so a restart after a crash needs no manual cleaning.
     *
     * @param dir             the driver directory.
     * @param driverTimeoutMs the driver time-out.
     * @throws StartupFailure naming {@code ordergw.aeron.dir} if a live driver uses it.
     */
    static void refuseIfLive(final File dir, final long driverTimeoutMs)
    {
        final File cncFile = new File(dir, CncFileDescriptor.CNC_FILE);
        if (!cncFile.isFile() || cncFile.length() < CncFileDescriptor.END_OF_METADATA_OFFSET)
        {
            return;
        }
        final MappedByteBuffer cnc;
        try
        {
            cnc = IoUtil.mapExistingFile(cncFile, CncFileDescriptor.CNC_FILE);
        }
        catch (final RuntimeException ex)
        {
            throw new StartupFailure(
                DIR_SETTING, "cannot read " + cncFile + ": " + StartupFailure.oneLine(ex.toString()), ex);
        }
        try
        {
            if (!CommonContext.isDriverActive(driverTimeoutMs, message -> {}, cnc))
            {
                return;
            }
            final UnsafeBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
            final long pid = CncFileDescriptor.pid(metaData);
            // This process's own pid proves nothing (a driver in this JVM, or a killed one whose pid we reuse in a
            // new container): then only the heartbeat tells. Another running pid is taken as the driver's, even if
            // reused: refusing a restart for the rest of the driver time-out is better than deleting a live driver.
            final boolean otherProcessRuns = pid > 0 && pid != ProcessHandle.current().pid() &&
                ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            if (otherProcessRuns || heartbeatMoves(cnc, metaData))
            {
                throw new StartupFailure(DIR_SETTING, dir + " is in use by a running media driver (pid " + pid +
                    "): give each gateway its own data-dir (the directory is named from it) or its own aeron.dir");
            }
        }
        catch (final StartupFailure ex)
        {
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            // Another Aeron version's CnC, or one half-written: Aeron could not tell either, so neither do we.
            throw new StartupFailure(DIR_SETTING, "cannot tell whether a media driver uses " + dir + ": " +
                StartupFailure.oneLine(ex.toString()), ex);
        }
        finally
        {
            IoUtil.unmap(cnc);
        }
    }

    private static boolean heartbeatMoves(final MappedByteBuffer cnc, final UnsafeBuffer metaData)
    {
        final ManyToOneRingBuffer toDriver =
            new ManyToOneRingBuffer(CncFileDescriptor.createToDriverBuffer(cnc, metaData));
        final long first = toDriver.consumerHeartbeatTime();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_WATCH_MS);
        while (System.nanoTime() < deadline)
        {
            if (toDriver.consumerHeartbeatTime() != first)
            {
                return true;
            }
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return true; // cannot tell: keep the directory
            }
        }
        return false;
    }

    /**
     * The driver's directory, for clients.
     *
     * @return the directory.
     */
    public String aeronDirectoryName()
    {
        return driver.aeronDirectoryName();
    }

    /**
     * A new Aeron client of this driver; the caller closes it (before the driver).
     *
     * @return the client.
     */
    public Aeron connect()
    {
        return Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
    }

    /**
     * The driver, for tools and tests.
     *
     * @return the driver.
     */
    public MediaDriver mediaDriver()
    {
        return driver;
    }

    /**
     * Stop the driver (and delete its directory if so configured).
     */
    @Override
    public void close()
    {
        CloseHelper.close(driver);
    }
}
