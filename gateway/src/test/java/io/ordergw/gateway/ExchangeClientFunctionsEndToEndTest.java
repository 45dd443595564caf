package io.ordergw.gateway;

import io.ordergw.gateway.auth.PasswordHasher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.ordergw.gateway.ApexAssertions.assertRefusal;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What exchange client libraries call beyond section 4 (api.md section 4.1), over HTTP and WebSocket: the GET forms,
 * Authenticate, the API-key headers per request, GetUserAccounts, GetProducts, GetInstruments, GetOrdersHistory,
 * GetTradesHistory, the fills in GetOrderHistoryByOrderId, and the instrument table's check on
 * SendExchangeOrderStateEvent.
 */
@SystemTest
class ExchangeClientFunctionsEndToEndTest
{
    private static final String FILLS_USER = "fills-viewer";
    private static final AtomicLong NONCE = new AtomicLong(System.currentTimeMillis());

    @TempDir
    static Path dir;

    private static GatewayHarness harness;
    private static ApexHttp http;
    private static String token;

    @BeforeAll
    static void startGateway() throws Exception
    {
        final String hash = PasswordHasher.hash(TradingFixture.PASSWORD.toCharArray(), 1_000);
        harness = new GatewayHarness(dir, TradingFixture.settings("orders") +
            "ordergw.gateway.users." + FILLS_USER + " { user-id = 8, password-hash = \"" + hash + "\", " +
            "permissions = [Trading], accounts = [1, 2], trade-revisions = fills }\n" +
            "ordergw.gateway.auth.max-failures = 1000\n");
        http = new ApexHttp(harness.gateway.httpUrl());
        TradingFixture.seed(http);
        token = http.login(TradingFixture.USER, TradingFixture.PASSWORD);
    }

    @AfterAll
    static void stopGateway()
    {
        if (harness != null)
        {
            harness.close();
            harness = null; // every gateway test shares one JVM: a closed gateway held by a static field is heap lost
        }
    }

    @Test
    @Timeout(30)
    void getWithAQueryStringAnswersAsThePostOfTheSamePayload() throws Exception
    {
        final ApexHttp.Response post = http.postAs(token, "GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1}");
        final ApexHttp.Response get = http.get("GetOpenOrders?omsid=1&ACCOUNTID=1", "aptoken", token);
        assertEquals(200, get.status, get.toString());
        assertEquals(post.json, get.json);
        assertEquals(List.of(104L, 102L), orderIds(get.payloadList()));
        assertEquals(List.of(104L), orderIds(http.get("GetOpenOrders?OMSId=1&AccountId=1&InstrumentId=2&Depth=1",
            "aptoken", token).payloadList()));
        assertEquals(Map.of("msg", "PONG"), http.get("Ping").payload());
        assertEquals(Map.of("msg", "PONG"), http.get("Ping?anything=goes").payload());
    }

