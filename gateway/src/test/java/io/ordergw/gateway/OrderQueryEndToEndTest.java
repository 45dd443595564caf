package io.ordergw.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.ordergw.gateway.ApexAssertions.assertRefusal;
import static io.ordergw.gateway.ApexAssertions.nextEvent;
import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.ApexAssertions.seqNum;
import static io.ordergw.gateway.ApexAssertions.subscribe;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The queries of docs/api.md section 4 over WebSocket and over HTTP answer the same order objects the subscription
 * delivered as events: GetOrderStatus, GetOpenOrders, GetOrderHistory, GetOrderHistoryByOrderId and
 * GetOrderStateTransitions.
 */
@SystemTest
class OrderQueryEndToEndTest
{
    @TempDir
    static Path dir;

    private static GatewayHarness harness;
    private static ApexHttp http;

    @BeforeAll
    static void startGateway() throws Exception
    {
        harness = new GatewayHarness(dir);
        http = new ApexHttp(harness.gateway.httpUrl());
    }

    @AfterAll
    static void stopGateway()
    {
        if (harness != null)
        {
            harness.close();
        }
    }

    @Test
    @Timeout(30)
    void getOrderStatusRightAfterEachAcknowledgementShowsTheNewState() throws Exception
    {
        try (ApexClient operator = harness.login("operator"))
        {
            final String token = http.login("operator", GatewayHarness.PASSWORD);
            final long sub = subscribe(operator, 3, 0);
            final OrderEventJson placed = order(2001).raw("accountId", "3");
            final String status = "{\"OMSId\":1,\"AccountId\":3,\"OrderId\":2001}";
            final OrderEventJson[] steps = {
                placed, placed.copy().trade("7", "50", 2), placed.copy().quantity("7").raw("linkType", "1")};
            final String[] states = {"Working", "Working", "Canceled"};
            for (int k = 0; k < steps.length; k++)
            {
                final long seqNum = sendAcked(operator, steps[k]);
                // Asked before reading the event: the acknowledgement alone promises the state is queryable.
                final ApexClient.Frame reply = operator.call("GetOrderStatus", status);
                assertEquals(1, reply.m, reply.raw);
                assertEquals("GetOrderStatus", reply.n, reply.raw);
                assertEquals(states[k], reply.payload().get("OrderState"), reply.raw);
                assertEquals(seqNum, seqNum(reply.payload()), reply.raw);
                final ApexClient.Frame event = nextEvent(operator, sub);
                assertEquals(event.payload(), reply.payload(), "the status is the event's order object");
                final ApexHttp.Response overHttp = http.postAs(token, "GetOrderStatus", status);
                assertEquals(200, overHttp.status, overHttp.toString());
                assertEquals(event.payload(), overHttp.payload(), "HTTP answers the same object");
            }
        }
    }

    @Test
    @Timeout(30)
    void accountZeroIsNotAWayAroundTheAccountCheck() throws Exception
    {
        try (ApexClient operator = harness.login("operator"); ApexClient trader = harness.login("trader"))
        {
            sendAcked(operator, order(2101).raw("accountId", "3"));
            for (final String function : new String[]{"GetOrderStatus", "GetOpenOrders", "GetOrderHistory"})
            {
                ApexAssertions.assertRefusal(trader.call(function, "{\"OMSId\":1,\"AccountId\":0,\"OrderId\":2101}")
                    .payload(), 100, "AccountId: 0");
            }
            ApexAssertions.assertRefusal(trader.call("GetOrderStatus", "{\"OMSId\":1,\"AccountId\":3,\"OrderId\":2101}")
                .payload(), 20, "AccountId");
        }
    }

