package io.ordergw.engine;

import io.ordergw.codec.sbe.ChangeReason;
import io.ordergw.codec.sbe.LinkType;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.TimeInForce;
import io.ordergw.engine.book.StateHash;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

/**
 * A second, deliberately plain implementation of api.md section 5, written from the table and not from the engine's
 * code: objects in a HashMap, BigDecimal arithmetic. Tests feed it the same commands as the engine and compare
 * outcomes and state hashes. It does not retire orders: use it with retention bounds the test never reaches.
 */
public final class ReferenceModel
{
    /** What the model decided for a command. */
    public enum Outcome
    {
        EVENT, REPEAT, REFUSED
    }

    /** One order as the model holds it. */
    public static final class Order
    {
        public long orderId;
        public int accountId;
        public int productPairId;
        public int side;
        public OrderState state;
        public ChangeReason changeReason;
        public long quantity;
        public long origQuantity;
        public long quantityExecuted;
        public long grossValueExecuted;
        public long avgPrice;
        public long seqNum;
        public String lastRequest;
    }

    private final int scale;
    private final Map<Long, Order> orders = new HashMap<>();
    private long seqNum;
    private int lastErrorCode;

    /**
     * A model at a scale.
     *
     * @param scale decimal places.
     */
    public ReferenceModel(final int scale)
    {
        this.scale = scale;
    }

    /**
     * Decide and apply one command.
     *
     * @param c the command.
     * @return the outcome.
     */
    public Outcome apply(final Commands c)
    {
        lastErrorCode = 0;
        final Order prev = orders.get(c.orderId);
        final String request = requestKey(c);
        OrderState state;
        ChangeReason reason;
        long origQuantity;
        long executed;
        long gross;
        long avg;
        if (prev == null)
        {
            if (c.linkType == LinkType.Cancel || c.linkType == LinkType.Update)
            {
                return refuse(104);
            }
            origQuantity = c.quantity;
            executed = 0;
            gross = 0;
            avg = 0;
            if ((c.orderFlags & Commands.REMOVED_FROM_BOOK) != 0)
            {
                state = OrderState.Rejected;
                reason = ChangeReason.NewInputRejected;
            }
            else
            {
                state = OrderState.Working;
                reason = ChangeReason.NewInputAccepted;
            }
        }
        else
        {
            if (request.equals(prev.lastRequest))
            {
                return Outcome.REPEAT;
            }
            if (prev.state != OrderState.Working)
            {
                return refuse(101);
            }
            if (c.accountId != prev.accountId || c.productPairId != prev.productPairId || c.side.value() != prev.side)
            {
                return refuse(101);
            }
            origQuantity = prev.origQuantity;
            executed = prev.quantityExecuted;
            gross = prev.grossValueExecuted;
            avg = prev.avgPrice;
            final long fill = prev.quantity - c.quantity;
            final boolean removed = (c.orderFlags & Commands.REMOVED_FROM_BOOK) != 0;
            if (c.linkType == LinkType.Cancel)
            {
                state = OrderState.Canceled;
                reason = ChangeReason.UserModified;
            }
            else if (c.counterPartyId != 0 && fill > 0)
            {
                final BigDecimal value = big(fill).multiply(big(c.lastTradePrice)).setScale(scale, RoundingMode.HALF_EVEN);
                executed += fill;
                gross = unbig(big(gross).add(value));
                avg = unbig(big(gross).divide(big(executed), scale, RoundingMode.HALF_EVEN));
                state = c.quantity == 0 ? OrderState.FullyExecuted : removed ? OrderState.Canceled : OrderState.Working;
                reason = ChangeReason.Trade;
            }
            else if (c.counterPartyId != 0 && c.quantity > prev.quantity)
            {
                return refuse(101);
            }
            else if (c.linkType == LinkType.Update)
            {
                origQuantity = executed + c.quantity;
                state = OrderState.Working;
                reason = ChangeReason.UserModified;
            }
            else if (removed && c.timeInForce == TimeInForce.GTD && c.orderExpirationDateTime > 0 &&
                c.orderExpirationDateTime <= Math.floorDiv(c.receiveTimeNanos, 1_000_000L))
            {
                state = OrderState.Expired;
                reason = ChangeReason.Expired;
            }
            else if (removed)
            {
                state = OrderState.Canceled;
                reason = ChangeReason.SystemCanceled_NoMoreMarket;
            }
            else
            {
                state = OrderState.Working;
                reason = ChangeReason.Unknown;
            }
        }
        if (c.requestedState != OrderState.NULL_VAL)
        {
            final OrderState from = prev == null ? null : prev.state;
            final boolean legal = from == null ?
                c.requestedState == OrderState.Working || c.requestedState == OrderState.Rejected :
                c.requestedState != OrderState.Rejected && c.requestedState != OrderState.Unknown;
            if (!legal || (c.requestedState == OrderState.FullyExecuted && c.quantity != 0))
            {
                return refuse(101);
            }
            state = c.requestedState;
        }
        if (c.requestedChangeReason != ChangeReason.NULL_VAL)
        {
            reason = c.requestedChangeReason;
        }

        final Order order = prev == null ? new Order() : prev;
        order.orderId = c.orderId;
        order.accountId = c.accountId;
        order.productPairId = c.productPairId;
        order.side = c.side.value();
        order.state = state;
        order.changeReason = reason;
        order.quantity = c.quantity;
        order.origQuantity = origQuantity;
        order.quantityExecuted = executed;
        order.grossValueExecuted = gross;
        order.avgPrice = avg;
        order.seqNum = ++seqNum;
        order.lastRequest = request;
        orders.put(c.orderId, order);
        return Outcome.EVENT;
    }

