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
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * APEX over HTTP with the JDK's HTTP client (docs/api.md section 1): {@code POST /AP/{Function}} with the bare payload,
 * logins by payload or Basic header, the token in {@code aptoken}, and HTTP statuses that match the APEX codes.
 */
@SystemTest
class HttpEndToEndTest
{
    @TempDir
    static Path dir;

    private static GatewayHarness harness;
    private static ApexHttp http;

    @BeforeAll
    static void startGateway() throws Exception
    {
        harness = new GatewayHarness(dir, "ordergw.gateway.auth.max-failures = 100\n");
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
    void pingAnswersPongWithTheBarePayload() throws Exception
    {
        final ApexHttp.Response pong = http.post("Ping", "{}");
        assertEquals(200, pong.status, pong.toString());
        assertEquals(Map.of("msg", "PONG"), pong.payload());
        final ApexHttp.Response emptyBody = http.post("Ping", "");
        assertEquals(200, emptyBody.status, emptyBody.toString());
    }

    @Test
    @Timeout(30)
    void authenticateUserWithAPayloadOrABasicHeaderGivesAToken() throws Exception
    {
        final ApexHttp.Response byPayload = http.post("AuthenticateUser",
            "{\"UserName\":\"trader\",\"Password\":\"" + GatewayHarness.PASSWORD + "\"}");
        assertEquals(200, byPayload.status, byPayload.toString());
        final Map<String, Object> login = byPayload.payload();
        assertEquals(true, login.get("Authenticated"));
        assertEquals(Map.of("UserId", 2L, "UserName", "trader", "AccountId", 1L, "OMSId", 1L), login.get("User"));
        assertEquals(false, login.get("Locked"));
        assertEquals(false, login.get("Requires2FA"));
        assertTrue(login.containsKey("errormsg") && login.get("errormsg") == null, byPayload.toString());
        final String token = (String)login.get("SessionToken");
        assertNotNull(token);

        final ApexHttp.Response byHeader = http.post("AuthenticateUser", "",
            "Authorization", ApexHttp.basic("trader", GatewayHarness.PASSWORD));
        assertEquals(200, byHeader.status, byHeader.toString());
        assertEquals(true, byHeader.payload().get("Authenticated"));
        final String headerToken = (String)byHeader.payload().get("SessionToken");
        assertNotEquals(token, headerToken, "each login opens its own session");
        for (final String t : List.of(token, headerToken))
        {
            assertEquals(200, http.postAs(t, "GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1}").status);
        }

        final ApexHttp.Response web = http.post("WebAuthenticateUser",
            "{\"UserName\":\"operator\",\"Password\":\"" + GatewayHarness.PASSWORD + "\"}");
        assertEquals(200, web.status, web.toString());
        assertEquals(true, web.payload().get("Authenticated"));
        assertEquals(1L, web.payload().get("UserId"));
        assertEquals("operator", web.payload().get("UserName"));
        assertEquals(false, web.payload().get("Requires2FA"));
    }

    @Test
    @Timeout(30)
    void aFailedLoginIs401WithTheApexText() throws Exception
    {
        final ApexHttp.Response wrong =
            http.post("AuthenticateUser", "{\"UserName\":\"trader\",\"Password\":\"nope\"}");
        assertEquals(401, wrong.status, wrong.toString());
        assertEquals(false, wrong.payload().get("Authenticated"));
        assertEquals("Invalid username or password", wrong.payload().get("errormsg"));
        assertFalse(wrong.payload().containsKey("SessionToken"), wrong.toString());

        final ApexHttp.Response wrongBasic = http.post("AuthenticateUser", "",
            "Authorization", ApexHttp.basic("trader", "nope"));
        assertEquals(401, wrongBasic.status, wrongBasic.toString());
        assertEquals("Invalid username or password", wrongBasic.payload().get("errormsg"));
    }

    @Test
    @Timeout(30)
    void theTokenGoesInTheAptokenHeaderWhateverItsLetterCase() throws Exception
    {
        final String token = http.login("trader", GatewayHarness.PASSWORD);
        for (final String header : List.of("aptoken", "APTOKEN", "ApToken", "apToken"))
        {
            final ApexHttp.Response open = http.post("GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1}", header, token);
            assertEquals(200, open.status, header + ": " + open);
            assertTrue(open.json instanceof List, open.toString());
        }
        // Payload keys are matched case-insensitively too.
        final ApexHttp.Response lower = http.postAs(token, "GetOpenOrders", "{\"omsid\":1,\"ACCOUNTID\":1}");
        assertEquals(200, lower.status, lower.toString());

        final ApexHttp.Response none = http.post("GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1}");
        assertEquals(401, none.status, none.toString());
        assertRefusal(none.payload(), 20, "not logged in");
        final ApexHttp.Response bogus = http.postAs("0123456789abcdef0123456789abcdef", "GetOpenOrders",
            "{\"OMSId\":1,\"AccountId\":1}");
        assertEquals(401, bogus.status, bogus.toString());
        assertRefusal(bogus.payload(), 20, "not logged in");
    }

    @Test
    @Timeout(30)
    void statusCodesMatchTheApexErrorCodes() throws Exception
    {
        final String trader = http.login("trader", GatewayHarness.PASSWORD);
        final String operator = http.login("operator", GatewayHarness.PASSWORD);

        final ApexHttp.Response placed = http.postAs(operator, "SendExchangeOrderStateEvent", order(4001).json());
        assertEquals(200, placed.status, placed.toString());
        assertEquals(true, placed.payload().get("result"));
        assertTrue(((Number)placed.payload().get("SeqNum")).longValue() > 0, placed.toString());

        final ApexHttp.Response missing = http.postAs(trader, "GetOpenOrders", "{\"OMSId\":1}");
        assertEquals(400, missing.status, missing.toString());
        assertRefusal(missing.payload(), 100, "AccountId: required");

        final ApexHttp.Response twice =
            http.postAs(trader, "GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1,\"accountid\":1}");
        assertEquals(400, twice.status, twice.toString());
        assertRefusal(twice.payload(), 100, "given twice");

        final ApexHttp.Response badSide =
            http.postAs(operator, "SendExchangeOrderStateEvent", order(4002).raw("side", "7").json());
        assertEquals(400, badSide.status, badSide.toString());
        assertRefusal(badSide.payload(), 100, "side: 7 is not Buy(0), Sell(1) or Short(2)");

        final ApexHttp.Response notOperator = http.postAs(trader, "SendExchangeOrderStateEvent", order(4003).json());
        assertEquals(403, notOperator.status, notOperator.toString());
        assertRefusal(notOperator.payload(), 20, "Operator");

        final ApexHttp.Response otherAccount = http.postAs(trader, "GetOpenOrders", "{\"OMSId\":1,\"AccountId\":2}");
        assertEquals(403, otherAccount.status, otherAccount.toString());
        assertRefusal(otherAccount.payload(), 20, "account 2");

        final ApexHttp.Response unknownOrder =
            http.postAs(trader, "GetOrderStatus", "{\"OMSId\":1,\"AccountId\":1,\"OrderId\":4999}");
        assertEquals(404, unknownOrder.status, unknownOrder.toString());
        assertRefusal(unknownOrder.payload(), 104, "orderId: 4999");

        final ApexHttp.Response wrongOms = http.postAs(trader, "GetOpenOrders", "{\"OMSId\":2,\"AccountId\":1}");
        assertEquals(404, wrongOms.status, wrongOms.toString());
        assertRefusal(wrongOms.payload(), 104, "OMSId: 2");

        final ApexHttp.Response unknownFunction = http.postAs(trader, "GetL2Snapshot", "{\"OMSId\":1}");
        assertEquals(404, unknownFunction.status, unknownFunction.toString());
        assertRefusal(unknownFunction.payload(), 106, "GetL2Snapshot");

        final ApexHttp.Response executed = http.postAs(operator, "SendExchangeOrderStateEvent",
            order(4001).quantity("0").raw("orderState", "\"FullyExecuted\"").json());
        assertEquals(200, executed.status, executed.toString());
        final ApexHttp.Response terminal =
            http.postAs(operator, "SendExchangeOrderStateEvent", order(4001).quantity("5").json());
        assertEquals(409, terminal.status, terminal.toString());
        assertRefusal(terminal.payload(), 101, "FullyExecuted");
    }

    @Test
    @Timeout(30)
    void thereAreNoSubscriptionsOverHttp() throws Exception
    {
        final String trader = http.login("trader", GatewayHarness.PASSWORD);
        final ApexHttp.Response subscribe =
            http.postAs(trader, "SubscribeAccountEvents", "{\"OMSId\":1,\"AccountId\":1}");
        assertEquals(404, subscribe.status, subscribe.toString());
        assertRefusal(subscribe.payload(), 106, "WebSocket");
    }

    @Test
    @Timeout(30)
    void logOutEndsTheToken() throws Exception
    {
        final String trader = http.login("trader", GatewayHarness.PASSWORD);
        final ApexHttp.Response out = http.postAs(trader, "LogOut", "{}");
        assertEquals(200, out.status, out.toString());
        assertEquals(true, out.payload().get("result"));
        final ApexHttp.Response after = http.postAs(trader, "GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1}");
        assertEquals(401, after.status, after.toString());
        assertRefusal(after.payload(), 20, "not logged in");
    }

    @Test
    @Timeout(30)
    void aBodyLargerThanTheFrameLimitIs413() throws Exception
    {
        final String padding = "x".repeat(harness.gateway.config().gateway.maxFrameBytes + 1);
        final ApexHttp.Response tooLarge = http.post("Ping", "{\"pad\":\"" + padding + "\"}");
        assertEquals(413, tooLarge.status, tooLarge.status + "");
        assertEquals(200, http.post("Ping", "{}").status, "the server still answers");
    }
}
