package io.ordergw.codec.json;

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

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.ordergw.codec.json.Payload.str;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives one {@link OrderStateCommandJsonDecoder} the way the gateway does (one instance, message after message) and
 * reads what it wrote back through the SBE {@link OrderStateCommandDecoder} over the same buffer. Holds two valid
 * payloads that differ in every field, so a check after a refusal shows that nothing of the refused message leaked
 * into the next one.
 */
final class CommandDecoding
{
    /** A Limit Sell with every key in the spelling of docs/api.md section 5 and no optional key. */
    static final Payload LIMIT_SELL = Payload.of(
        "exchangeId", "1",
        "omsId", "1",
        "clientOrderId", "77",
        "accountId", "7",
        "productPairId", "3",
        "orderType", "2",
        "side", "1",
        "tIF", "1",
        "pegPriceType", "0",
        "quantity", "1.5",
        "displayQuantity", "0.5",
        "limitPrice", "65000.12345678",
        "stopPrice", "0",
        "referencePrice", "64999.5",
        "orderExpirationDateTime", "0",
        "orderIdOCO", "0",
        "orderFlag", "2",
        "linkType", "0",
        "exchangeServiceId", str("svc-1"),
        "orderId", "123456789",
        "enteredBy", "9",
        "counterPartyId", "0",
        "isQuote", "false",
        "useMargin", "true",
        "bestSellPrice", "65001",
        "bestSellQuantity", "2.25",
        "bestBuyPrice", "64999",
        "bestBuyQuantity", "3",
        "lastTradePrice", "65000");

    static final String SERVICE_ID_B = "ünï-€-😀 \"q\" \\";
    static final String REASON_B = "trader said \"stop\" \\ 😀";

    /**
     * A TrailingStopLimit Short, GTD, with PascalCase keys, the aliases, enum names, the optional keys, extreme
     * values, and a different value than {@link #LIMIT_SELL} in every field.
     */
    static final Payload TRAILING_SHORT = Payload.of(
        "ExchangeId", "0",
        "OMSId", "1",
        "ClientOrderId", "9223372036854775807",
        "AccountId", "2147483647",
        "InstrumentId", "12",
        "OrderType", str("TrailingStopLimit"),
        "Side", str("short"),
        "TimeInForce", str("GTD"),
        "PegPriceType", str("Ask"),
        "Quantity", "92233720368.54775807",
        "DisplayQuantity", "0.00000001",
        "Price", "0.1",
        "StopPrice", "6.5e4",
        "ReferencePrice", "1e-8",
        "OrderExpirationDateTime", "1767225600000",
        "OrderIdOCO", "42",
        "OrderFlag", str("AddedToBook, RemovedFromBook"),
        "LinkType", str("Update"),
        "ExchangeServiceId", str(SERVICE_ID_B),
        "OrderId", "9223372036854775807",
        "EnteredBy", "0",
        "CounterPartyId", "2147483647",
        "IsQuote", "true",
        "UseMargin", "false",
        "BestSellPrice", "0",
        "BestSellQuantity", "0.00000001",
        "BestBuyPrice", "92233720368.54775807",
        "BestBuyQuantity", "1000",
        "LastTradePrice", "64999.99999999",
        "OrderState", str("working"),
        "ChangeReason", str("UserModified"),
        "Reason", str(REASON_B));

    private static final int CAPACITY = 4096;
    private static final int PAYLOAD_OFFSET = 5;