    @Test
    @Timeout(30)
    void listsAndHistoriesOverWebSocketAndHttpAgreeWithTheEvents() throws Exception
    {
        try (ApexClient operator = harness.login("operator"); ApexClient trader = harness.login("trader"))
        {
            final String token = http.login("trader", GatewayHarness.PASSWORD);
            final long sub = subscribe(trader, 1, 0);
            final Map<Long, Map<String, Object>> events = new HashMap<>();

            final OrderEventJson a = order(3001).raw("productPairId", "5");
            final OrderEventJson b = order(3002).raw("productPairId", "6");
            final OrderEventJson c = order(3003).raw("productPairId", "5");
            final long a1 = send(operator, trader, sub, a, events);
            final long b1 = send(operator, trader, sub, b, events);
            send(operator, trader, sub, c, events);
            final long c2 = send(operator, trader, sub, c.copy().raw("linkType", "1"), events);
            final long a2 = send(operator, trader, sub, a.copy().trade("4", "100", 5), events);

            // Open orders: Working ones only, newest activity first, optionally of one instrument.
            assertEquals(List.of(events.get(a2), events.get(b1)),
                query(trader, token, "GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1}"));
            assertEquals(List.of(events.get(a2)),
                query(trader, token, "GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1,\"InstrumentId\":5}"));
            assertEquals(List.of(events.get(b1)),
                query(trader, token, "GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1,\"InstrumentId\":6}"));
            assertEquals(List.of(),
                query(trader, token, "GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1,\"InstrumentId\":9}"));

            // History: every order of the account, newest first, in its latest state; Depth and StartIndex page it.
            assertEquals(List.of(events.get(a2), events.get(c2), events.get(b1)),
                query(trader, token, "GetOrderHistory", "{\"OMSId\":1,\"AccountId\":1}"));
            assertEquals(List.of(events.get(a2)),
                query(trader, token, "GetOrderHistory", "{\"OMSId\":1,\"AccountId\":1,\"Depth\":1}"));
            assertEquals(List.of(events.get(c2), events.get(b1)),
                query(trader, token, "GetOrderHistory", "{\"OMSId\":1,\"AccountId\":1,\"StartIndex\":1}"));
            assertEquals(List.of(events.get(c2)),
                query(trader, token, "GetOrderHistory", "{\"OMSId\":1,\"AccountId\":1,\"StartIndex\":1,\"Depth\":1}"));
            assertEquals(List.of(),
                query(trader, token, "GetOrderHistory", "{\"OMSId\":1,\"AccountId\":1,\"StartIndex\":3}"));

            // Every revision of one order, oldest first; a fill also says what it filled (docs/api.md section 4.1).
            final Map<String, Object> fill = new LinkedHashMap<>(events.get(a2));
            fill.put("TradeId", fill.get("SeqNum"));
            fill.put("TradeQuantity", 6L);
            fill.put("TradePrice", 100L);
            fill.put("Value", 600L);
            fill.put("RemainingQuantity", 4L);
            fill.put("TradeTimeMS", fill.get("LastUpdatedTime"));
            assertEquals(List.of(events.get(a1), fill),
                query(trader, token, "GetOrderHistoryByOrderId", "{\"OMSId\":1,\"OrderId\":3001}"));
            assertEquals(2, query(trader, token, "GetOrderHistoryByOrderId", "{\"OMSId\":1,\"OrderId\":3003}").size());

            // Transitions: where the order is and where it may go.
            final Map<String, Object> working =
                queryObject(trader, token, "GetOrderStateTransitions", "{\"OMSId\":1,\"OrderId\":3001}");
            assertEquals("Working", working.get("Current"));
            assertEquals(List.of("Working", "Canceled", "Expired", "FullyExecuted"), working.get("Transitions"));
            final Map<String, Object> canceled =
                queryObject(trader, token, "GetOrderStateTransitions", "{\"OMSId\":1,\"OrderId\":3003}");
            assertEquals("Canceled", canceled.get("Current"));
            assertEquals(List.of(), canceled.get("Transitions"));

            // An unknown order is 104 both ways.
            final ApexClient.Frame unknown =
                trader.call("GetOrderStatus", "{\"OMSId\":1,\"AccountId\":1,\"OrderId\":3999}");
            assertRefusal(unknown.payload(), 104, "3999");
            final ApexHttp.Response unknownOverHttp =
                http.postAs(token, "GetOrderStatus", "{\"OMSId\":1,\"AccountId\":1,\"OrderId\":3999}");
            assertEquals(404, unknownOverHttp.status, unknownOverHttp.toString());
            assertRefusal(unknownOverHttp.payload(), 104, "3999");
        }
    }

    private static long send(
        final ApexClient operator,
        final ApexClient trader,
        final long sub,
        final OrderEventJson event,
        final Map<Long, Map<String, Object>> events) throws Exception
    {
        final long seqNum = sendAcked(operator, event);
        final ApexClient.Frame frame = nextEvent(trader, sub);
        assertEquals(seqNum, seqNum(frame.payload()), frame.raw);
        events.put(seqNum, frame.payload());
        return seqNum;
    }

    /** An array query over WebSocket and over HTTP: both must answer the same, which is returned. */
    private static List<Map<String, Object>> query(
        final ApexClient client, final String token, final String function, final String payload) throws Exception
    {
        final ApexClient.Frame reply = client.call(function, payload);
        assertEquals(1, reply.m, reply.raw);
        assertEquals(function, reply.n, reply.raw);
        final List<Map<String, Object>> overWebSocket = reply.payloadList();
        assertNotNull(overWebSocket, reply.raw);
        final ApexHttp.Response response = http.postAs(token, function, payload);
        assertEquals(200, response.status, response.toString());
        assertEquals(overWebSocket, response.payloadList(), function + " " + payload + ": HTTP and WebSocket differ");
        return new ArrayList<>(overWebSocket);
    }

    private static Map<String, Object> queryObject(
        final ApexClient client, final String token, final String function, final String payload) throws Exception
    {
        final ApexClient.Frame reply = client.call(function, payload);
        assertEquals(1, reply.m, reply.raw);
        final ApexHttp.Response response = http.postAs(token, function, payload);
        assertEquals(200, response.status, response.toString());
        assertEquals(reply.payload(), response.payload(), function + ": HTTP and WebSocket differ");
        return reply.payload();
    }
}
