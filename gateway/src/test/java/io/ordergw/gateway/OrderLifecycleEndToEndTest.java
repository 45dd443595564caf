package io.ordergw.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.ordergw.gateway.ApexAssertions.assertNumberText;
import static io.ordergw.gateway.ApexAssertions.assertRefusal;
import static io.ordergw.gateway.ApexAssertions.nextEvent;
import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.ApexAssertions.sendRefused;
import static io.ordergw.gateway.ApexAssertions.seqNum;
import static io.ordergw.gateway.ApexAssertions.subscribe;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole order lifecycles over the JDK's WebSocket client: the operator sends SendExchangeOrderStateEvent, the trader
 * (subscribed to its account) receives one OrderStateEvent per applied event with the fields api.md sections 5 and 6
 * promise, and each acknowledgement's SeqNum is the event's.
 */
@SystemTest
class OrderLifecycleEndToEndTest
{
    @TempDir
    static Path dir;

    private static GatewayHarness harness;
    /** The last SeqNum acknowledged in this gateway: acknowledgements of new events only ever go up. */
    private static final AtomicLong LAST_SEQ_NUM = new AtomicLong();
    private static final AtomicLong SENTINEL_ORDER_ID = new AtomicLong(900_000);

    private ApexClient operator;
    private ApexClient trader;
    private long subscription;

    @BeforeAll
    static void startGateway() throws Exception
    {
        harness = new GatewayHarness(dir);
    }

    @AfterAll
    static void stopGateway()
    {
        if (harness != null)
        {
            harness.close();
        }
    }

    @BeforeEach
    void connect() throws Exception
    {
        operator = harness.login("operator");
        trader = harness.login("trader");
        subscription = subscribe(trader, 1, 0);
    }

    @AfterEach
    void noStrayEventsThenDisconnect() throws Exception
    {
        try
        {
            // One frame per event: whatever the test left unread must not be an event. The next event the trader
            // gets must be this new order's.
            final long seqNum = sendAcked(operator, order(SENTINEL_ORDER_ID.incrementAndGet()));
            assertEquals(seqNum, seqNum(nextEvent(trader, subscription).payload()), "a stray event came first");
        }
        finally
        {
            operator.close();
            trader.close();
        }
    }

    @Test
    @Timeout(30)
    void newThenPartialFillThenFillIsWorkingThenFullyExecutedWithAVolumeWeightedAverage() throws Exception
    {
        final OrderEventJson placed = order(1001).raw("side", "1").raw("limitPrice", "100.5")
            .raw("clientOrderId", "77").raw("bestBuyQuantity", "0.00000001");

        final ApexClient.Frame accepted = apply(placed);
        final Map<String, Object> o1 = accepted.payload();
        assertEquals(1L, o1.get("OMSId"));
        assertEquals(1L, o1.get("AccountId"));
        assertEquals(1001L, o1.get("OrderId"));
        assertEquals(77L, o1.get("ClientOrderId"));
        assertEquals(5L, o1.get("Instrument"));
        assertEquals("Sell", o1.get("Side"));
        assertEquals("Limit", o1.get("OrderType"));
        assertEquals("GTC", o1.get("TimeInForce"));
        assertState(o1, "Working", "NewInputAccepted", "10", "10", "0", "0");
        assertEquals("AddedToBook", o1.get("OrderFlag"));
        assertEquals("", o1.get("RejectReason"));
        assertEquals("", o1.get("CancelReason"));
        assertEquals(false, o1.get("IsLockedIn"));
        assertNumberText(accepted.payloadText, "Price", "100.5");
        assertNumberText(accepted.payloadText, "Quantity", "10");
        assertNumberText(accepted.payloadText, "AvgPrice", "0");
        assertNumberText(accepted.payloadText, "InsideBidSize", "0.00000001");
        final long receiveTime = ((Number)o1.get("ReceiveTime")).longValue();
        assertTrue(Math.abs(receiveTime - System.currentTimeMillis()) < 60_000,
            "ReceiveTime is epoch ms: " + receiveTime);
        final long ticks = ((Number)o1.get("ReceiveTimeTicks")).longValue();
        assertEquals(receiveTime, (ticks - 621_355_968_000_000_000L) / 10_000, "ReceiveTimeTicks: .NET ticks");

        final ApexClient.Frame partial = apply(placed.copy().trade("6", "100.25", 7));
        final Map<String, Object> o2 = partial.payload();
        assertState(o2, "Working", "Trade", "6", "10", "4", "100.25");
        assertDecimal("401", o2.get("GrossValueExecuted"));
        assertDecimal("100.25", o2.get("LastTradePrice"));
        assertEquals(7L, o2.get("CounterPartyId"));
        assertEquals(receiveTime, ((Number)o2.get("ReceiveTime")).longValue(), "ReceiveTime is the first event's");
        assertTrue(((Number)o2.get("LastUpdatedTime")).longValue() >= receiveTime);

        final ApexClient.Frame filled = apply(placed.copy().trade("0", "100.75", 8).raw("orderFlag", "6"));
        final Map<String, Object> o3 = filled.payload();
        assertState(o3, "FullyExecuted", "Trade", "0", "10", "10", "100.55");
        assertEquals("AddedToBook, RemovedFromBook", o3.get("OrderFlag"));
        assertNumberText(filled.payloadText, "GrossValueExecuted", "1005.5");
        assertNumberText(filled.payloadText, "AvgPrice", "100.55");
        assertNumberText(filled.payloadText, "Quantity", "0");
        assertFalse(filled.payloadText.contains("E+") || filled.payloadText.contains("E-"), filled.payloadText);
    }

