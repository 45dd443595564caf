package io.ordergw.gateway.route;

import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.codec.sbe.QueryReplyDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.IntArrayList;

/**
 * The orders' latest events that a query answer carries, copied out of the ring so that they can be rendered after
 * the rest of the answer was read. They come from the engine's book, not from the journal: an order's current state
 * is answerable however much of the journal is archived.
 */
final class QueryEvents
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final IntArrayList offsets = new IntArrayList();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private int length;

    /**
     * Copy the events of an answer, reading its events group (the decoder must be positioned there).
     *
     * @param events the answer's events group.
     */
    void copy(final QueryReplyDecoder.EventsDecoder events)
    {
        offsets.clear();
        length = 0;
        for (final QueryReplyDecoder.EventsDecoder e : events)
        {
            final int eventLength = e.orderEventLength();
            offsets.addInt(length);
            buffer.checkLimit(length + eventLength);
            e.getOrderEvent(buffer, length, eventLength);
            length += eventLength;
        }
    }

    /**
     * Events copied.
     *
     * @return the count.
     */
    int count()
    {
        return offsets.size();
    }

    /**
     * Wrap a decoder over one event.
     *
     * @param index   which event, from 0.
     * @param decoder wrapped after the event's message header.
     * @return the decoder.
     */
    OrderStateEventDecoder wrap(final int index, final OrderStateEventDecoder decoder)
    {
        final int offset = offsets.getInt(index);
        headerDecoder.wrap(buffer, offset);
        return decoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
    }
}
