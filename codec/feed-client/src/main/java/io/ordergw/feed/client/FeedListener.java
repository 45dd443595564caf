package io.ordergw.feed.client;

import io.ordergw.codec.sbe.OrderStateEventDecoder;
import org.agrona.DirectBuffer;

/**
 * Receives the feed's events from a {@link FeedSubscriber}: every event (of the account asked for, if any) exactly
 * once, in SeqNum order, on the thread that runs the subscriber's duty cycle.
 */
@FunctionalInterface
public interface FeedListener
{
    /**
     * One event. The decoder and the buffer are views valid only during the call: copy what must outlive it.
     *
     * @param seqNum the event's SeqNum (the same as {@code event.seqNum()}).
     * @param event  a flyweight over the event, wrapped after its message header.
     * @param buffer holding the event's SBE bytes, message header included (as journaled).
     * @param offset where the message header starts.
     * @param length of header and body.
     */
    void onEvent(long seqNum, OrderStateEventDecoder event, DirectBuffer buffer, int offset, int length);

    /**
     * A replay the subscriber needed cannot start where it must: the journal's oldest retained event is later (its
     * older cycles were archived). Called once per such answer, on the subscriber's thread, instead of asking again.
     *
     * @param fromSeqNum   the SeqNum the subscriber needed next.
     * @param oldestSeqNum the journal's oldest retained SeqNum.
     * @return true to accept the gap and go on from {@code oldestSeqNum}; false (the default) to stop the subscriber
     *         in state {@link FeedSubscriber.State#UNAVAILABLE}, delivering nothing more.
     */
    default boolean onReplayUnavailable(final long fromSeqNum, final long oldestSeqNum)
    {
        return false;
    }
}