    final OrderStateCommandJsonDecoder decoder;
    final OrderStateCommandDecoder command = new OrderStateCommandDecoder();
    final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CAPACITY]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final OrderStateCommandEncoder encoder = new OrderStateCommandEncoder();
    private byte[] serviceIdBytes;
    private byte[] reasonBytes;

    CommandDecoding(final int omsId, final int... exchanges)
    {
        decoder = new OrderStateCommandJsonDecoder(8, omsId, exchanges);
    }

    CommandDecoding()
    {
        this(1);
    }

    /**
     * Decode a payload placed at an offset inside a larger array (the bytes around it are not JSON), into a buffer
     * filled with junk first, so that a field the decoder forgot to write cannot pass as a default.
     */
    boolean decode(final String json)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        final byte[] framed = new byte[bytes.length + 2 * PAYLOAD_OFFSET];
        Arrays.fill(framed, (byte)'x');
        System.arraycopy(bytes, 0, framed, PAYLOAD_OFFSET, bytes.length);
        return decode(framed, PAYLOAD_OFFSET, bytes.length);
    }

    boolean decode(final byte[] payload, final int offset, final int length)
    {
        buffer.setMemory(0, CAPACITY, (byte)0x5A);
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        serviceIdBytes = null;
        reasonBytes = null;
        final boolean decoded = decoder.decode(payload, offset, length, encoder);
        if (decoded)
        {
            command.wrapAndApplyHeader(buffer, 0, headerDecoder);
            serviceIdBytes = new byte[command.exchangeServiceIdLength()];
            command.getExchangeServiceId(serviceIdBytes, 0, serviceIdBytes.length);
            reasonBytes = new byte[command.reasonLength()];
            command.getReason(reasonBytes, 0, reasonBytes.length);
            command.wrapAndApplyHeader(buffer, 0, headerDecoder);
        }
        return decoded;
    }

    /** The decoded command, wrapped afresh so that its var fields can be read again. */
    OrderStateCommandDecoder rewound()
    {
        return command.wrapAndApplyHeader(buffer, 0, headerDecoder);
    }

    boolean decode(final Payload payload)
    {
        return decode(payload.json());
    }

    void assertDecodes(final Payload payload)
    {
        assertDecodes(payload.json());
    }

    void assertDecodes(final String json)
    {
        assertTrue(decode(json), () -> "refused (" + decoder.errorCode() + " " + decoder.detail() + "): " + json);
    }

    String detail()
    {
        return decoder.detail().toString();
    }

    byte[] serviceIdBytes()
    {
        return serviceIdBytes;
    }

    String serviceId()
    {
        return new String(serviceIdBytes, StandardCharsets.UTF_8);
    }

    byte[] reasonBytes()
    {
        return reasonBytes;
    }

    String reason()
    {
        return new String(reasonBytes, StandardCharsets.UTF_8);
    }

    int orderFlags()
    {
        return command.orderFlags().getRaw();
    }

    /** Decode {@link #TRAILING_SHORT} and check every field: the decoder is still usable. */
    void assertStillDecodesValidPayloads()
    {
        assertDecodes(TRAILING_SHORT);
        assertTrailingShort();
        assertDecodes(LIMIT_SELL);
        assertLimitSell();
    }

    void assertLimitSell()
    {
        final OrderStateCommandDecoder c = command;
        assertAll(
            () -> assertEquals(1, c.exchangeId(), "exchangeId"),
            () -> assertEquals(1, c.omsId(), "omsId"),
            () -> assertEquals(77, c.clientOrderId(), "clientOrderId"),
            () -> assertEquals(7, c.accountId(), "accountId"),
            () -> assertEquals(3, c.productPairId(), "productPairId"),
            () -> assertEquals(OrderType.Limit, c.orderType(), "orderType"),
            () -> assertEquals(Side.Sell, c.side(), "side"),
            () -> assertEquals(TimeInForce.GTC, c.timeInForce(), "tIF"),
            () -> assertEquals(PegPriceType.Unknown, c.pegPriceType(), "pegPriceType"),
            () -> assertEquals(150_000_000L, c.quantity(), "quantity"),
            () -> assertEquals(50_000_000L, c.displayQuantity(), "displayQuantity"),
            () -> assertEquals(6_500_012_345_678L, c.limitPrice(), "limitPrice"),
            () -> assertEquals(0, c.stopPrice(), "stopPrice"),
            () -> assertEquals(6_499_950_000_000L, c.referencePrice(), "referencePrice"),
            () -> assertEquals(0, c.orderExpirationDateTime(), "orderExpirationDateTime"),
            () -> assertEquals(0, c.orderIdOCO(), "orderIdOCO"),
            () -> assertEquals(2, c.orderFlags().getRaw(), "orderFlag"),
            () -> assertEquals(LinkType.Unknown, c.linkType(), "linkType"),
            () -> assertEquals(123_456_789L, c.orderId(), "orderId"),
            () -> assertEquals(9, c.enteredBy(), "enteredBy"),
            () -> assertEquals(0, c.counterPartyId(), "counterPartyId"),
            () -> assertEquals(BooleanType.F, c.isQuote(), "isQuote"),
            () -> assertEquals(BooleanType.T, c.useMargin(), "useMargin"),
            () -> assertEquals(6_500_100_000_000L, c.bestSellPrice(), "bestSellPrice"),
            () -> assertEquals(225_000_000L, c.bestSellQuantity(), "bestSellQuantity"),
            () -> assertEquals(6_499_900_000_000L, c.bestBuyPrice(), "bestBuyPrice"),
            () -> assertEquals(300_000_000L, c.bestBuyQuantity(), "bestBuyQuantity"),
            () -> assertEquals(6_500_000_000_000L, c.lastTradePrice(), "lastTradePrice"),
            () -> assertEquals(OrderState.NULL_VAL, c.requestedState(), "orderState"),
            () -> assertEquals(ChangeReason.NULL_VAL, c.requestedChangeReason(), "changeReason"),
            () -> assertEquals("svc-1", serviceId(), "exchangeServiceId"),
            () -> assertEquals("", reason(), "reason"));
    }

    void assertTrailingShort()
    {
        final OrderStateCommandDecoder c = command;
        assertAll(
            () -> assertEquals(0, c.exchangeId(), "exchangeId"),
            () -> assertEquals(1, c.omsId(), "omsId"),
            () -> assertEquals(Long.MAX_VALUE, c.clientOrderId(), "clientOrderId"),
            () -> assertEquals(Integer.MAX_VALUE, c.accountId(), "accountId"),
            () -> assertEquals(12, c.productPairId(), "productPairId"),
            () -> assertEquals(OrderType.TrailingStopLimit, c.orderType(), "orderType"),
            () -> assertEquals(Side.Short, c.side(), "side"),
            () -> assertEquals(TimeInForce.GTD, c.timeInForce(), "tIF"),
            () -> assertEquals(PegPriceType.Ask, c.pegPriceType(), "pegPriceType"),
            () -> assertEquals(Long.MAX_VALUE, c.quantity(), "quantity"),
            () -> assertEquals(1, c.displayQuantity(), "displayQuantity"),
            () -> assertEquals(10_000_000L, c.limitPrice(), "limitPrice"),
            () -> assertEquals(6_500_000_000_000L, c.stopPrice(), "stopPrice"),
            () -> assertEquals(1, c.referencePrice(), "referencePrice"),
            () -> assertEquals(1_767_225_600_000L, c.orderExpirationDateTime(), "orderExpirationDateTime"),
            () -> assertEquals(42, c.orderIdOCO(), "orderIdOCO"),
            () -> assertEquals(6, c.orderFlags().getRaw(), "orderFlag"),
            () -> assertEquals(LinkType.Update, c.linkType(), "linkType"),
            () -> assertEquals(Long.MAX_VALUE, c.orderId(), "orderId"),
            () -> assertEquals(0, c.enteredBy(), "enteredBy"),
            () -> assertEquals(Integer.MAX_VALUE, c.counterPartyId(), "counterPartyId"),
            () -> assertEquals(BooleanType.T, c.isQuote(), "isQuote"),
            () -> assertEquals(BooleanType.F, c.useMargin(), "useMargin"),
            () -> assertEquals(0, c.bestSellPrice(), "bestSellPrice"),
            () -> assertEquals(1, c.bestSellQuantity(), "bestSellQuantity"),
            () -> assertEquals(Long.MAX_VALUE, c.bestBuyPrice(), "bestBuyPrice"),
            () -> assertEquals(100_000_000_000L, c.bestBuyQuantity(), "bestBuyQuantity"),
            () -> assertEquals(6_499_999_999_999L, c.lastTradePrice(), "lastTradePrice"),
            () -> assertEquals(OrderState.Working, c.requestedState(), "orderState"),
            () -> assertEquals(ChangeReason.UserModified, c.requestedChangeReason(), "changeReason"),
            () -> assertEquals(SERVICE_ID_B, serviceId(), "exchangeServiceId"),
            () -> assertEquals(REASON_B, reason(), "reason"));
    }
}
