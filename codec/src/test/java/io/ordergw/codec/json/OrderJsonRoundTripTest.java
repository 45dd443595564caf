package io.ordergw.codec.json;

import io.ordergw.codec.FixedPoint;
import io.ordergw.codec.sbe.ChangeReason;
import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.ordergw.codec.json.CommandDecoding.LIMIT_SELL;
import static io.ordergw.codec.json.Payload.str;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A SendExchangeOrderStateEvent payload decoded into a command, turned into the OrderStateEvent an engine would
 * journal, and written by {@link OrderJsonEncoder} as the APEX order object of docs/api.md section 6: PascalCase names,
 * enums as names, OrderFlag as .NET flag names, decimals as plain JSON numbers, times in ms and .NET ticks.
 */
class OrderJsonRoundTripTest
{
    private static final long RECEIVE_MS = 1_700_000_000_123L;
    private static final long EVENT_MS = 1_700_000_000_456L;
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("0|[1-9][0-9]*|(0|[1-9][0-9]*)\\.[0-9]*[1-9]");
    private static final List<String> SECTION_6_KEYS = List.of(
        "OMSId", "AccountId", "Account", "OrderId", "ClientOrderId", "OrigOrderId", "OrigClOrdId", "Instrument", "Side",
        "OrderType", "TimeInForce", "OrderState", "ChangeReason", "Price", "StopPrice", "PegPriceType", "Quantity",
        "DisplayQuantity", "OrigQuantity", "QuantityExecuted", "GrossValueExecuted", "AvgPrice", "LastTradePrice",
        "CounterPartyId", "EnteredBy", "IsQuote", "UseMargin", "OrderFlag", "InsideBid", "InsideBidSize", "InsideAsk",
        "InsideAskSize", "RejectReason", "CancelReason", "IsLockedIn", "ReceiveTime", "ReceiveTimeTicks",
        "LastUpdatedTime", "LastUpdatedTimeTicks", "SeqNum");
    private static final List<String> DECIMAL_KEYS = List.of(
        "Price", "StopPrice", "Quantity", "DisplayQuantity", "OrigQuantity", "QuantityExecuted", "GrossValueExecuted",
        "AvgPrice", "LastTradePrice", "InsideBid", "InsideBidSize", "InsideAsk", "InsideAskSize");

    private final CommandDecoding decoding = new CommandDecoding();
    private final OrderStateEventFromCommand events = new OrderStateEventFromCommand();
    private final ExpandableArrayBuffer eventBuffer = new ExpandableArrayBuffer(512);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderStateEventDecoder event = new OrderStateEventDecoder();
    private final OrderJsonEncoder encoder = new OrderJsonEncoder();
    private final JsonWriter out = new JsonWriter();
    private final ExpandableArrayBuffer jsonBuffer = new ExpandableArrayBuffer(64);

    OrderJsonRoundTripTest()
    {
        events.receiveTimeNanos = RECEIVE_MS * 1_000_000L;
        events.eventTimeNanos = EVENT_MS * 1_000_000L;
        events.seqNum = 42;
    }

