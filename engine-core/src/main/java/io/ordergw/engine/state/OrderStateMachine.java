package io.ordergw.engine.state;

import io.ordergw.codec.ApexError;
import io.ordergw.codec.FixedPoint;
import io.ordergw.codec.sbe.ChangeReason;
import io.ordergw.codec.sbe.LinkType;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateCommandDecoder;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.codec.sbe.OrderStateEventEncoder;
import io.ordergw.codec.sbe.TimeInForce;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * How an event moves an order: the table of docs/api.md section 5, row by row, as a pure function
 * {@code (the order's latest event, command) -> new event | repeat | refusal}.
 * <p>
 * It reads no clock (event time comes stamped in the command), draws no random number and keeps no state between
 * calls other than reused scratch, so replaying the same commands gives the same events byte for byte. It does not
 * know where it is hosted: the engine agent feeds it from a ring today; a replicated log could tomorrow.
 * <p>
 * Refusals are values, not exceptions: {@link #decide} returns {@link #REFUSED} with {@link #errorCode()} and a
 * {@link #detail()} naming the field and the rule. Nothing is allocated per decision.
 */
public final class OrderStateMachine
{
    /** {@link #decide}: a new event was written. */
    public static final int EVENT = 0;
    /** {@link #decide}: an exact repeat of the order's last event; acknowledge again, no new event. */
    public static final int REPEAT = 1;
    /** {@link #decide}: refused; see {@link #errorCode()} and {@link #detail()}. */
    public static final int REFUSED = 2;

    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** Where the request block starts in an OrderStateCommand (its first request field). */
    static final int COMMAND_REQUEST_OFFSET = OrderStateCommandDecoder.clientOrderIdEncodingOffset();
    /** Where the same block starts in an OrderStateEvent. */
    static final int EVENT_REQUEST_OFFSET = OrderStateEventDecoder.clientOrderIdEncodingOffset();
    /** Its length: every request field, from clientOrderId to requestedChangeReason. */
    static final int REQUEST_LENGTH = OrderStateCommandDecoder.BLOCK_LENGTH - COMMAND_REQUEST_OFFSET;

    static
    {
        checkRequestLayout();
    }

    private final int scale;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final OrderStateEventEncoder eventEncoder = new OrderStateEventEncoder();
    private final StringBuilder detail = new StringBuilder(128);
    private int errorCode;
    private int eventLength;

    // The outcome being built by the rows.
    private OrderState state;
    private ChangeReason changeReason;
    private long origQuantity;
    private long quantityExecuted;
    private long grossValueExecuted;
    private long avgPrice;

    /**
     * A state machine for values at a scale.
     *
     * @param scale decimal places of fixed-point values.
     */
    public OrderStateMachine(final int scale)
    {
        this.scale = FixedPoint.checkScale(scale);
    }

    /**
     * Decide one command against the order as the book holds it.
     *
     * @param command the command.
     * @param prev    the order's latest event, or null if the book does not hold the order.
     * @param seqNum  the SeqNum the new event would get.
     * @param out     where the new event (header included) is written, at offset 0.
     * @return {@link #EVENT}, {@link #REPEAT} or {@link #REFUSED}.
     */
    public int decide(
        final OrderStateCommandDecoder command,
        final OrderStateEventDecoder prev,
        final long seqNum,
        final MutableDirectBuffer out)
    {
        errorCode = ApexError.NONE;
        eventLength = 0;
        detail.setLength(0);

        final boolean decided = prev == null ? decideNew(command) : decideExisting(command, prev);
        if (!decided)
        {
            return errorCode == ApexError.NONE ? REPEAT : REFUSED;
        }
        if (!applyRequestedState(command, prev))
        {
            return REFUSED;
        }
        writeEvent(command, prev, seqNum, out);
        return EVENT;
    }

    /**
     * The new event's length, header included, after {@link #EVENT}.
     *
     * @return bytes.
     */
    public int eventLength()
    {
        return eventLength;
    }

    /**
     * The APEX error code after {@link #REFUSED}.
     *
     * @return 101 or 104 (or 100 for values that overflow).
     */
    public int errorCode()
    {
        return errorCode;
    }

    /**
     * Why the command was refused: names the field and the rule.
     *
     * @return reused text.
     */
    public CharSequence detail()
    {
        return detail;
    }

    /**
     * The state the last decided event puts the order in.
     *
     * @return the state.
     */
    public OrderState decidedState()
    {
        return state;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Rows 1-3: the book does not hold the order.
    // ---------------------------------------------------------------------------------------------------------------

    private boolean decideNew(final OrderStateCommandDecoder command)
    {
        final LinkType linkType = command.linkType();
        if (linkType == LinkType.Cancel || linkType == LinkType.Update)
        {
            refuse(ApexError.NOT_FOUND, "orderId: ").append(command.orderId())
                .append(" is not a known order, so linkType ").append(linkType.name()).append(" has nothing to change");
            return false;
        }
        origQuantity = command.quantity();
        quantityExecuted = 0;
        grossValueExecuted = 0;
        avgPrice = 0;
        if (command.orderFlags().removedFromBook())
        {
            return outcome(OrderState.Rejected, ChangeReason.NewInputRejected);
        }
        return outcome(OrderState.Working, ChangeReason.NewInputAccepted);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Rows 4-13: the book holds the order.
    // ---------------------------------------------------------------------------------------------------------------

    private boolean decideExisting(final OrderStateCommandDecoder command, final OrderStateEventDecoder prev)
    {
        if (isExactRepeat(command, prev))
        {
            return false; // row 4: no error code set means REPEAT
        }
        final OrderState prevState = prev.orderState();
        if (isTerminal(prevState))
        {
            refuse(ApexError.OPERATION_FAILED, "orderState: order ").append(command.orderId()).append(" is ")
                .append(prevState.name()).append(", a terminal state; no event can change it");
            return false;
        }
        if (!refuseIdentityChange(command, prev))
        {
            return false;
        }

        origQuantity = prev.origQuantity();
        quantityExecuted = prev.quantityExecuted();
        grossValueExecuted = prev.grossValueExecuted();
        avgPrice = prev.avgPrice();

        if (command.linkType() == LinkType.Cancel)
        {
            return outcome(OrderState.Canceled, ChangeReason.UserModified);
        }
        if (command.counterPartyId() != 0)
        {
            final long fill = prev.quantity() - command.quantity();
            if (fill > 0)
            {
                return trade(command, fill);
            }
            if (fill < 0)
            {
                final StringBuilder why =
                    refuse(ApexError.OPERATION_FAILED, "quantity: a trade cannot raise the remaining quantity (from ");
                FixedPoint.append(why, prev.quantity(), scale).append(" to ");
                FixedPoint.append(why, command.quantity(), scale).append(')');
                return false;
            }
        }
        if (command.linkType() == LinkType.Update)
        {
            if (command.quantity() > Long.MAX_VALUE - quantityExecuted)
            {
                refuse(ApexError.INVALID_REQUEST, "quantity: QuantityExecuted + quantity (the new OrigQuantity) ")
                    .append("does not fit a decimal at scale ").append(scale);
                return false;
            }
            origQuantity = quantityExecuted + command.quantity();
            return outcome(OrderState.Working, ChangeReason.UserModified);
        }
        if (command.orderFlags().removedFromBook())
        {
            return removeFromBook(command);
        }
        return outcome(OrderState.Working, ChangeReason.Unknown);
    }

    /**
     * Row 4: every request field equal to the request that produced the order's latest event. The event holds the
     * request block and the var fields byte for byte as the command does, so this is two comparisons of bytes.
     */
    static boolean isExactRepeat(final OrderStateCommandDecoder c, final OrderStateEventDecoder e)
    {
        final DirectBuffer cb = c.buffer();
        final DirectBuffer eb = e.buffer();
        final int cVar = c.offset() + c.sbeBlockLength();
        final int eVar = e.offset() + e.sbeBlockLength();
        final int varLength = varFieldsLength(cb, cVar);
        return varLength == varFieldsLength(eb, eVar) &&
            bytesEqual(cb, c.offset() + COMMAND_REQUEST_OFFSET, eb, e.offset() + EVENT_REQUEST_OFFSET,
                REQUEST_LENGTH) &&
            bytesEqual(cb, cVar, eb, eVar, varLength);
    }

    /** Row 6: an event may not move an open order to another account, instrument or side. */
    private boolean refuseIdentityChange(final OrderStateCommandDecoder command, final OrderStateEventDecoder prev)
    {
        if (command.accountId() != prev.accountId())
        {
            return refuseChange("accountId", prev.accountId(), command.accountId());
        }
        if (command.productPairId() != prev.productPairId())
        {
            return refuseChange("productPairId", prev.productPairId(), command.productPairId());
        }
        if (command.side() != prev.side())
        {
            refuse(ApexError.OPERATION_FAILED, "side: an open order's side cannot change (from ")
                .append(prev.side().name()).append(" to ").append(command.side().name()).append(')');
            return false;
        }
        return true;
    }

    /** Row 8: a fill of {@code fill} at lastTradePrice; then FullyExecuted, Canceled or Working. */
    private boolean trade(final OrderStateCommandDecoder command, final long fill)
    {
        final long value = FixedPoint.multiply(fill, command.lastTradePrice(), scale);
        final long gross = value == FixedPoint.OVERFLOW ? FixedPoint.OVERFLOW : grossValueExecuted + value;
        if (value == FixedPoint.OVERFLOW || gross < 0)
        {
            refuse(ApexError.INVALID_REQUEST, "lastTradePrice: the fill's value does not fit a decimal at scale ")
                .append(scale);
            return false;
        }
        if (fill > Long.MAX_VALUE - quantityExecuted)
        {
            refuse(ApexError.INVALID_REQUEST, "quantity: the fill takes QuantityExecuted past what a decimal at scale ")
                .append(scale).append(" can hold");
            return false;
        }
        final long average = FixedPoint.divide(gross, quantityExecuted + fill, scale);
        if (average == FixedPoint.OVERFLOW)
        {
            // Rounding each fill's value up can lift the average just past the largest price.
            refuse(ApexError.INVALID_REQUEST, "lastTradePrice: the average price does not fit a decimal at scale ")
                .append(scale);
            return false;
        }
        quantityExecuted += fill;
        grossValueExecuted = gross;
        avgPrice = average;
        if (command.quantity() == 0)
        {
            return outcome(OrderState.FullyExecuted, ChangeReason.Trade);
        }
        if (command.orderFlags().removedFromBook())
        {
            return outcome(OrderState.Canceled, ChangeReason.Trade);
        }
        return outcome(OrderState.Working, ChangeReason.Trade);
    }

    /** Rows 11-12: taken off the book: Expired if a GTD order's time has come, else Canceled by the system. */
    private boolean removeFromBook(final OrderStateCommandDecoder command)
    {
        final long expiry = command.orderExpirationDateTime();
        final long eventTimeMillis = Math.floorDiv(command.receiveTimeNanos(), NANOS_PER_MILLI);
        if (command.timeInForce() == TimeInForce.GTD && expiry > 0 && expiry <= eventTimeMillis)
        {
            return outcome(OrderState.Expired, ChangeReason.Expired);
        }
        return outcome(OrderState.Canceled, ChangeReason.SystemCanceled_NoMoreMarket);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Explicit orderState / changeReason (our extension).
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * The request's {@code orderState}, if given, replaces the table's state when the move is legal; its
     * {@code changeReason}, if given, replaces the table's reason. Everything else (fills, quantities) follows the
     * table.
     */
    private boolean applyRequestedState(final OrderStateCommandDecoder command, final OrderStateEventDecoder prev)
    {
        final OrderState requested = command.requestedState();
        if (requested != OrderState.NULL_VAL)
        {
            final OrderState from = prev == null ? OrderState.Unknown : prev.orderState();
            if (!OrderTransitions.isLegal(from, requested))
            {
                refuse(ApexError.OPERATION_FAILED, "orderState: ");
                if (prev == null)
                {
                    detail.append("a new order can only become Working or Rejected, not ").append(requested.name());
                }
                else
                {
                    detail.append(from.name()).append(" -> ").append(requested.name()).append(" is not a legal move");
                }
                return false;
            }
            if (requested == OrderState.FullyExecuted && command.quantity() != 0)
            {
                FixedPoint.append(refuse(ApexError.OPERATION_FAILED,
                    "orderState: FullyExecuted needs quantity 0 (quantity is "), command.quantity(), scale).append(')');
                return false;
            }
            state = requested;
        }
        final ChangeReason requestedReason = command.requestedChangeReason();
        if (requestedReason != ChangeReason.NULL_VAL)
        {
            changeReason = requestedReason;
        }
        return true;
    }

    /**
     * Whether a state admits no further event.
     *
     * @param state the state.
     * @return true for Rejected, Canceled, Expired and FullyExecuted.
     */
    public static boolean isTerminal(final OrderState state)
    {
        return state == OrderState.Rejected || state == OrderState.Canceled || state == OrderState.Expired ||
            state == OrderState.FullyExecuted;
    }

    private boolean outcome(final OrderState state, final ChangeReason changeReason)
    {
        this.state = state;
        this.changeReason = changeReason;
        return true;
    }

    private StringBuilder refuse(final int code, final String text)
    {
        errorCode = code;
        detail.setLength(0);
        return detail.append(text);
    }

    private boolean refuseChange(final String field, final int from, final int to)
    {
        refuse(ApexError.OPERATION_FAILED, field).append(": an open order's ").append(field)
            .append(" cannot change (from ").append(from).append(" to ").append(to).append(')');
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The event: every request field, plus what the rows derived.
    // ---------------------------------------------------------------------------------------------------------------

    private void writeEvent(
        final OrderStateCommandDecoder c,
        final OrderStateEventDecoder prev,
        final long seqNum,
        final MutableDirectBuffer out)
    {
        final OrderStateEventEncoder e = eventEncoder.wrapAndApplyHeader(out, 0, headerEncoder);
        e.seqNum(seqNum)
            .prevSeqNum(prev == null ? 0 : prev.seqNum())
            .eventTimeNanos(c.receiveTimeNanos())
            .receiveTimeNanos(prev == null ? c.receiveTimeNanos() : prev.receiveTimeNanos())
            .origClOrdId(prev == null ? c.clientOrderId() : prev.origClOrdId())
            .origQuantity(origQuantity)
            .quantityExecuted(quantityExecuted)
            .grossValueExecuted(grossValueExecuted)
            .avgPrice(avgPrice)
            .orderState(state)
            .changeReason(changeReason)
            .decimalScale((short)scale);

        // Every request field, then the var fields, copied as they are: the layouts match (see the schema).
        final DirectBuffer src = c.buffer();
        out.putBytes(e.offset() + EVENT_REQUEST_OFFSET, src, c.offset() + COMMAND_REQUEST_OFFSET, REQUEST_LENGTH);
        final int srcVar = c.offset() + c.sbeBlockLength();
        final int varLength = varFieldsLength(src, srcVar);
        out.putBytes(e.limit(), src, srcVar, varLength);
        e.limit(e.limit() + varLength);
        eventLength = MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    /** Bytes of the two var fields (length prefixes included) starting at an offset. */
    private static int varFieldsLength(final DirectBuffer buffer, final int offset)
    {
        final int serviceIdLength = buffer.getShort(offset, OrderStateCommandDecoder.BYTE_ORDER) & 0xFFFF;
        final int reasonAt = offset + 2 + serviceIdLength;
        final int reasonLength = buffer.getShort(reasonAt, OrderStateCommandDecoder.BYTE_ORDER) & 0xFFFF;
        return 2 + serviceIdLength + 2 + reasonLength;
    }

    /**
     * The event must mirror the command's request block field by field; a schema edit that breaks this must fail at
     * once, not corrupt events.
     */
    static void checkRequestLayout()
    {
        final int delta = EVENT_REQUEST_OFFSET - COMMAND_REQUEST_OFFSET;
        final int[][] pairs = {
            {OrderStateCommandDecoder.orderIdEncodingOffset(), OrderStateEventDecoder.orderIdEncodingOffset()},
            {OrderStateCommandDecoder.quantityEncodingOffset(), OrderStateEventDecoder.quantityEncodingOffset()},
            {OrderStateCommandDecoder.displayQuantityEncodingOffset(),
                OrderStateEventDecoder.displayQuantityEncodingOffset()},
            {OrderStateCommandDecoder.limitPriceEncodingOffset(), OrderStateEventDecoder.limitPriceEncodingOffset()},
            {OrderStateCommandDecoder.stopPriceEncodingOffset(), OrderStateEventDecoder.stopPriceEncodingOffset()},
            {OrderStateCommandDecoder.referencePriceEncodingOffset(),
                OrderStateEventDecoder.referencePriceEncodingOffset()},
            {OrderStateCommandDecoder.orderExpirationDateTimeEncodingOffset(),
                OrderStateEventDecoder.orderExpirationDateTimeEncodingOffset()},
            {OrderStateCommandDecoder.orderIdOCOEncodingOffset(), OrderStateEventDecoder.orderIdOCOEncodingOffset()},
            {OrderStateCommandDecoder.bestSellPriceEncodingOffset(),
                OrderStateEventDecoder.bestSellPriceEncodingOffset()},
            {OrderStateCommandDecoder.bestSellQuantityEncodingOffset(),
                OrderStateEventDecoder.bestSellQuantityEncodingOffset()},
            {OrderStateCommandDecoder.bestBuyPriceEncodingOffset(),
                OrderStateEventDecoder.bestBuyPriceEncodingOffset()},
            {OrderStateCommandDecoder.bestBuyQuantityEncodingOffset(),
                OrderStateEventDecoder.bestBuyQuantityEncodingOffset()},
            {OrderStateCommandDecoder.lastTradePriceEncodingOffset(),
                OrderStateEventDecoder.lastTradePriceEncodingOffset()},
            {OrderStateCommandDecoder.exchangeIdEncodingOffset(), OrderStateEventDecoder.exchangeIdEncodingOffset()},
            {OrderStateCommandDecoder.omsIdEncodingOffset(), OrderStateEventDecoder.omsIdEncodingOffset()},
            {OrderStateCommandDecoder.accountIdEncodingOffset(), OrderStateEventDecoder.accountIdEncodingOffset()},
            {OrderStateCommandDecoder.productPairIdEncodingOffset(),
                OrderStateEventDecoder.productPairIdEncodingOffset()},
            {OrderStateCommandDecoder.enteredByEncodingOffset(), OrderStateEventDecoder.enteredByEncodingOffset()},
            {OrderStateCommandDecoder.counterPartyIdEncodingOffset(),
                OrderStateEventDecoder.counterPartyIdEncodingOffset()},
            {OrderStateCommandDecoder.orderTypeEncodingOffset(), OrderStateEventDecoder.orderTypeEncodingOffset()},
            {OrderStateCommandDecoder.sideEncodingOffset(), OrderStateEventDecoder.sideEncodingOffset()},
            {OrderStateCommandDecoder.timeInForceEncodingOffset(), OrderStateEventDecoder.timeInForceEncodingOffset()},
            {OrderStateCommandDecoder.pegPriceTypeEncodingOffset(),
                OrderStateEventDecoder.pegPriceTypeEncodingOffset()},
            {OrderStateCommandDecoder.linkTypeEncodingOffset(), OrderStateEventDecoder.linkTypeEncodingOffset()},
            {OrderStateCommandDecoder.orderFlagsEncodingOffset(), OrderStateEventDecoder.orderFlagsEncodingOffset()},
            {OrderStateCommandDecoder.isQuoteEncodingOffset(), OrderStateEventDecoder.isQuoteEncodingOffset()},
            {OrderStateCommandDecoder.useMarginEncodingOffset(), OrderStateEventDecoder.useMarginEncodingOffset()},
            {OrderStateCommandDecoder.requestedStateEncodingOffset(),
                OrderStateEventDecoder.requestedStateEncodingOffset()},
            {OrderStateCommandDecoder.requestedChangeReasonEncodingOffset(),
                OrderStateEventDecoder.requestedChangeReasonEncodingOffset()},
        };
        for (final int[] pair : pairs)
        {
            if (pair[1] - pair[0] != delta)
            {
                throw new IllegalStateException("OrderStateEvent no longer mirrors OrderStateCommand's request fields");
            }
        }
        if (OrderStateEventDecoder.BLOCK_LENGTH != EVENT_REQUEST_OFFSET + REQUEST_LENGTH)
        {
            throw new IllegalStateException("OrderStateEvent has fields after the request block");
        }
    }

    private static boolean bytesEqual(
        final DirectBuffer a, final int aOffset, final DirectBuffer b, final int bOffset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (a.getByte(aOffset + i) != b.getByte(bOffset + i))
            {
                return false;
            }
        }
        return true;
    }
}
