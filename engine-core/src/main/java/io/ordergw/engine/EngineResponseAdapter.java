package io.ordergw.engine;

import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.QueryReplyDecoder;
import io.ordergw.codec.sbe.ReplyDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Reads the engine's egress ring and hands each response, decoded in place, to a listener. A response larger than
 * the ring's largest message arrives in pieces ({@link EngineMessages#RESPONSE_FRAGMENT}s, then the last piece as a
 * {@link EngineMessages#RESPONSE}): they are put back together in a buffer of the adapter's own.
 */
public final class EngineResponseAdapter implements MessageHandler
{
    /** Receives the engine's responses; the decoders are valid only during the call. */
    public interface Listener
    {
        /**
         * The answer to an OrderStateCommand.
         *
         * @param reply the reply.
         */
        void onReply(ReplyDecoder reply);

        /**
         * The answer to a QueryCommand.
         *
         * @param reply the reply.
         */
        void onQueryReply(QueryReplyDecoder reply);
    }

    private final RingBuffer egress;
    private final Listener listener;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ReplyDecoder replyDecoder = new ReplyDecoder();
    private final QueryReplyDecoder queryReplyDecoder = new QueryReplyDecoder();
    private final ExpandableArrayBuffer assembly = new ExpandableArrayBuffer(0);
    private int assembledLength;

    /**
     * An adapter over a ring.
     *
     * @param egress   the engine's egress ring.
     * @param listener receives responses.
     */
    public EngineResponseAdapter(final RingBuffer egress, final Listener listener)
    {
        this.egress = egress;
        this.listener = listener;
    }

    /**
     * Read up to a number of responses.
     *
     * @param limit most to read.
     * @return read.
     */
    public int poll(final int limit)
    {
        return egress.read(this, limit);
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (msgTypeId == EngineMessages.RESPONSE_FRAGMENT)
        {
            assembly.putBytes(assembledLength, buffer, index, length);
            assembledLength += length;
            return;
        }
        if (msgTypeId != EngineMessages.RESPONSE)
        {
            return;
        }
        if (assembledLength == 0)
        {
            dispatch(buffer, index);
            return;
        }
        assembly.putBytes(assembledLength, buffer, index, length);
        assembledLength = 0;
        dispatch(assembly, 0);
    }

    private void dispatch(final DirectBuffer buffer, final int index)
    {
        headerDecoder.wrap(buffer, index);
        final int bodyOffset = index + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (headerDecoder.templateId())
        {
            case ReplyDecoder.TEMPLATE_ID:
                listener.onReply(replyDecoder.wrap(buffer, bodyOffset, headerDecoder.blockLength(),
                    headerDecoder.version()));
                break;
            case QueryReplyDecoder.TEMPLATE_ID:
                listener.onQueryReply(
                    queryReplyDecoder.wrap(buffer, bodyOffset, headerDecoder.blockLength(), headerDecoder.version()));
                break;
            default:
                break;
        }
    }
}
