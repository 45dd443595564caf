package io.ordergw.engine.publish;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.Subscription;
import io.ordergw.engine.journal.EventJournal;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.function.LongSupplier;

/**
 * Serves replays of the journal to feed consumers that missed events (a gap, a reconnect, a start from a SeqNum).
 * <p>
 * A consumer sends a {@code ReplayRequest} (fromSeqNum, optional toSeqNum, its channel, stream and a session id it
 * chose) on the replay control stream: over IPC for in-process consumers, over the configured UDP control channel for
 * external ones. The service adds an exclusive publication on the consumer's channel with that session id, waits for
 * the consumer to connect, sends the journaled events from fromSeqNum, byte for byte as the live feed carries them,
 * until it finds no next event (or reaches toSeqNum), then one {@code ReplayEnd} with the last SeqNum sent: live
 * events take over after it. See docs/feed.md for the consumer's side of the hand-over.
 * <p>
 * Each replay has its own journal reader and publication, so a slow consumer's replay only slows itself: it goes at
 * the pace of its publication's back pressure and is never dropped for it (see {@link ReplaySession} for when a
 * consumer counts as gone). At most {@code maxConcurrentReplays} run at once; a request beyond that is dropped and
 * counted, and the consumer asks again when its request times out. The service never waits: publications are added
 * asynchronously and back pressure leaves the next event for the next duty cycle.
 * <p>
 * All replays together publish at most {@code batchLimit} events per duty cycle, so that the live publications, which
 * share the agent, get a turn after every batch however many replays run. The replay served first moves on by one
 * each cycle, and the ones after it take what it left, so none waits behind the others for long.
 * Requests and replays allocate (a channel string, a reader); events do not.
 */
public final class ReplayService implements Agent, ReplayRequestAdapter.Listener
{
    private static final int CONTROL_FRAGMENT_LIMIT = 16;

    private final Aeron aeron;
    private final EventJournal journal;
    private final LongSupplier journalSeqNum;
    private final FeedCounters counters;
    private final NanoClock nanoClock;
    private final ErrorHandler errorHandler;
    private final int batchLimit;
    private final int maxConcurrentReplays;
    private final int termLength;
    private final long connectTimeoutNs;
    private final long disconnectTimeoutNs;
    private final ReplayRequestAdapter ipcAdapter;
    private final ReplayRequestAdapter udpAdapter;
    private final ArrayList<ReplaySession> sessions = new ArrayList<>();
    private long nowNs;
    private int firstSession;
    private boolean closed;

    /**
     * A service over a concluded context; it subscribes to the control streams now.
     *
     * @param ctx      the concluded context.
     * @param counters where to count.
     */
    public ReplayService(final EventFeed.Context ctx, final FeedCounters counters)
    {
        this.aeron = ctx.aeron();
        this.journal = ctx.journal();
        this.journalSeqNum = ctx.journalSeqNum();
        this.counters = counters;
        this.nanoClock = ctx.nanoClock();
        this.errorHandler = ctx.errorHandler();
        this.batchLimit = ctx.batchLimit();
        this.maxConcurrentReplays = ctx.maxConcurrentReplays();
        this.termLength = ctx.termLength();
        this.connectTimeoutNs = ctx.replayConnectTimeoutNs();
        this.disconnectTimeoutNs = ctx.replayDisconnectTimeoutNs();
        Subscription ipc = null;
        Subscription udp = null;
        try
        {
            ipc = aeron.addSubscription(CommonContext.IPC_CHANNEL, ctx.replayControlStreamId());
            if (!ctx.replayControlChannel().isEmpty())
            {
                udp = aeron.addSubscription(ctx.replayControlChannel(), ctx.replayControlStreamId());
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(ipc, udp);
            throw ex;
        }
        this.ipcAdapter = new ReplayRequestAdapter(ipc, this);
        this.udpAdapter = null == udp ? null : new ReplayRequestAdapter(udp, this);
    }

    @Override
    public String roleName()
    {
        return "ordergw-replay-service";
    }

    @Override
    public int doWork()
    {
        nowNs = nanoClock.nanoTime();
        int work = ipcAdapter.poll(CONTROL_FRAGMENT_LIMIT);
        if (null != udpAdapter)
        {
            work += udpAdapter.poll(CONTROL_FRAGMENT_LIMIT);
        }
        final ArrayList<ReplaySession> sessions = this.sessions;
        final int count = sessions.size();
        if (count == 0)
        {
            return work;
        }
        if (firstSession >= count)
        {
            firstSession = 0;
        }
        int budget = batchLimit;
        for (int k = 0; k < count; k++)
        {
            // Every replay is visited (connect and disconnect time-outs run), the budget goes in turn.
            final int done = sessions.get((firstSession + k) % count).doWork(nowNs, budget);
            budget = Math.max(0, budget - done);
            work += done;
        }
        firstSession++;
        for (int i = count - 1; i >= 0; i--)
        {
            final ReplaySession session = sessions.get(i);
            if (session.isDone())
            {
                session.close();
                sessions.remove(i);
                counters.replaysActive.setOrdered(sessions.size());
            }
        }
        return work;
    }

    @Override
    public void onReplayRequest(
        final long correlationId,
        final long fromSeqNum,
        final long toSeqNum,
        final String responseChannel,
        final int responseStreamId,
        final int responseSessionId)
    {
        counters.replayRequests.incrementOrdered();
        if (sessions.size() >= maxConcurrentReplays || toSeqNum < 0)
        {
            counters.replaysRejected.incrementOrdered();
            return;
        }
        final ReplaySession session;
        try
        {
            final String channel = responseChannel(responseChannel, responseSessionId);
            session = new ReplaySession(aeron, journal, journalSeqNum, counters, correlationId,
                Math.max(1, fromSeqNum), toSeqNum, channel, responseStreamId, nowNs + connectTimeoutNs,
                disconnectTimeoutNs);
        }
        catch (final RuntimeException ex)
        {
            // A channel that does not parse, or a client that is closing: nothing to answer on.
            counters.replaysRejected.incrementOrdered();
            errorHandler.onError(ex);
            return;
        }
        sessions.add(session);
        counters.replaysActive.setOrdered(sessions.size());
    }

    private String responseChannel(final String channel, final int sessionId)
    {
        final ChannelUri uri = ChannelUri.parse(channel);
        uri.put(CommonContext.SESSION_ID_PARAM_NAME, Integer.toString(sessionId));
        if (termLength > 0 && !uri.containsKey(CommonContext.TERM_LENGTH_PARAM_NAME))
        {
            uri.put(CommonContext.TERM_LENGTH_PARAM_NAME, Integer.toString(termLength));
        }
        return uri.toString();
    }

    /**
     * Replays in progress.
     *
     * @return the number.
     */
    public int activeReplays()
    {
        return sessions.size();
    }

    @Override
    public void onClose()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final ReplaySession session : sessions)
        {
            session.close();
        }
        sessions.clear();
        counters.replaysActive.setOrdered(0);
        CloseHelper.quietClose(ipcAdapter.subscription());
        if (null != udpAdapter)
        {
            CloseHelper.quietClose(udpAdapter.subscription());
        }
    }
}
