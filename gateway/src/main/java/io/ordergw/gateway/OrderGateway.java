package io.ordergw.gateway;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.ordergw.config.ConfigError;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.config.ThreadingMode;
import io.ordergw.engine.Engine;
import io.ordergw.engine.EngineContext;
import io.ordergw.engine.EngineScheduler;
import io.ordergw.engine.IdleStrategies;
import io.ordergw.engine.journal.ChronicleEventJournal;
import io.ordergw.engine.journal.RetentionStatus;
import io.ordergw.gateway.apex.ApexRequestProcessor;
import io.ordergw.gateway.auth.ApiKeyNonces;
import io.ordergw.gateway.auth.Authenticator;
import io.ordergw.gateway.auth.UserDirectory;
import io.ordergw.gateway.net.GatewayChannels;
import io.ordergw.gateway.net.GatewayServer;
import io.ordergw.gateway.net.HttpPages;
import io.ordergw.gateway.net.SessionRegistry;
import io.ordergw.engine.publish.EventFeed;
import io.ordergw.gateway.feed.EmbeddedDriver;
import io.ordergw.gateway.feed.FeedPorts;
import io.ordergw.gateway.feed.FeedContexts;
import io.ordergw.gateway.stat.CountersFile;
import io.ordergw.gateway.route.FeedLiveEvents;
import io.ordergw.gateway.route.ResponseRouter;
import io.ordergw.gateway.metrics.GatewayMetrics;
import io.ordergw.gateway.metrics.Readiness;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.CountersManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The whole gateway in one process: the engine (recovered from its journal and snapshots), the router that sends
 * replies and events back, and the WebSocket/HTTP server. {@link #close()} stops in the safe order: stop accepting,
 * let the engine answer what it took, snapshot and close the journal.
 */
public final class OrderGateway implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(OrderGateway.class);

    private final OrderGwConfig config;
    private final List<DataDirLock> dirLocks;
    private final UserDirectory startupUsers;
    private final FeedPorts feedPorts;
    private final EmbeddedDriver driver;
    private volatile boolean closing;
    private Engine engine;
    private SupervisedFeed feed;
    private final ResponseRouter router;
    private final EngineScheduler scheduler;
    private final GatewayServer server;
    private final ExecutorService loginExecutor;
    private final Authenticator authenticator;
    private final SessionRegistry sessions;
    private final GatewayCounters counters;
    private final CountersManager countersManager;
    private final CountersFile countersFile;

    private OrderGateway(final OrderGwConfig config, final UserDirectory extraUsers) throws InterruptedException
    {
        this.config = config;
        // Everything that can be refused without the journal or the media driver is checked first: a mistake answers
        // in one line naming the setting (StartupFailure, ConfigError) and leaves nothing started or deleted.
        dirLocks = lockDirectories(config);
        try
        {
            startupUsers = users(config, extraUsers);
            GatewayServer.checkStartable(config.gateway);
            feedPorts = FeedPorts.claim(config.publisher);
            checkWritable("ordergw.journal.dir", config.journal.dir);
            checkWritable("ordergw.snapshot.dir", config.snapshot.dir);
            driver = config.aeron.embeddedDriver ? EmbeddedDriver.launch(EmbeddedDriver.context(config)) : null;
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(dirLocks);
            throw ex;
        }
        // In a mapped file under the (locked) data directory, so that `ordergw stat` reads them from outside.
        try
        {
            countersFile = CountersFile.create(config.dataDir.resolve(CountersFile.FILE_NAME));
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(driver);
            CloseHelper.quietCloseAll(dirLocks);
            throw ex;
        }
        countersManager = countersFile.countersManager();
        final EngineContext engineContext;
        try
        {
            engineContext = new EngineContext().config(config).countersManager(countersManager).conclude();
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(driver);
            CloseHelper.quietCloseAll(dirLocks);
            throw journalFailure(ex);
        }
        counters = new GatewayCounters(countersManager);
        Aeron aeron = null;
        try
        {
            engine = prepareEngine(engineContext);
            // Aeron's default error handler exits the process when the driver stops answering (a driver restart, a
            // long pause): the gateway must go on acknowledging and journaling, so the fault is logged instead.
            aeron = connectAeron();
            final Aeron firstClient = aeron;
            final EventFeed firstFeed = startFeed(() -> EventFeed.open(feedContext(engineContext, firstClient)
                .journalSeqNum(engine.agent().counters().journalSeqNum::get)));
            feed = new SupervisedFeed(aeronDirectoryName(), aeron, firstFeed, this::connectAeron,
                client -> EventFeed.open(feedContext(engineContext, client)
                    .journalSeqNum(engine.agent().counters().journalSeqNum::get)
                    .fromSeqNum(engine.agent().counters().journalSeqNum.get() + 1)),
                this::onFeedReconnected, SystemNanoClock.INSTANCE);
        }
        catch (final RuntimeException ex)
        {
            // Nothing runs yet: the feed, if it opened, closes before the engine closes the journal.
            if (null != feed)
            {
                CloseHelper.quietClose(feed.feed());
            }
            CloseHelper.quietClose(counters);
            if (null != engine)
            {
                CloseHelper.quietClose(engine);
            }
            else
            {
                CloseHelper.quietClose(engineContext.journal());
            }
            CloseHelper.quietCloseAll(aeron, driver);
            CloseHelper.quietCloseAll(dirLocks);
            throw ex;
        }
        EngineScheduler startedScheduler = null;
        try
        {
            authenticator = new Authenticator(startupUsers, config.gateway, System::currentTimeMillis,
                ApiKeyNonces.inFile(config.gateway.nonceFile));
            sessions = new SessionRegistry(config.gateway.maxConnections);
            router = new ResponseRouter(sessions, engineContext.egressRing(), engineContext.journal(),
                engine.agent().counters().journalSeqNum::get,
                fromSeqNum -> new FeedLiveEvents(FeedContexts.ipc(config).aeron(feed.aeron())
                    .fromSeqNum(fromSeqNum).errorHandler(ex -> LOG.error("feed subscriber fault", ex))),
                counters, config.gateway.maxConcurrentReplays, config.gateway.replayStallTimeout.toNanos());
            authenticator.addLogoutListener(auth -> sessions.forEach(session ->
            {
                if (session.auth() == auth)
                {
                    session.auth(null);
                    router.proxy().unsubscribeAll(session);
                }
            }));
            // Expired sessions end on their own: the logout listener above clears them from their connections.
            final Housekeeping housekeeping = new Housekeeping(SystemNanoClock.INSTANCE)
                .every("session expiry", 10, 10, TimeUnit.SECONDS, authenticator::sweepExpired);
            if (engineContext.journal() instanceof ChronicleEventJournal)
            {
                // What `ordergw archive` may move out, on /metrics and the status page.
                housekeeping.every("retention status", 0, 10, TimeUnit.SECONDS, new RetentionStatus(
                    (ChronicleEventJournal)engineContext.journal(), engineContext.snapshotStore(),
                    config.journal.archiveMinAge, System::currentTimeMillis, countersManager));
            }
            // The one place that decides the threads, their start and their close order (docs/engine.md, "Threads").
            startedScheduler = new EngineScheduler(config.threadingMode, countersManager)
                .engine(engine)
                .feed(feed, IdleStrategies.of(config.publisher.idleStrategy))
                .router(router, IdleStrategies.of(config.gateway.idleStrategy))
                .housekeeping(housekeeping)
                .start();
            // In INVOKER (tests) no thread is started, this pool's neither: logins hash on the I/O thread there.
            loginExecutor = ThreadingMode.INVOKER == config.threadingMode ? null : new ThreadPoolExecutor(1, 2, 30,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(1024), r ->
                {
                    final Thread thread = new Thread(r, "ordergw-login");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy()); // a full queue answers 102: never PBKDF2 on an I/O thread
            final Executor logins = null == loginExecutor ? Runnable::run : loginExecutor;
            final ApexRequestProcessor.Services services = new ApexRequestProcessor.Services(
                config, engineContext.ingressRing(), authenticator, router.proxy(), logins, counters,
                engine.agent().counters().journalSeqNum::get).oldestSeqNum(engineContext.journal()::firstSeqNum);
            final GatewayChannels channels = new GatewayChannels(sessions, services, router.proxy(), counters);
            scheduler = startedScheduler;
            server = new GatewayServer(config.gateway, channels, authenticator, httpPages());
        }
        catch (final Exception ex)
        {
            // Any failure, the checked ones Netty throws undeclared (a BindException) included. What started before
            // it (the agents, the login pool) stops before the core: none of it may touch the closed journal.
            closing = true;
            stopLoginExecutor();
            CloseHelper.quietClose(startedScheduler);
            closeCore();
            CloseHelper.quietClose(counters);
            CloseHelper.quietCloseAll(dirLocks);
            throw ex;
        }
    }

    /**
     * The data directory, and the journal's and the snapshots' directories when they are set outside it, each locked:
     * two gateways with different data directories must not share a journal or a snapshot directory either.
     */
    private static List<DataDirLock> lockDirectories(final OrderGwConfig config)
    {
        final List<DataDirLock> locks = new ArrayList<>();
        try
        {
            locks.add(DataDirLock.acquire(config.dataDir, "ordergw.data-dir"));
            final List<Path> covered = new ArrayList<>(List.of(
                locks.get(0).dir(), config.dataDir.toAbsolutePath().normalize()));
            lockIfOutside(locks, covered, config.journal.dir, "ordergw.journal.dir");
            lockIfOutside(locks, covered, config.snapshot.dir, "ordergw.snapshot.dir");
            return locks;
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(locks);
            throw ex;
        }
    }

    private static void lockIfOutside(
        final List<DataDirLock> locks, final List<Path> covered, final Path dir, final String setting)
    {
        final Path absolute = dir.toAbsolutePath().normalize();
        for (final Path root : covered)
        {
            if (absolute.startsWith(root))
            {
                return;
            }
        }
        final DataDirLock lock = DataDirLock.acquire(dir, setting);
        locks.add(lock);
        covered.add(lock.dir());
        covered.add(absolute);
    }

    /** Bad users and API keys are found here, before the journal and the media driver start. */
    private static UserDirectory users(final OrderGwConfig config, final UserDirectory extraUsers)
    {
        final UserDirectory configured = UserDirectory.fromConfig(config);
        try
        {
            return extraUsers == null ? configured : configured.withUsers(extraUsers);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigError("ordergw.gateway.users", ex.getMessage() + " (with the --demo users)");
        }
    }

    private static void checkWritable(final String setting, final Path dir)
    {
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new StartupFailure(setting, dir.toAbsolutePath() + " cannot be created: " + ex, ex);
        }
        if (!Files.isWritable(dir))
        {
            throw new StartupFailure(setting, dir.toAbsolutePath() + " is not writable");
        }
    }

    private static Engine prepareEngine(final EngineContext engineContext)
    {
        try
        {
            return Engine.prepare(engineContext);
        }
        catch (final RuntimeException ex)
        {
            throw journalFailure(ex);
        }
    }

    private static StartupFailure journalFailure(final RuntimeException ex)
    {
        if (ex instanceof StartupFailure)
        {
            return (StartupFailure)ex;
        }
        return new StartupFailure("ordergw.journal.dir", "the journal cannot be opened or recovered: " +
            StartupFailure.oneLine(ex.getMessage() == null ? ex.toString() : ex.getMessage()), ex);
    }

    /** A feed that cannot start names the channel Aeron complained about (e.g. a UDP port taken since the check). */
    private EventFeed startFeed(final Supplier<EventFeed> start)
    {
        try
        {
            return start.get();
        }
        catch (final ConfigError ex)
        {
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            final String message = String.valueOf(ex.getMessage());
            final String setting = mentions(message, feedPorts.replayControlChannel) ?
                FeedPorts.REPLAY_CONTROL_CHANNEL :
                mentions(message, feedPorts.udpChannel) ? FeedPorts.UDP_CHANNEL : "ordergw.publisher";
            throw new StartupFailure(setting, "the feed cannot start: " + StartupFailure.oneLine(message), ex);
        }
    }

    private static boolean mentions(final String message, final String channel)
    {
        if (channel.isEmpty())
        {
            return false;
        }
        final ChannelUri uri = ChannelUri.parse(channel);
        final String control = uri.get(CommonContext.MDC_CONTROL_PARAM_NAME);
        final String endpoint = uri.get(CommonContext.ENDPOINT_PARAM_NAME);
        return message.contains(channel) || (control != null && message.contains(control)) ||
            (endpoint != null && message.contains(endpoint));
    }

    /**
     * Start everything.
     *
     * @param config     settings.
     * @param extraUsers users beyond the configured ones (the demo's), or null.
     * @return the running gateway.
     * @throws InterruptedException if interrupted while binding.
     */
    public static OrderGateway launch(final OrderGwConfig config, final UserDirectory extraUsers)
        throws InterruptedException
    {
        return new OrderGateway(config, extraUsers);
    }

    /**
     * Where the server listens.
     *
     * @return the address.
     */
    public InetSocketAddress address()
    {
        return server.localAddress();
    }

    /**
     * The WebSocket URL.
     *
     * @return e.g. ws://127.0.0.1:8086/WSGateway.
     */
    public String webSocketUrl()
    {
        return (server.isTls() ? "wss://" : "ws://") + hostPort() + "/WSGateway";
    }

    /**
     * The HTTP base URL.
     *
     * @return e.g. http://127.0.0.1:8086.
     */
    public String httpUrl()
    {
        return (server.isTls() ? "https://" : "http://") + hostPort();
    }

    private String hostPort()
    {
        final InetSocketAddress address = server.localAddress();
        final String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * The media driver directory the gateway's Aeron client uses (its embedded driver's, or the external one's).
     *
     * @return the directory.
     */
    public String aeronDirectoryName()
    {
        return driver != null ? driver.aeronDirectoryName() : EmbeddedDriver.directoryName(config.aeron);
    }

    /**
     * The external feed's channel as bound (a configured port 0 replaced by the port picked at start), or empty.
     *
     * @return the channel.
     */
    public String udpChannel()
    {
        return feedPorts.udpChannel;
    }

    /**
     * The replay requests' UDP channel as bound (a configured port 0 replaced by the port picked at start), or empty.
     *
     * @return the channel.
     */
    public String replayControlChannel()
    {
        return feedPorts.replayControlChannel;
    }

    /**
     * The engine.
     *
     * @return the engine.
     */
    public Engine engine()
    {
        return engine;
    }

    /**
     * The feed now (it is rebuilt on a new Aeron client after a media driver restart).
     *
     * @return the feed.
     */
    public EventFeed feed()
    {
        return feed.feed();
    }

    /**
     * What runs the agents ({@code ordergw.threading-mode}); in INVOKER the caller drives them with
     * {@link EngineScheduler#invoke()}.
     *
     * @return the scheduler.
     */
    public EngineScheduler scheduler()
    {
        return scheduler;
    }

    /**
     * The settings.
     *
     * @return the configuration.
     */
    public OrderGwConfig config()
    {
        return config;
    }

    /**
     * The counters (engine and gateway), as served on /metrics.
     *
     * @return the counters.
     */
    public CountersManager counters()
    {
        return countersManager;
    }

    /**
     * Sessions.
     *
     * @return the registry.
     */
    public SessionRegistry sessions()
    {
        return sessions;
    }

    @Override
    public void close()
    {
        closing = true;
        stopLoginExecutor();
        CloseHelper.close(server);
        // Commands already taken are decided and journaled before the engine stops (their replies have no one left
        // to go to, but what was journaled stays journaled).
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (engine.context().ingressRing().size() > 0 && System.nanoTime() < deadline)
        {
            if (ThreadingMode.INVOKER == scheduler.mode())
            {
                scheduler.invoke();
            }
            else
            {
                Thread.onSpinWait();
            }
        }
        // The engine, the housekeeping, the router, the feed, the snapshot follower, the read-ahead: in that order.
        CloseHelper.close(scheduler);
        closeCore();
        counters.close();
        // Every thread that writes a counter has stopped: the mapping can go (the file stays, with the last values).
        countersFile.close();
        // Last: another gateway may take the data directory only when nothing of this one touches it any more.
        CloseHelper.closeAll(dirLocks);
    }

    /** Stop the login threads and wait for them: a login in flight must not outlive the core. */
    private void stopLoginExecutor()
    {
        if (loginExecutor == null)
        {
            return;
        }
        loginExecutor.shutdownNow();
        try
        {
            if (!loginExecutor.awaitTermination(10, TimeUnit.SECONDS))
            {
                LOG.warn("a gateway background task did not stop within 10 s");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private Aeron connectAeron()
    {
        // Aeron's default error handler exits the process when the driver stops answering (a driver restart, a
        // long pause): the gateway must go on acknowledging and journaling, so the fault is logged instead and the
        // feed is rebuilt on a new client (SupervisedFeed).
        return Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(aeronDirectoryName())
            .errorHandler(ex -> LOG.error("aeron client fault", ex)));
    }

    private EventFeed.Context feedContext(final EngineContext engineContext, final Aeron client)
    {
        return new EventFeed.Context()
            .config(config).aeron(client).journal(engineContext.journal()).countersManager(countersManager)
            .udpChannel(feedPorts.udpChannel).replayControlChannel(feedPorts.replayControlChannel);
    }

    /** On the feed's thread, after a rebuild: the router's subscriber resumes from the last event it routed. */
    private void onFeedReconnected()
    {
        router.proxy().restartLiveEvents();
        counters.feedReconnects.incrementOrdered();
    }

    /** What /metrics and /ready read: the parts as they are now (the feed and the Aeron client can be replaced). */
    private HttpPages httpPages()
    {
        final Readiness readiness = new Readiness(
            () -> !closing && engine.isRunning(),
            () -> !closing && engine.isRunning() &&
                Readiness.hasFreeSpace(config.journal.dir, config.journal.minFreeSpace),
            () ->
            {
                final EventFeed current = feed.feed();
                final Aeron client = feed.aeron();
                return !closing && current != null && client != null && !client.isClosed() && current.isRunning() &&
                    scheduler.isRunning(feed);
            });
        return new HttpPages(new GatewayMetrics(countersManager, engine.agent().latency(), counters.roundTrip,
            config.journal.dir, config.journal.minFreeSpace, readiness), readiness, scheduler.scrapeExecutor());
    }

    /** The feed reads the journal's mapped files, so it closes before the engine closes the journal. */
    private void closeCore()
    {
        if (null != feed)
        {
            CloseHelper.close(feed.feed());
        }
        CloseHelper.closeAll(engine, feed == null ? null : feed.aeron(), driver);
    }
}
