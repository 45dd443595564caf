package io.ordergw.gateway.feed;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.IdleStrategies;
import org.agrona.CloseHelper;

/**
 * The Aeron media driver inside the gateway process, from the {@code ordergw.aeron} settings: SHARED threading (one
 * thread for conductor, sender and receiver, so a 2-core machine stays usable) with the configured idle strategy, the
 * configured term length for IPC and network publications, and a directory deleted on start and stop when
 * {@code dir-delete-on-start} is set.
 * <pre>{@code
 * try (EmbeddedDriver driver = EmbeddedDriver.launch(config.aeron);
 *      Aeron aeron = driver.connect())
 * {
 *     ...
 * }
 * }</pre>
 * With {@code embedded-driver = false}, connect to an external driver at {@link #directoryName} instead.
 */
public final class EmbeddedDriver implements AutoCloseable
{
    private final MediaDriver driver;

    private EmbeddedDriver(final MediaDriver driver)
    {
        this.driver = driver;
    }

    /**
     * The driver directory the settings name: {@code dir}, or Aeron's default with an {@code -ordergw} suffix.
     *
     * @param settings the {@code ordergw.aeron} settings.
     * @return the directory.
     */
    public static String directoryName(final OrderGwConfig.Aeron settings)
    {
        return settings.dir.isEmpty() ? CommonContext.getAeronDirectoryName() + "-ordergw" : settings.dir;
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
        return new EmbeddedDriver(MediaDriver.launch(context));
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
