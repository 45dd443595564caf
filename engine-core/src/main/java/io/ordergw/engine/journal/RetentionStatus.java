package io.ordergw.engine.journal;

import io.ordergw.codec.OrderGwCounters;
import io.ordergw.engine.snapshot.SnapshotStore;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Keeps three counters about the journal's retention current, for /metrics and the status page: the oldest retained
 * SeqNum, the last SeqNum that {@code ordergw archive} may move out now (0 when nothing may), and how many cycle files
 * that is. Run now and then off the engine's thread (it reads the first event of each cycle file).
 */
public final class RetentionStatus implements Runnable
{
    private static final Logger LOG = LoggerFactory.getLogger(RetentionStatus.class);

    private final ChronicleEventJournal journal;
    private final SnapshotStore snapshots;
    private final Duration minAge;
    private final LongSupplier clock;
    private final AtomicCounter oldestSeqNum;
    private final AtomicCounter archivableSeqNum;
    private final AtomicCounter archivableCycles;
    private boolean faultLogged;

    /**
     * Counters over a journal.
     *
     * @param journal   the journal.
     * @param snapshots the snapshot store (its newest snapshot bounds what may be archived).
     * @param minAge    ordergw.journal.archive.min-age.
     * @param clock     epoch milliseconds.
     * @param counters  where the counters are allocated.
     */
    public RetentionStatus(
        final ChronicleEventJournal journal,
        final SnapshotStore snapshots,
        final Duration minAge,
        final LongSupplier clock,
        final CountersManager counters)
    {
        this.journal = journal;
        this.snapshots = snapshots;
        this.minAge = minAge;
        this.clock = clock;
        this.oldestSeqNum = OrderGwCounters.allocate(counters, OrderGwCounters.JOURNAL_OLDEST_SEQNUM_TYPE_ID,
            "journal: oldest retained seqnum");
        this.archivableSeqNum = OrderGwCounters.allocate(counters, OrderGwCounters.JOURNAL_ARCHIVABLE_SEQNUM_TYPE_ID,
            "journal: safe to archive through seqnum");
        this.archivableCycles = OrderGwCounters.allocate(counters, OrderGwCounters.JOURNAL_ARCHIVABLE_CYCLES_TYPE_ID,
            "journal: cycle files safe to archive");
    }

    @Override
    public void run()
    {
        try
        {
            final List<JournalArchive.Cycle> cycles = JournalArchive.cycles(journal);
            final JournalArchive.Plan plan = JournalArchive.plan(
                cycles, snapshots == null ? 0 : snapshots.newestSeqNum(), minAge, clock.getAsLong());
            oldestSeqNum.setOrdered(journal.firstSeqNum());
            archivableSeqNum.setOrdered(plan.safeThroughSeqNum());
            archivableCycles.setOrdered(plan.archivable.size());
        }
        catch (final RuntimeException ex)
        {
            if (!faultLogged)
            {
                faultLogged = true; // once: it runs every few seconds
                LOG.warn("cannot read the journal's retention status", ex);
            }
        }
    }

    /**
     * The last SeqNum found safe to archive.
     *
     * @return the SeqNum, 0 when none.
     */
    public long safeThroughSeqNum()
    {
        return archivableSeqNum.get();
    }

    /**
     * The oldest retained SeqNum last found.
     *
     * @return the SeqNum.
     */
    public long oldestSeqNum()
    {
        return oldestSeqNum.get();
    }
}
