package io.ordergw.gateway;

import io.ordergw.codec.OrderGwCounters;
import io.ordergw.engine.LatencyRecorder;
import org.agrona.CloseHelper;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.List;

import static io.ordergw.codec.OrderGwCounters.allocate;

/**
 * The gateway's counters, beside the engine's in the same counters buffer, served on /metrics. Each kind has its own
 * type id in {@link OrderGwCounters}.
 */
public final class GatewayCounters implements AutoCloseable
{
    private final List<AtomicCounter> all = new ArrayList<>();

    /**
     * The clock the edge stamps a command's receive time with. One instance for the process: each
     * {@link OffsetEpochNanoClock} samples its own epoch offset, so two of them disagree by up to a millisecond, which
     * would swamp a round trip measured against a stamp taken by the other.
     */
    public static final EpochNanoClock RECEIVE_CLOCK = new OffsetEpochNanoClock();

    /** Requests received (frames and HTTP requests). */
    public final AtomicCounter requests;
    /** Frames that could not be read as APEX frames. */
    public final AtomicCounter badFrames;
    /** SendExchangeOrderStateEvent refused at the edge (malformed, unknown OMS/exchange). */
    public final AtomicCounter refusedAtEdge;
    /** Requests refused because the engine's ingress ring was full. */
    public final AtomicCounter ingressFull;
    /** Successful logins. */
    public final AtomicCounter logins;
    /** Failed logins. */
    public final AtomicCounter failedLogins;
    /** Open sessions (connections). */
    public final AtomicCounter sessions;
    /** Active subscriptions. */
    public final AtomicCounter subscriptions;
    /** Events sent to subscribers. */
    public final AtomicCounter eventsSent;
    /** Sessions closed as slow consumers. */
    public final AtomicCounter slowConsumerCloses;
    /** Replies and events dropped because their session had gone. */
    public final AtomicCounter orphanResponses;
    /** SeqNum of the last event routed to sessions. */
    public final AtomicCounter routedSeqNum;
    /** Times the feed was rebuilt on a new Aeron client (after a media driver restart). */
    public final AtomicCounter feedReconnects;
    /** Subscription changes refused because the router's command queue was full. */
    public final AtomicCounter routerQueueFull;
    /** Journal SeqNum minus the SeqNum the router has sent on to sessions, set by the router each duty cycle. */
    public final AtomicCounter routerLag;
    /** Bytes waiting in the engine's egress ring, sampled by the router (its reader) once per duty cycle. */
    public final AtomicCounter egressRingDepth;
    /** The egress ring's capacity in bytes. */
    public final AtomicCounter egressRingCapacity;
    /** Order request round trips, receive to reply written, recorded on the router thread. */
    public final LatencyRecorder roundTrip = new LatencyRecorder();

    /**
     * Allocate the counters.
     *
     * @param countersManager where they live.
     */
    public GatewayCounters(final CountersManager countersManager)
    {
        try
        {
            requests = add(countersManager, OrderGwCounters.GATEWAY_REQUESTS_TYPE_ID, "gateway: requests");
            badFrames = add(countersManager, OrderGwCounters.GATEWAY_BAD_FRAMES_TYPE_ID, "gateway: bad frames");
            refusedAtEdge = add(countersManager, OrderGwCounters.GATEWAY_EDGE_REFUSALS_TYPE_ID,
                "gateway: events refused at the edge");
            ingressFull = add(countersManager, OrderGwCounters.GATEWAY_INGRESS_FULL_TYPE_ID,
                "gateway: ingress full refusals");
            logins = add(countersManager, OrderGwCounters.GATEWAY_LOGINS_TYPE_ID, "gateway: logins");
            failedLogins = add(countersManager, OrderGwCounters.GATEWAY_LOGIN_FAILURES_TYPE_ID,
                "gateway: failed logins");
            sessions = add(countersManager, OrderGwCounters.GATEWAY_SESSIONS_TYPE_ID, "gateway: sessions");
            subscriptions = add(countersManager, OrderGwCounters.GATEWAY_SUBSCRIPTIONS_TYPE_ID,
                "gateway: subscriptions");
            eventsSent = add(countersManager, OrderGwCounters.GATEWAY_EVENTS_SENT_TYPE_ID, "gateway: events sent");
            slowConsumerCloses = add(countersManager, OrderGwCounters.GATEWAY_SLOW_CONSUMER_CLOSES_TYPE_ID,
                "gateway: slow consumer closes");
            orphanResponses = add(countersManager, OrderGwCounters.GATEWAY_ORPHAN_RESPONSES_TYPE_ID,
                "gateway: orphan responses");
            routedSeqNum = add(countersManager, OrderGwCounters.GATEWAY_ROUTED_SEQNUM_TYPE_ID,
                "gateway: routed seqnum");
            feedReconnects = add(countersManager, OrderGwCounters.GATEWAY_FEED_RECONNECTS_TYPE_ID,
                "gateway: feed reconnects");
            routerQueueFull = add(countersManager, OrderGwCounters.GATEWAY_ROUTER_QUEUE_FULL_TYPE_ID,
                "gateway: router queue full");
            routerLag = add(allocate(countersManager, OrderGwCounters.JOURNAL_LAG_TYPE_ID,
                OrderGwCounters.CONSUMER_ROUTER, "journal lag: router"));
            egressRingDepth = add(allocate(countersManager, OrderGwCounters.RING_DEPTH_TYPE_ID,
                OrderGwCounters.RING_EGRESS, "ring depth: egress bytes"));
            egressRingCapacity = add(allocate(countersManager, OrderGwCounters.RING_CAPACITY_TYPE_ID,
                OrderGwCounters.RING_EGRESS, "ring capacity: egress bytes"));
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private AtomicCounter add(final CountersManager countersManager, final int typeId, final String label)
    {
        return add(allocate(countersManager, typeId, label));
    }

    private AtomicCounter add(final AtomicCounter counter)
    {
        all.add(counter);
        return counter;
    }

    /**
     * Record the round trip of a request whose reply is being written now (on the router thread only).
     *
     * @param receiveTimeNanos the request's receive time, from {@link #RECEIVE_CLOCK}.
     */
    public void recordRoundTrip(final long receiveTimeNanos)
    {
        roundTrip.record(RECEIVE_CLOCK.nanoTime() - receiveTimeNanos);
    }

    @Override
    public void close()
    {
        CloseHelper.quietCloseAll(all);
        all.clear();
    }
}
