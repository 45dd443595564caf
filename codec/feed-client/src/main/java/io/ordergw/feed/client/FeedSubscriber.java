package io.ordergw.feed.client;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.Header;
import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.codec.sbe.ReplayEndDecoder;
import io.ordergw.codec.sbe.ReplayStatus;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.CountersManager;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The Java subscriber API of the event feed: connects to the live feed (IPC in-process, UDP for the exchange's own
 * services), hands every event to a {@link FeedListener} exactly once and in SeqNum order, and fills any gap by
 * itself from the journal through the feed's replay service.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
 *      FeedSubscriber subscriber = new FeedSubscriber(
 *          FeedSubscriber.Context.udp(                        // the channels the gateway printed at start
 *              "aeron:udp?control=10.0.0.5:40456|control-mode=dynamic|fc=max", 1002,
 *              "aeron:udp?endpoint=10.0.0.5:40457", 1003, 1004,
 *              "10.0.0.7")                                    // this host's address; or Context.ipc(1001, 1003, 1004)
 *              .aeron(aeron)
 *              .fromSeqNum(lastProcessedSeqNum + 1)           // or FROM_LIVE: the next live event onwards
 *              .accountId(7)                                  // or ALL_ACCOUNTS
 *              .listener((seqNum, event, buffer, offset, length) -> process(event))))
 * {
 *     final IdleStrategy idle = new BackoffIdleStrategy();
 *     while (running)
 *     {
 *         idle.idle(subscriber.doWork());                     // or run it with an AgentRunner: it is an Agent
 *     }
 * }
 * }</pre>
 * Every call happens on the thread that calls {@link #doWork()}; the listener is called from there. Delivery allocates
 * nothing: the listener gets a reused flyweight over the received bytes. The statistics are Agrona counters
 * ({@link #counters()}, type ids 1100-1199), readable from any thread or process at the cost of a volatile read.
 *
 * <h2>Gap-free delivery and the replay hand-over</h2>
 * The subscriber keeps {@link #lastSeqNum()}, the SeqNum of the last event it passed on (or passed over, for another
 * account: filtering is local, so gaps are seen on every event). A live event with SeqNum
 * <ul>
 *   <li>{@code lastSeqNum + 1} is delivered;</li>
 *   <li>{@code <= lastSeqNum} is a duplicate and dropped;</li>
 *   <li>{@code > lastSeqNum + 1} means events are missing: the subscriber leaves the live event where it is
 *   (Aeron's controlled poll ABORT: nothing is buffered here) and asks the replay service for
 *   {@code lastSeqNum + 1} onwards.</li>
 * </ul>
 * It also asks for a replay when it starts from a SeqNum and whenever a live image comes or goes (a reconnect, a
 * restart of the core, being cut off as a slow consumer), since events may have been missed without a later one to
 * show it yet. During a replay it delivers the replayed events and keeps polling live under the same rule, so it
 * delivers whichever stream has {@code lastSeqNum + 1} and drops the other's copy. The ReplayEnd says the last
 * SeqNum replayed (the journal's end when the replay caught up); live takes over from there. If live is still ahead,
 * the next live poll finds the gap and asks again. The only buffering is Aeron's own term buffers.
 * <p>
 * A replay that goes quiet for {@code replayTimeoutNs} is asked for again (new correlation and session ids); a
 * ReplayEnd of NotAvailable that names a later oldest SeqNum (old cycles archived) goes to the listener
 * ({@link FeedListener#onReplayUnavailable}), which accepts the gap or stops the subscriber; any other that says the
 * events are gone (NotAvailable, BeyondEnd) is passed to the error handler and retried after
 * {@code replayRetryDelayNs}.
 *
 * <h2>Isolation</h2>
 * The live subscription is untethered ({@code tether=false}, unless the channel says otherwise): a subscriber that
 * stops polling is cut off by the driver instead of holding the feed back for the others, and when it polls again it
 * rejoins and replays what it missed. See docs/feed.md.
 */
public final class FeedSubscriber implements Agent, AutoCloseable
{
    /** Start with the next live event; no replay until a gap. */
    public static final long FROM_LIVE = 0;
    /** No account filter. */
    public static final int ALL_ACCOUNTS = 0;
    /** {@link #lastSeqNum()} before the first event of a subscriber started {@link #FROM_LIVE}. */
    public static final long NO_SEQ_NUM = -1;

    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;

    /** Where the subscriber is in its cycle. */
    public enum State
    {
        /** Delivering live events. */
        LIVE,
        /** A replay is wanted; the request is not sent yet (or waits for the retry delay). */
        REPLAY_PENDING,
        /** A replay is under way. */
        REPLAYING,
        /**
         * The events it needs next are no longer in the journal (its oldest cycles were archived) and the listener
         * did not accept the gap: it delivers nothing more and asks for nothing more; close it.
         */
        UNAVAILABLE,
        /** Closed. */
        CLOSED
    }

    private final Context ctx;
    private final Aeron aeron;
    private final FeedListener listener;
    private final ErrorHandler errorHandler;
    private final NanoClock nanoClock;
    private final int accountId;
    private final int fragmentLimit;
    private final long replayTimeoutNs;
    private final long replayRetryDelayNs;
    private final int replayStreamId;
    private final AtomicLong imageChanges = new AtomicLong();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final OrderStateEventDecoder eventDecoder = new OrderStateEventDecoder();
    private final ReplayEndDecoder endDecoder = new ReplayEndDecoder();
    private final ControlledFragmentAssembler liveAssembler = new ControlledFragmentAssembler(this::onLiveFragment);
    private final FragmentAssembler replayAssembler = new FragmentAssembler(this::onReplayFragment);
    private final Subscription live;
    private final Subscription replay;
    private final ExclusivePublication control;
    private final ReplayRequestProxy replayRequestProxy;
    private final String replayResponseChannel;

    private State state;
    private long lastSeqNum;
    private long seenImageChanges;
    private long nowNs;
    private long replayCorrelationId;
    private int replaySessionId;
    private long replayDeadlineNs;
    private long nextReplayRequestNs;
    private boolean replayDelayed;
    private boolean catchUpAfterReplay;

    private final SubscriberCounters counters;

    /**
     * Subscribe: adds the live and replay subscriptions and the control publication (waiting for the driver), and
     * resolves the replay channel's port when it is 0. Nothing is delivered before the first {@link #doWork()}.
     *
     * @param ctx settings; concluded here.
     */
    public FeedSubscriber(final Context ctx)
    {
        this.ctx = ctx.conclude();
        this.aeron = ctx.aeron;
        this.listener = ctx.listener;
        this.errorHandler = ctx.errorHandler;
        this.nanoClock = ctx.nanoClock;
        this.accountId = ctx.accountId;
        this.fragmentLimit = ctx.fragmentLimit;
        this.replayTimeoutNs = ctx.replayTimeoutNs;
        this.replayRetryDelayNs = ctx.replayRetryDelayNs;
        this.replayStreamId = ctx.replayStreamId;

        Subscription live = null;
        Subscription replay = null;
        ExclusivePublication control = null;
        SubscriberCounters counters = null;
        try
        {
            live = aeron.addSubscription(ctx.liveChannel, ctx.liveStreamId, this::onImageChange, this::onImageChange);
            counters = new SubscriberCounters(
                aeron, ctx.countersManager, live.registrationId(), ctx.liveChannel, ctx.liveStreamId);
            replay = aeron.addSubscription(ctx.replayChannel, ctx.replayStreamId);
            control = aeron.addExclusivePublication(ctx.replayControlChannel, ctx.replayControlStreamId);
            replayResponseChannel = resolve(replay, ctx.replayChannel, ctx.nanoClock, ctx.replayTimeoutNs);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(live, replay, control, counters);
            throw ex;
        }
        this.live = live;
        this.replay = replay;
        this.control = control;
        this.counters = counters;
        this.replayRequestProxy = new ReplayRequestProxy(control);
        this.seenImageChanges = imageChanges.get();

        if (FROM_LIVE == ctx.fromSeqNum)
        {
            lastSeqNum = NO_SEQ_NUM;
            state = State.LIVE;
        }
        else
        {
            lastSeqNum = ctx.fromSeqNum - 1;
            startReplay();
        }
        counters.lastSeqNum.setRelease(lastSeqNum);
    }

    /**
     * The SeqNum of an encoded {@code OrderStateEvent}, read in place (no decoder wrapped).
     *
     * @param buffer holding the event.
     * @param offset of its message header.
     * @return the SeqNum.
     */
    public static long seqNumOf(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + HEADER_LENGTH + OrderStateEventDecoder.seqNumEncodingOffset(),
            OrderStateEventDecoder.BYTE_ORDER);
    }

    private static String resolve(
        final Subscription subscription, final String channel, final NanoClock clock, final long timeoutNs)
    {
        final ChannelUri uri = ChannelUri.parse(channel);
        if (uri.isIpc())
        {
            return channel;
        }
        // With endpoint port 0 the driver picks a free port: the replay service must be told the real one.
        final long deadlineNs = clock.nanoTime() + timeoutNs;
        String resolved;
        while (null == (resolved = subscription.tryResolveChannelEndpointPort()))
        {
            if (clock.nanoTime() - deadlineNs >= 0)
            {
                throw new IllegalStateException("the replay channel's endpoint was not resolved: " + channel);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return resolved;
    }

    @Override
    public String roleName()
    {
        return "ordergw-feed-subscriber";
    }

    /**
     * One duty cycle: notice reconnects, send or time out a replay request, poll the replay, poll live.
     *
     * @return work done (0 lets an idle strategy back off).
     */
    @Override
    public int doWork()
    {
        if (State.CLOSED == state)
        {
            return 0;
        }
        nowNs = nanoClock.nanoTime();
        int work = 0;

        final long changes = imageChanges.get();
        if (changes != seenImageChanges)
        {
            seenImageChanges = changes;
            work++;
            if (NO_SEQ_NUM != lastSeqNum)
            {
                // A live image came or went: events may have been missed with no later one to show it yet.
                counters.reconnects.incrementRelease();
                if (State.LIVE == state)
                {
                    startReplay();
                }
                else
                {
                    // The replay under way may have ended before the events lost with the image: one more after it.
                    catchUpAfterReplay = true;
                }
            }
        }

        if (State.REPLAY_PENDING == state)
        {
            work += sendReplayRequest();
        }

        // Polled in every state: a stale replay's leftovers are drained (and dropped) so that it can finish.
        work += replay.poll(replayAssembler, fragmentLimit);
        if (State.REPLAYING == state && nowNs - replayDeadlineNs >= 0)
        {
            counters.replayTimeouts.incrementRelease();
            startReplay();
        }

        work += live.controlledPoll(liveAssembler, fragmentLimit);
        return work;
    }

    private void startReplay()
    {
        state = State.REPLAY_PENDING;
        replayCorrelationId = 0;
        catchUpAfterReplay = false;
    }

    private int sendReplayRequest()
    {
        if (replayDelayed)
        {
            if (nowNs - nextReplayRequestNs < 0)
            {
                return 0;
            }
            replayDelayed = false;
        }
        if (0 == replayCorrelationId)
        {
            replayCorrelationId = aeron.nextCorrelationId();
            replaySessionId = ThreadLocalRandom.current().nextInt();
        }
        final long result = replayRequestProxy.replay(
            replayCorrelationId, lastSeqNum + 1, 0, replayResponseChannel, replayStreamId, replaySessionId);
        if (result > 0)
        {
            counters.replaysRequested.incrementRelease();
            state = State.REPLAYING;
            replayDeadlineNs = nowNs + replayTimeoutNs;
            return 1;
        }
        // Not connected yet (the service is starting) or back pressured: try again on the next duty cycle.
        return 0;
    }

    private void onImageChange(final Image image)
    {
        // Called on the Aeron client's conductor thread: only a signal crosses to the subscriber's thread.
        imageChanges.incrementAndGet();
    }

    private Action onLiveFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (!isEvent(buffer, offset, length))
        {
            return Action.CONTINUE;
        }
        final long seqNum = seqNumOf(buffer, offset);
        final long lastSeqNum = this.lastSeqNum;
        if (seqNum == lastSeqNum + 1 || NO_SEQ_NUM == lastSeqNum)
        {
            deliver(seqNum, buffer, offset, length);
            return Action.CONTINUE;
        }
        if (seqNum <= lastSeqNum)
        {
            counters.duplicatesDropped.incrementRelease();
            return Action.CONTINUE;
        }
        if (State.LIVE == state)
        {
            counters.gapsDetected.incrementRelease();
            startReplay();
        }
        // Leave it in the log: it is delivered when the replay has filled the gap up to it.
        return Action.ABORT;
    }

    private void onReplayFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (State.REPLAYING != state || header.sessionId() != replaySessionId || length < HEADER_LENGTH)
        {
            return;
        }
        replayDeadlineNs = nowNs + replayTimeoutNs;
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != OrderStateEventDecoder.SCHEMA_ID)
        {
            return;
        }
        switch (headerDecoder.templateId())
        {
            case OrderStateEventDecoder.TEMPLATE_ID:
            {
                final long seqNum = seqNumOf(buffer, offset);
                if (seqNum == lastSeqNum + 1)
                {
                    counters.eventsReplayed.incrementRelease();
                    deliver(seqNum, buffer, offset, length);
                }
                else if (seqNum <= lastSeqNum)
                {
                    counters.duplicatesDropped.incrementRelease();
                }
                else
                {
                    // A replay is exact, so this is not the replay asked for: ask again from where we are.
                    counters.gapsDetected.incrementRelease();
                    startReplay();
                }
                break;
            }
            case ReplayEndDecoder.TEMPLATE_ID:
                endDecoder.wrap(buffer, offset + HEADER_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
                if (endDecoder.correlationId() == replayCorrelationId)
                {
                    onReplayEnd(endDecoder.status(), endDecoder.lastSeqNum(), endDecoder.journalSeqNum(),
                        endDecoder.oldestSeqNum());
                }
                break;
            default:
                break;
        }
    }

    private void onReplayEnd(
        final ReplayStatus status, final long replayLastSeqNum, final long journalSeqNum, final long oldestSeqNum)
    {
        state = State.LIVE;
        final long wanted = lastSeqNum + 1;
        if (ReplayStatus.NotAvailable == status && oldestSeqNum > wanted)
        {
            // An explicit "not from here, the oldest is M": asking again cannot help, so the listener decides.
            counters.replaysUnavailable.incrementRelease();
            counters.oldestAvailableSeqNum.setRelease(oldestSeqNum);
            if (acceptsGap(wanted, oldestSeqNum))
            {
                lastSeqNum = oldestSeqNum - 1;
                counters.lastSeqNum.setRelease(lastSeqNum);
                startReplay();
            }
            else
            {
                state = State.UNAVAILABLE;
            }
            return;
        }
        if (ReplayStatus.Complete == status)
        {
            counters.replaysCompleted.incrementRelease();
            if (catchUpAfterReplay)
            {
                catchUpAfterReplay = false;
                startReplay();
            }
            return;
        }
        // Not on the hot path: the journal cannot give what was asked for, which needs an operator.
        replayDelayed = true;
        nextReplayRequestNs = nowNs + replayRetryDelayNs;
        errorHandler.onError(new IllegalStateException("feed replay from SeqNum " + (lastSeqNum + 1) + " failed: " +
            status + " (replayed to " + replayLastSeqNum + ", journal at " + journalSeqNum + ")"));
    }

    private boolean acceptsGap(final long wanted, final long oldestSeqNum)
    {
        try
        {
            return listener.onReplayUnavailable(wanted, oldestSeqNum);
        }
        catch (final Exception ex)
        {
            counters.listenerErrors.incrementRelease();
            errorHandler.onError(ex);
            return false;
        }
    }

    /**
     * Replays answered "not available from N, the oldest is M" (the journal's old cycles were archived).
     *
     * @return the count.
     */
    public long replaysUnavailable()
    {
        return counters.replaysUnavailable.get();
    }

    /**
     * The oldest SeqNum the journal held when a replay was last answered not available.
     *
     * @return the SeqNum, 0 if no replay was.
     */
    public long oldestAvailableSeqNum()
    {
        return counters.oldestAvailableSeqNum.get();
    }

    private boolean isEvent(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return false;
        }
        headerDecoder.wrap(buffer, offset);
        return headerDecoder.templateId() == OrderStateEventDecoder.TEMPLATE_ID &&
            headerDecoder.schemaId() == OrderStateEventDecoder.SCHEMA_ID;
    }

    private void deliver(final long seqNum, final DirectBuffer buffer, final int offset, final int length)
    {
        lastSeqNum = seqNum;
        counters.lastSeqNum.setRelease(seqNum);
        eventDecoder.wrap(buffer, offset + HEADER_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        if (ALL_ACCOUNTS != accountId && eventDecoder.accountId() != accountId)
        {
            counters.eventsFiltered.incrementRelease();
            return;
        }
        counters.eventsDelivered.incrementRelease();
        try
        {
            listener.onEvent(seqNum, eventDecoder, buffer, offset, length);
        }
        catch (final Exception ex)
        {
            // The event counts as delivered: offering it again would stop the feed on one bad event.
            counters.listenerErrors.incrementRelease();
            errorHandler.onError(ex);
        }
    }

    /**
     * The SeqNum of the last event delivered or passed over by the account filter: resume with
     * {@code fromSeqNum(lastSeqNum() + 1)}.
     *
     * @return the SeqNum; {@code fromSeqNum - 1} before the first, {@link #NO_SEQ_NUM} if started from live.
     */
    public long lastSeqNum()
    {
        return lastSeqNum;
    }

    /**
     * Where the subscriber is.
     *
     * @return the state.
     */
    public State state()
    {
        return state;
    }

    /**
     * Whether it is delivering live events (no replay wanted or under way).
     *
     * @return true when live.
     */
    public boolean isLive()
    {
        return State.LIVE == state;
    }

    /**
     * Whether the live subscription has an image (a publisher is connected).
     *
     * @return true when connected.
     */
    public boolean isConnected()
    {
        return live.isConnected();
    }

    /**
     * Events handed to the listener.
     *
     * @return the count.
     */
    public long eventsDelivered()
    {
        return counters.eventsDelivered.get();
    }

    /**
     * Events of other accounts passed over.
     *
     * @return the count.
     */
    public long eventsFiltered()
    {
        return counters.eventsFiltered.get();
    }

    /**
     * Events taken from replays rather than live (delivered, or passed over by the account filter).
     *
     * @return the count.
     */
    public long eventsReplayed()
    {
        return counters.eventsReplayed.get();
    }

    /**
     * Events received again (from live or replay) and dropped.
     *
     * @return the count.
     */
    public long duplicatesDropped()
    {
        return counters.duplicatesDropped.get();
    }

    /**
     * Gaps found in the SeqNums.
     *
     * @return the count.
     */
    public long gapsDetected()
    {
        return counters.gapsDetected.get();
    }

    /**
     * Live images that came or went after the first event (each one leads to a replay).
     *
     * @return the count.
     */
    public long reconnects()
    {
        return counters.reconnects.get();
    }

    /**
     * Replay requests sent.
     *
     * @return the count.
     */
    public long replaysRequested()
    {
        return counters.replaysRequested.get();
    }

    /**
     * Replays that ended with a complete ReplayEnd.
     *
     * @return the count.
     */
    public long replaysCompleted()
    {
        return counters.replaysCompleted.get();
    }

    /**
     * Replays that went quiet and were asked for again.
     *
     * @return the count.
     */
    public long replayTimeouts()
    {
        return counters.replayTimeouts.get();
    }

    /**
     * Exceptions thrown by the listener.
     *
     * @return the count.
     */
    public long listenerErrors()
    {
        return counters.listenerErrors.get();
    }

    /**
     * The statistics above as counters (type ids 1100-1199, keyed by subscriber id), for a reader on another thread
     * or an exporter. They are freed when the subscriber closes.
     *
     * @return the counters.
     */
    public SubscriberCounters counters()
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
     * The channel replays are sent to, with the port resolved.
     *
     * @return the channel.
     */
    public String replayResponseChannel()
    {
        return replayResponseChannel;
    }

    @Override
    public void onClose()
    {
        if (State.CLOSED == state)
        {
            return;
        }
        state = State.CLOSED;
        CloseHelper.quietCloseAll(live, replay, control, counters);
    }

    /**
     * Close the subscriptions and the control publication (not the Aeron client). Idempotent.
     */
    @Override
    public void close()
    {
        onClose();
    }

    /**
     * Settings of a {@link FeedSubscriber}, with fluent setters; {@link #conclude()} fills defaults and validates.
     * Start from {@link #ipc(int, int, int)} or {@link #udp(String, int, String, int, int, String)}, which fill the
     * channels.
     */
    public static final class Context
    {
        /** Default time a replay may stay quiet before it is asked for again. */
        public static final long REPLAY_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(5);
        /** Default wait before asking again after a replay the journal could not serve. */
        public static final long REPLAY_RETRY_DELAY_DEFAULT_NS = TimeUnit.SECONDS.toNanos(1);
        /** Default most fragments per poll of each subscription. */
        public static final int FRAGMENT_LIMIT_DEFAULT = 256;

        private Aeron aeron;
        private FeedListener listener;
        private String liveChannel;
        private int liveStreamId;
        private String replayControlChannel;
        private int replayControlStreamId;
        private String replayChannel;
        private int replayStreamId;
        private long fromSeqNum = FROM_LIVE;
        private int accountId = ALL_ACCOUNTS;
        private int fragmentLimit = FRAGMENT_LIMIT_DEFAULT;
        private long replayTimeoutNs = REPLAY_TIMEOUT_DEFAULT_NS;
        private long replayRetryDelayNs = REPLAY_RETRY_DELAY_DEFAULT_NS;
        private ErrorHandler errorHandler;
        private NanoClock nanoClock;
        private CountersManager countersManager;
        private boolean concluded;

        /**
         * The in-process feed: live on {@code aeron:ipc} (untethered), replays asked for and received over IPC; the
         * streams are the gateway's {@code ordergw.publisher.ipc-stream-id}, {@code replay-control-stream-id} and
         * {@code replay-stream-id}.
         *
         * @param liveStreamId          the live IPC stream.
         * @param replayControlStreamId the replay service's control stream.
         * @param replayStreamId        the stream replays are received on.
         * @return a context to complete with {@link #aeron} and {@link #listener}.
         */
        public static Context ipc(final int liveStreamId, final int replayControlStreamId, final int replayStreamId)
        {
            return new Context()
                .liveChannel(CommonContext.IPC_CHANNEL)
                .liveStreamId(liveStreamId)
                .replayControlChannel(CommonContext.IPC_CHANNEL)
                .replayControlStreamId(replayControlStreamId)
                .replayChannel(CommonContext.IPC_CHANNEL)
                .replayStreamId(replayStreamId);
        }

        /**
         * The external feed over UDP, from the channels the gateway prints at start ({@code "feed: ...; UDP <channel>
         * stream <id>; replay requests <channel> stream <id>"}): live from {@code udpChannel} (joining a
         * multi-destination channel as a dynamic destination at {@code localHost} on a free port), replays asked
         * for on {@code replayControlChannel} and received at {@code localHost} on a free port.
         *
         * @param udpChannel            the gateway's UDP feed publication channel.
         * @param udpStreamId           its stream.
         * @param replayControlChannel  the replay service's control channel.
         * @param replayControlStreamId its stream.
         * @param replayStreamId        the stream replays are received on.
         * @param localHost             this host's address as the publisher reaches it, e.g. 127.0.0.1 on one
         *                              machine.
         * @return a context to complete with {@link #aeron} and {@link #listener}.
         * @throws IllegalStateException if either channel is empty or names port 0 (picked by the gateway at start).
         */
        public static Context udp(
            final String udpChannel,
            final int udpStreamId,
            final String replayControlChannel,
            final int replayControlStreamId,
            final int replayStreamId,
            final String localHost)
        {
            if (udpChannel.isEmpty() || replayControlChannel.isEmpty())
            {
                throw new IllegalStateException(
                    "the UDP feed channel and the replay control channel must be set for a UDP subscriber");
            }
            final String control = ChannelUri.parse(udpChannel).get(CommonContext.MDC_CONTROL_PARAM_NAME);
            final String replayEndpoint =
                ChannelUri.parse(replayControlChannel).get(CommonContext.ENDPOINT_PARAM_NAME);
            if (endsWithPortZero(control) || endsWithPortZero(replayEndpoint))
            {
                // The gateway picks port 0 at start: its consumers need the address it printed, not the setting.
                throw new IllegalStateException("the UDP feed channel or the replay control channel names " +
                    "port 0: give a UDP subscriber the channels the gateway printed at start (\"feed: ...\"), or " +
                    "fixed ports");
            }
            return new Context()
                .liveChannel(udpLiveChannel(udpChannel, localHost))
                .liveStreamId(udpStreamId)
                .replayControlChannel(replayControlChannel)
                .replayControlStreamId(replayControlStreamId)
                .replayChannel("aeron:udp?endpoint=" + localHost + ":0")
                .replayStreamId(replayStreamId);
        }

        private static boolean endsWithPortZero(final String address)
        {
            return address != null && address.endsWith(":0");
        }

        /**
         * The subscription channel for a UDP publication channel: a dynamic multi-destination publication
         * ({@code control=...|control-mode=dynamic}) is joined from {@code localHost} on a free port; any other
         * (unicast, multicast) is subscribed to at its own endpoint.
         *
         * @param publicationChannel the publisher's channel.
         * @param localHost          this host's address.
         * @return the channel to subscribe to.
         */
        public static String udpLiveChannel(final String publicationChannel, final String localHost)
        {
            final ChannelUri publication = ChannelUri.parse(publicationChannel);
            final ChannelUri subscription = ChannelUri.parse("aeron:udp");
            final String control = publication.get(CommonContext.MDC_CONTROL_PARAM_NAME);
            if (null != control)
            {
                subscription.put(CommonContext.ENDPOINT_PARAM_NAME, localHost + ":0");
                subscription.put(CommonContext.MDC_CONTROL_PARAM_NAME, control);
                subscription.put(CommonContext.MDC_CONTROL_MODE_PARAM_NAME, CommonContext.MDC_CONTROL_MODE_DYNAMIC);
            }
            else
            {
                subscription.put(CommonContext.ENDPOINT_PARAM_NAME, publication.get(CommonContext.ENDPOINT_PARAM_NAME));
                final String networkInterface = publication.get(CommonContext.INTERFACE_PARAM_NAME);
                if (null != networkInterface)
                {
                    subscription.put(CommonContext.INTERFACE_PARAM_NAME, networkInterface);
                }
            }
            return subscription.toString();
        }

        /**
         * The Aeron client (required; the subscriber does not close it).
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
         * Receives the events (required).
         *
         * @param listener the listener.
         * @return this.
         */
        public Context listener(final FeedListener listener)
        {
            this.listener = listener;
            return this;
        }

        /**
         * The live feed's channel; {@code tether=false} is added unless the channel sets {@code tether}.
         *
         * @param channel the channel.
         * @return this.
         */
        public Context liveChannel(final String channel)
        {
            this.liveChannel = channel;
            return this;
        }

        /**
         * The live feed's channel.
         *
         * @return the channel.
         */
        public String liveChannel()
        {
            return liveChannel;
        }

        /**
         * The live feed's stream id.
         *
         * @param streamId the stream id.
         * @return this.
         */
        public Context liveStreamId(final int streamId)
        {
            this.liveStreamId = streamId;
            return this;
        }

        /**
         * Where replay requests go.
         *
         * @param channel the replay service's control channel.
         * @return this.
         */
        public Context replayControlChannel(final String channel)
        {
            this.replayControlChannel = channel;
            return this;
        }

        /**
         * The replay control stream id.
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
         * Where replays are received: {@code aeron:ipc}, or {@code aeron:udp?endpoint=host:port} (port 0 for a free
         * one). The replay service sends to it with a session id of this subscriber's choosing.
         *
         * @param channel the channel.
         * @return this.
         */
        public Context replayChannel(final String channel)
        {
            this.replayChannel = channel;
            return this;
        }

        /**
         * The stream replays are received on.
         *
         * @param streamId the stream id.
         * @return this.
         */
        public Context replayStreamId(final int streamId)
        {
            this.replayStreamId = streamId;
            return this;
        }

        /**
         * The first SeqNum wanted: the subscriber replays from it, then goes live ({@code FromSeqNum}). Default
         * {@link #FROM_LIVE}.
         *
         * @param fromSeqNum 1 or more, or {@link #FROM_LIVE}.
         * @return this.
         */
        public Context fromSeqNum(final long fromSeqNum)
        {
            this.fromSeqNum = fromSeqNum;
            return this;
        }

        /**
         * Deliver only this account's events (the others still count for gap detection). Default
         * {@link #ALL_ACCOUNTS}.
         *
         * @param accountId the account, or {@link #ALL_ACCOUNTS}.
         * @return this.
         */
        public Context accountId(final int accountId)
        {
            this.accountId = accountId;
            return this;
        }

        /**
         * Most fragments per poll of each subscription in one duty cycle.
         *
         * @param fragmentLimit the limit.
         * @return this.
         */
        public Context fragmentLimit(final int fragmentLimit)
        {
            this.fragmentLimit = fragmentLimit;
            return this;
        }

        /**
         * How long a replay may stay quiet (no request accepted, no event, no end) before it is asked for again.
         *
         * @param timeoutNs nanoseconds.
         * @return this.
         */
        public Context replayTimeoutNs(final long timeoutNs)
        {
            this.replayTimeoutNs = timeoutNs;
            return this;
        }

        /**
         * Wait before asking again after a replay the journal could not serve.
         *
         * @param delayNs nanoseconds.
         * @return this.
         */
        public Context replayRetryDelayNs(final long delayNs)
        {
            this.replayRetryDelayNs = delayNs;
            return this;
        }

        /**
         * Receives faults and listener exceptions; by default they are logged.
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
         * Where the subscriber's {@link SubscriberCounters counters} are allocated. By default (null) they are added
         * through the Aeron client, in its media driver's counters (where {@code AeronStat} shows them); give a
         * manager to keep them in a buffer of the consumer's own (e.g. beside its other counters).
         *
         * @param countersManager the manager, or null for the Aeron client's driver.
         * @return this.
         */
        public Context countersManager(final CountersManager countersManager)
        {
            this.countersManager = countersManager;
            return this;
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
         * Fill defaults and validate. Idempotent.
         *
         * @return this.
         */
        public Context conclude()
        {
            if (concluded)
            {
                return this;
            }
            require(aeron, "aeron");
            require(listener, "listener");
            require(liveChannel, "liveChannel");
            require(replayControlChannel, "replayControlChannel");
            require(replayChannel, "replayChannel");
            if (fromSeqNum < 0)
            {
                throw new IllegalArgumentException(
                    "FeedSubscriber.Context: fromSeqNum must be >= 0 (got " + fromSeqNum + ")");
            }
            if (fragmentLimit <= 0 || replayTimeoutNs <= 0 || replayRetryDelayNs < 0)
            {
                throw new IllegalArgumentException(
                    "FeedSubscriber.Context: fragmentLimit and replayTimeoutNs must be > 0, replayRetryDelayNs >= 0");
            }
            final ChannelUri uri = ChannelUri.parse(liveChannel);
            if (!uri.containsKey(CommonContext.TETHER_PARAM_NAME))
            {
                uri.put(CommonContext.TETHER_PARAM_NAME, "false");
                liveChannel = uri.toString();
            }
            if (null == errorHandler)
            {
                // No logging library is imposed on the consumer: Aeron's own default, a stack trace on stderr.
                errorHandler = ex -> ex.printStackTrace(System.err);
            }
            if (null == nanoClock)
            {
                nanoClock = SystemNanoClock.INSTANCE;
            }
            concluded = true;
            return this;
        }

        private static void require(final Object value, final String name)
        {
            if (null == value)
            {
                throw new IllegalStateException("FeedSubscriber.Context: " + name + " is required");
            }
        }
    }
}
