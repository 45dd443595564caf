package io.ordergw.gateway.route;

import io.ordergw.engine.journal.JournalReader;

/**
 * Where the router's live events come from, in SeqNum order with no gap: the Aeron IPC feed in the process, or a
 * journal tail.
 */
public interface LiveEvents extends AutoCloseable
{
    /**
     * Deliver available events.
     *
     * @param handler receives each event (header included) with its SeqNum.
     * @param limit   most events.
     * @return events delivered.
     */
    int poll(JournalReader.EventHandler handler, int limit);

    @Override
    void close();
}
