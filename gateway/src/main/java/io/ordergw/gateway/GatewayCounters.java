package io.ordergw.gateway;

import io.ordergw.engine.LatencyRecorder;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The gateway's counters, beside the engine's in the same counters buffer, served on /metrics.
 */
public final class GatewayCounters implements AutoCloseable
{
    /** Counter type id of the gateway's counters. */
    public static final int GATEWAY_COUNTER_TYPE_ID = 1002;

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
    /** Order request round trips, receive to reply written, recorded on the router thread. */
    public final LatencyRecorder roundTrip = new LatencyRecorder();

    /**
     * Allocate the counters.
     *
     * @param countersManager where they live.
     */
    public GatewayCounters(final CountersManager countersManager)
    {
        requests = countersManager.newCounter("gateway: requests", GATEWAY_COUNTER_TYPE_ID);
        badFrames = countersManager.newCounter("gateway: bad frames", GATEWAY_COUNTER_TYPE_ID);
        refusedAtEdge = countersManager.newCounter("gateway: events refused at the edge", GATEWAY_COUNTER_TYPE_ID);
        ingressFull = countersManager.newCounter("gateway: ingress full refusals", GATEWAY_COUNTER_TYPE_ID);
        logins = countersManager.newCounter("gateway: logins", GATEWAY_COUNTER_TYPE_ID);
        failedLogins = countersManager.newCounter("gateway: failed logins", GATEWAY_COUNTER_TYPE_ID);
        sessions = countersManager.newCounter("gateway: sessions", GATEWAY_COUNTER_TYPE_ID);
        subscriptions = countersManager.newCounter("gateway: subscriptions", GATEWAY_COUNTER_TYPE_ID);
        eventsSent = countersManager.newCounter("gateway: events sent", GATEWAY_COUNTER_TYPE_ID);
        slowConsumerCloses = countersManager.newCounter("gateway: slow consumer closes", GATEWAY_COUNTER_TYPE_ID);
        orphanResponses = countersManager.newCounter("gateway: orphan responses", GATEWAY_COUNTER_TYPE_ID);
        routedSeqNum = countersManager.newCounter("gateway: routed seqnum", GATEWAY_COUNTER_TYPE_ID);
        feedReconnects = countersManager.newCounter("gateway: feed reconnects", GATEWAY_COUNTER_TYPE_ID);
        routerQueueFull = countersManager.newCounter("gateway: router queue full", GATEWAY_COUNTER_TYPE_ID);
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
        requests.close();
        badFrames.close();
        refusedAtEdge.close();
        ingressFull.close();
        logins.close();
        failedLogins.close();
        sessions.close();
        subscriptions.close();
        eventsSent.close();
        slowConsumerCloses.close();
        orphanResponses.close();
        routedSeqNum.close();
        feedReconnects.close();
        routerQueueFull.close();
    }
}
