package io.ordergw.engine;

import io.ordergw.codec.FixedPoint;
import io.ordergw.codec.sbe.BooleanType;
import io.ordergw.codec.sbe.ChangeReason;
import io.ordergw.codec.sbe.LinkType;
import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateCommandDecoder;
import io.ordergw.codec.sbe.OrderStateCommandEncoder;
import io.ordergw.codec.sbe.OrderType;
import io.ordergw.codec.sbe.PegPriceType;
import io.ordergw.codec.sbe.Side;
import io.ordergw.codec.sbe.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds OrderStateCommands for tests: a valid GTC limit buy by default, every field settable. Decimals are given in
 * whole units or as text and converted at scale 8.
 */
public final class Commands
{
    /** The scale tests use. */
    public static final int SCALE = 8;
    /** An event time: 2026-01-01T00:00:00Z in nanoseconds. */
    public static final long T0 = 1_767_225_600_000_000_000L;

    public static final int REMOVED_FROM_BOOK = 4;
    public static final int ADDED_TO_BOOK = 2;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final OrderStateCommandEncoder encoder = new OrderStateCommandEncoder();
    private final OrderStateCommandDecoder decoder = new OrderStateCommandDecoder();

    public long correlationId = 1;
    public long sessionId = 1;
    public long receiveTimeNanos = T0;
    public int exchangeId = 1;
    public int omsId = 1;
    public long clientOrderId = 0;
    public int accountId = 7;
    public int productPairId = 1;
    public OrderType orderType = OrderType.Limit;
    public Side side = Side.Buy;
    public TimeInForce timeInForce = TimeInForce.GTC;
    public PegPriceType pegPriceType = PegPriceType.Unknown;
    public long quantity = units(10);
    public long displayQuantity = units(10);
    public long limitPrice = units(100);
    public long stopPrice = 0;
    public long referencePrice = 0;
    public long orderExpirationDateTime = 0;
    public long orderIdOCO = 0;
    public int orderFlags = ADDED_TO_BOOK;
    public LinkType linkType = LinkType.Unknown;
    public String exchangeServiceId = "";
    public long orderId = 1;
    public int enteredBy = 0;
    public int counterPartyId = 0;
    public boolean isQuote = false;
    public boolean useMargin = false;
    public long bestSellPrice = 0;
    public long bestSellQuantity = 0;
    public long bestBuyPrice = 0;
    public long bestBuyQuantity = 0;
    public long lastTradePrice = 0;
    public OrderState requestedState = OrderState.NULL_VAL;
    public ChangeReason requestedChangeReason = ChangeReason.NULL_VAL;
    public String reason = "";

    /**
     * Whole units at the test scale.
     *
     * @param units whole units.
     * @return mantissa.
     */
    public static long units(final long units)
    {
        return FixedPoint.ofUnits(units, SCALE);
    }

    /**
     * A decimal from text at the test scale.
     *
     * @param text e.g. "1.25".
     * @return mantissa.
     */
    public static long dec(final String text)
    {
        return new java.math.BigDecimal(text).movePointRight(SCALE).longValueExact();
    }

    /**
     * A new order with defaults.
     *
     * @param orderId the order id.
     * @return the builder.
     */
    public static Commands newOrder(final long orderId)
    {
        final Commands c = new Commands();
        c.orderId = orderId;
        c.correlationId = orderId;
        return c;
    }

    /**
     * Encode into this builder's buffer.
     *
     * @return the buffer holding header and body at offset 0.
     */
    public UnsafeBuffer encode()
    {
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .sessionId(sessionId)
            .receiveTimeNanos(receiveTimeNanos)
            .exchangeId(exchangeId)
            .omsId(omsId)
            .clientOrderId(clientOrderId)
            .accountId(accountId)
            .productPairId(productPairId)
            .orderType(orderType)
            .side(side)
            .timeInForce(timeInForce)
            .pegPriceType(pegPriceType)
            .quantity(quantity)
            .displayQuantity(displayQuantity)
            .limitPrice(limitPrice)
            .stopPrice(stopPrice)
            .referencePrice(referencePrice)
            .orderExpirationDateTime(orderExpirationDateTime)
            .orderIdOCO(orderIdOCO)
            .linkType(linkType)
            .orderId(orderId)
            .enteredBy(enteredBy)
            .counterPartyId(counterPartyId)
            .isQuote(isQuote ? BooleanType.T : BooleanType.F)
            .useMargin(useMargin ? BooleanType.T : BooleanType.F)
            .bestSellPrice(bestSellPrice)
            .bestSellQuantity(bestSellQuantity)
            .bestBuyPrice(bestBuyPrice)
            .bestBuyQuantity(bestBuyQuantity)
            .lastTradePrice(lastTradePrice)
            .requestedState(requestedState)
            .requestedChangeReason(requestedChangeReason);
        buffer.putByte(MessageHeaderEncoder.ENCODED_LENGTH + OrderStateCommandEncoder.orderFlagsEncodingOffset(),
            (byte)orderFlags);
        encoder.exchangeServiceId(exchangeServiceId);
        encoder.reason(reason);
        return buffer;
    }

