package io.ordergw.engine.publish;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.ReplayRequestDecoder;
import org.agrona.DirectBuffer;

/**
 * Polls a replay control subscription and hands each {@code ReplayRequest}, decoded, to a listener. Anything else on
 * the stream (another schema, another template) is ignored.
 */
final class ReplayRequestAdapter implements FragmentHandler
{
    /** Receives requests. */
    interface Listener
    {
        /**
         * A consumer asks for events.
         *
         * @param correlationId     echoed in the ReplayEnd.
         * @param fromSeqNum        the first SeqNum wanted.
         * @param toSeqNum          the last SeqNum wanted, 0 for up to the journal's end.
         * @param responseChannel   where to send them.
         * @param responseStreamId  on which stream.
         * @param responseSessionId with which session id.
         */
        void onReplayRequest(
            long correlationId,
            long fromSeqNum,
            long toSeqNum,
            String responseChannel,
            int responseStreamId,
            int responseSessionId);
    }

    private final Subscription subscription;
    private final Listener listener;
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ReplayRequestDecoder requestDecoder = new ReplayRequestDecoder();

    ReplayRequestAdapter(final Subscription subscription, final Listener listener)
    {
        this.subscription = subscription;
        this.listener = listener;
    }

    int poll(final int fragmentLimit)
    {
        return subscription.poll(assembler, fragmentLimit);
    }

    Subscription subscription()
    {
        return subscription;
    }

    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != ReplayRequestDecoder.SCHEMA_ID)
        {
            return;
        }
        switch (headerDecoder.templateId())
        {
            case ReplayRequestDecoder.TEMPLATE_ID:
            {
                requestDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH,
                    headerDecoder.blockLength(), headerDecoder.version());
                final long correlationId = requestDecoder.correlationId();
                final long fromSeqNum = requestDecoder.fromSeqNum();
                final long toSeqNum = requestDecoder.toSeqNum();
                final int responseStreamId = requestDecoder.responseStreamId();
                final int responseSessionId = requestDecoder.responseSessionId();
                listener.onReplayRequest(correlationId, fromSeqNum, toSeqNum, requestDecoder.responseChannel(),
                    responseStreamId, responseSessionId);
                break;
            }
            default:
                break;
        }
    }
}
