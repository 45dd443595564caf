package io.ordergw.engine.journal;

import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateEventEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/** Minimal encoded events for journal tests: SeqNum, order id and a recognisable quantity. */
final class JournalEvents
{
    final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final OrderStateEventEncoder encoder = new OrderStateEventEncoder();

    int encode(final long seqNum)
    {
        encoder.wrapAndApplyHeader(buffer, 0, header)
            .seqNum(seqNum)
            .orderId(1000 + seqNum)
            .accountId(1)
            .quantity(seqNum * 7)
            .orderState(OrderState.Working);
        encoder.exchangeServiceId("svc-" + seqNum);
        encoder.reason("");
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    static long quantityOf(final org.agrona.DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + MessageHeaderEncoder.ENCODED_LENGTH + OrderStateEventEncoder.quantityEncodingOffset(),
            OrderStateEventEncoder.BYTE_ORDER);
    }
}
