package io.ordergw.engine.publish;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.ordergw.config.ConfigError;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.IdleStrategies;
import io.ordergw.engine.journal.EventJournal;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.CountersManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The feed: the {@link EventPublisher} and the {@link ReplayService}, composed into one agent that someone else runs
 * (the feed starts no thread): the gateway's {@code EngineScheduler} (its own thread, or the shared one), or the
 * engine's thread through {@code EngineContext.sharedAgent(feed.agent())} in tests.
 * <pre>{@code
 * EngineContext engineCtx = new EngineContext().config(config).conclude();
 * Engine engine = Engine.prepare(engineCtx);
 * EventFeed feed = EventFeed.open(new EventFeed.Context().config(config).aeron(aeron).journal(engineCtx.journal())
 *     .journalSeqNum(engine.agent().counters().journalSeqNum::get));
 * new EngineScheduler(config.threadingMode, engineCtx.countersManager())
 *     .engine(engine).feed(feed.agent(), feed.context().idleStrategy()).start();
 * ...
 * engine.close();     // the scheduler stops the feed's agent, then the journal closes
 * feed.close();
 * }</pre>
 * The feed reads the journal's memory-mapped files: it must stop before the engine closes the journal (a read of an
 * unmapped file kills the process), and must not be closed while a runner still runs its agent.
 */
