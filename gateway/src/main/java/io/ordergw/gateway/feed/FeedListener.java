package io.ordergw.gateway.feed;

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
}
