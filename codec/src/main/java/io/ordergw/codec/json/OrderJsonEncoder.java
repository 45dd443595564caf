package io.ordergw.codec.json;

import io.ordergw.codec.sbe.BooleanType;
import io.ordergw.codec.sbe.ChangeReason;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.codec.sbe.OrderType;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes the APEX order object (docs/api.md section 6) from an {@link OrderStateEventDecoder}: the payload of an
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
        encode(event, out, false, 0, 0, false);
    }

    /**
     * Write one revision of an order (GetOrderHistoryByOrderId): the order object, and, when the revision is a
     * fill (ChangeReason Trade), what the fill was: {@code TradeId} (its SeqNum), {@code TradeQuantity},
     * {@code TradePrice} (the event's lastTradePrice), {@code Value}, {@code RemainingQuantity} and
     * {@code TradeTimeMS}. With {@code fillAsQuantity}, such a revision's {@code Quantity} and {@code Price} are the
     * fill's quantity and price instead of the remaining quantity and limit price, which is how ccxt's
     * fetchOrderTrades reads them; every other key keeps its meaning (docs/api.md).
     *
     * @param event          the revision.
     * @param out            the writer.
     * @param fillQuantity   the fill's quantity (QuantityExecuted minus the previous revision's), as a mantissa.
     * @param fillValue      the fill's value (GrossValueExecuted minus the previous revision's), as a mantissa.
     * @param fillAsQuantity whether a fill's Quantity and Price are the fill's.
     */
    public void encodeRevision(
        final OrderStateEventDecoder event,
        final JsonWriter out,
        final long fillQuantity,
        final long fillValue,
        final boolean fillAsQuantity)
    {
        encode(event, out, event.changeReason() == ChangeReason.Trade, fillQuantity, fillValue, fillAsQuantity);
    }

    private void encode(
        final OrderStateEventDecoder event,
        final JsonWriter out,
        final boolean fill,
        final long fillQuantity,
        final long fillValue,
        final boolean fillAsQuantity)
    {
        final boolean swap = fill && fillAsQuantity;
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
        out.key("Price").decimal(swap ? event.lastTradePrice() : event.limitPrice(), scale);
        out.key("StopPrice").decimal(event.stopPrice(), scale);
        out.key("PegPriceType").value(event.pegPriceType().name());
        out.key("Quantity").decimal(swap ? fillQuantity : event.quantity(), scale);
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
        writeOrderFlags(event.buffer().getByte(event.offset() + OrderStateEventDecoder.orderFlagsEncodingOffset()),
            out);
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
        if (fill)
        {
            out.key("TradeId").value(event.seqNum());
            out.key("TradeQuantity").decimal(fillQuantity, scale);
            out.key("TradePrice").decimal(event.lastTradePrice(), scale);
            out.key("Value").decimal(fillValue, scale);
            out.key("RemainingQuantity").decimal(event.quantity(), scale);
            out.key("TradeTimeMS").value(event.eventTimeNanos() / 1_000_000);
        }
        out.endObject();
    }

    /**
     * Write one fill as a trade (GetTradesHistory, api.md section 4.1): the Trade event's order and instrument, the
     * fill's quantity, price (the event's lastTradePrice) and value, and its time.
     *
     * @param event        the Trade event; TradeId and ExecutionId are its SeqNum.
     * @param out          the writer.
     * @param fillQuantity the fill's quantity, as a mantissa.
     * @param fillValue    the fill's value, as a mantissa.
     */
    public void encodeTrade(
        final OrderStateEventDecoder event, final JsonWriter out, final long fillQuantity, final long fillValue)
    {
        final int scale = event.decimalScale();
        out.beginObject();
        out.key("OMSId").value(event.omsId());
        out.key("ExecutionId").value(event.seqNum());
        out.key("TradeId").value(event.seqNum());
        out.key("OrderId").value(event.orderId());
        out.key("AccountId").value(event.accountId());
        out.key("SubAccountId").value(0);
        out.key("ClientOrderId").value(event.clientOrderId());
        out.key("InstrumentId").value(event.productPairId());
        out.key("Side").value(event.side().name());
        out.key("OrderType").value(event.orderType().name());
        out.key("Quantity").decimal(fillQuantity, scale);
        out.key("RemainingQuantity").decimal(event.quantity(), scale);
        out.key("Price").decimal(event.lastTradePrice(), scale);
        out.key("Value").decimal(fillValue, scale);
        out.key("CounterParty").value(Integer.toString(event.counterPartyId()));
        out.key("Direction").value("NoChange");
        out.key("IsBlockTrade").value(event.orderType() == OrderType.BlockTrade);
        out.key("OrderOriginator").value(event.enteredBy());
        out.key("InsideBid").decimal(event.bestBuyPrice(), scale);
        out.key("InsideBidSize").decimal(event.bestBuyQuantity(), scale);
        out.key("InsideAsk").decimal(event.bestSellPrice(), scale);
        out.key("InsideAskSize").decimal(event.bestSellQuantity(), scale);
        out.key("IsQuote").value(event.isQuote() == BooleanType.T);
        out.key("TradeTimeMS").value(event.eventTimeNanos() / 1_000_000);
        out.key("TradeTime").value(ticks(event.eventTimeNanos()));
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
