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
     * A tail from the journal's end.
     *
     * @param journal the journal.
     */
    public JournalTail(final EventJournal journal)
    {
        reader = journal.newReader();
        reader.seek(journal.lastSeqNum() + 1);
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
