package io.ordergw.engine.journal;

import org.agrona.DirectBuffer;

/**
 * The durable, ordered record of every applied event: the source of truth for recovery and the buffer that
 * subscribers replay from. The engine owns this interface; Chronicle Queue is one implementation of it.
 * <p>
 * An event's SeqNum is its position: the first event is SeqNum 1 and each append is the previous SeqNum plus one,
 * across restarts. Only the engine thread appends; any thread may read through its own {@link JournalReader}.
 */
public interface EventJournal extends AutoCloseable
{
    /**
     * SeqNum of the last event in the journal.
     *
     * @return the SeqNum, 0 for an empty journal.
     */
    long lastSeqNum();

    /**
     * SeqNum of the oldest event the journal still holds: 1 unless its oldest files were archived. Any thread may ask
     * (it is not for the hot path: it may read the journal's first file).
     *
     * @return the SeqNum, 0 for an empty journal.
     */
    default long firstSeqNum()
    {
        return lastSeqNum() == 0 ? 0 : 1;
    }

    /**
     * Append one event; it is durable against a process crash when this returns.
     *
     * @param buffer holding the encoded event (header included) whose SeqNum is {@link #lastSeqNum()} + 1.
     * @param offset of the event.
     * @param length of the event.
     * @throws JournalException if the event could not be written; nothing was appended.
     */
    void append(DirectBuffer buffer, int offset, int length);

    /**
     * A new reader, positioned before the first event. Each reader belongs to one thread.
     *
     * @return the reader; close it when done.
     */
    JournalReader newReader();

    /**
     * Force everything appended so far to storage, from any thread. Called before a snapshot is written: a snapshot
     * is forced to storage, and one that outlived the journal events it covers (a power loss) would stop the next
     * start.
     */
    default void forceToStorage()
    {
    }

    @Override
    void close();
}
