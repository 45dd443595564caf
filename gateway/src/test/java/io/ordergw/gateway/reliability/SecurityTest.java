package io.ordergw.gateway.reliability;

import io.ordergw.gateway.SystemTest;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.gateway.ApexClient;
import io.ordergw.gateway.GatewayHarness;
import io.ordergw.gateway.apex.ApexFunction;
import io.ordergw.gateway.auth.PasswordHasher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static io.ordergw.gateway.reliability.HostileClientsTest.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Security properties, each over the wire:
 * <ul>
 *     <li>Every function (the table is built from {@link ApexFunction#values()}, so a new function without a row
 *     fails here) asked by every kind of session (none, Trading, AccountReadOnly, Operator), over WebSocket and HTTP,
 *     about an account the session does not own or an order in it: refused, and the answer carries nothing of that
 *     account; an Operator is served. Subscribers of their own accounts never receive another account's events.</li>
 *     <li>API-key logins: a wrong signature, another key's secret, another user's id, a replayed or lower nonce all
 *     fail; a bad signature does not burn the nonce.</li>
 *     <li>Passwords (and API secrets) never reach the process's output (logs at DEBUG included) or any file under its
 *     data directory (journal, snapshots): the real process is run and everything it wrote is searched.</li>
 *     <li>The default bind address is loopback.</li>
 * </ul>
 */
@SystemTest
class SecurityTest
{
    private static final String PASSWORD = "Sec-Test-Pw-7f3a";
    private static final String API_KEY = "AK-alice-01";
    private static final String API_SECRET = "alice-secret-9c2e";
    private static final int FOREIGN_ACCOUNT = 3;
    private static final long FOREIGN_ORDER = 3_333_333_333L;
    private static final long OWN_ORDER = 1_111_111_111L;
    /** In the foreign order's data only: an answer that carries it has shown that order. */
    private static final String FOREIGN_MARKER = "foreign-account-data";

    @TempDir
    Path dir;

    /** Who asks. */
    private enum Identity
    {
        NONE(null), TRADING("alice"), READ_ONLY("reader"), OPERATOR("boss");

        final String user;

        Identity(final String user)
        {
            this.user = user;
        }
    }

    /** What must happen. */
    private enum Expect
    {
        /** Refused (result false): 20, or 106 where HTTP has no such function. */
        DENIED,
        /** Served. */
        SERVED,
        /** Public function, not about accounts (Ping, logins): served to anyone. */
        PUBLIC
    }

    private static String users()
    {
        final String hash = PasswordHasher.hash(PASSWORD.toCharArray(), 10_000);
        return "ordergw.gateway.users {\n" +
            "  alice { user-id = 11, password-hash = \"" + hash + "\", permissions = [Trading], accounts = [1] }\n" +
            "  reader { user-id = 12, password-hash = \"" + hash + "\", permissions = [AccountReadOnly]," +
            " accounts = [2] }\n" +
            "  boss { user-id = 13, password-hash = \"" + hash + "\", permissions = [Operator] }\n" +
            "}\n" +
            "ordergw.gateway.api-keys { \"" + API_KEY + "\" { user = alice, secret = \"" + API_SECRET + "\" } }\n" +
            "ordergw.gateway.auth.max-failures = 1000\n";
    }

    @Test
    @Timeout(120)
    void noSessionReachesAnAccountItDoesNotOwn() throws Exception
    {
        try (GatewayHarness harness = new GatewayHarness(dir, users());
            ApexClient boss = login(harness, "boss");
            ApexClient aliceWatching = login(harness, "alice");
            ApexClient readerWatching = login(harness, "reader"))
        {
            aliceWatching.call("SubscribeAccountEvents", "{\"OMSId\":1,\"AccountId\":1,\"FromSeqNum\":1}");
            readerWatching.call("SubscribeAccountEvents", "{\"OMSId\":1,\"AccountId\":2,\"FromSeqNum\":1}");
            assertEquals(Boolean.TRUE, boss.call("SendExchangeOrderStateEvent", event(FOREIGN_ACCOUNT, FOREIGN_ORDER, 5)
                .replace("hostile-test", FOREIGN_MARKER)).payload().get("result"));
            assertEquals(Boolean.TRUE, boss.call("SendExchangeOrderStateEvent", event(1, OWN_ORDER, 5))
                .payload().get("result"));

            final Map<String, String> outcomes = new LinkedHashMap<>();
            int cells = 0;
            for (final ApexFunction function : ApexFunction.values())
            {
                for (final Identity identity : Identity.values())
                {
                    for (final boolean http : new boolean[]{false, true})
                    {
                        final Expect expect = expect(function, identity);
                        final String answer = http ? askOverHttp(harness, function, identity) :
                            askOverWebSocket(harness, function, identity);
                        check(function, identity, http, expect, answer);
                        outcomes.put(function.apexName + "/" + identity + (http ? "/http" : "/ws"), expect.name());
                        cells++;
                    }
                }
            }

            // An order of another account asked for under one's own account id is not found, not shown.
            try (ApexClient alice = login(harness, "alice"))
            {
                final ApexClient.Frame reply = alice.call("GetOrderStatus", "{\"OMSId\":1,\"AccountId\":1," +
                    "\"OrderId\":" + FOREIGN_ORDER + "}");
                assertEquals(Boolean.FALSE, reply.payload().get("result"), reply.raw);
                assertFalse(reply.raw.contains(FOREIGN_MARKER), reply.raw);
                final ApexClient.Frame open = alice.call("GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1}");
                for (final Map<String, Object> order : open.payloadList())
                {
                    assertEquals(1L, ((Number)order.get("AccountId")).longValue(), open.raw);
                }
                cells += 2;
            }

            // Subscribers of their own accounts saw only their own accounts' events.
            final ApexClient.Frame aliceEvent = aliceWatching.nextEvent(10_000);
            assertNotNull(aliceEvent);
            assertEquals(1L, ((Number)aliceEvent.payload().get("AccountId")).longValue());
            ApexClient.Frame more;
            while ((more = aliceWatching.nextEvent(500)) != null)
            {
                assertEquals(1L, ((Number)more.payload().get("AccountId")).longValue(), more.raw);
            }
            assertNull(readerWatching.nextEvent(500), "account 2 has no events; anything here is another's");
            Figures.report("SecurityTest", cells + " (function, session kind, transport) cells: every session " +
                "without the account was refused and shown nothing of it; Operator served");
        }
    }

    private static ApexClient login(final GatewayHarness harness, final String user) throws Exception
    {
        final ApexClient client = harness.client();
        if (!Boolean.TRUE.equals(client.login(user, PASSWORD).get("Authenticated")))
        {
            client.close();
            throw new AssertionError("login failed for " + user);
        }
        return client;
    }

    private static Expect expect(final ApexFunction function, final Identity identity)
    {
        switch (function)
        {
            case PING:
            case WEB_AUTHENTICATE_USER:
            case AUTHENTICATE_USER:
            case AUTHENTICATE:
            case GET_PRODUCTS:
            case GET_INSTRUMENTS:
                return Expect.PUBLIC;
            case LOG_OUT:
            case UNSUBSCRIBE_ACCOUNT_EVENTS:
            case GET_USER_ACCOUNTS:
                // About the caller's own session only: any logged-in session may.
                return identity == Identity.NONE ? Expect.DENIED : Expect.SERVED;
            case SEND_EXCHANGE_ORDER_STATE_EVENT:
            case SUBSCRIBE_ACCOUNT_EVENTS:
            case GET_ORDER_STATUS:
            case GET_OPEN_ORDERS:
            case GET_ORDER_HISTORY:
            case GET_ORDERS_HISTORY:
            case GET_TRADES_HISTORY:
            case GET_ORDER_HISTORY_BY_ORDER_ID:
            case GET_ORDER_STATE_TRANSITIONS:
                return identity == Identity.OPERATOR ? Expect.SERVED : Expect.DENIED;
            default:
                throw new AssertionError("no row for " + function + ": add it to the security table");
        }
    }

    private static String payload(final ApexFunction function, final Identity identity)
    {
        switch (function)
        {
            case PING:
            case LOG_OUT:
                return "{}";
            case GET_PRODUCTS:
            case GET_INSTRUMENTS:
            case GET_USER_ACCOUNTS:
                return "{\"OMSId\":1}";
            case WEB_AUTHENTICATE_USER:
            case AUTHENTICATE_USER:
            case AUTHENTICATE:
                return "{\"UserName\":\"nobody\",\"Password\":\"x\"}";
            case SEND_EXCHANGE_ORDER_STATE_EVENT:
                // Not even an event for the caller's own account unless it is an Operator.
                return event(identity == Identity.TRADING ? 1 : FOREIGN_ACCOUNT, FOREIGN_ORDER + 1, 5);
            case SUBSCRIBE_ACCOUNT_EVENTS:
            case UNSUBSCRIBE_ACCOUNT_EVENTS:
            case GET_OPEN_ORDERS:
            case GET_ORDER_HISTORY:
            case GET_ORDERS_HISTORY:
            case GET_TRADES_HISTORY:
                return "{\"OMSId\":1,\"AccountId\":" + FOREIGN_ACCOUNT + ",\"FromSeqNum\":1}";
            case GET_ORDER_STATUS:
                return "{\"OMSId\":1,\"AccountId\":" + FOREIGN_ACCOUNT + ",\"OrderId\":" + FOREIGN_ORDER + "}";
            case GET_ORDER_HISTORY_BY_ORDER_ID:
            case GET_ORDER_STATE_TRANSITIONS:
                return "{\"OMSId\":1,\"OrderId\":" + FOREIGN_ORDER + "}";
            default:
                throw new AssertionError("no payload for " + function);
        }
    }

    private static String askOverWebSocket(
        final GatewayHarness harness, final ApexFunction function, final Identity identity) throws Exception
    {
        try (ApexClient client = identity.user == null ? harness.client() : login(harness, identity.user))
        {
            final ApexClient.Frame reply = client.call(function.apexName, payload(function, identity));
            // Whatever it was, nothing of the foreign account arrives afterwards either.
            final ApexClient.Frame event =
                client.nextEvent(function == ApexFunction.SUBSCRIBE_ACCOUNT_EVENTS ? 500 : 0);
            if (event != null && identity != Identity.OPERATOR)
            {
                fail(identity + " received " + event.raw);
            }
            return reply.raw;
        }
    }

    private static String askOverHttp(
        final GatewayHarness harness, final ApexFunction function, final Identity identity)
        throws Exception
    {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(harness.gateway.httpUrl() + "/AP/" +
            function.apexName)).timeout(Duration.ofSeconds(15))
            .POST(HttpRequest.BodyPublishers.ofString(payload(function, identity)));
        if (identity.user != null)
        {
            final HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(harness.gateway.httpUrl() +
                "/AP/AuthenticateUser")).POST(HttpRequest.BodyPublishers.ofString("{\"UserName\":\"" + identity.user +
                "\",\"Password\":\"" + PASSWORD + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            final String token = (String)((Map<?, ?>)ApexClient.parse(login.body())).get("SessionToken");
            request.header("aptoken", token);
        }
        final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private static void check(
        final ApexFunction function,
        final Identity identity,
        final boolean http,
        final Expect expect,
        final String answer)
    {
        final String cell = function.apexName + " by " + identity + (http ? " over HTTP" : " over WebSocket") + ": ";
        final Map<?, ?> reply = http ? asMap(ApexClient.parse(answer.substring(answer.indexOf(' ') + 1))) :
            payloadOf(answer);
        switch (expect)
        {
            case DENIED:
                assertEquals(Boolean.FALSE, reply.get("result"), cell + answer);
                final long code = ((Number)reply.get("errorcode")).longValue();
                assertTrue(code == 20 || (http && code == 106 && function == ApexFunction.SUBSCRIBE_ACCOUNT_EVENTS),
                    cell + answer);
                assertFalse(answer.contains(FOREIGN_MARKER), cell + "shows the order: " + answer);
                if (http)
                {
                    final int status = Integer.parseInt(answer.substring(0, answer.indexOf(' ')));
                    assertTrue(status == 401 || status == 403 || status == 404, cell + answer);
                }
                break;
            case SERVED:
                assertFalse(Boolean.FALSE.equals(reply.get("result")) &&
                    !(http && function == ApexFunction.SUBSCRIBE_ACCOUNT_EVENTS), cell + answer);
                break;
            default:
                assertFalse(answer.contains(FOREIGN_MARKER), cell + answer);
                break;
        }
    }

    private static Map<?, ?> payloadOf(final String rawFrame)
    {
        final Object o = ((Map<?, ?>)ApexClient.parse(rawFrame)).get("o");
        return asMap(o instanceof String ? ApexClient.parse((String)o) : o);
    }

    /** An answer's payload; a list (orders) is a served answer. */
    private static Map<?, ?> asMap(final Object payload)
    {
        return payload instanceof Map ? (Map<?, ?>)payload : Map.of("result", true);
    }

    @Test
    @Timeout(60)
    void apiKeyLoginsWithWrongSignaturesOrReplayedNoncesFail() throws Exception
    {
        try (GatewayHarness harness = new GatewayHarness(dir, users());
            ApexClient client = harness.client())
        {
            final List<String> tried = new ArrayList<>();
            expectLogin(client, tried, true, API_KEY, sign(API_SECRET, "1", "11"), "11", "1");
            expectLogin(client, tried, false, API_KEY, sign(API_SECRET, "1", "11"), "11", "1"); // replayed
            expectLogin(client, tried, false, API_KEY, sign(API_SECRET, "0", "11"), "11", "0"); // lower nonce
            final String good2 = sign(API_SECRET, "2", "11");
            final String flipped = good2.substring(0, 10) + (good2.charAt(10) == 'a' ? 'b' : 'a') + good2.substring(11);
            expectLogin(client, tried, false, API_KEY, flipped, "11", "2"); // one digit wrong
            expectLogin(client, tried, false, API_KEY, sign("not-the-secret", "2", "11"), "11", "2"); // other secret
            expectLogin(client, tried, false, API_KEY, sign(API_SECRET, "2", "13"), "13", "2"); // another user's id
            expectLogin(client, tried, false, API_KEY, hmac(API_SECRET, "2|11|" + API_KEY), "11", "2"); // separators
            expectLogin(client, tried, false, API_KEY, "", "11", "2"); // empty signature
            expectLogin(client, tried, false, "AK-unknown", sign(API_SECRET, "2", "11"), "11", "2"); // unknown key
            expectLogin(client, tried, false, API_KEY, API_SECRET, "11", "2"); // the secret itself
            expectLogin(client, tried, true, API_KEY, good2, "11", "2"); // bad signatures did not burn nonce 2
            expectLogin(client, tried, false, API_KEY, good2, "11", "2"); // but a success did
            expectLogin(client, tried, true, API_KEY, sign(API_SECRET, "3", "11").toUpperCase(Locale.ROOT), "11", "3");
            // Through WebAuthenticateUser an API key is not accepted at all.
            final ApexClient.Frame web = client.call("WebAuthenticateUser", "{\"APIKey\":\"" + API_KEY +
                "\",\"Signature\":\"" + sign(API_SECRET, "4", "11") + "\",\"UserId\":11,\"Nonce\":4}");
            assertEquals(100L, ((Number)web.payload().get("errorcode")).longValue(), web.raw);
            Figures.report("SecurityTest", tried.size() + " API-key logins: " +
                tried.stream().filter(t -> t.startsWith("refused")).count() + " wrong signatures, replayed or lower " +
                "nonces, foreign ids or unknown keys all refused; the valid ones accepted");
        }
    }

    private static void expectLogin(
        final ApexClient client, final List<String> tried, final boolean accepted, final String key,
        final String signature, final String userId, final String nonce) throws Exception
    {
        // UserId and Nonce as strings here, numbers elsewhere: both are accepted.
        final ApexClient.Frame reply = client.call("AuthenticateUser", "{\"APIKey\":\"" + key + "\",\"Signature\":\"" +
            signature + "\",\"UserId\":\"" + userId + "\",\"Nonce\":" + nonce + "}");
        assertEquals(accepted, reply.payload().get("Authenticated"), reply.raw);
        tried.add((accepted ? "accepted " : "refused ") + reply.raw);
    }

    private static String sign(final String secret, final String nonce, final String userId)
    {
        return hmac(secret, nonce + userId + API_KEY);
    }

    private static String hmac(final String secret, final String message)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    @Timeout(180)
    void passwordsNeverReachTheLogOrTheJournal() throws Exception
    {
        final String demoPassword = "Demo-Pw-b81d-Q";
        final Path config = dir.resolve("ordergw.conf");
        Files.writeString(config, users() + "ordergw.snapshot.interval = 200ms\n" + GatewayProcess.isolatedFeed(dir),
            StandardCharsets.UTF_8);
        final Path data = dir.resolve("data");
        final Path log = dir.resolve("gateway.log");
        final Map<String, String> env = Map.of("ORDERGW_DEMO_PASSWORD", demoPassword,
            "JAVA_TOOL_OPTIONS", "-Dordergw.log.level=debug");
        int attempts = 0;
        try (GatewayProcess gateway = GatewayProcess.start(config, data, log, env, "--demo"))
        {
            final String ws = gateway.webSocketUrl();
            try (ApexClient client = ApexClient.connect(ws))
            {
                assertEquals(Boolean.TRUE, client.login("alice", PASSWORD).get("Authenticated"));
                assertEquals(Boolean.TRUE, client.login("operator", demoPassword).get("Authenticated"));
                assertEquals(Boolean.FALSE, client.login("alice", PASSWORD + "x").get("Authenticated"));
                assertEquals(Boolean.FALSE, client.login(PASSWORD, PASSWORD).get("Authenticated"));
                assertEquals(Boolean.FALSE, client.login("nobody", demoPassword).get("Authenticated"));
                attempts += 5;
                // Broken frames carrying the password: the error goes back to the client, never to the log.
                client.sendRaw("{\"m\":0,\"i\":9,\"n\":\"WebAuthenticateUser\",\"o\":{\"UserName\":\"alice\"," +
                    "\"Password\":\"" + PASSWORD + "\"");
                client.sendRaw("{\"m\":0,\"i\":10,\"n\":\"WebAuthenticateUser\"," +
                    "\"o\":\"{\\\"UserName\\\":\\\"alice\\\"," +
                    "\\\"Password\\\":" + PASSWORD + "}\"}");
                client.sendRaw("{\"m\":0,\"i\":11,\"n\":\"" + PASSWORD + "\",\"o\":\"{}\"}");
                client.call("AuthenticateUser", "{\"APIKey\":\"" + API_KEY + "\",\"Signature\":\"" + API_SECRET +
                    "\",\"UserId\":11,\"Nonce\":1}");
                attempts += 4;
                // Events carry request fields into the journal: none of them is a credential.
                assertEquals(Boolean.TRUE, client.login("boss", PASSWORD).get("Authenticated"));
                for (int k = 0; k < 20; k++)
                {
                    client.call("SendExchangeOrderStateEvent", event(1, 500 + k, 5));
                }
            }
            final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            final String basic = "Basic " + Base64.getEncoder().encodeToString(("alice:" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
            final String base = "http://" + gateway.address().getHostString() + ":" + gateway.address().getPort();
            for (final String authorization : new String[]{basic, basic + "x", "Basic !!" + PASSWORD})
            {
                http.send(HttpRequest.newBuilder(URI.create(base + "/AP/AuthenticateUser"))
                    .header("Authorization", authorization).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
                attempts++;
            }
            Thread.sleep(500);
            GatewayProcess.assertStoppedCleanly(gateway);
        }

        final List<String> secrets = List.of(PASSWORD, demoPassword, API_SECRET,
            Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        final String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(output.contains("ordergw listening"), "the log was captured");
        assertTrue(output.contains("DEBUG"), "debug logging was on");
        long bytesSearched = output.length();
        for (final String secret : secrets)
        {
            assertFalse(output.contains(secret), "a secret reached the log: " + secret.charAt(0) + "...");
        }
        try (Stream<Path> files = Files.walk(data))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                if (Files.isRegularFile(file))
                {
                    final byte[] bytes = Files.readAllBytes(file);
                    bytesSearched += bytes.length;
                    for (final String secret : secrets)
                    {
                        assertFalse(contains(bytes, secret.getBytes(StandardCharsets.UTF_8)),
                            "a secret reached " + data.relativize(file));
                    }
                }
            }
        }
        Figures.report("SecurityTest", attempts + " logins and broken login frames carrying passwords and an API " +
            "secret: none of " + secrets.size() + " secrets found in " + (bytesSearched >> 10) + " KiB of DEBUG log, " +
            "journal and snapshots");
    }

    private static boolean contains(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    @Timeout(120)
    void theDefaultBindIsLoopbackOnly() throws Exception
    {
        final OrderGwConfig defaults = OrderGwConfig.defaults();
        assertTrue(InetAddress.getByName(defaults.gateway.host).isLoopbackAddress(), defaults.gateway.host);
        try (GatewayHarness harness = new GatewayHarness(dir.resolve("in-process")))
        {
            assertTrue(harness.gateway.address().getAddress().isLoopbackAddress(),
                harness.gateway.address().toString());
        }
        // The real command, with no --host and no host in its config file (only its own Aeron directory): it says
        // where it listens, and the kernel agrees.
        final Path config = dir.resolve("empty.conf");
        Files.writeString(config, GatewayProcess.isolatedFeed(dir), StandardCharsets.UTF_8);
        try (GatewayProcess gateway = GatewayProcess.start(config, dir.resolve("data"), dir.resolve("gateway.log"),
            Map.of("ORDERGW_DEMO_PASSWORD", "x-loopback"), "--demo"))
        {
            assertTrue(gateway.address().getAddress().isLoopbackAddress(), gateway.webSocketUrl());
            final String port = String.format("%04X", gateway.address().getPort());
            final List<String> listening = new ArrayList<>();
            for (final String table : new String[]{"/proc/net/tcp", "/proc/net/tcp6"})
            {
                if (!Files.isReadable(Path.of(table)))
                {
                    continue;
                }
                for (final String line : Files.readAllLines(Path.of(table)))
                {
                    final String[] fields = line.trim().split("\\s+");
                    if (fields.length > 3 && fields[1].endsWith(":" + port) && fields[3].equals("0A"))
                    {
                        listening.add(fields[1]);
                    }
                }
            }
            for (final String address : listening)
            {
                // 127.0.0.1, as IPv4 or IPv4-mapped IPv6 (little-endian hex in the kernel's table).
                assertTrue(address.equals("0100007F:" + port) ||
                    address.equals("0000000000000000FFFF00000100007F:" + port), "listening on " + address);
            }
            gateway.stop();
        }
        Figures.report("SecurityTest", "default bind: " + defaults.gateway.host + " (loopback), confirmed by the " +
            "running process and the kernel's socket table");
    }
}
