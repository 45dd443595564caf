package io.ordergw.codec.json;

import io.ordergw.codec.sbe.BooleanType;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes the APEX order object (API.md section 6) from an {@link OrderStateEventDecoder}: the payload of an
 * OrderStateEvent and the element of every order query. Enum values are written as names, OrderFlag as .NET flag
 * names, decimals in plain notation, times as epoch milliseconds and .NET ticks. Garbage-free.
 */
public final class OrderJsonEncoder
{
    /** .NET ticks (100 ns since 0001-01-01) at the Unix epoch. */
    public static final long TICKS_AT_UNIX_EPOCH = 621_355_968_000_000_000L;

    private final UnsafeBuffer exchangeServiceId = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer reason = new UnsafeBuffer(0, 0);

    /**
     * .NET ticks of an epoch-nanosecond time.
     *
     * @param epochNanos time.
     * @return ticks.
     */
    public static long ticks(final long epochNanos)
    {
        return TICKS_AT_UNIX_EPOCH + epochNanos / 100;
    }

    /**
     * Write the order object as a value (after a key, in an array, or as the whole payload).
     *
     * @param event the order after an event; its var fields are read, so wrap it afresh to read them again.
     * @param out   the writer.
     */
    public void encode(final OrderStateEventDecoder event, final JsonWriter out)
    {
        final int scale = event.decimalScale();
        final OrderState state = event.orderState();
        event.wrapExchangeServiceId(exchangeServiceId);
        event.wrapReason(reason);

        out.beginObject();
        out.key("OMSId").value(event.omsId());
        out.key("AccountId").value(event.accountId());
        out.key("Account").value(event.accountId());
        out.key("OrderId").value(event.orderId());
        out.key("ClientOrderId").value(event.clientOrderId());
        out.key("OrigOrderId").value(event.orderId());
        out.key("OrigClOrdId").value(event.origClOrdId());
        out.key("Instrument").value(event.productPairId());
        out.key("Side").value(event.side().name());
        out.key("OrderType").value(event.orderType().name());
        out.key("TimeInForce").value(event.timeInForce().name());
        out.key("OrderState").value(state.name());
        out.key("ChangeReason").value(event.changeReason().name());
        out.key("Price").decimal(event.limitPrice(), scale);
        out.key("StopPrice").decimal(event.stopPrice(), scale);
        out.key("PegPriceType").value(event.pegPriceType().name());
        out.key("Quantity").decimal(event.quantity(), scale);
        out.key("DisplayQuantity").decimal(event.displayQuantity(), scale);
        out.key("OrigQuantity").decimal(event.origQuantity(), scale);
        out.key("QuantityExecuted").decimal(event.quantityExecuted(), scale);
        out.key("GrossValueExecuted").decimal(event.grossValueExecuted(), scale);
        out.key("AvgPrice").decimal(event.avgPrice(), scale);
        out.key("LastTradePrice").decimal(event.lastTradePrice(), scale);
        out.key("CounterPartyId").value(event.counterPartyId());
        out.key("EnteredBy").value(event.enteredBy());
        out.key("IsQuote").value(event.isQuote() == BooleanType.T);
        out.key("UseMargin").value(event.useMargin() == BooleanType.T);
        out.key("OrderFlag");
        writeOrderFlags(event.buffer().getByte(event.offset() + OrderStateEventDecoder.orderFlagsEncodingOffset()), out);
        out.key("InsideBid").decimal(event.bestBuyPrice(), scale);
        out.key("InsideBidSize").decimal(event.bestBuyQuantity(), scale);
        out.key("InsideAsk").decimal(event.bestSellPrice(), scale);
        out.key("InsideAskSize").decimal(event.bestSellQuantity(), scale);
        out.key("RejectReason");
        writeReason(state == OrderState.Rejected, event, out);
        out.key("CancelReason");
        writeReason(state == OrderState.Canceled || state == OrderState.Expired, event, out);
        out.key("IsLockedIn").value(false);
        out.key("ReceiveTime").value(event.receiveTimeNanos() / 1_000_000);
        out.key("ReceiveTimeTicks").value(ticks(event.receiveTimeNanos()));
        out.key("LastUpdatedTime").value(event.eventTimeNanos() / 1_000_000);
        out.key("LastUpdatedTimeTicks").value(ticks(event.eventTimeNanos()));
        out.key("ExchangeId").value(event.exchangeId());
        out.key("ExchangeServiceId").utf8Value(exchangeServiceId, 0, exchangeServiceId.capacity());
        out.key("SeqNum").value(event.seqNum());
        out.endObject();
    }

    /**
     * RejectReason for a Rejected order and CancelReason for a Canceled or Expired one: the request's {@code reason}
     * if it gave one, else the name of the ChangeReason (so an operator's cancel reads "UserModified"). Empty
     * otherwise.
     */
    private void writeReason(final boolean applies, final OrderStateEventDecoder event, final JsonWriter out)
    {
        if (!applies)
        {
            out.value("");
        }
        else if (reason.capacity() > 0)
        {
            out.utf8Value(reason, 0, reason.capacity());
        }
        else
        {
            out.value(event.changeReason().name());
        }
    }

    /**
     * OrderFlag as .NET prints a flags enum: names in bit order joined by ", ", or "0" when none is set.
     *
     * @param bits the flag bits.
     * @param out  the writer.
     */
    static void writeOrderFlags(final int bits, final JsonWriter out)
    {
        // Every combination is a precomputed constant, so writing one allocates nothing.
        out.value(FLAG_TEXT[bits & ApexEnums.ORDER_FLAG_MASK]);
    }

    private static final String[] FLAG_TEXT = new String[ApexEnums.ORDER_FLAG_MASK + 1];

    static
    {
        for (int bits = 0; bits <= ApexEnums.ORDER_FLAG_MASK; bits++)
        {
            final StringBuilder sb = new StringBuilder();
            for (int b = 0; b < ApexEnums.ORDER_FLAG_NAMES.length; b++)
            {
                if ((bits & (1 << b)) != 0)
                {
                    if (sb.length() > 0)
                    {
                        sb.append(", ");
                    }
                    sb.append(ApexEnums.ORDER_FLAG_NAMES[b]);
                }
            }
            FLAG_TEXT[bits] = sb.length() == 0 ? "0" : sb.toString();
        }
    }
}