public final class EventFeed implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);

    private final Context ctx;
    private final FeedCounters counters;
    private final EventPublisher publisher;
    private final ReplayService replayService;
    private final Agent agent;
    private volatile boolean closed;

    private EventFeed(final Context ctx)
    {
        this.ctx = ctx.conclude();
        this.counters = new FeedCounters(ctx.aeron(), ctx.countersManager(), ctx.ipcStreamId(),
            ctx.udpChannel().isEmpty() ? FeedCounters.NO_UDP : ctx.udpStreamId());
        EventPublisher publisher = null;
        try
        {
            publisher = new EventPublisher(ctx, counters);
            this.replayService = new ReplayService(ctx, counters);
        }
        catch (final RuntimeException ex)
        {
            if (null != publisher)
            {
                publisher.onClose();
            }
            counters.close();
            throw ex;
        }
        this.publisher = publisher;
        this.agent = new CompositeAgent(publisher, replayService);
        LOG.info("feed from SeqNum {}: {} stream {}, {} stream {}; replay requests on aeron:ipc{} stream {}",
            ctx.fromSeqNum(), ctx.ipcChannel(), ctx.ipcStreamId(),
            ctx.udpChannel().isEmpty() ? "no UDP feed" : ctx.udpChannel(), ctx.udpStreamId(),
            ctx.replayControlChannel().isEmpty() ? "" : " and " + ctx.replayControlChannel(),
            ctx.replayControlStreamId());
    }

    /**
     * Create the feed (it has no thread): hand {@link #agent()} to a runner (an {@code EngineScheduler}), or call its
     * {@code onStart()} and then {@code doWork()} yourself.
     *
     * @param ctx settings and collaborators.
     * @return the feed.
     */
    public static EventFeed open(final Context ctx)
    {
        return new EventFeed(ctx);
    }

    /**
     * The publisher and the replay service as one agent.
     *
     * @return the agent.
     */
    public Agent agent()
    {
        return agent;
    }

    /**
     * The publisher.
     *
     * @return the publisher.
     */
    public EventPublisher publisher()
    {
        return publisher;
    }

    /**
     * The replay service.
     *
     * @return the service.
     */
    public ReplayService replayService()
    {
        return replayService;
    }

    /**
     * The counters.
     *
     * @return counters.
     */
    public FeedCounters counters()
    {
        return counters;
    }

    /**
     * The concluded context.
     *
     * @return the context.
     */
    public Context context()
    {
        return ctx;
    }

    /**
     * Whether the feed can publish: not closed and its Aeron client open (whether its runner is alive is the
     * scheduler's to say). Safe from any thread.
     *
     * @return true while running.
     */
    public boolean isRunning()
    {
        return !closed && !ctx.aeron().isClosed();
    }

    /**
     * Stop: the agents (idempotent: a runner that already closed them is fine), then the counters. Close the runner
     * of {@link #agent()} before this, and close this before the journal is closed.
     */
    @Override
    public void close()
    {
        closed = true;
        try
        {
            agent.onClose();
        }
        finally
        {
            counters.close();
        }
    }

    /**
     * Settings and collaborators of the feed, with fluent setters; {@link #conclude()} fills defaults from the
     * configuration and validates once.
     */
    public static final class Context
    {
        /** A stream id not set: the configuration's is used ({@link Integer#MIN_VALUE} cannot be used as one). */
        public static final int UNSET = Integer.MIN_VALUE;
        /** Default time a replay waits for its consumer to connect. */
        public static final long REPLAY_CONNECT_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(5);
        /** Default time a replay waits for a consumer that has stopped being connected part way through. */
        public static final long REPLAY_DISCONNECT_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(5);

        private OrderGwConfig config;
        private Aeron aeron;
        private EventJournal journal;
        private LongSupplier journalSeqNum;
        private long fromSeqNum = -1;
        private String ipcChannel;
        private int ipcStreamId = UNSET;
        private String udpChannel;
        private int udpStreamId = UNSET;
        private String replayControlChannel;
        private int replayControlStreamId = UNSET;
        private int batchLimit;
        private int maxConcurrentReplays;
        private int termLength = -1;
        private long replayConnectTimeoutNs = REPLAY_CONNECT_TIMEOUT_DEFAULT_NS;
        private long replayDisconnectTimeoutNs = REPLAY_DISCONNECT_TIMEOUT_DEFAULT_NS;
        private IdleStrategy idleStrategy;
        private CountersManager countersManager;
        private ErrorHandler errorHandler;
        private NanoClock nanoClock;
        private boolean concluded;

        /**
         * Settings source for everything not set explicitly ({@code ordergw.publisher}, {@code ordergw.aeron}).
         *
         * @param config the configuration.
         * @return this.
         */
        public Context config(final OrderGwConfig config)
        {
            this.config = config;
            return this;
        }

        /**
         * The configuration.
         *
         * @return the configuration.
         */
        public OrderGwConfig config()
        {
            return config;
        }

        /**
         * The Aeron client (required; the feed does not close it).
         *
         * @param aeron the client.
         * @return this.
         */
        public Context aeron(final Aeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        /**
         * The Aeron client.
         *
         * @return the client.
         */
        public Aeron aeron()
        {
            return aeron;
        }

        /**
         * The journal to tail and replay (required; the engine owns and closes it).
         *
         * @param journal the journal.
         * @return this.
         */
        public Context journal(final EventJournal journal)
        {
            this.journal = journal;
            return this;
        }

        /**
         * The journal.
         *
         * @return the journal.
         */
        public EventJournal journal()
        {
            return journal;
        }

        /**
         * Where the journal's last SeqNum is read, for the lag counters and ReplayEnd. It must be safe to call from
         * the feed's thread: the engine's {@code journalSeqNum} counter ({@code counter::get}) when the feed has its
         * own thread. Defaults to {@code journal::lastSeqNum}, which is exact on the engine's thread (a shared
         * thread) and may be stale, never wrong by more than the events in flight, elsewhere.
         *
         * @param journalSeqNum the source.
         * @return this.
         */
        public Context journalSeqNum(final LongSupplier journalSeqNum)
        {
            this.journalSeqNum = journalSeqNum;
            return this;
        }

        /**
         * The journal's last SeqNum source.
         *
         * @return the source.
         */
        public LongSupplier journalSeqNum()
        {
            return journalSeqNum;
        }

        /**
         * The first SeqNum the live publications carry; by default the one after the journal's last event when the
         * context is concluded (earlier events are for replays).
         *
         * @param fromSeqNum the SeqNum, 1 or more.
         * @return this.
         */
        public Context fromSeqNum(final long fromSeqNum)
        {
            this.fromSeqNum = fromSeqNum;
            return this;
        }

        /**
         * The first SeqNum the live publications carry.
         *
         * @return the SeqNum.
         */
        public long fromSeqNum()
        {
            return fromSeqNum;
        }

        /**
         * The IPC feed's channel ({@code ordergw.publisher.ipc-channel}).
         *
         * @param channel an {@code aeron:ipc} channel.
         * @return this.
         */
        public Context ipcChannel(final String channel)
        {
            this.ipcChannel = channel;
            return this;
        }

        /**
         * The IPC feed's channel, with the term length added when the setting has none.
         *
         * @return the channel.
         */
        public String ipcChannel()
        {
            return ipcChannel;
        }

        /**
         * The IPC feed's stream id.
         *
         * @param streamId the stream id.
         * @return this.
         */
        public Context ipcStreamId(final int streamId)
        {
            this.ipcStreamId = streamId;
            return this;
        }

        /**
         * The IPC feed's stream id.
         *
         * @return the stream id.
         */
        public int ipcStreamId()
        {
            return ipcStreamId;
        }

        /**
         * The external feed's channel; empty for none ({@code ordergw.publisher.udp-channel}).
         *
         * @param channel an {@code aeron:udp} channel, or "".
         * @return this.
         */
        public Context udpChannel(final String channel)
        {
            this.udpChannel = channel;
            return this;
        }

        /**
         * The external feed's channel.
         *
         * @return the channel, "" for none.
         */
        public String udpChannel()
        {
            return udpChannel;
        }

        /**
         * The external feed's stream id.
         *
         * @param streamId the stream id.
         * @return this.
         */
        public Context udpStreamId(final int streamId)
        {
            this.udpStreamId = streamId;
            return this;
        }

        /**
         * The external feed's stream id.
         *
         * @return the stream id.
         */
        public int udpStreamId()
        {
            return udpStreamId;
        }

        /**
         * The UDP channel replay requests arrive on, besides IPC; empty for IPC only.
         *
         * @param channel an {@code aeron:udp} channel, or "".
         * @return this.
         */
        public Context replayControlChannel(final String channel)
        {
            this.replayControlChannel = channel;
            return this;
        }

        /**
         * The UDP replay control channel.
         *
         * @return the channel, "" for none.
         */
        public String replayControlChannel()
        {
            return replayControlChannel;
        }

        /**
         * The stream id of replay requests, on IPC and on the UDP control channel.
         *
         * @param streamId the stream id.
         * @return this.
         */
        public Context replayControlStreamId(final int streamId)
        {
            this.replayControlStreamId = streamId;
            return this;
        }

        /**
         * The stream id of replay requests.
         *
         * @return the stream id.
         */
        public int replayControlStreamId()
        {
            return replayControlStreamId;
        }

        /**
         * Most events per duty cycle per publication and per replay.
         *
         * @param batchLimit the limit.
         * @return this.
         */
        public Context batchLimit(final int batchLimit)
        {
            this.batchLimit = batchLimit;
            return this;
        }

        /**
         * Most events per duty cycle per publication and per replay.
         *
         * @return the limit.
         */
        public int batchLimit()
        {
            return batchLimit;
        }

        /**
         * Replays served at once.
         *
         * @param maxConcurrentReplays the bound.
         * @return this.
         */
        public Context maxConcurrentReplays(final int maxConcurrentReplays)
        {
            this.maxConcurrentReplays = maxConcurrentReplays;
            return this;
        }

        /**
         * Replays served at once.
         *
         * @return the bound.
         */
        public int maxConcurrentReplays()
        {
            return maxConcurrentReplays;
        }

        /**
         * Term length given to every publication whose channel does not name one ({@code ordergw.aeron.term-length});
         * 0 leaves it to the driver.
         *
         * @param termLength a power of two, or 0.
         * @return this.
         */
        public Context termLength(final int termLength)
        {
            this.termLength = termLength;
            return this;
        }

        /**
         * Term length of publications.
         *
         * @return bytes, 0 for the driver's.
         */
        public int termLength()
        {
            return termLength;
        }

        /**
         * How long a replay waits for its consumer to connect before it is dropped.
         *
         * @param timeoutNs nanoseconds.
         * @return this.
         */
        public Context replayConnectTimeoutNs(final long timeoutNs)
        {
            this.replayConnectTimeoutNs = timeoutNs;
            return this;
        }

        /**
         * How long a replay waits for its consumer to connect.
         *
         * @return nanoseconds.
         */
        public long replayConnectTimeoutNs()
        {
            return replayConnectTimeoutNs;
        }

        /**
         * How long a replay whose publication stops being connected part way through (Aeron's NOT_CONNECTED: for UDP,
         * no status message from the consumer for the driver's publication-connection-timeout; for IPC, its
         * subscription closed) waits for it to be connected again before it is dropped. Back pressure, however long,
         * never drops a replay: a consumer that reads slowly is served at its pace.
         *
         * @param timeoutNs nanoseconds.
         * @return this.
         */
        public Context replayDisconnectTimeoutNs(final long timeoutNs)
        {
            this.replayDisconnectTimeoutNs = timeoutNs;
            return this;
        }

        /**
         * How long a replay waits for a consumer that has stopped being connected part way through.
         *
         * @return nanoseconds.
         */
        public long replayDisconnectTimeoutNs()
        {
            return replayDisconnectTimeoutNs;
        }

        /**
         * The feed thread's idle strategy ({@link #launch} only).
         *
         * @param idleStrategy the strategy.
         * @return this.
         */
        public Context idleStrategy(final IdleStrategy idleStrategy)
        {
            this.idleStrategy = idleStrategy;
            return this;
        }

        /**
         * The idle strategy.
         *
         * @return the strategy.
         */
        public IdleStrategy idleStrategy()
        {
            return idleStrategy;
        }

        /**
         * Where counters live; by default they are the Aeron client's counters.
         *
         * @param countersManager the manager, or null.
         * @return this.
         */
        public Context countersManager(final CountersManager countersManager)
        {
            this.countersManager = countersManager;
            return this;
        }

        /**
         * The counters manager.
         *
         * @return the manager, null for the Aeron client's.
         */
        public CountersManager countersManager()
        {
            return countersManager;
        }

        /**
         * Receives faults (and the runner's exceptions); by default they are logged.
         *
         * @param errorHandler the handler.
         * @return this.
         */
        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /**
         * The error handler.
         *
         * @return the handler.
         */
        public ErrorHandler errorHandler()
        {
            return errorHandler;
        }

        /**
         * The clock of time-outs.
         *
         * @param nanoClock the clock.
         * @return this.
         */
        public Context nanoClock(final NanoClock nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }

        /**
         * The clock.
         *
         * @return the clock.
         */
        public NanoClock nanoClock()
        {
            return nanoClock;
        }

        /**
         * Fill defaults from the configuration and validate. Idempotent.
         *
         * @return this.
         * @throws ConfigError naming the setting when a value cannot be used.
         */
        public Context conclude()
        {
            if (concluded)
            {
                return this;
            }
            if (null == aeron)
            {
                throw new IllegalStateException("EventFeed.Context: aeron is required");
            }
            if (null == journal)
            {
                throw new IllegalStateException("EventFeed.Context: journal is required");
            }
            if (null == config)
            {
                config = OrderGwConfig.defaults();
            }
            final OrderGwConfig.Publisher settings = config.publisher;
            if (termLength < 0)
            {
                termLength = config.aeron.termLength;
            }
            ipcChannel = null == ipcChannel ? settings.ipcChannel : ipcChannel;
            ipcStreamId = UNSET == ipcStreamId ? settings.ipcStreamId : ipcStreamId;
            udpChannel = null == udpChannel ? settings.udpChannel : udpChannel;
            udpStreamId = UNSET == udpStreamId ? settings.udpStreamId : udpStreamId;
            replayControlChannel = null == replayControlChannel ? settings.replayControlChannel : replayControlChannel;
            replayControlStreamId =
                UNSET == replayControlStreamId ? settings.replayControlStreamId : replayControlStreamId;
            if (replayControlStreamId == ipcStreamId)
            {
                throw new ConfigError("ordergw.publisher.replay-control-stream-id",
                    "must differ from the IPC feed's stream id (" + ipcStreamId + "): both are on IPC");
            }
            ipcChannel = withTermLength("ordergw.publisher.ipc-channel", ipcChannel, termLength);
            if (!ChannelUri.parse(ipcChannel).isIpc())
            {
                throw new ConfigError(
                    "ordergw.publisher.ipc-channel", "must be an aeron:ipc channel (got " + ipcChannel + ")");
            }
            if (!udpChannel.isEmpty())
            {
                udpChannel = withTermLength("ordergw.publisher.udp-channel", udpChannel, termLength);
            }
            if (!replayControlChannel.isEmpty())
            {
                parse("ordergw.publisher.replay-control-channel", replayControlChannel);
            }
            if (batchLimit <= 0)
            {
                batchLimit = settings.batchLimit;
            }
            if (maxConcurrentReplays <= 0)
            {
                maxConcurrentReplays = settings.maxConcurrentReplays;
            }
            if (null == idleStrategy)
            {
                idleStrategy = IdleStrategies.of(settings.idleStrategy);
            }
            if (null == errorHandler)
            {
                errorHandler = ex -> LOG.error("feed fault", ex);
            }
            if (null == nanoClock)
            {
                nanoClock = SystemNanoClock.INSTANCE;
            }
            if (null == journalSeqNum)
            {
                journalSeqNum = journal::lastSeqNum;
            }
            final long journalEnd = journalSeqNum.getAsLong();
            if (fromSeqNum < 0)
            {
                fromSeqNum = journalEnd + 1;
            }
            else if (fromSeqNum < 1 || fromSeqNum > journalEnd + 1)
            {
                throw new IllegalStateException("EventFeed.Context: fromSeqNum " + fromSeqNum +
                    " is not between 1 and the journal's end + 1 (" + (journalEnd + 1) + ")");
            }
            concluded = true;
            return this;
        }

        private static ChannelUri parse(final String setting, final String channel)
        {
            try
            {
                return ChannelUri.parse(channel);
            }
            catch (final RuntimeException ex)
            {
                throw new ConfigError(setting, "is not an Aeron channel: " + ex.getMessage());
            }
        }

        private static String withTermLength(final String setting, final String channel, final int termLength)
        {
            final ChannelUri uri = parse(setting, channel);
            if (termLength > 0 && !uri.containsKey(CommonContext.TERM_LENGTH_PARAM_NAME))
            {
                uri.put(CommonContext.TERM_LENGTH_PARAM_NAME, Integer.toString(termLength));
            }
            return uri.toString();
        }
    }
}