    @Test
    void shouldWriteTheOrderObjectWithPascalCaseNamesAndTheRequestsValues()
    {
        final Map<String, Object> order = roundTrip(LIMIT_SELL.with("orderFlag", str("AddedToBook, RemovedFromBook")));

        assertTrue(order.keySet().containsAll(SECTION_6_KEYS), () -> "missing: " + missing(order));
        assertAll(
            () -> assertEquals("1", text(order, "OMSId")),
            () -> assertEquals("7", text(order, "AccountId")),
            () -> assertEquals("7", text(order, "Account")),
            () -> assertEquals("123456789", text(order, "OrderId")),
            () -> assertEquals("77", text(order, "ClientOrderId")),
            () -> assertEquals("123456789", text(order, "OrigOrderId")),
            () -> assertEquals("77", text(order, "OrigClOrdId")),
            () -> assertEquals("3", text(order, "Instrument")),
            () -> assertEquals("Sell", order.get("Side")),
            () -> assertEquals("Limit", order.get("OrderType")),
            () -> assertEquals("GTC", order.get("TimeInForce")),
            () -> assertEquals("Working", order.get("OrderState")),
            () -> assertEquals("NewInputAccepted", order.get("ChangeReason")),
            () -> assertEquals("65000.12345678", text(order, "Price")),
            () -> assertEquals("0", text(order, "StopPrice")),
            () -> assertEquals("Unknown", order.get("PegPriceType")),
            () -> assertEquals("1.5", text(order, "Quantity")),
            () -> assertEquals("0.5", text(order, "DisplayQuantity")),
            () -> assertEquals("1.5", text(order, "OrigQuantity")),
            () -> assertEquals("0", text(order, "QuantityExecuted")),
            () -> assertEquals("0", text(order, "GrossValueExecuted")),
            () -> assertEquals("0", text(order, "AvgPrice")),
            () -> assertEquals("65000", text(order, "LastTradePrice")),
            () -> assertEquals("0", text(order, "CounterPartyId")),
            () -> assertEquals("9", text(order, "EnteredBy")),
            () -> assertEquals(Boolean.FALSE, order.get("IsQuote")),
            () -> assertEquals(Boolean.TRUE, order.get("UseMargin")),
            () -> assertEquals("AddedToBook, RemovedFromBook", order.get("OrderFlag")),
            () -> assertEquals("64999", text(order, "InsideBid")),
            () -> assertEquals("3", text(order, "InsideBidSize")),
            () -> assertEquals("65001", text(order, "InsideAsk")),
            () -> assertEquals("2.25", text(order, "InsideAskSize")),
            () -> assertEquals("", order.get("RejectReason")),
            () -> assertEquals("", order.get("CancelReason")),
            () -> assertEquals(Boolean.FALSE, order.get("IsLockedIn")),
            () -> assertEquals(Long.toString(RECEIVE_MS), text(order, "ReceiveTime")),
            () -> assertEquals(RECEIVE_MS * 10_000L + 621_355_968_000_000_000L, number(order, "ReceiveTimeTicks")),
            () -> assertEquals(Long.toString(EVENT_MS), text(order, "LastUpdatedTime")),
            () -> assertEquals(EVENT_MS * 10_000L + 621_355_968_000_000_000L, number(order, "LastUpdatedTimeTicks")),
            () -> assertEquals("42", text(order, "SeqNum")),
            () -> assertEquals("svc-1", order.get("ExchangeServiceId")),
            () -> assertEquals("1", text(order, "ExchangeId")));
        assertDecimalsArePlain(order);
    }

