package io.ordergw.engine.journal;

import org.agrona.DirectBuffer;

/**
 * Reads journaled events in SeqNum order from a position. Used by recovery, the event publisher, replays and queries.
 * One reader per thread.
 */
public interface JournalReader extends AutoCloseable
{
    /**
     * Receives events, as views valid only during the call.
     */
    @FunctionalInterface
    interface EventHandler
    {
        /**
         * One event.
         *
         * @param seqNum its SeqNum.
         * @param buffer holding it (header included).
         * @param offset where it starts.
         * @param length its length.
         */
        void onEvent(long seqNum, DirectBuffer buffer, int offset, int length);
    }

    /**
     * Position the reader so the next event read is the one with this SeqNum, or, if the journal starts later (its
     * oldest files were archived), its first event: then {@link #nextSeqNum()} is that event's SeqNum, greater than
     * the one asked for, and a caller that needs every event from seqNum must refuse rather than read on.
     *
     * @param seqNum the SeqNum to read next; may be one past the end, to tail from the end.
     * @return false if seqNum is more than one past the end of the journal.
     */
    boolean seek(long seqNum);

    /**
     * Read up to a number of events.
     *
     * @param handler receives each event.
     * @param limit   most events to read.
     * @return events read; 0 when caught up with the writer.
     */
    int poll(EventHandler handler, int limit);

    /**
     * The SeqNum the next {@link #poll} will read.
     *
     * @return the next SeqNum.
     */
    long nextSeqNum();

    /**
     * Read the single event with a SeqNum, for point lookups (queries walking an order's revisions).
     *
     * @param seqNum the SeqNum.
     * @param handler receives the event.
     * @return false if the journal does not hold it.
     */
    boolean read(long seqNum, EventHandler handler);

    @Override
    void close();
}
