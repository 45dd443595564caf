package io.ordergw.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.ordergw.gateway.ApexAssertions.assertRefusal;
import static io.ordergw.gateway.ApexAssertions.nextEvent;
import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.ApexAssertions.sendRefused;
import static io.ordergw.gateway.ApexAssertions.seqNum;
import static io.ordergw.gateway.ApexAssertions.subscribe;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every error path of docs/api.md section 3 over the JDK's WebSocket client, each with its exact errormsg and a detail
 * naming the field and the rule; frames that cannot be read (m=5); binary and oversized frames; and the frames real
 * APEX clients send that must be accepted (o as an object, m=2/4, any i).
 */
@SystemTest
class WebSocketErrorPathEndToEndTest
{
    private static final int MAX_FRAME_BYTES = 4096;

    @TempDir
    static Path dir;

    private static GatewayHarness harness;

    @BeforeAll
    static void startGateway() throws Exception
    {
        harness = new GatewayHarness(dir, "ordergw.gateway.max-frame-bytes = 4KiB\n");
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
    void requestsBeforeLoginAreNotAuthorized() throws Exception
    {
        try (ApexClient client = harness.client())
        {
            assertEquals("PONG", client.call("Ping", "{}").payload().get("msg"), "Ping is public");
            final Map<String, String> requests = Map.of(
                "GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1}",
                "SubscribeAccountEvents", "{\"OMSId\":1,\"AccountId\":1}",
                "SendExchangeOrderStateEvent", order(5001).json(),
                "GetOrderStatus", "{\"OMSId\":1,\"AccountId\":1,\"OrderId\":1}",
                "LogOut", "{}");
            for (final Map.Entry<String, String> request : requests.entrySet())
            {
                final long i = client.send(request.getKey(), request.getValue());
                final ApexClient.Frame reply = client.awaitReply(i);
                assertEquals(1, reply.m, reply.raw);
                assertEquals(request.getKey(), reply.n, reply.raw);
                assertRefusal(reply.payload(), 20, "not logged in");
            }
        }
    }

    @Test
    @Timeout(30)
    void aTraderMayNeitherSendEventsNorReachAnotherAccount() throws Exception
    {
        try (ApexClient operator = harness.login("operator"); ApexClient trader = harness.login("trader"))
        {
            assertRefusal(sendRefused(trader, order(5101)), 20, "Operator");

            final long other = sendAcked(operator, order(5102).raw("accountId", "2"));
            assertTrue(other > 0);
            assertRefusal(trader.call("SubscribeAccountEvents", "{\"OMSId\":1,\"AccountId\":2}").payload(), 20,
                "may not subscribe to account 2");
            assertRefusal(trader.call("GetOpenOrders", "{\"OMSId\":1,\"AccountId\":2}").payload(), 20, "account 2");
            assertRefusal(trader.call("GetOrderHistory", "{\"OMSId\":1,\"AccountId\":2}").payload(), 20, "account 2");
            assertRefusal(trader.call("GetOrderStatus", "{\"OMSId\":1,\"AccountId\":2,\"OrderId\":5102}").payload(), 20,
                "account 2");
            assertRefusal(trader.call("GetOrderHistoryByOrderId", "{\"OMSId\":1,\"OrderId\":5102}").payload(), 20,
                "OrderId");
            assertRefusal(trader.call("GetOrderStateTransitions", "{\"OMSId\":1,\"OrderId\":5102}").payload(), 20,
                "OrderId");
            // Asking for another account's order under one's own account finds nothing of one's own.
            assertRefusal(
                trader.call("GetOrderStatus", "{\"OMSId\":1,\"AccountId\":1,\"OrderId\":5102}").payload(), 104, "5102");

            // The trader's own subscription carries none of account 2's events.
            final long sub = subscribe(trader, 1, 0);
            sendAcked(operator, order(5103).raw("accountId", "2"));
            final long mine = sendAcked(operator, order(5104));
            final ApexClient.Frame event = nextEvent(trader, sub);
            assertEquals(mine, seqNum(event.payload()), event.raw);
            assertEquals(1L, event.payload().get("AccountId"));
        }
    }

    @Test
    @Timeout(30)
    void malformedPayloadsAre100WithTheFieldAndTheRule() throws Exception
    {
        try (ApexClient operator = harness.login("operator"))
        {
            final Map<OrderEventJson, String> cases = new java.util.LinkedHashMap<>();
            cases.put(order(5201).raw("side", "7"), "side: 7 is not Buy(0), Sell(1) or Short(2)");
            cases.put(order(5201).raw("side", "3"), "side: 3 is not Buy(0), Sell(1) or Short(2)");
            cases.put(order(5201).remove("accountId"), "accountId: required");
            cases.put(order(5201).raw("accountId", "0"), "accountId: 0 must be > 0");
            cases.put(order(5201).quantity("1.123456789"), "quantity: 1.123456789 has more than 8 decimal places");
            cases.put(order(5201).quantity("-1"), "quantity");
            cases.put(order(5201).raw("displayQuantity", "11"), "displayQuantity: must be <= quantity");
            cases.put(order(5201).raw("tIF", "6"), "orderExpirationDateTime: must be > 0 for a GTD order");
            cases.put(order(5201).raw("tIF", "0"), "tIF: 0 is not");
            cases.put(order(5201).raw("orderType", "0"), "orderType: 0 is not");
            cases.put(order(5201).raw("limitPrice", "0"), "limitPrice: must be > 0 for a Limit order");
            cases.put(order(5201).raw("orderFlag", "16"), "orderFlag: 16 has bits other than");
            cases.put(order(5201).raw("orderId", "\"abc\""), "orderId");
            cases.put(order(5201).raw("side", "null"), "side: must not be null");
            cases.put(order(5201).quantity("100000000000"), "quantity: 100000000000 is too large");
            cases.put(order(5201).text("side", "Sideways"), "side: \"Sideways\" is not");
            cases.put(order(5201).text("exchangeServiceId", "x".repeat(65)), "exchangeServiceId: longer than 64 bytes");
            for (final Map.Entry<OrderEventJson, String> c : cases.entrySet())
            {
                assertRefusal(sendRefused(operator, c.getKey()), 100, c.getValue());
            }
            final ApexClient.Frame twice = operator.call("SendExchangeOrderStateEvent",
                order(5201).json().replace("{", "{\"side\":1,"));
            assertRefusal(twice.payload(), 100, "side: given twice");
            final ApexClient.Frame notJson = operator.call("SendExchangeOrderStateEvent", "{\"side\":");
            assertRefusal(notJson.payload(), 100, "payload");
            final ApexClient.Frame badQuery = operator.call("GetOpenOrders", "{\"OMSId\":1,\"AccountId\":\"one\"}");
            assertRefusal(badQuery.payload(), 100, "AccountId");

            // Nothing was applied.
            assertRefusal(operator.call("GetOrderStatus", "{\"OMSId\":1,\"AccountId\":1,\"OrderId\":5201}").payload(),
                104, "5201");
        }
    }

    @Test
    @Timeout(30)
    void anEventTheOrdersStateForbidsIs101() throws Exception
    {
        try (ApexClient operator = harness.login("operator"))
        {
            final OrderEventJson placed = order(5301);
            sendAcked(operator, placed);
            assertRefusal(sendRefused(operator, placed.copy().raw("side", "1")), 101, "side");
            assertRefusal(sendRefused(operator, placed.copy().raw("accountId", "4")), 101, "accountId");
            assertRefusal(sendRefused(operator, placed.copy().trade("12", "100", 3)), 101, "quantity");
            sendAcked(operator, placed.copy().trade("0", "100", 3));
            final Map<String, Object> refused = sendRefused(operator, placed.copy().quantity("5"));
            assertRefusal(refused, 101, "FullyExecuted");
            assertRefusal(sendRefused(operator, placed.copy().raw("linkType", "1")), 101, "FullyExecuted");
        }
    }

    @Test
    @Timeout(30)
    void aGatewayThatCannotJournalRefusesWith102AndAppliesNothing(@TempDir final Path fullDir) throws Exception
    {
        try (GatewayHarness full = new GatewayHarness(fullDir, "ordergw.journal.min-free-space = 1000000 TiB\n");
            ApexClient operator = full.login("operator"))
        {
            assertRefusal(sendRefused(operator, order(5601)), 102, "ordergw.journal.min-free-space");
            assertRefusal(operator.call("GetOrderStatus", "{\"OMSId\":1,\"AccountId\":1,\"OrderId\":5601}").payload(),
                104, "5601");
            final ApexHttp http = new ApexHttp(full.gateway.httpUrl());
            final ApexHttp.Response overHttp = http.postAs(http.login("operator", GatewayHarness.PASSWORD),
                "SendExchangeOrderStateEvent", order(5602).json());
            assertEquals(500, overHttp.status, "a journal that cannot take events is a server error, not busy: " + overHttp);
            assertRefusal(overHttp.payload(), 102, "nothing was applied");
        }
    }

    @Test
    @Timeout(30)
    void unknownOrdersOmsAndFunctionsAre104And106() throws Exception
    {
        try (ApexClient operator = harness.login("operator"))
        {
            assertRefusal(sendRefused(operator, order(5401).raw("linkType", "1")), 104,
                "orderId: 5401 is not a known order");
            assertRefusal(sendRefused(operator, order(5401).raw("linkType", "2")), 104, "orderId: 5401");
            assertRefusal(sendRefused(operator, order(5402).raw("omsId", "2")), 104,
                "omsId: 2 is not this gateway's OMS (1)");
            assertRefusal(operator.call("SubscribeAccountEvents", "{\"OMSId\":2,\"AccountId\":1}").payload(), 104,
                "OMSId: 2");
            assertRefusal(operator.call("GetOpenOrders", "{\"OMSId\":7,\"AccountId\":1}").payload(), 104, "OMSId: 7");

            final ApexClient.Frame unknown = operator.call("GetL2Snapshot", "{\"OMSId\":1,\"InstrumentId\":1}");
            assertEquals(1, unknown.m, unknown.raw);
            assertEquals("GetL2Snapshot", unknown.n, unknown.raw);
            assertRefusal(unknown.payload(), 106, "GetL2Snapshot");
        }
    }

    @Test
    @Timeout(30)
    void framesThatCannotBeReadGetAnM5ErrorAndTheConnectionGoesOn() throws Exception
    {
        try (ApexClient client = harness.client())
        {
            assertM5(client, "hello", 0);
            assertM5(client, "[1,2,3]", 0);
            assertM5(client, "{\"m\":0,\"i\":41,\"o\":\"{}\"}", 41);
            assertM5(client, "{\"m\":0,\"i\":43,\"n\":\"Ping\",\"o\":\"{}\"", 43);
            assertM5(client, "{\"m\":0,\"i\":45,\"n\":\"Ping\",\"n\":\"Ping\",\"o\":\"{}\"}", 45);
            assertEquals("PONG", client.call("Ping", "{}").payload().get("msg"), "the connection still works");
        }
    }

    @Test
    @Timeout(30)
    void aReadableFrameWhoseOOrMBreaksARuleGetsItsReply() throws Exception
    {
        // docs/api.md section 2: every request with a readable i and n gets exactly one m=1 reply.
        try (ApexClient client = harness.client())
        {
            assertReplyRefusal(client, "{\"m\":0,\"i\":47,\"n\":\"Ping\",\"o\":5}", 47, "Ping",
                "o: expected a JSON string or object, got a number");
            assertReplyRefusal(client, "{\"o\":[{}],\"n\":\"GetOpenOrders\",\"i\":48}", 48, "GetOpenOrders",
                "o: expected a JSON string or object, got an array");
            assertReplyRefusal(client, "{\"m\":300,\"i\":49,\"n\":\"Ping\",\"o\":\"{}\"}", 49, "Ping",
                "m: 300 is out of range");
            assertEquals("PONG", client.call("Ping", "{}").payload().get("msg"), "the connection still works");
        }
    }

    private static void assertReplyRefusal(
        final ApexClient client, final String frame, final long expectedI, final String expectedN, final String detail)
        throws Exception
    {
        client.sendRaw(frame);
        final ApexClient.Frame reply = client.nextFrame(10_000);
        assertNotNull(reply, "no answer to " + frame);
        assertEquals(1, reply.m, reply.raw);
        assertEquals(expectedI, reply.i, reply.raw);
        assertEquals(expectedN, reply.n, reply.raw);
        final Map<String, Object> payload = reply.payload();
        assertEquals(false, payload.get("result"), reply.raw);
        assertEquals(100L, payload.get("errorcode"), reply.raw);
        assertEquals("Invalid Response", payload.get("errormsg"), reply.raw);
        assertTrue(String.valueOf(payload.get("detail")).startsWith(detail), reply.raw);
    }

    @Test
    @Timeout(30)
    void lenientFramesAreAnswered() throws Exception
    {
        try (ApexClient operator = harness.login("operator"); ApexClient trader = harness.login("trader"))
        {
            // o as a JSON object, or left out.
            trader.sendRaw("{\"m\":0,\"i\":3,\"n\":\"GetOpenOrders\",\"o\":{\"OMSId\":1,\"AccountId\":1}}");
            final ApexClient.Frame objectPayload = trader.awaitReply(3);
            assertEquals(1, objectPayload.m, objectPayload.raw);
            assertTrue(objectPayload.o instanceof List, objectPayload.raw);
            trader.sendRaw("{\"m\":0,\"i\":5,\"n\":\"Ping\"}");
            assertEquals("PONG", trader.awaitReply(5).payload().get("msg"));

            // i = 0, odd, negative, repeated: each gets its own reply.
            for (final long i : new long[]{0, 7, 7, -3, 1L << 40})
            {
                trader.sendRaw("{\"m\":0,\"i\":" + i + ",\"n\":\"Ping\",\"o\":\"{}\"}");
                final ApexClient.Frame reply = trader.awaitReply(i);
                assertEquals(1, reply.m, reply.raw);
                assertEquals("Ping", reply.n, reply.raw);
            }

            // Two events sent with one i, without waiting: each is acknowledged, both replies carrying that i.
            final String twice = "{\"m\":0,\"i\":21,\"n\":\"SendExchangeOrderStateEvent\",\"o\":";
            operator.sendRaw(twice + ApexClient.quote(order(5504).json()) + "}");
            operator.sendRaw(twice + ApexClient.quote(order(5505).json()) + "}");
            final ApexClient.Frame firstAck = operator.awaitReply(21);
            final ApexClient.Frame secondAck = operator.awaitReply(21);
            assertEquals(true, firstAck.payload().get("result"), firstAck.raw);
            assertEquals(true, secondAck.payload().get("result"), secondAck.raw);
            assertTrue(seqNum(secondAck.payload()) > seqNum(firstAck.payload()), secondAck.raw);

            // m=2 Subscribe and m=4 UnSubscribe, function names in any letter case.
            trader.sendRaw("{\"m\":2,\"i\":9,\"n\":\"SubscribeAccountEvents\",\"o\":" +
                ApexClient.quote("{\"OMSId\":1,\"AccountId\":1}") + "}");
            final ApexClient.Frame subscribed = trader.awaitReply(9);
            assertEquals(1, subscribed.m, subscribed.raw);
            assertEquals(true, subscribed.payload().get("Subscribed"), subscribed.raw);
            final long first = sendAcked(operator, order(5501));
            assertEquals(first, seqNum(nextEvent(trader, 9).payload()));

            trader.sendRaw("{\"m\":4,\"i\":9,\"n\":\"UnSubscribeAccountEvents\",\"o\":{\"omsid\":1,\"accountid\":1}}");
            final ApexClient.Frame unsubscribed = trader.awaitReply(9);
            assertEquals(1, unsubscribed.m, unsubscribed.raw);
            assertEquals(Map.of("UnSubscribed", true), unsubscribed.payload());
            sendAcked(operator, order(5502));

            trader.sendRaw("{\"m\":2,\"i\":11,\"n\":\"subscribeaccountevents\",\"o\":{\"OMSId\":1,\"AccountId\":1}}");
            assertEquals(true, trader.awaitReply(11).payload().get("Subscribed"));
            final long third = sendAcked(operator, order(5503));
            final ApexClient.Frame event = nextEvent(trader, 11);
            assertEquals(third, seqNum(event.payload()),
                "nothing came between UnSubscribe and Subscribe: " + event.raw);
        }
    }

    @Test
    @Timeout(30)
    void aBinaryFrameClosesTheConnectionWith1003() throws Exception
    {
        try (ApexClient client = harness.client())
        {
            client.sendBinary(
                "{\"m\":0,\"i\":1,\"n\":\"Ping\",\"o\":\"{}\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(1003, client.awaitCloseCode(10_000), client.awaitClose(0));
        }
    }

    @Test
    @Timeout(30)
    void aFrameLargerThanMaxFrameBytesClosesTheConnectionWith1009() throws Exception
    {
        try (ApexClient client = harness.client())
        {
            final String under =
                "{\"m\":0,\"i\":13,\"n\":\"Ping\",\"o\":{\"pad\":\"" + "x".repeat(MAX_FRAME_BYTES - 100) + "\"}}";
            client.sendRaw(under);
            assertEquals("PONG", client.awaitReply(13).payload().get("msg"), "a frame under the limit is answered");

            client.sendRaw("{\"m\":0,\"i\":15,\"n\":\"Ping\",\"o\":{\"pad\":\"" + "x".repeat(MAX_FRAME_BYTES) + "\"}}");
            assertEquals(1009, client.awaitCloseCode(10_000), client.awaitClose(0));
        }
    }

    @Test
    @Timeout(30)
    void aMessageSentInFragmentsLargerThanMaxFrameBytesClosesTheConnectionWith1009() throws Exception
    {
        try (ApexClient client = harness.client())
        {
            final String chunk = "x".repeat(MAX_FRAME_BYTES / 2);
            client.socket().sendText("{\"m\":0,\"i\":17,\"n\":\"Ping\",\"o\":{\"pad\":\"" + chunk, false)
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
            client.socket().sendText(chunk, false).get(10, java.util.concurrent.TimeUnit.SECONDS);
            try
            {
                client.socket().sendText(chunk + "\"}}", true).get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            catch (final java.util.concurrent.ExecutionException ex)
            {
                // The first two fragments already pass the limit: the server may have closed before the last one.
                assertTrue(ex.getCause() instanceof java.io.IOException, ex.toString());
            }
            assertEquals(1009, client.awaitCloseCode(10_000), client.awaitClose(0));
        }
    }

    @Test
    @Timeout(30)
    void theEndpointIsWSGatewayWithOrWithoutATrailingSlash() throws Exception
    {
        try (ApexClient slash = ApexClient.connect(harness.gateway.webSocketUrl() + "/"))
        {
            assertEquals("PONG", slash.call("Ping", "{}").payload().get("msg"));
        }
        final Exception wrongPath = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
            () -> ApexClient.connect(harness.gateway.webSocketUrl().replace("/WSGateway", "/Other")).close());
        assertNotNull(wrongPath);
    }

    @Test
    @Timeout(30)
    void anIdleConnectionIsClosedWith1001(@TempDir final Path idleDir) throws Exception
    {
        try (GatewayHarness idle = new GatewayHarness(idleDir, "ordergw.gateway.idle-timeout = 1s\n");
            ApexClient quiet = idle.client();
            ApexClient chatty = idle.client())
        {
            final long deadline = System.currentTimeMillis() + 2_500;
            while (System.currentTimeMillis() < deadline)
            {
                assertEquals("PONG", chatty.call("Ping", "{}").payload().get("msg"));
                Thread.sleep(200);
            }
            assertEquals(1001, quiet.awaitCloseCode(10_000), quiet.awaitClose(0));
            assertNull(chatty.awaitClose(0), "a connection that keeps sending stays open");
        }
    }

    @Test
    @Timeout(30)
    void aSubSecondIdleTimeoutIsNotRoundedDownToNone(@TempDir final Path idleDir) throws Exception
    {
        try (GatewayHarness idle = new GatewayHarness(idleDir, "ordergw.gateway.idle-timeout = 300ms\n");
            ApexClient quiet = idle.client())
        {
            assertEquals(1001, quiet.awaitCloseCode(10_000), quiet.awaitClose(0));
        }
    }

    private static void assertM5(final ApexClient client, final String frame, final long expectedI) throws Exception
    {
        client.sendRaw(frame);
        final ApexClient.Frame error = client.nextFrame(10_000);
        assertNotNull(error, "no answer to " + frame);
        assertEquals(5, error.m, error.raw);
        assertEquals(expectedI, error.i, error.raw);
        final Map<String, Object> payload = error.payload();
        assertEquals(false, payload.get("result"), error.raw);
        assertEquals(100L, payload.get("errorcode"), error.raw);
        assertEquals("Invalid Response", payload.get("errormsg"), error.raw);
        assertNotNull(payload.get("detail"), error.raw);
    }
}
