package io.ordergw.engine;

import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.QueryCommandEncoder;
import io.ordergw.codec.sbe.QueryType;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Sends commands to the engine over its ingress ring. One proxy per producing thread (it reuses its scratch);
 * the ring itself takes many producers. Offers never block: false means the ring is full and the caller answers 102.
 */
public final class EngineProxy
{
    private final RingBuffer ingress;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[256]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final QueryCommandEncoder queryEncoder = new QueryCommandEncoder();

    /**
     * A proxy over a ring.
     *
     * @param ingress the engine's ingress ring.
     */
    public EngineProxy(final RingBuffer ingress)
    {
        this.ingress = ingress;
    }

    /**
     * Offer an encoded command (SBE header included), e.g. an OrderStateCommand written by the JSON decoder.
     *
     * @param buffer holding the command.
     * @param offset of its header.
     * @param length of header and body.
     * @return false if the ring is full.
     */
    public boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        return ingress.write(EngineMessages.COMMAND, buffer, offset, length);
    }

    /**
     * Offer a query of the book.
     *
     * @param correlationId echoed in the reply.
     * @param sessionId     echoed in the reply.
     * @param type          what to query.
     * @param omsId         the OMS.
     * @param accountId     the account, 0 for any.
     * @param orderId       the order, 0 if not applicable.
     * @param instrumentId  the instrument filter, 0 for all.
     * @param depth         most results, 0 for the maximum.
     * @param startIndex    results to skip (newest first).
     * @return false if the ring is full.
     */
    public boolean query(
        final long correlationId,
        final long sessionId,
        final QueryType type,
        final int omsId,
        final int accountId,
        final long orderId,
        final int instrumentId,
        final int depth,
        final int startIndex)
    {
        queryEncoder.wrapAndApplyHeader(scratch, 0, headerEncoder)
            .correlationId(correlationId)
            .sessionId(sessionId)
            .queryType(type)
            .omsId(omsId)
            .accountId(accountId)
            .orderId(orderId)
            .instrumentId(instrumentId)
            .depth(depth)
            .startIndex(startIndex);
        return ingress.write(EngineMessages.COMMAND, scratch, 0,
            MessageHeaderEncoder.ENCODED_LENGTH + queryEncoder.encodedLength());
    }

    /**
     * Bytes waiting in the ring, for back-pressure decisions and counters.
     *
     * @return bytes.
     */
    public int ringDepth()
    {
        return ingress.size();
    }
}
