package io.ordergw.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * ccxt's {@code ndax} exchange class, unchanged (the npm package at the version pinned in src/test/ccxt), against a
 * gateway (api.md section 4.1): markets, accounts, open, closed and single orders, an order's trades and the account's
 * trades, signed per request with the API-key headers and signed in with Basic auth. The package is installed with
 * {@code npm ci} from the lock file into target/ccxt-check (cache target/npm-cache), so the build needs node and npm
 * and the npm registry, nothing installed by hand.
 */
@SystemTest
class NdaxCcxtTest
{
    private static final Path SOURCE = Paths.get("src", "test", "ccxt");
    private static final Path WORK = Paths.get("target", "ccxt-check");

    @TempDir
    static Path dir;

    private static GatewayHarness harness;

    @BeforeAll
    static void startGateway() throws Exception
    {
        harness = new GatewayHarness(dir, TradingFixture.settings("fills"));
        TradingFixture.seed(new ApexHttp(harness.gateway.httpUrl()));
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
    @Timeout(300)
    @SuppressWarnings("unchecked")
    void ccxtNdaxReadsMarketsOrdersAndTradesUnchanged() throws Exception
    {
        installCcxt();
        final String stdout = run(List.of("node", "ndax-check.mjs"), Map.of(
            "ORDERGW_URL", harness.gateway.httpUrl(),
            "NDAX_API_KEY", TradingFixture.API_KEY,
            "NDAX_SECRET", TradingFixture.SECRET,
            "NDAX_UID", Integer.toString(TradingFixture.USER_ID),
            "NDAX_LOGIN", TradingFixture.USER,
            "NDAX_PASSWORD", TradingFixture.PASSWORD,
            "FILLED_ORDER_ID", "101",
            "OPEN_ORDER_ID", "102"), 120);
        final Map<String, Object> out = (Map<String, Object>)ApexClient.parse(stdout.trim());
        assertNull(out.get("error"), () -> "ccxt failed: " + out.get("error"));

        final List<Map<String, Object>> markets = (List<Map<String, Object>>)out.get("markets");
        assertEquals(2, markets.size(), markets.toString());
        assertMarket(markets.get(0), "1", "BTC/USD", 0.0001, 0.01, 0.001);
        assertMarket(markets.get(1), "2", "ETH/USD", 0.001, 0.05, 0.001);
        assertEquals(List.of("BTC", "ETH", "USD"), out.get("currencies"));
        assertEquals(List.of("1"), out.get("accounts"));

        final List<Map<String, Object>> open = (List<Map<String, Object>>)out.get("openOrders");
        assertEquals(List.of("102", "104"), ids(open), open.toString());
        final Map<String, Object> partly = byId(open, "102");
        assertOrder(partly, "ETH/USD", "sell", "open", 3000, 10, 4, 3001);
        assertEquals(6.0, number(partly.get("remaining")));
        assertOrder(byId(open, "104"), "ETH/USD", "buy", "open", 2900, 3, 0, Double.NaN); // no average without fills

        final List<Map<String, Object>> closed = (List<Map<String, Object>>)out.get("closedOrders");
        assertEquals(List.of("101"), ids(closed), "only FullyExecuted is closed; 103 is canceled: " + closed);
        assertOrder(closed.get(0), "BTC/USD", "buy", "closed", 60000, 2, 2, 59982.5);

        final Map<String, Object> single = (Map<String, Object>)out.get("order");
        assertOrder(single, "BTC/USD", "buy", "closed", 60000, 2, 2, 59982.5);
        assertEquals(119965.0, number(single.get("cost")));
        assertEquals("limit", single.get("type"));

        final List<Map<String, Object>> orderTrades = (List<Map<String, Object>>)out.get("orderTrades");
        assertEquals(2, orderTrades.size(), orderTrades.toString());
        assertTrade(orderTrades.get(0), "101", "BTC/USD", "buy", 59990, 0.5, 29995);
        assertTrade(orderTrades.get(1), "101", "BTC/USD", "buy", 59980, 1.5, 89970);

        final List<Map<String, Object>> myTrades = (List<Map<String, Object>>)out.get("myTrades");
        assertEquals(3, myTrades.size(), "account 1's fills only: " + myTrades);
        assertTrade(myTrades.get(0), "101", "BTC/USD", "buy", 59990, 0.5, 29995);
        assertTrade(myTrades.get(1), "101", "BTC/USD", "buy", 59980, 1.5, 89970);
        assertTrade(myTrades.get(2), "102", "ETH/USD", "sell", 3001, 4, 12004);
        // TradeId is the Trade event's SeqNum: the seed journaled them as events 2, 3 and 5.
        assertEquals(List.of("2", "3", "5"), ids(myTrades));
        assertEquals(ids(orderTrades), ids(myTrades).subList(0, 2), "fetchOrderTrades and fetchMyTrades agree");
        assertEquals(2, ((List<Object>)out.get("myTradesBtc")).size());

        assertEquals(Map.of("Authenticated", true, "hasToken", true), out.get("signIn"));
        assertOrder((Map<String, Object>)out.get("sessionOrder"), "ETH/USD", "sell", "open", 3000, 10, 4, 3001);
        assertEquals(List.of("102", "104"), ids((List<Map<String, Object>>)out.get("sessionOpenOrders")));

        final List<Map<String, Object>> calls = (List<Map<String, Object>>)out.get("calls");
        final List<String> seen = new ArrayList<>();
        for (final Map<String, Object> call : calls)
        {
            final String url = (String)call.get("url");
            final String path = url.indexOf('?') < 0 ? url : url.substring(0, url.indexOf('?'));
            seen.add(call.get("method") + " " + path + " " + call.get("auth"));
            assertEquals(200.0, number(call.get("status")), call.toString());
        }
        assertTrue(seen.contains("GET /AP/GetInstruments none"), seen.toString());
        assertTrue(seen.contains("GET /AP/GetProducts none"), seen.toString());
        assertTrue(seen.contains("GET /AP/GetUserAccounts APIKey headers"), seen.toString());
        assertTrue(seen.contains("GET /AP/GetOrdersHistory APIKey headers"), seen.toString());
        assertTrue(seen.contains("GET /AP/GetTradesHistory APIKey headers"), seen.toString());
        assertTrue(seen.contains("POST /AP/GetOrderHistoryByOrderId APIKey headers"), seen.toString());
        assertTrue(seen.contains("GET /AP/Authenticate Basic"), seen.toString());
        assertTrue(seen.contains("GET /AP/GetOrderStatus aptoken"), seen.toString());
    }

    private static void assertMarket(
        final Map<String, Object> market,
        final String id,
        final String symbol,
        final double amountPrecision,
        final double pricePrecision,
        final double minAmount)
    {
        final String what = market.toString();
        assertEquals(id, market.get("id"), what);
        assertEquals(symbol, market.get("symbol"), what);
        assertEquals(symbol.substring(0, 3), market.get("base"), what);
        assertEquals(symbol.substring(4), market.get("quote"), what);
        assertEquals(true, market.get("active"), what);
        assertEquals(amountPrecision, number(market.get("amountPrecision")), what);
        assertEquals(pricePrecision, number(market.get("pricePrecision")), what);
        assertEquals(minAmount, number(market.get("minAmount")), what);
    }

    private static void assertOrder(
        final Map<String, Object> order,
        final String symbol,
        final String side,
        final String status,
        final double price,
        final double amount,
        final double filled,
        final double average)
    {
        final String what = order.toString();
        assertEquals(symbol, order.get("symbol"), what);
        assertEquals(side, order.get("side"), what);
        assertEquals(status, order.get("status"), what);
        assertEquals(price, number(order.get("price")), what);
        assertEquals(amount, number(order.get("amount")), what);
        assertEquals(filled, number(order.get("filled")), what);
        assertEquals(average, number(order.get("average")), what);
    }

    private static void assertTrade(
        final Map<String, Object> trade,
        final String orderId,
        final String symbol,
        final String side,
        final double price,
        final double amount,
        final double cost)
    {
        final String what = trade.toString();
        assertEquals(orderId, trade.get("order"), what);
        assertEquals(symbol, trade.get("symbol"), what);
        assertEquals(side, trade.get("side"), what);
        assertEquals(price, number(trade.get("price")), what);
        assertEquals(amount, number(trade.get("amount")), what);
        assertEquals(cost, number(trade.get("cost")), what);
        assertTrue(number(trade.get("timestamp")) > 1_600_000_000_000.0, what);
    }

    private static double number(final Object value)
    {
        return value == null ? Double.NaN : ((Number)value).doubleValue();
    }

    private static List<String> ids(final List<Map<String, Object>> items)
    {
        final List<String> ids = new ArrayList<>();
        for (final Map<String, Object> item : items)
        {
            ids.add((String)item.get("id"));
        }
        return ids;
    }

    private static Map<String, Object> byId(final List<Map<String, Object>> items, final String id)
    {
        for (final Map<String, Object> item : items)
        {
            if (id.equals(item.get("id")))
            {
                return item;
            }
        }
        throw new AssertionError("no " + id + " in " + items);
    }

    /** npm ci from the lock file, again whenever the lock file changed: the version tested is the one pinned. */
    private static void installCcxt() throws Exception
    {
        Files.createDirectories(WORK);
        final Path lock = WORK.resolve("package-lock.json");
        final boolean installed = Files.isRegularFile(WORK.resolve("node_modules/ccxt/package.json")) &&
            Files.isRegularFile(lock) && Files.mismatch(lock, SOURCE.resolve("package-lock.json")) < 0;
        for (final String file : List.of("package.json", "package-lock.json", "ndax-check.mjs"))
        {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (installed)
        {
            return; // installed from this very lock file by an earlier run
        }
        final long start = System.nanoTime();
        run(List.of("npm", "ci", "--no-audit", "--no-fund", "--cache",
            Paths.get("target", "npm-cache").toAbsolutePath().toString()), Map.of(), 240);
        System.out.printf("npm ci of ccxt took %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    private static String run(final List<String> command, final Map<String, String> env, final int timeoutSeconds)
        throws Exception
    {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile());
        builder.environment().putAll(env);
        final Path stdout = Files.createTempFile(dir, "stdout", ".txt");
        final Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        final Process process;
        try
        {
            process = builder.start();
        }
        catch (final IOException ex)
        {
            fail(command.get(0) + " is not runnable here (node and npm are needed): " + ex.getMessage());
            return null;
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s: " + read(stderr));
        }
        final String err = read(stderr);
        // The transcript of ccxt's calls (for the docs and the closing note).
        System.out.println(err);
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed: " + err);
        final String out = read(stdout);
        assertFalse(out.isEmpty() && command.get(0).equals("node"), "no output from " + command);
        return out;
    }

    private static String read(final Path file) throws IOException
    {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
