package io.ordergw.engine;

import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderStateCommandDecoder;
import io.ordergw.codec.sbe.QueryCommandDecoder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Reads the engine's ingress ring and hands each command, decoded in place, to a listener: one {@code switch} on the
 * SBE template id. A message that is not a command the engine knows (another message type, too short for a header,
 * an unknown template) is counted and skipped.
 * <p>
 * A command is read only while the publisher has no reply waiting for room on the egress ring: the one that
 * produced a waiting reply ends the batch, and the next is read once that reply has gone.
 */
public final class EngineCommandAdapter implements ControlledMessageHandler
{
    /** Receives the engine's commands; the decoders are valid only during the call. */
    public interface Listener
    {
        /**
         * An order state change to decide.
         *
         * @param command the command.
         */
        void onOrderStateCommand(OrderStateCommandDecoder command);

        /**
         * A query of the book.
         *
         * @param query the query.
         */
        void onQuery(QueryCommandDecoder query);
    }

    private final RingBuffer ingress;
    private final Listener listener;
    private final EngineResponsePublisher publisher;
    private final AtomicCounter unknownCommands;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final OrderStateCommandDecoder commandDecoder = new OrderStateCommandDecoder();
    private final QueryCommandDecoder queryDecoder = new QueryCommandDecoder();

    /**
     * An adapter over a ring.
     *
     * @param ingress         the engine's ingress ring.
     * @param listener        receives the commands.
     * @param publisher       where the listener's replies go: a waiting reply ends the batch.
     * @param unknownCommands counts messages skipped as unknown.
     */
    public EngineCommandAdapter(
        final RingBuffer ingress,
        final Listener listener,
        final EngineResponsePublisher publisher,
        final AtomicCounter unknownCommands)
    {
        this.ingress = ingress;
        this.listener = listener;
        this.publisher = publisher;
        this.unknownCommands = unknownCommands;
    }

    /**
     * Read up to a number of commands.
     *
     * @param limit most to read.
     * @return messages read.
     */
    public int poll(final int limit)
    {
        return ingress.controlledRead(this, limit);
    }

    @Override
    public Action onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (msgTypeId != EngineMessages.COMMAND || length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            unknownCommands.incrementOrdered();
            return Action.CONTINUE;
        }
        headerDecoder.wrap(buffer, index);
        final int bodyOffset = index + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (headerDecoder.templateId())
        {
            case OrderStateCommandDecoder.TEMPLATE_ID:
                commandDecoder.wrap(buffer, bodyOffset, headerDecoder.blockLength(), headerDecoder.version());
                listener.onOrderStateCommand(commandDecoder);
                break;
            case QueryCommandDecoder.TEMPLATE_ID:
                queryDecoder.wrap(buffer, bodyOffset, headerDecoder.blockLength(), headerDecoder.version());
                listener.onQuery(queryDecoder);
                break;
            default:
                unknownCommands.incrementOrdered();
                return Action.CONTINUE;
        }
        return publisher.hasPending() ? Action.BREAK : Action.CONTINUE;
    }
}
