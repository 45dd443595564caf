package io.ordergw.codec.json;

import io.ordergw.codec.FixedPoint;
import io.ordergw.codec.sbe.ChangeReason;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateCommandDecoder;
import io.ordergw.codec.sbe.OrderStateEventEncoder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds the OrderStateEvent an engine would journal for a decoded command, for tests of what goes out: every request
 * field copied, and the derived ones set the way docs/api.md section 5 describes (OrigQuantity = QuantityExecuted +
 * quantity, GrossValueExecuted = QuantityExecuted * lastTradePrice, AvgPrice = GrossValueExecuted / QuantityExecuted).
 * Not the engine: no state machine, just a faithful copy.
 */
final class OrderStateEventFromCommand
{
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final OrderStateEventEncoder event = new OrderStateEventEncoder();
    private final UnsafeBuffer serviceId = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer reason = new UnsafeBuffer(0, 0);

    long seqNum = 1;
    OrderState state = OrderState.Working;
    ChangeReason changeReason = ChangeReason.NewInputAccepted;
    long receiveTimeNanos;
    long eventTimeNanos;
    long quantityExecuted;
    int scale = 8;

    /**
     * Write the event with its message header.
     *
     * @param command a decoded command, wrapped afresh (its var fields are read).
     * @param buffer  where to write.
     * @param offset  where the header goes.
     * @return the length written.
     */
    int write(final OrderStateCommandDecoder command, final MutableDirectBuffer buffer, final int offset)
    {
        final long gross = FixedPoint.multiply(quantityExecuted, command.lastTradePrice(), scale);
        event.wrapAndApplyHeader(buffer, offset, header)
            .seqNum(seqNum)
            .prevSeqNum(seqNum > 1 ? seqNum - 1 : 0)
            .eventTimeNanos(eventTimeNanos)
            .receiveTimeNanos(receiveTimeNanos)
            .clientOrderId(command.clientOrderId())
            .origClOrdId(command.clientOrderId())
            .orderId(command.orderId())
            .quantity(command.quantity())
            .displayQuantity(command.displayQuantity())
            .origQuantity(quantityExecuted + command.quantity())
            .quantityExecuted(quantityExecuted)
            .grossValueExecuted(gross)
            .avgPrice(quantityExecuted == 0 ? 0 : FixedPoint.divide(gross, quantityExecuted, scale))
            .limitPrice(command.limitPrice())
            .stopPrice(command.stopPrice())
            .referencePrice(command.referencePrice())
            .orderExpirationDateTime(command.orderExpirationDateTime())
            .orderIdOCO(command.orderIdOCO())
            .bestSellPrice(command.bestSellPrice())
            .bestSellQuantity(command.bestSellQuantity())
            .bestBuyPrice(command.bestBuyPrice())
            .bestBuyQuantity(command.bestBuyQuantity())
            .lastTradePrice(command.lastTradePrice())
            .exchangeId(command.exchangeId())
            .omsId(command.omsId())
            .accountId(command.accountId())
            .productPairId(command.productPairId())
            .enteredBy(command.enteredBy())
            .counterPartyId(command.counterPartyId())
            .orderType(command.orderType())
            .side(command.side())
            .timeInForce(command.timeInForce())
            .pegPriceType(command.pegPriceType())
            .linkType(command.linkType())
            .isQuote(command.isQuote())
            .useMargin(command.useMargin())
            .orderState(state)
            .changeReason(changeReason)
            .requestedState(command.requestedState())
            .requestedChangeReason(command.requestedChangeReason())
            .decimalScale((short)scale);
        event.orderFlags().clear();
        buffer.putByte(event.offset() + OrderStateEventEncoder.orderFlagsEncodingOffset(),
            (byte)command.orderFlags().getRaw());
        command.wrapExchangeServiceId(serviceId);
        event.putExchangeServiceId(serviceId, 0, serviceId.capacity());
        command.wrapReason(reason);
        event.putReason(reason, 0, reason.capacity());
        return MessageHeaderEncoder.ENCODED_LENGTH + event.encodedLength();
    }
}