    @Test
    void shouldCarryExtremeValuesAndUnicodeThroughUnchanged()
    {
        final Map<String, Object> order = roundTrip(CommandDecoding.TRAILING_SHORT);

        assertAll(
            () -> assertEquals("9223372036854775807", text(order, "ClientOrderId")),
            () -> assertEquals("2147483647", text(order, "AccountId")),
            () -> assertEquals("9223372036854775807", text(order, "OrderId")),
            () -> assertEquals("12", text(order, "Instrument")),
            () -> assertEquals("Short", order.get("Side")),
            () -> assertEquals("TrailingStopLimit", order.get("OrderType")),
            () -> assertEquals("GTD", order.get("TimeInForce")),
            () -> assertEquals("Ask", order.get("PegPriceType")),
            () -> assertEquals("92233720368.54775807", text(order, "Quantity")),
            () -> assertEquals("0.00000001", text(order, "DisplayQuantity")),
            () -> assertEquals("0.1", text(order, "Price")),
            () -> assertEquals("65000", text(order, "StopPrice")),
            () -> assertEquals("0", text(order, "InsideAsk")),
            () -> assertEquals("0.00000001", text(order, "InsideAskSize")),
            () -> assertEquals("92233720368.54775807", text(order, "InsideBid")),
            () -> assertEquals("1000", text(order, "InsideBidSize")),
            () -> assertEquals("64999.99999999", text(order, "LastTradePrice")),
            () -> assertEquals(Boolean.TRUE, order.get("IsQuote")),
            () -> assertEquals(Boolean.FALSE, order.get("UseMargin")),
            () -> assertEquals("2147483647", text(order, "CounterPartyId")),
            () -> assertEquals("AddedToBook, RemovedFromBook", order.get("OrderFlag")),
            () -> assertEquals(CommandDecoding.SERVICE_ID_B, order.get("ExchangeServiceId")));
        assertDecimalsArePlain(order);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "0; 0",
        "1; NoAccountRiskCheck",
        "2; AddedToBook",
        "3; NoAccountRiskCheck, AddedToBook",
        "4; RemovedFromBook",
        "5; NoAccountRiskCheck, RemovedFromBook",
        "6; AddedToBook, RemovedFromBook",
        "7; NoAccountRiskCheck, AddedToBook, RemovedFromBook",
        "8; PostOnly",
        "9; NoAccountRiskCheck, PostOnly",
        "10; AddedToBook, PostOnly",
        "11; NoAccountRiskCheck, AddedToBook, PostOnly",
        "12; RemovedFromBook, PostOnly",
        "13; NoAccountRiskCheck, RemovedFromBook, PostOnly",
        "14; AddedToBook, RemovedFromBook, PostOnly",
        "15; NoAccountRiskCheck, AddedToBook, RemovedFromBook, PostOnly",
    })
    void shouldPrintOrderFlagAsADotNetFlagsEnum(final int bits, final String expected)
    {
        assertEquals(expected, roundTrip(LIMIT_SELL.with("orderFlag", Integer.toString(bits))).get("OrderFlag"));
        assertEquals(expected, roundTrip(LIMIT_SELL.with("orderFlag", str(expected))).get("OrderFlag"));
    }

    @Test
    void shouldWriteTheFillsAccumulatedValues()
    {
        events.quantityExecuted = FixedPoint.ofUnits(1000, 8);
        final Map<String, Object> order = roundTrip(LIMIT_SELL.with("quantity", "0").with("displayQuantity", "0")
            .with("counterPartyId", "5"));

        assertEquals("65000000", text(order, "GrossValueExecuted"));
        assertEquals("65000", text(order, "AvgPrice"));
        assertEquals("1000", text(order, "QuantityExecuted"));
        assertEquals("1000", text(order, "OrigQuantity"));
        assertEquals("0", text(order, "Quantity"));
        assertDecimalsArePlain(order);
    }

    @Test
    void shouldGiveTheReasonAsRejectReasonOrCancelReason()
    {
        final String reason = "no \"market\" \\ 😀 é";
        events.state = OrderState.Rejected;
        events.changeReason = ChangeReason.NewInputRejected;
        Map<String, Object> order = roundTrip(LIMIT_SELL.plus("reason", str(reason)));
        assertEquals("Rejected", order.get("OrderState"));
        assertEquals("NewInputRejected", order.get("ChangeReason"));
        assertEquals(reason, order.get("RejectReason"));
        assertEquals("", order.get("CancelReason"));

        events.state = OrderState.Canceled;
        events.changeReason = ChangeReason.UserModified;
        order = roundTrip(LIMIT_SELL.plus("reason", str(reason)));
        assertEquals("", order.get("RejectReason"));
        assertEquals(reason, order.get("CancelReason"));

        order = roundTrip(LIMIT_SELL);
        assertEquals("UserModified", order.get("CancelReason"), "without a reason, the ChangeReason's name");

        events.state = OrderState.Expired;
        events.changeReason = ChangeReason.Expired;
        order = roundTrip(LIMIT_SELL);
        assertEquals("Expired", order.get("OrderState"));
        assertEquals("Expired", order.get("CancelReason"));
        assertEquals("", order.get("RejectReason"));

        events.state = OrderState.Working;
        order = roundTrip(LIMIT_SELL.plus("reason", str(reason)));
        assertEquals("", order.get("RejectReason"), "a Working order has no reject reason");
        assertEquals("", order.get("CancelReason"), "a Working order has no cancel reason");
    }

    @Test
    void shouldWriteTicksConsistentWithMillisecondsForSubMillisecondTimes()
    {
        events.receiveTimeNanos = RECEIVE_MS * 1_000_000L + 987_654L;
        final Map<String, Object> order = roundTrip(LIMIT_SELL);

        assertEquals(Long.toString(RECEIVE_MS), text(order, "ReceiveTime"));
        final long ticks = number(order, "ReceiveTimeTicks");
        assertEquals(RECEIVE_MS, (ticks - OrderJsonEncoder.TICKS_AT_UNIX_EPOCH) / 10_000L);
        assertEquals(RECEIVE_MS * 10_000L + 9_876L + 621_355_968_000_000_000L, ticks, "100 ns resolution");
    }

    @Test
    void shouldEmbedTheOrderObjectInAnEventFrame()
    {
        decoding.assertDecodes(LIMIT_SELL);
        events.write(decoding.rewound(), eventBuffer, 0);
        event.wrapAndApplyHeader(eventBuffer, 0, header);

        ApexFrameEncoder.beginFrame(out.wrap(jsonBuffer, 0), ApexFrameDecoder.EVENT, 11, "OrderStateEvent");
        encoder.encode(event, out);
        ApexFrameEncoder.endFrame(out);

        final byte[] frame = new byte[out.position()];
        jsonBuffer.getBytes(0, frame);
        final Map<String, Object> parsed = JsonTree.parseObject(new String(frame, StandardCharsets.UTF_8));
        assertEquals("3", parsed.get("m").toString());
        assertEquals("11", parsed.get("i").toString());
        assertEquals("OrderStateEvent", parsed.get("n"));
        final Map<String, Object> order = JsonTree.parseObject((String)parsed.get("o"));
        assertEquals("Sell", order.get("Side"));
        assertEquals("65000.12345678", text(order, "Price"));

        final ApexFrameDecoder frames = new ApexFrameDecoder(8192);
        assertTrue(frames.decode(frame, 0, frame.length), () -> frames.detail().toString());
        final Object payload = JsonTree.parse(frames.payloadBuffer(), frames.payloadOffset(), frames.payloadLength());
        assertEquals(order.toString(), payload.toString());
    }

    private Map<String, Object> roundTrip(final Payload payload)
    {
        decoding.assertDecodes(payload);
        events.write(decoding.rewound(), eventBuffer, 0);
        event.wrapAndApplyHeader(eventBuffer, 0, header);

        out.wrap(jsonBuffer, 0);
        encoder.encode(event, out);
        return JsonTree.parseObject(jsonBuffer.getStringWithoutLengthUtf8(0, out.position()));
    }

    private static void assertDecimalsArePlain(final Map<String, Object> order)
    {
        for (final String key : DECIMAL_KEYS)
        {
            final Object value = order.get(key);
            assertTrue(value instanceof JsonTree.Num, key + " is a JSON number");
            assertTrue(PLAIN_DECIMAL.matcher(value.toString()).matches(), key + ": " + value);
        }
    }

    private static String text(final Map<String, Object> order, final String key)
    {
        final Object value = order.get(key);
        assertTrue(value instanceof JsonTree.Num, () -> key + " is a JSON number: " + value);
        return value.toString();
    }

    private static long number(final Map<String, Object> order, final String key)
    {
        return Long.parseLong(text(order, key));
    }

    private static List<String> missing(final Map<String, Object> order)
    {
        return SECTION_6_KEYS.stream().filter(key -> !order.containsKey(key)).toList();
    }
}
