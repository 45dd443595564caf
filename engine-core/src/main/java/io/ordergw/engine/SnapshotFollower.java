package io.ordergw.engine;

import io.ordergw.engine.book.OrderBook;
import io.ordergw.engine.journal.EventJournal;
import io.ordergw.engine.journal.JournalException;
import io.ordergw.engine.journal.JournalReader;
import io.ordergw.engine.snapshot.SnapshotStore;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * Writes snapshots without ever stopping the engine: off the engine's thread (the {@link EngineScheduler} runs it)
 * it follows the journal into a second copy of the book, and writes each snapshot from that copy.
 * <p>
 * The book is a pure function of the journaled events (retirement included: it counts events and reads event
 * time, never the clock), so the copy at SeqNum N is the engine's book at SeqNum N, byte for byte, state hash
 * included; {@code SnapshotFollowerTest} checks it. Writing a snapshot of a million orders takes this thread 0.3-0.7 s,
 * during which it falls behind the journal and then catches up; the engine is not involved.
 * <p>
 * At start it loads the newest snapshot itself and replays the journal from there, concurrently with the engine. On
 * close it reads the journal to its end and, if events were applied since the last snapshot, writes one: close it
 * after the engine stopped appending and before the journal closes.
 */
public final class SnapshotFollower implements Agent
{
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFollower.class);
    private static final int EVENTS_PER_DUTY_CYCLE = 4096;

    private final Supplier<OrderBook> newBook;
    private final SnapshotStore store;
    private final EventJournal journal;
    private final long intervalNanos;
    private final AtomicCounter snapshots;
    private final AtomicCounter followerSeqNum;
    private final AtomicCounter journalSeqNum;
    private final AtomicCounter lag;
    private final JournalReader.EventHandler apply = this::applyInOrder;

    private OrderBook book;
    private JournalReader reader;
    private long lastSnapshotSeqNum;
    private long nextSnapshotNanos;

    /**
     * A follower.
     *
     * @param newBook        makes an empty book with the engine's bounds.
     * @param store          where snapshots go (this agent is their only writer).
     * @param journal        the engine's journal.
     * @param intervalNanos  how often to write a snapshot when events were applied since the last; 0 for only at
     *                       close.
     * @param counters       the engine's counters: the follower counts snapshots, sets its SeqNum and its lag behind
     *                       the journal's SeqNum.
     */
    public SnapshotFollower(
        final Supplier<OrderBook> newBook,
        final SnapshotStore store,
        final EventJournal journal,
        final long intervalNanos,
        final EngineCounters counters)
    {
        this.newBook = newBook;
        this.store = store;
        this.journal = journal;
        this.intervalNanos = intervalNanos;
        this.snapshots = counters.snapshots;
        this.followerSeqNum = counters.snapshotFollowerSeqNum;
        this.journalSeqNum = counters.journalSeqNum;
        this.lag = counters.snapshotFollowerLag;
    }

    @Override
    public String roleName()
    {
        return "ordergw-snapshot";
    }

    @Override
    public void onStart()
    {
        final SnapshotStore.Loaded loaded = store.loadNewest(newBook);
        book = loaded.book;
        lastSnapshotSeqNum = loaded.seqNum;
        reader = journal.newReader();
        if (!reader.seek(lastSnapshotSeqNum + 1))
        {
            throw new JournalException("snapshot follower: cannot read the journal from SeqNum " +
                (lastSnapshotSeqNum + 1));
        }
        followerSeqNum.setOrdered(book.lastSeqNum());
        nextSnapshotNanos = System.nanoTime() + intervalNanos;
    }

    @Override
    public int doWork()
    {
        final int applied;
        try
        {
            applied = reader.poll(apply, EVENTS_PER_DUTY_CYCLE);
        }
        catch (final JournalException ex)
        {
            // A gap cannot be repaired by trying again: stop following (no more snapshots; the lag counter grows).
            throw new AgentTerminationException(ex);
        }
        if (applied > 0)
        {
            followerSeqNum.setOrdered(book.lastSeqNum());
        }
        lag.setOrdered(Math.max(0, journalSeqNum.get() - book.lastSeqNum()));
        if (intervalNanos > 0)
        {
            final long now = System.nanoTime();
            if (now - nextSnapshotNanos >= 0)
            {
                nextSnapshotNanos = now + intervalNanos;
                if (book.lastSeqNum() != lastSnapshotSeqNum)
                {
                    write();
                    return applied + 1;
                }
            }
        }
        return applied;
    }

    @Override
    public void onClose()
    {
        try
        {
            if (reader != null)
            {
                while (reader.poll(apply, EVENTS_PER_DUTY_CYCLE) > 0)
                {
                    // read to the end of the journal: the engine has stopped appending
                }
                followerSeqNum.setOrdered(book.lastSeqNum());
                if (book.lastSeqNum() != journal.lastSeqNum())
                {
                    LOG.error("snapshot follower stopped at SeqNum {} but the journal ends at {}: no final snapshot",
                        book.lastSeqNum(), journal.lastSeqNum());
                }
                else if (book.lastSeqNum() != lastSnapshotSeqNum)
                {
                    write();
                }
            }
        }
        finally
        {
            CloseHelper.quietClose(reader);
        }
    }

    /**
     * The follower's book (read it on this agent's thread, or after it stopped).
     *
     * @return the book, null before {@link #onStart}.
     */
    public OrderBook book()
    {
        return book;
    }

    private void write()
    {
        final long start = System.nanoTime();
        journal.forceToStorage(); // the journal reaches storage before a snapshot that covers it
        store.write(book);
        lastSnapshotSeqNum = book.lastSeqNum();
        snapshots.incrementOrdered();
        LOG.info("snapshot at SeqNum {} with {} orders took {} ms (follower thread; the engine did not wait)",
            lastSnapshotSeqNum, book.size(), (System.nanoTime() - start) / 1_000_000);
    }

    private void applyInOrder(final long seqNum, final DirectBuffer buffer, final int offset, final int length)
    {
        if (seqNum != book.lastSeqNum() + 1)
        {
            throw new JournalException("snapshot follower: the book is at SeqNum " + book.lastSeqNum() +
                " but the next journaled event is " + seqNum);
        }
        book.apply(buffer, offset, length);
    }
}