    @Test
    @Timeout(30)
    void theAveragePriceIsRoundedHalfEvenToTheScale() throws Exception
    {
        final OrderEventJson thirds = order(1101).quantity("3").raw("limitPrice", "2");
        apply(thirds);
        apply(thirds.copy().trade("2", "1", 4));
        final ApexClient.Frame thirdsFilled = apply(thirds.copy().trade("0", "2", 4));
        assertState(thirdsFilled.payload(), "FullyExecuted", "Trade", "0", "3", "3", "1.66666667");
        assertNumberText(thirdsFilled.payloadText, "AvgPrice", "1.66666667");

        // 0.00000005 / 2 = 0.000000025: half-even keeps the even 2, half-up would give 3.
        final OrderEventJson tiny = order(1102).quantity("2").raw("limitPrice", "0.00000003");
        apply(tiny);
        apply(tiny.copy().trade("1", "0.00000002", 4));
        final ApexClient.Frame tinyFilled = apply(tiny.copy().trade("0", "0.00000003", 4));
        assertNumberText(tinyFilled.payloadText, "GrossValueExecuted", "0.00000005");
        assertNumberText(tinyFilled.payloadText, "AvgPrice", "0.00000002");
    }

    @Test
    @Timeout(30)
    void newThenCancelIsCanceledByTheUser() throws Exception
    {
        final OrderEventJson placed = order(1201).raw("side", "2");
        assertEquals("Short", apply(placed).payload().get("Side"));
        final Map<String, Object> canceled = apply(placed.copy().raw("linkType", "1")).payload();
        assertState(canceled, "Canceled", "UserModified", "10", "10", "0", "0");
        assertEquals("UserModified", canceled.get("CancelReason"));
        assertEquals("", canceled.get("RejectReason"));

        final OrderEventJson other = order(1202);
        apply(other);
        final Map<String, Object> withReason =
            apply(other.copy().raw("linkType", "1").text("reason", "client asked by phone")).payload();
        assertEquals("Canceled", withReason.get("OrderState"));
        assertEquals("client asked by phone", withReason.get("CancelReason"));
    }

    @Test
    @Timeout(30)
    void anUpdateKeepsTheOrderWorkingWithOrigQuantityExecutedPlusRemaining() throws Exception
    {
        final OrderEventJson placed = order(1301);
        apply(placed);
        apply(placed.copy().trade("6", "99", 3));

        final OrderEventJson update = placed.copy().raw("linkType", "2").quantity("8").raw("limitPrice", "101");
        final ApexClient.Frame updated = apply(update);
        assertState(updated.payload(), "Working", "UserModified", "8", "12", "4", "99");
        assertNumberText(updated.payloadText, "Price", "101");

        // Row 13: only other fields changed.
        final Map<String, Object> touched =
            apply(update.copy().raw("linkType", "0").raw("bestBuyPrice", "98.5")).payload();
        assertState(touched, "Working", "Unknown", "8", "12", "4", "99");
        assertDecimal("98.5", touched.get("InsideBid"));
    }

    @Test
    @Timeout(30)
    void aGtdOrderRemovedAfterItsExpiryIsExpiredAndBeforeItIsCanceled() throws Exception
    {
        final OrderEventJson expiring = order(1401).raw("tIF", "6").raw("orderExpirationDateTime", "1000");
        final Map<String, Object> working = apply(expiring).payload();
        assertEquals("GTD", working.get("TimeInForce"));
        assertEquals("Working", working.get("OrderState"));
        final Map<String, Object> expired = apply(expiring.copy().raw("orderFlag", "4")).payload();
        assertState(expired, "Expired", "Expired", "10", "10", "0", "0");
        assertEquals("RemovedFromBook", expired.get("OrderFlag"));
        assertEquals("Expired", expired.get("CancelReason"));

        final long tomorrow = System.currentTimeMillis() + 86_400_000L;
        final OrderEventJson notYet =
            order(1402).raw("tIF", "6").raw("orderExpirationDateTime", Long.toString(tomorrow));
        apply(notYet);
        final Map<String, Object> canceled = apply(notYet.copy().raw("orderFlag", "4")).payload();
        assertState(canceled, "Canceled", "SystemCanceled_NoMoreMarket", "10", "10", "0", "0");
    }