    @Test
    @Timeout(30)
    @SuppressWarnings("unchecked")
    void badQueryValuesAreRefusedNamingTheField() throws Exception
    {
        assertRefusal(http.get("GetOpenOrders?OMSId=1&AccountId=abc", "aptoken", token).payload(), 100, "AccountId");
        assertRefusal(http.get("GetOpenOrders?OMSId=1&AccountId=", "aptoken", token).payload(), 100, "AccountId");
        final ApexHttp.Response twice = http.get("GetOpenOrders?OMSId=1&AccountId=1&accountid=1", "aptoken", token);
        assertEquals(400, twice.status, twice.toString());
        assertRefusal(twice.payload(), 100, "AccountId");
        assertRefusal(http.get("GetOpenOrders?OMSId=1", "aptoken", token).payload(), 100, "AccountId");
        // The JDK's client will not send a broken escape: a raw request does.
        try (Socket socket = new Socket("127.0.0.1", URI.create(harness.gateway.httpUrl()).getPort()))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /AP/GetOpenOrders?OMSId=%zz HTTP/1.1\r\nHost: x\r\naptoken: " + token +
                "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            final String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertRefusal((Map<String, Object>)ApexClient.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4)),
                100, "query");
        }
        assertRefusal(http.get("GetTradesHistory?OMSId=1&AccountId=1&Depth=-1", "aptoken", token).payload(), 100,
            "Depth");
    }

    @Test
    @Timeout(30)
    void getNeverChangesState() throws Exception
    {
        final String operator = http.login("operator", GatewayHarness.PASSWORD);
        final String event = java.net.URLEncoder.encode(order(900).raw("productPairId", "1").json(),
            StandardCharsets.UTF_8);
        for (final String function : List.of("SendExchangeOrderStateEvent", "LogOut", "SubscribeAccountEvents",
            "UnSubscribeAccountEvents"))
        {
            final ApexHttp.Response refused = http.get(function + "?payload=" + event, "aptoken", operator);
            assertEquals(405, refused.status, function + ": " + refused);
            assertRefusal(refused.payload(), 106, function + " changes state");
        }
        assertRefusal(http.postAs(operator, "GetOrderStatus", "{\"OMSId\":1,\"AccountId\":1,\"OrderId\":900}")
            .payload(), 104, "900");
        // The GET LogOut did not log out.
        assertEquals(200, http.get("GetOpenOrders?OMSId=1&AccountId=1", "aptoken", operator).status);
        assertEquals(404, http.get("NoSuchFunction?OMSId=1").status);
    }

    @Test
    @Timeout(30)
    void authenticateIsAuthenticateUserByBasicHeaderOrApiKeyHeaders() throws Exception
    {
        final ApexHttp.Response basic = http.get("Authenticate?grant_type=client_credentials",
            "Authorization", ApexHttp.basic(TradingFixture.USER, TradingFixture.PASSWORD));
        assertEquals(200, basic.status, basic.toString());
        assertEquals(true, basic.payload().get("Authenticated"));
        assertEquals(Map.of("UserId", 7L, "UserName", "bot", "AccountId", 1L, "OMSId", 1L), basic.payload().get("User"));
        final String sessionToken = (String)basic.payload().get("SessionToken");
        assertEquals(200, http.get("GetOpenOrders?OMSId=1&AccountId=1", "aptoken", sessionToken).status);

        final ApexHttp.Response wrong = http.get("Authenticate",
            "Authorization", ApexHttp.basic(TradingFixture.USER, "wrong"));
        assertEquals(401, wrong.status, wrong.toString());
        assertEquals(Map.of("Authenticated", false, "Locked", false, "errormsg", "Invalid username or password"),
            withoutNulls(wrong.payload()));

        final ApexHttp.Response byKey = http.get("Authenticate", signedHeaders(NONCE.incrementAndGet()));
        assertEquals(200, byKey.status, byKey.toString());
        assertEquals(true, byKey.payload().get("Authenticated"));
        final ApexHttp.Response byPost = http.post("Authenticate", "{\"UserName\":\"bot\",\"Password\":\"" +
            TradingFixture.PASSWORD + "\"}");
        assertEquals(true, byPost.payload().get("Authenticated"), byPost.toString());
    }

    @Test
    @Timeout(30)
    void apiKeyHeadersAuthenticateAnyRequestOnceEach() throws Exception
    {
        final long nonce = NONCE.addAndGet(10);
        final String[] headers = signedHeaders(nonce);
        final ApexHttp.Response first = http.get("GetOrderStatus?OMSId=1&AccountId=1&OrderId=102", headers);
        assertEquals(200, first.status, first.toString());
        assertEquals(102L, first.payload().get("OrderId"));
        final ApexHttp.Response replay = http.get("GetOrderStatus?OMSId=1&AccountId=1&OrderId=102", headers);
        assertEquals(401, replay.status, replay.toString());
        assertRefusal(replay.payload(), 20, "Nonce");
        // Out of order within the window, and over POST too.
        final ApexHttp.Response older = http.post("GetOrderHistoryByOrderId", "{\"OMSId\":1,\"OrderId\":101}",
            signedHeaders(nonce - 5));
        assertEquals(200, older.status, older.toString());
        assertEquals(3, older.payloadList().size());

        final String[] forged = signedHeaders(NONCE.addAndGet(10));
        forged[7] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        final ApexHttp.Response bad = http.get("GetOpenOrders?OMSId=1&AccountId=1", forged);
        assertEquals(401, bad.status, bad.toString());
        assertRefusal(bad.payload(), 20, "Signature");
        // The key's user reaches its own accounts only.
        final ApexHttp.Response other = http.get("GetOpenOrders?OMSId=1&AccountId=2",
            signedHeaders(NONCE.addAndGet(10)));
        assertEquals(403, other.status, other.toString());
    }

    @Test
    @Timeout(30)
    void aSignedRequestLendsItsHeadersToNoOtherRequest() throws Exception
    {
        assertEquals(200, http.get("GetOpenOrders?OMSId=1&AccountId=1", signedHeaders(NONCE.addAndGet(10))).status);
        // The same I/O thread next reads a login with no credentials at all: it must not borrow the headers above.
        try (ApexClient ws = harness.client())
        {
            assertRefusal(ws.call("AuthenticateUser", "{}").payload(), 100, "UserName");
        }
        assertRefusal(http.post("AuthenticateUser", "{}").payload(), 100, "UserName");
    }

    @Test
    @Timeout(30)
    void getUserAccountsListsTheUsersAccounts() throws Exception
    {
        assertEquals(List.of(1L), http.get("GetUserAccounts?OMSId=1&UserId=7&UserName=bot", "aptoken", token).json);
        assertEquals(List.of(1L), http.postAs(token, "GetUserAccounts", "{\"OMSId\":1}").json);
        final String viewer = http.login(FILLS_USER, TradingFixture.PASSWORD);
        assertEquals(List.of(1L, 2L), http.get("GetUserAccounts?OMSId=1", "aptoken", viewer).json);
        assertRefusal(http.get("GetUserAccounts?OMSId=1&UserId=2", "aptoken", token).payload(), 20, "UserId");
        assertRefusal(http.get("GetUserAccounts?OMSId=1&UserId=bot", "aptoken", token).payload(), 100, "UserId");
        assertEquals(List.of(1L), http.postAs(token, "GetUserAccounts", "{\"OMSId\":1,\"UserId\":7}").json);
        assertEquals(401, http.get("GetUserAccounts?OMSId=1").status);
        assertRefusal(http.get("GetUserAccounts?OMSId=3", "aptoken", token).payload(), 104, "OMSId");
    }

    @Test
    @Timeout(30)
    void getProductsAndGetInstrumentsAnswerTheTableWithoutALogin() throws Exception
    {
        final List<Map<String, Object>> products = http.get("GetProducts?OMSId=1").payloadList();
        assertEquals(3, products.size(), products.toString());
        assertProduct(products.get(0), 1, "BTC", "CryptoCurrency");
        assertProduct(products.get(1), 2, "USD", "NationalCurrency");
        assertProduct(products.get(2), 3, "ETH", "CryptoCurrency");
        assertEquals(8L, products.get(0).get("DecimalPlaces"));

        final List<Map<String, Object>> instruments = http.post("GetInstruments", "{\"OMSId\":1}").payloadList();
        assertEquals(2, instruments.size(), instruments.toString());
        final Map<String, Object> btc = instruments.get(0);
        assertEquals(1L, btc.get("InstrumentId"));
        assertEquals("BTCUSD", btc.get("Symbol"));
        assertEquals(1L, btc.get("Product1"));
        assertEquals("BTC", btc.get("Product1Symbol"));
        assertEquals(2L, btc.get("Product2"));
        assertEquals("USD", btc.get("Product2Symbol"));
        assertEquals(new java.math.BigDecimal("0.0001"), btc.get("QuantityIncrement"));
        assertEquals(new java.math.BigDecimal("0.01"), btc.get("PriceIncrement"));
        assertEquals(new java.math.BigDecimal("0.001"), btc.get("MinimumQuantity"));
        assertEquals("Running", btc.get("SessionStatus"));
        assertEquals(false, btc.get("IsDisable"));
        assertEquals("USD", btc.get("QuoteCurrency"));
        final Map<String, Object> eth = instruments.get(1);
        assertEquals(3L, eth.get("Product1"));
        assertEquals(new java.math.BigDecimal("0.001"), eth.get("MinimumQuantity"), "defaults to the increment");
        assertEquals(new java.math.BigDecimal("0.05"), eth.get("PriceIncrement"));

        try (ApexClient ws = harness.client())
        {
            final ApexClient.Frame reply = ws.call("GetInstruments", "{\"OMSId\":1}");
            assertEquals("GetInstruments", reply.n);
            assertEquals(2, reply.payloadList().size());
        }
        assertRefusal(http.get("GetInstruments?OMSId=2").payload(), 104, "OMSId");
    }

    @Test
    @Timeout(30)
    void getOrdersHistoryIsGetOrderHistoryAndEchoesItsName() throws Exception
    {
        final ApexHttp.Response alias = http.get("GetOrdersHistory?OMSId=1&AccountId=1", "aptoken", token);
        assertEquals(http.get("GetOrderHistory?OMSId=1&AccountId=1", "aptoken", token).json, alias.json);
        assertEquals(List.of(104L, 103L, 102L, 101L), orderIds(alias.payloadList()));
        try (ApexClient ws = harness.login("trader"))
        {
            final ApexClient.Frame reply = ws.call("GetOrdersHistory", "{\"OMSId\":1,\"AccountId\":1,\"Depth\":2}");
            assertEquals("GetOrdersHistory", reply.n, reply.toString());
            assertEquals(List.of(104L, 103L), orderIds(reply.payloadList()));
        }
    }

    @Test
    @Timeout(30)
    void getTradesHistoryListsTheAccountsFillsNewestFirst() throws Exception
    {
        final List<Map<String, Object>> trades =
            http.get("GetTradesHistory?OMSId=1&AccountId=1", "aptoken", token).payloadList();
        assertEquals(3, trades.size(), trades.toString());
        assertTrade(trades.get(0), 5, 102, 2, "Sell", "4", "3001", "12004", "6");
        assertTrade(trades.get(1), 3, 101, 1, "Buy", "1.5", "59980", "89970", "0");
        assertTrade(trades.get(2), 2, 101, 1, "Buy", "0.5", "59990", "29995", "1.5");

        assertEquals(List.of(3L, 2L), tradeIds(http.get("GetTradesHistory?OMSId=1&AccountId=1&InstrumentId=1",
            "aptoken", token).payloadList()));
        assertEquals(List.of(3L), tradeIds(http.get("GetTradesHistory?OMSId=1&AccountId=1&StartIndex=1&Depth=1",
            "aptoken", token).payloadList()));
        assertEquals(List.of(), tradeIds(http.get("GetTradesHistory?OMSId=1&AccountId=1&StartIndex=3",
            "aptoken", token).payloadList()));
        assertEquals(List.of(), http.get("GetTradesHistory?OMSId=1&AccountId=1&InstrumentId=9", "aptoken", token)
            .payloadList());
        final ApexHttp.Response other = http.get("GetTradesHistory?OMSId=1&AccountId=2", "aptoken", token);
        assertEquals(403, other.status, other.toString());
        assertRefusal(other.payload(), 20, "AccountId");
        try (ApexClient ws = harness.login("operator"))
        {
            final ApexClient.Frame reply = ws.call("GetTradesHistory", "{\"OMSId\":1,\"AccountId\":2}");
            assertEquals("GetTradesHistory", reply.n);
            assertEquals(List.of(10L), tradeIds(reply.payloadList()));
        }
    }

    @Test
    @Timeout(30)
    void revisionsShowEachFillAndAFillsViewerReadsItAsQuantityAndPrice() throws Exception
    {
        final List<Map<String, Object>> orders =
            http.postAs(token, "GetOrderHistoryByOrderId", "{\"OMSId\":1,\"OrderId\":101}").payloadList();
        assertEquals(List.of("NewInputAccepted", "Trade", "Trade"), field(orders, "ChangeReason"));
        // Section 6 as APEX answers: Quantity remaining, Price the limit price; the fill in keys of its own.
        assertEquals(List.of(2L, new java.math.BigDecimal("1.5"), 0L), field(orders, "Quantity"));
        assertEquals(List.of(60000L, 60000L, 60000L), field(orders, "Price"));
        assertNull(orders.get(0).get("TradeQuantity"), "not a fill");
        assertEquals(List.of(new java.math.BigDecimal("0.5"), new java.math.BigDecimal("1.5")),
            field(orders.subList(1, 3), "TradeQuantity"));
        assertEquals(List.of(59990L, 59980L), field(orders.subList(1, 3), "TradePrice"));
        assertEquals(List.of(29995L, 89970L), field(orders.subList(1, 3), "Value"));
        assertEquals(List.of(2L, 3L), field(orders.subList(1, 3), "TradeId"));

        final String viewer = http.login(FILLS_USER, TradingFixture.PASSWORD);
        final List<Map<String, Object>> fills =
            http.get("GetOrderHistoryByOrderId?OMSId=1&OrderId=101", "aptoken", viewer).payloadList();
        assertEquals(List.of(2L, new java.math.BigDecimal("0.5"), new java.math.BigDecimal("1.5")),
            field(fills, "Quantity"), "a fill's Quantity is the fill");
        assertEquals(List.of(60000L, 59990L, 59980L), field(fills, "Price"), "a fill's Price is the fill's");
        assertEquals(List.of(new java.math.BigDecimal("1.5"), 0L), field(fills.subList(1, 3), "RemainingQuantity"));
        assertEquals(field(orders, "QuantityExecuted"), field(fills, "QuantityExecuted"), "cumulative as before");
    }

    @Test
    @Timeout(30)
    void anEventForAnInstrumentOutsideTheTableIsRefused() throws Exception
    {
        final String operator = http.login("operator", GatewayHarness.PASSWORD);
        final ApexHttp.Response refused = http.postAs(operator, "SendExchangeOrderStateEvent",
            order(950).raw("productPairId", "5").json());
        assertEquals(404, refused.status, refused.toString());
        assertRefusal(refused.payload(), 104, "productPairId: 5 is not a configured instrument");
        assertRefusal(http.postAs(operator, "GetOrderStatus", "{\"OMSId\":1,\"AccountId\":1,\"OrderId\":950}")
            .payload(), 104, "950");
        assertEquals(200, http.postAs(operator, "SendExchangeOrderStateEvent",
            order(951).raw("productPairId", "2").json()).status);
    }

    @Test
    @Timeout(30)
    void aPingWhosePayloadIsNotJsonIsAnInvalidRequest() throws Exception
    {
        try (ApexClient ws = harness.client())
        {
            ws.sendRaw("{\"m\":0,\"i\":7,\"n\":\"Ping\",\"o\":\"{\"}");
            final ApexClient.Frame reply = ws.awaitReply(7);
            assertEquals(1, reply.m);
            assertEquals("Ping", reply.n);
            assertRefusal(reply.payload(), 100, "");
            assertEquals(Map.of("msg", "PONG"), ws.call("Ping", "{}").payload());
        }
        final ApexHttp.Response http400 = http.post("Ping", "{");
        assertEquals(400, http400.status, http400.toString());
        assertRefusal(http400.payload(), 100, "");
    }

    private static void assertProduct(final Map<String, Object> product, final long id, final String symbol,
        final String type)
    {
        assertEquals(id, product.get("ProductId"), product.toString());
        assertEquals(symbol, product.get("Product"), product.toString());
        assertEquals(type, product.get("ProductType"), product.toString());
        assertEquals(false, product.get("IsDisabled"), product.toString());
    }

    private static void assertTrade(
        final Map<String, Object> trade,
        final long tradeId,
        final long orderId,
        final long instrumentId,
        final String side,
        final String quantity,
        final String price,
        final String value,
        final String remaining)
    {
        final String what = trade.toString();
        assertEquals(tradeId, trade.get("TradeId"), what);
        assertEquals(tradeId, trade.get("ExecutionId"), what);
        assertEquals(orderId, trade.get("OrderId"), what);
        assertEquals(1L, trade.get("AccountId"), what);
        assertEquals(instrumentId, trade.get("InstrumentId"), what);
        assertEquals(side, trade.get("Side"), what);
        assertEquals(new java.math.BigDecimal(quantity), decimal(trade.get("Quantity")), what);
        assertEquals(new java.math.BigDecimal(price), decimal(trade.get("Price")), what);
        assertEquals(new java.math.BigDecimal(value), decimal(trade.get("Value")), what);
        assertEquals(new java.math.BigDecimal(remaining), decimal(trade.get("RemainingQuantity")), what);
        assertTrue((Long)trade.get("TradeTimeMS") > 1_600_000_000_000L, what);
        assertFalse(trade.containsKey("Fee"), what);
    }

    private static java.math.BigDecimal decimal(final Object value)
    {
        return value instanceof java.math.BigDecimal ? (java.math.BigDecimal)value :
            java.math.BigDecimal.valueOf((Long)value);
    }

    private static List<Object> field(final List<Map<String, Object>> items, final String key)
    {
        final List<Object> values = new ArrayList<>();
        for (final Map<String, Object> item : items)
        {
            values.add(item.get(key));
        }
        return values;
    }

    private static List<Object> orderIds(final List<Map<String, Object>> orders)
    {
        return field(orders, "OrderId");
    }

    private static List<Object> tradeIds(final List<Map<String, Object>> trades)
    {
        return field(trades, "TradeId");
    }

    private static Map<String, Object> withoutNulls(final Map<String, Object> map)
    {
        final Map<String, Object> copy = new java.util.HashMap<>(map);
        copy.values().removeIf(v -> v == null);
        return copy;
    }

    /** The API-key headers ccxt sends: HMAC-SHA256(secret, Nonce + UserId + APIKey) in hex. */
    private static String[] signedHeaders(final long nonce) throws Exception
    {
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(TradingFixture.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        final String signature = HexFormat.of().formatHex(mac.doFinal(
            (nonce + Integer.toString(TradingFixture.USER_ID) + TradingFixture.API_KEY).getBytes(StandardCharsets.UTF_8)));
        return new String[]{"APIKey", TradingFixture.API_KEY, "UserId", Integer.toString(TradingFixture.USER_ID),
            "Nonce", Long.toString(nonce), "Signature", signature};
    }
}