    /**
     * Encoded length after {@link #encode()}.
     *
     * @return bytes, header included.
     */
    public int length()
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * Encode and wrap a decoder over the result.
     *
     * @return the decoder.
     */
    public OrderStateCommandDecoder decoder()
    {
        encode();
        return decoder.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, OrderStateCommandDecoder.BLOCK_LENGTH,
            OrderStateCommandDecoder.SCHEMA_VERSION);
    }

    /**
     * A copy of this builder (to derive the next event of the same order).
     *
     * @return the copy.
     */
    public Commands copy()
    {
        final Commands c = new Commands();
        c.correlationId = correlationId;
        c.sessionId = sessionId;
        c.receiveTimeNanos = receiveTimeNanos;
        c.exchangeId = exchangeId;
        c.omsId = omsId;
        c.clientOrderId = clientOrderId;
        c.accountId = accountId;
        c.productPairId = productPairId;
        c.orderType = orderType;
        c.side = side;
        c.timeInForce = timeInForce;
        c.pegPriceType = pegPriceType;
        c.quantity = quantity;
        c.displayQuantity = displayQuantity;
        c.limitPrice = limitPrice;
        c.stopPrice = stopPrice;
        c.referencePrice = referencePrice;
        c.orderExpirationDateTime = orderExpirationDateTime;
        c.orderIdOCO = orderIdOCO;
        c.orderFlags = orderFlags;
        c.linkType = linkType;
        c.exchangeServiceId = exchangeServiceId;
        c.orderId = orderId;
        c.enteredBy = enteredBy;
        c.counterPartyId = counterPartyId;
        c.isQuote = isQuote;
        c.useMargin = useMargin;
        c.bestSellPrice = bestSellPrice;
        c.bestSellQuantity = bestSellQuantity;
        c.bestBuyPrice = bestBuyPrice;
        c.bestBuyQuantity = bestBuyQuantity;
        c.lastTradePrice = lastTradePrice;
        c.requestedState = requestedState;
        c.requestedChangeReason = requestedChangeReason;
        c.reason = reason;
        return c;
    }

    /**
     * The next event of this order: a copy with a later time and a new correlation id, plain (no link, no trade,
     * no explicit state).
     *
     * @return the builder.
     */
    public Commands next()
    {
        final Commands c = copy();
        c.correlationId = correlationId + 1000;
        c.receiveTimeNanos = receiveTimeNanos + 1_000_000;
        c.linkType = LinkType.Unknown;
        c.counterPartyId = 0;
        c.requestedState = OrderState.NULL_VAL;
        c.requestedChangeReason = ChangeReason.NULL_VAL;
        c.reason = "";
        return c;
    }

    /**
     * Fluent: set the remaining quantity (and display quantity to at most it).
     *
     * @param quantity mantissa.
     * @return this.
     */
    public Commands quantity(final long quantity)
    {
        this.quantity = quantity;
        this.displayQuantity = Math.min(displayQuantity, quantity);
        return this;
    }

    /**
     * Fluent: a trade leaving {@code remaining} at a price.
     *
     * @param remaining remaining quantity mantissa.
     * @param price     trade price mantissa.
     * @return this.
     */
    public Commands trade(final long remaining, final long price)
    {
        quantity(remaining);
        counterPartyId = 99;
        lastTradePrice = price;
        return this;
    }

    /**
     * Fluent: set or clear RemovedFromBook.
     *
     * @param removed whether removed.
     * @return this.
     */
    public Commands removedFromBook(final boolean removed)
    {
        orderFlags = removed ? (orderFlags | REMOVED_FROM_BOOK) & ~ADDED_TO_BOOK : (orderFlags & ~REMOVED_FROM_BOOK);
        return this;
    }

    /**
     * Fluent: set the link type.
     *
     * @param linkType link type.
     * @return this.
     */
    public Commands link(final LinkType linkType)
    {
        this.linkType = linkType;
        return this;
    }

    /**
     * Fluent: request an explicit state.
     *
     * @param state the state.
     * @return this.
     */
    public Commands state(final OrderState state)
    {
        this.requestedState = state;
        return this;
    }
}