    @Test
    @Timeout(30)
    void aNewOrderAlreadyRemovedFromTheBookIsRejectedAndStaysSo() throws Exception
    {
        final OrderEventJson rejected = order(1501).raw("orderFlag", "4").text("reason", "price outside the collar");
        final Map<String, Object> o = apply(rejected).payload();
        assertState(o, "Rejected", "NewInputRejected", "10", "10", "0", "0");
        assertEquals("price outside the collar", o.get("RejectReason"));
        assertEquals("", o.get("CancelReason"));

        assertRefusal(sendRefused(operator, rejected.copy().raw("orderFlag", "2")), 101, "Rejected");
    }

    @Test
    @Timeout(30)
    void anExactRepeatOfTheLastEventIsAcknowledgedAgainWithItsSeqNumAndNoEvent() throws Exception
    {
        final OrderEventJson placed = order(1601);
        apply(placed);
        final OrderEventJson fill = placed.copy().trade("4", "100", 9);
        final long fillSeqNum = seqNum(apply(fill).payload());

        assertEquals(fillSeqNum, sendAcked(operator, fill), "a repeat is acknowledged with the event's SeqNum");
        assertEquals(fillSeqNum, sendAcked(operator, fill), "and again");

        // The next event the trader sees is the cancel's, so the repeats produced none.
        final ApexClient.Frame canceled = apply(placed.copy().quantity("4").raw("linkType", "1"));
        assertEquals("Canceled", canceled.payload().get("OrderState"));
        assertDecimal("6", canceled.payload().get("QuantityExecuted"));
    }

    @Test
    @Timeout(30)
    void enumsMayComeAsNamesKeysInAnyLetterCaseAndFlag3IsNoAccountRiskCheckAndAddedToBook() throws Exception
    {
        final OrderEventJson named = order(1701).text("side", "Sell").text("orderType", "Limit").text("tIF", "GTC")
            .text("orderFlag", "AddedToBook");
        final Map<String, Object> o = apply(named).payload();
        assertEquals("Sell", o.get("Side"));
        assertEquals("Limit", o.get("OrderType"));
        assertEquals("GTC", o.get("TimeInForce"));
        assertEquals("AddedToBook", o.get("OrderFlag"));

        final String mixedCase = order(1702).json().replace("\"exchangeId\"", "\"ExchangeID\"")
            .replace("\"omsId\"", "\"OMSId\"").replace("\"accountId\"", "\"AccountId\"")
            .replace("\"orderId\"", "\"ORDERID\"").replace("\"tIF\"", "\"TIF\"");
        final ApexClient.Frame reply = operator.call("SendExchangeOrderStateEvent", mixedCase);
        assertEquals(true, reply.payload().get("result"), reply.raw);
        final long seqNum = ((Number)reply.payload().get("SeqNum")).longValue();
        LAST_SEQ_NUM.set(seqNum);
        final Map<String, Object> mixed = nextEvent(trader, subscription).payload();
        assertEquals(seqNum, seqNum(mixed));
        assertEquals(1702L, mixed.get("OrderId"));

        // The published "3 = RemovedFromBook" is the union of bits 1 and 2: a new order stays on the book.
        final Map<String, Object> three = apply(order(1703).raw("orderFlag", "3")).payload();
        assertEquals("Working", three.get("OrderState"));
        assertEquals("NoAccountRiskCheck, AddedToBook", three.get("OrderFlag"));
        final Map<String, Object> none = apply(order(1704).raw("orderFlag", "0")).payload();
        assertEquals("0", none.get("OrderFlag"));
    }

    /** Send as the operator; the trader's event must follow with the acknowledged SeqNum. */
    private ApexClient.Frame apply(final OrderEventJson event) throws Exception
    {
        final long seqNum = sendAcked(operator, event);
        final long previous = LAST_SEQ_NUM.getAndSet(seqNum);
        assertTrue(seqNum > previous, "SeqNum " + seqNum + " after " + previous);
        final ApexClient.Frame frame = nextEvent(trader, subscription);
        assertEquals(seqNum, seqNum(frame.payload()), "the event's SeqNum is the acknowledgement's: " + frame.raw);
        return frame;
    }

    private static void assertState(
        final Map<String, Object> order,
        final String state,
        final String changeReason,
        final String quantity,
        final String origQuantity,
        final String quantityExecuted,
        final String avgPrice)
    {
        final String text = String.valueOf(order);
        assertEquals(state, order.get("OrderState"), text);
        assertEquals(changeReason, order.get("ChangeReason"), text);
        assertDecimal(quantity, order.get("Quantity"));
        assertDecimal(origQuantity, order.get("OrigQuantity"));
        assertDecimal(quantityExecuted, order.get("QuantityExecuted"));
        assertDecimal(avgPrice, order.get("AvgPrice"));
    }

    static void assertDecimal(final String expected, final Object actual)
    {
        assertTrue(actual instanceof Number, "not a JSON number: " + actual);
        assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(actual.toString())),
            "expected " + expected + " but was " + actual);
    }
}
