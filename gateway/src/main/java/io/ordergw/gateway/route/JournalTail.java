package io.ordergw.gateway.route;

import io.ordergw.engine.journal.EventJournal;
import io.ordergw.engine.journal.JournalReader;

/**
 * Live events read straight from the journal, from a SeqNum on.
 */
public final class JournalTail implements LiveEvents
{
    private final JournalReader reader;

    /**
     * A tail from a SeqNum.
     *
     * @param journal    the journal.
     * @param fromSeqNum the first SeqNum to read.
     */
    public JournalTail(final EventJournal journal, final long fromSeqNum)
    {
        reader = journal.newReader();
        reader.seek(fromSeqNum);
    }

    @Override
    public int poll(final JournalReader.EventHandler handler, final int limit)
    {
        return reader.poll(handler, limit);
    }

    @Override
    public void close()
    {
        reader.close();
    }
}
