package io.ordergw.engine;

import io.ordergw.codec.OrderGwCounters;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.List;

import static io.ordergw.codec.OrderGwCounters.allocate;

/**
 * The engine's window for operators: Agrona counters, readable from any thread or process (through the counters
 * buffer), updated on the hot path without locks or allocation. Each kind has its own type id in
 * {@link OrderGwCounters}; the refusals carry their APEX error code in the key, the rings and the snapshot follower's
 * lag their ring or consumer id.
 */
public final class EngineCounters implements AutoCloseable
{
    private final List<AtomicCounter> all = new ArrayList<>();

    /** Commands taken from the ingress ring. */
    public final AtomicCounter commandsReceived;
    /** Events appended to the journal and applied. */
    public final AtomicCounter eventsApplied;
    /** Exact repeats acknowledged again. */
    public final AtomicCounter repeatsAcknowledged;
    /** Refusals with 100. */
    public final AtomicCounter refusedInvalid;
    /** Refusals with 101. */
    public final AtomicCounter refusedOperationFailed;
    /** Refusals with 102 (book bounds, journal, disk). */
    public final AtomicCounter refusedServerError;
    /** Refusals with 104. */
    public final AtomicCounter refusedNotFound;
    /** Queries answered. */
    public final AtomicCounter queries;
    /** SeqNum of the last journaled event. */
    public final AtomicCounter journalSeqNum;
    /** Open orders in the book. */
    public final AtomicCounter openOrders;
    /** Terminal orders retained. */
    public final AtomicCounter retainedOrders;
    /** Replies that waited for room in the egress ring. */
    public final AtomicCounter egressBackPressure;
    /** Snapshots written. */
    public final AtomicCounter snapshots;
    /** Journal faults (append failures). */
    public final AtomicCounter journalFaults;
    /** The SeqNum the snapshot follower's book is at (0 when snapshots are written by the engine thread). */
    public final AtomicCounter snapshotFollowerSeqNum;
    /** Messages on the ingress ring that are not a command the engine knows (skipped). */
    public final AtomicCounter unknownCommands;
    /** Journal SeqNum minus the snapshot follower's SeqNum, set by the follower (0 without one). */
    public final AtomicCounter snapshotFollowerLag;
    /** Bytes waiting in the ingress ring, sampled by the engine once per duty cycle. */
    public final AtomicCounter ingressRingDepth;
    /** The ingress ring's capacity in bytes. */
    public final AtomicCounter ingressRingCapacity;

    /**
     * Allocate the counters.
     *
     * @param countersManager where they live.
     */
    public EngineCounters(final CountersManager countersManager)
    {
        try
        {
            commandsReceived = add(allocate(countersManager, OrderGwCounters.ENGINE_COMMANDS_RECEIVED_TYPE_ID,
                "engine: commands received"));
            eventsApplied = add(allocate(countersManager, OrderGwCounters.ENGINE_EVENTS_APPLIED_TYPE_ID,
                "engine: events applied"));
            repeatsAcknowledged = add(allocate(countersManager, OrderGwCounters.ENGINE_REPEATS_ACKNOWLEDGED_TYPE_ID,
                "engine: repeats acknowledged"));
            refusedInvalid = add(refusal(countersManager, 100, "invalid"));
            refusedOperationFailed = add(refusal(countersManager, 101, "operation failed"));
            refusedServerError = add(refusal(countersManager, 102, "server error"));
            refusedNotFound = add(refusal(countersManager, 104, "not found"));
            queries = add(allocate(countersManager, OrderGwCounters.ENGINE_QUERIES_TYPE_ID, "engine: queries"));
            journalSeqNum = add(allocate(countersManager, OrderGwCounters.ENGINE_JOURNAL_SEQNUM_TYPE_ID,
                "engine: journal seqnum"));
            openOrders = add(allocate(countersManager, OrderGwCounters.ENGINE_OPEN_ORDERS_TYPE_ID,
                "engine: open orders"));
            retainedOrders = add(allocate(countersManager, OrderGwCounters.ENGINE_RETAINED_ORDERS_TYPE_ID,
                "engine: retained terminal orders"));
            egressBackPressure = add(allocate(countersManager, OrderGwCounters.ENGINE_EGRESS_BACK_PRESSURE_TYPE_ID,
                "engine: egress back pressure"));
            snapshots = add(allocate(countersManager, OrderGwCounters.ENGINE_SNAPSHOTS_TYPE_ID, "engine: snapshots"));
            journalFaults = add(allocate(countersManager, OrderGwCounters.ENGINE_JOURNAL_FAULTS_TYPE_ID,
                "engine: journal faults"));
            snapshotFollowerSeqNum = add(allocate(countersManager, OrderGwCounters.SNAPSHOT_FOLLOWER_SEQNUM_TYPE_ID,
                "engine: snapshot follower seqnum"));
            snapshotFollowerLag = add(allocate(countersManager, OrderGwCounters.JOURNAL_LAG_TYPE_ID,
                OrderGwCounters.CONSUMER_SNAPSHOT_FOLLOWER, "journal lag: snapshot follower"));
            ingressRingDepth = add(allocate(countersManager, OrderGwCounters.RING_DEPTH_TYPE_ID,
                OrderGwCounters.RING_INGRESS, "ring depth: ingress bytes"));
            ingressRingCapacity = add(allocate(countersManager, OrderGwCounters.RING_CAPACITY_TYPE_ID,
                OrderGwCounters.RING_INGRESS, "ring capacity: ingress bytes"));
            unknownCommands = add(allocate(countersManager, OrderGwCounters.ENGINE_UNKNOWN_COMMANDS_TYPE_ID,
                "engine: unknown commands"));
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private static AtomicCounter refusal(final CountersManager countersManager, final int code, final String what)
    {
        return allocate(countersManager, OrderGwCounters.ENGINE_REFUSED_TYPE_ID, code,
            "engine: refused " + code + " " + what);
    }

    private AtomicCounter add(final AtomicCounter counter)
    {
        all.add(counter);
        return counter;
    }

    /**
     * The refusal counter for an APEX error code.
     *
     * @param errorCode the code.
     * @return its counter.
     */
    AtomicCounter refused(final int errorCode)
    {
        switch (errorCode)
        {
            case 100:
                return refusedInvalid;
            case 101:
                return refusedOperationFailed;
            case 104:
                return refusedNotFound;
            default:
                return refusedServerError;
        }
    }

    @Override
    public void close()
    {
        CloseHelper.quietCloseAll(all);
        all.clear();
    }
}
