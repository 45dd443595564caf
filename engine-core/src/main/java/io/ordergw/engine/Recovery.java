package io.ordergw.engine;

import io.ordergw.engine.book.OrderBook;
import io.ordergw.engine.journal.EventJournal;
import io.ordergw.engine.journal.JournalException;
import io.ordergw.engine.journal.JournalReader;
import io.ordergw.engine.snapshot.SnapshotStore;
import org.agrona.DirectBuffer;

import java.util.function.Supplier;

/**
 * Start-up: load the newest valid snapshot, then replay the journal after it. The result is the book as it was after
 * the last journaled event, and the engine continues from the next SeqNum.
 */
public final class Recovery
{
    /** What recovery did. */
    public static final class Result
    {
        /** The rebuilt book. */
        public final OrderBook book;
        /** SeqNum of the snapshot loaded, 0 if none. */
        public final long snapshotSeqNum;
        /** Events replayed from the journal after the snapshot. */
        public final long replayedEvents;
        /** Time spent replaying, in nanoseconds. */
        public final long replayNanos;

        Result(final OrderBook book, final long snapshotSeqNum, final long replayedEvents, final long replayNanos)
        {
            this.book = book;
            this.snapshotSeqNum = snapshotSeqNum;
            this.replayedEvents = replayedEvents;
            this.replayNanos = replayNanos;
        }

        /**
         * Replay rate.
         *
         * @return events per second.
         */
        public double eventsPerSecond()
        {
            return replayNanos == 0 ? 0 : replayedEvents * 1e9 / replayNanos;
        }
    }

    private Recovery()
    {
    }

    /**
     * Rebuild the book.
     *
     * @param newBook   makes an empty book.
     * @param snapshots the snapshot store, or null for journal-only recovery.
     * @param journal   the journal.
     * @return the result.
     * @throws JournalException if the journal and the snapshot cannot be reconciled (a gap, or a journal shorter than
     *                          the snapshot): starting anyway would reuse or skip SeqNums.
     */
    public static Result recover(
        final Supplier<OrderBook> newBook, final SnapshotStore snapshots, final EventJournal journal)
    {
        final SnapshotStore.Loaded loaded = snapshots == null ? null : snapshots.loadNewest(newBook);
        final OrderBook book = loaded == null ? newBook.get() : loaded.book;
        final long snapshotSeqNum = loaded == null ? 0 : loaded.seqNum;
        final long lastSeqNum = journal.lastSeqNum();
        if (snapshotSeqNum > lastSeqNum)
        {
            throw new JournalException("the journal ends at SeqNum " + lastSeqNum + " but snapshot " + loaded.file +
                " is at " + snapshotSeqNum + ": the journal was truncated or replaced; refusing to start");
        }

        final long firstSeqNum = journal.firstSeqNum();
        if (firstSeqNum > snapshotSeqNum + 1)
        {
            // Old cycles were archived past what a snapshot covers: the book would silently lack their orders.
            throw new JournalException("the journal starts at SeqNum " + firstSeqNum +
                " (older cycle files were archived) but " + (loaded == null || loaded.file == null ?
                "there is no valid snapshot" :
                "the newest valid snapshot, " + loaded.file.getFileName() + ", is at SeqNum " + snapshotSeqNum) +
                ": events " + (snapshotSeqNum + 1) + ".." + (firstSeqNum - 1) + " are missing; put the archived " +
                "cycle files back into the journal directory; refusing to start");
        }

        final long start = System.nanoTime();
        long replayed = 0;
        try (JournalReader reader = journal.newReader())
        {
            reader.seek(snapshotSeqNum + 1);
            final JournalReader.EventHandler apply =
                (seqNum, buffer, offset, length) -> applyInOrder(book, seqNum, buffer, offset, length);
            int read;
            while ((read = reader.poll(apply, 4096)) > 0)
            {
                replayed += read;
            }
        }
        final long elapsed = System.nanoTime() - start;
        if (book.lastSeqNum() != lastSeqNum)
        {
            throw new JournalException("replay reached SeqNum " + book.lastSeqNum() + " but the journal ends at " +
                lastSeqNum + "; refusing to start");
        }
        return new Result(book, snapshotSeqNum, replayed, elapsed);
    }

    private static void applyInOrder(
        final OrderBook book, final long seqNum, final DirectBuffer buffer, final int offset, final int length)
    {
        if (seqNum != book.lastSeqNum() + 1)
        {
            throw new JournalException("journal gap: the book is at SeqNum " + book.lastSeqNum() +
                " but the next journaled event is " + seqNum + "; refusing to start");
        }
        book.apply(buffer, offset, length);
    }
}
