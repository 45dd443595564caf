package io.ordergw.gateway;

import io.ordergw.gateway.auth.PasswordHasher;

import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A gateway with an instrument table (1 BTCUSD, 2 ETHUSD), a Trading user {@value #USER} on account 1 with an API
 * key, and a few orders of account 1 sent by the operator, for the docs/api.md section 4.1 tests:
 * <ul>
 *     <li>101 BTCUSD Buy Limit 2 at 60000: filled 0.5 at 59990, then 1.5 at 59980 (FullyExecuted)</li>
 *     <li>102 ETHUSD Sell Limit 10 at 3000: filled 4 at 3001 (Working, 6 left)</li>
 *     <li>103 BTCUSD Buy Limit 1 at 50000: canceled</li>
 *     <li>104 ETHUSD Buy Limit 3 at 2900: Working</li>
 *     <li>201 BTCUSD Buy on account 2: filled 1 at 61000 (not the user's)</li>
 * </ul>
 */
final class TradingFixture
{
    static final String USER = "bot";
    static final int USER_ID = 7;
    static final String PASSWORD = "bot-password";
    static final String API_KEY = "bot-key";
    static final String SECRET = "bot-secret-0123456789";

    private TradingFixture()
    {
    }

    /**
     * The settings: the instruments, the user (with the given trade-revisions view) and its key.
     *
     * @param tradeRevisions "orders" or "fills".
     * @return HOCON text.
     */
    static String settings(final String tradeRevisions)
    {
        final String hash = PasswordHasher.hash(PASSWORD.toCharArray(), 1_000);
        // A few orders: a small book index leaves the shared test JVM's heap to the others.
        return "ordergw.book.initial-capacity = 1024\n" +
            "ordergw.instruments = [\n" +
            "  { id = 1, symbol = BTCUSD, product1 = BTC, product2 = USD, quantity-increment = 0.0001, " +
            "price-increment = 0.01, minimum-quantity = 0.001 },\n" +
            "  { id = 2, symbol = ETHUSD, product1 = ETH, product2 = USD, quantity-increment = 0.001, " +
            "price-increment = \"0.05\" }\n" +
            "]\n" +
            "ordergw.gateway.users." + USER + " { user-id = " + USER_ID + ", password-hash = \"" + hash + "\", " +
            "permissions = [Trading], accounts = [1], trade-revisions = " + tradeRevisions + " }\n" +
            "ordergw.gateway.api-keys." + API_KEY + " { user = " + USER + ", secret = \"" + SECRET + "\" }\n";
    }

    /**
     * Send the orders above as the operator over HTTP.
     *
     * @param http a client of the gateway.
     * @throws Exception on failure.
     */
    static void seed(final ApexHttp http) throws Exception
    {
        final String token = http.login("operator", GatewayHarness.PASSWORD);
        final OrderEventJson btc = order(101).raw("productPairId", "1").quantity("2").raw("limitPrice", "60000");
        send(http, token, btc);
        send(http, token, btc.copy().trade("1.5", "59990", 9));
        send(http, token, btc.copy().trade("0", "59980", 9));
        final OrderEventJson eth = order(102).raw("productPairId", "2").raw("side", "1").quantity("10")
            .raw("limitPrice", "3000");
        send(http, token, eth);
        send(http, token, eth.copy().trade("6", "3001", 11));
        final OrderEventJson canceled = order(103).raw("productPairId", "1").quantity("1").raw("limitPrice", "50000");
        send(http, token, canceled);
        send(http, token, canceled.copy().raw("linkType", "1"));
        send(http, token, order(104).raw("productPairId", "2").quantity("3").raw("limitPrice", "2900"));
        final OrderEventJson other = order(201).raw("accountId", "2").raw("productPairId", "1").quantity("1")
            .raw("limitPrice", "61000");
        send(http, token, other);
        send(http, token, other.copy().trade("0", "61000", 3));
    }

    private static void send(final ApexHttp http, final String token, final OrderEventJson event) throws Exception
    {
        final ApexHttp.Response response = http.postAs(token, "SendExchangeOrderStateEvent", event.json());
        assertEquals(200, response.status, response.toString());
    }
}