    private Outcome refuse(final int code)
    {
        lastErrorCode = code;
        return Outcome.REFUSED;
    }

    /**
     * The error code of the last refusal.
     *
     * @return the code.
     */
    public int lastErrorCode()
    {
        return lastErrorCode;
    }

    /**
     * The order.
     *
     * @param orderId id.
     * @return the order or null.
     */
    public Order order(final long orderId)
    {
        return orders.get(orderId);
    }

    /**
     * Events produced so far.
     *
     * @return the last SeqNum.
     */
    public long seqNum()
    {
        return seqNum;
    }

    /**
     * The state hash, by the definition the book uses.
     *
     * @return the hash.
     */
    public long stateHash()
    {
        long hash = 0;
        for (final Order o : orders.values())
        {
            hash += StateHash.orderHash(o.orderId, o.accountId, o.state.value(), o.changeReason.value(), o.quantity,
                o.origQuantity, o.quantityExecuted, o.grossValueExecuted, o.avgPrice, o.seqNum);
        }
        return hash;
    }

    /**
     * Orders held.
     *
     * @return the map (do not modify).
     */
    public Map<Long, Order> orders()
    {
        return orders;
    }

    private BigDecimal big(final long mantissa)
    {
        return BigDecimal.valueOf(mantissa, scale);
    }

    private long unbig(final BigDecimal value)
    {
        return value.setScale(scale, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
    }

    /** Every request field, as one comparable string: the model's notion of an exact repeat. */
    private static String requestKey(final Commands c)
    {
        return c.exchangeId + "|" + c.omsId + "|" + c.clientOrderId + "|" + c.accountId + "|" + c.productPairId + "|" +
            c.orderType + "|" + c.side + "|" + c.timeInForce + "|" + c.pegPriceType + "|" + c.quantity + "|" +
            c.displayQuantity + "|" + c.limitPrice + "|" + c.stopPrice + "|" + c.referencePrice + "|" +
            c.orderExpirationDateTime + "|" + c.orderIdOCO + "|" + c.orderFlags + "|" + c.linkType + "|" +
            c.exchangeServiceId + "|" + c.orderId + "|" + c.enteredBy + "|" + c.counterPartyId + "|" + c.isQuote + "|" +
            c.useMargin + "|" + c.bestSellPrice + "|" + c.bestSellQuantity + "|" + c.bestBuyPrice + "|" +
            c.bestBuyQuantity + "|" + c.lastTradePrice + "|" + c.requestedState + "|" + c.requestedChangeReason + "|" +
            c.reason;
    }
}
