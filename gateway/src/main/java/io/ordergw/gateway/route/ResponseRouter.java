package io.ordergw.gateway.route;

import io.ordergw.engine.EngineResponseAdapter;
import io.ordergw.engine.journal.EventJournal;
import io.ordergw.gateway.GatewayCounters;
import io.ordergw.gateway.net.EventOutbound;
import io.ordergw.gateway.net.SessionRegistry;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * The gateway's one outbound thread, in pieces with one direction each, as Aeron's conductor is fed by adapters:
 * <ul>
 *     <li>{@link RouterCommandAdapter} reads the subscription changes other threads send through its
 *     {@link #proxy() RouterProxy} (bounded: a full queue is refused and counted, never waited on);</li>
 *     <li>{@link EngineResponseAdapter} reads the engine's egress ring, and {@link ReplyRenderer} renders each reply
 *     and query answer for the session that asked;</li>
 *     <li>the live event source and the replays feed {@link EventFanOut}, which routes every event to the sessions
 *     subscribed to its account, each in SeqNum order, with journal catch-up for {@code FromSeqNum};</li>
 *     <li>{@link EventOutbound} and {@code Outbound} do the Netty writes.</li>
 * </ul>
 * Work per duty cycle is bounded: the commands, the engine's replies and the live events a batch each, and the
 * replays {@link EventFanOut#REPLAY_BUDGET} journal events in all. Only this thread touches the subscriptions.
 */
public final class ResponseRouter implements Agent, RouterCommandAdapter.Listener
{
    /** Bytes of the command ring: about 3,000 subscription changes waiting (a burst of connects). */
    static final int COMMAND_RING_BYTES = 128 * 1024;
    private static final int COMMAND_BATCH = 256;
    private static final int LIVE_BATCH = 256;

    private final RouterProxy proxy;
    private final RouterCommandAdapter commands;
    private final EngineResponseAdapter responses;
    private final ReplyRenderer replies;
    private final EventFanOut fanOut;
    private final RingBuffer egress;
    private final GatewayCounters counters;
    private final LongFunction<LiveEvents> liveEventsFactory;
    private final LongSupplier journalSeqNum;
    private LiveEvents liveEvents;

    /**
     * A router.
     *
     * @param sessions             sessions by id.
     * @param egress               the engine's egress ring.
     * @param journal              the journal (replays and queries read it).
     * @param journalSeqNum        the engine's last journaled SeqNum, readable from any thread.
     * @param liveEventsFactory    makes the live event source from a SeqNum, on the router's thread.
     * @param counters             the gateway's counters.
     * @param maxConcurrentReplays replays running at once.
     * @param replayStallTimeoutNs how long a replay may find no room in its session's outbound buffer before the
     *                             session is closed.
     */
    public ResponseRouter(
        final SessionRegistry sessions,
        final RingBuffer egress,
        final EventJournal journal,
        final LongSupplier journalSeqNum,
        final LongFunction<LiveEvents> liveEventsFactory,
        final GatewayCounters counters,
        final int maxConcurrentReplays,
        final long replayStallTimeoutNs)
    {
        this.proxy = new RouterProxy(new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(COMMAND_RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH))),
            counters.routerQueueFull);
        this.commands = new RouterCommandAdapter(proxy, this);
        this.replies = new ReplyRenderer(sessions, journal, counters);
        this.responses = new EngineResponseAdapter(egress, replies);
        this.fanOut = new EventFanOut(sessions, journal, counters, new EventOutbound(), maxConcurrentReplays,
            replayStallTimeoutNs);
        this.journalSeqNum = journalSeqNum;
        this.liveEventsFactory = liveEventsFactory;
        this.egress = egress;
        this.counters = counters;
        counters.egressRingCapacity.setOrdered(egress.capacity());
    }

    /**
     * Where other threads send subscription changes.
     *
     * @return the proxy, safe to use from any thread.
     */
    public RouterProxy proxy()
    {
        return proxy;
    }

    @Override
    public String roleName()
    {
        return "ordergw-router";
    }

    @Override
    public void onStart()
    {
        // Events up to here are in the journal (subscriptions replay them); later ones come live.
        final long lastRoutedSeqNum = journalSeqNum.getAsLong();
        fanOut.start(lastRoutedSeqNum);
        liveEvents = liveEventsFactory.apply(lastRoutedSeqNum + 1);
        replies.start();
    }

    @Override
    public int doWork()
    {
        int work = commands.poll(COMMAND_BATCH);
        work += responses.poll(LIVE_BATCH);
        work += liveEvents.poll(fanOut.liveEventHandler(), LIVE_BATCH);
        work += fanOut.advanceReplays();
        replies.flush();
        // Sampled once a duty cycle by the ring's reader: two ordered stores, no write to the ring.
        counters.egressRingDepth.setOrdered(egress.size());
        counters.routerLag.setOrdered(Math.max(0, journalSeqNum.getAsLong() - fanOut.lastRoutedSeqNum()));
        return work;
    }

    @Override
    public void onClose()
    {
        fanOut.close();
        if (liveEvents != null)
        {
            liveEvents.close();
        }
        replies.close();
    }

    @Override
    public void onSubscribe(final long sessionId, final int accountId, final long sequence, final long fromSeqNum)
    {
        fanOut.subscribe(sessionId, accountId, sequence, fromSeqNum);
    }

    @Override
    public void onUnsubscribe(final long sessionId, final int accountId)
    {
        fanOut.unsubscribe(sessionId, accountId);
    }

    @Override
    public void onUnsubscribeAll(final long sessionId)
    {
        fanOut.unsubscribeAll(sessionId);
    }

    @Override
    public void onSweepEndedSessions()
    {
        fanOut.sweepEndedSessions();
    }

    @Override
    public void onRestartLiveEvents()
    {
        try
        {
            liveEvents.close();
        }
        catch (final RuntimeException ignore)
        {
            // its Aeron client is already closed
        }
        liveEvents = liveEventsFactory.apply(fanOut.lastRoutedSeqNum() + 1);
    }
}
