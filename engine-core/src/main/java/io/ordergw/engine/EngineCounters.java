package io.ordergw.engine;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The engine's window for operators: Agrona counters, readable from any thread or process (through the counters
 * buffer), updated on the hot path without locks or allocation.
 */
public final class EngineCounters implements AutoCloseable
{
    /** Counter type id for every engine counter (Aeron's own types are below 1000). */
    public static final int ENGINE_COUNTER_TYPE_ID = 1001;

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

    /**
     * Allocate the counters.
     *
     * @param countersManager where they live.
     */
    public EngineCounters(final CountersManager countersManager)
    {
        commandsReceived = counter(countersManager, "engine: commands received");
        eventsApplied = counter(countersManager, "engine: events applied");
        repeatsAcknowledged = counter(countersManager, "engine: repeats acknowledged");
        refusedInvalid = counter(countersManager, "engine: refused 100 invalid");
        refusedOperationFailed = counter(countersManager, "engine: refused 101 operation failed");
        refusedServerError = counter(countersManager, "engine: refused 102 server error");
        refusedNotFound = counter(countersManager, "engine: refused 104 not found");
        queries = counter(countersManager, "engine: queries");
        journalSeqNum = counter(countersManager, "engine: journal seqnum");
        openOrders = counter(countersManager, "engine: open orders");
        retainedOrders = counter(countersManager, "engine: retained terminal orders");
        egressBackPressure = counter(countersManager, "engine: egress back pressure");
        snapshots = counter(countersManager, "engine: snapshots");
        journalFaults = counter(countersManager, "engine: journal faults");
        snapshotFollowerSeqNum = counter(countersManager, "engine: snapshot follower seqnum");
        unknownCommands = counter(countersManager, "engine: unknown commands");
    }

    private static AtomicCounter counter(final CountersManager countersManager, final String label)
    {
        return countersManager.newCounter(label, ENGINE_COUNTER_TYPE_ID);
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
        commandsReceived.close();
        eventsApplied.close();
        repeatsAcknowledged.close();
        refusedInvalid.close();
        refusedOperationFailed.close();
        refusedServerError.close();
        refusedNotFound.close();
        queries.close();
        journalSeqNum.close();
        openOrders.close();
        retainedOrders.close();
        egressBackPressure.close();
        snapshots.close();
        journalFaults.close();
        snapshotFollowerSeqNum.close();
        unknownCommands.close();
    }
}
