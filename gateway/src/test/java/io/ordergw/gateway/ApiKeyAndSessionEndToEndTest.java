package io.ordergw.gateway;

import io.ordergw.gateway.auth.PasswordHasher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

import static io.ordergw.gateway.ApexAssertions.assertRefusal;
import static io.ordergw.gateway.ApexAssertions.nextEvent;
import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.ApexAssertions.seqNum;
import static io.ordergw.gateway.ApexAssertions.subscribe;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * API-key logins (HMAC-SHA256 of Nonce + UserId + APIKey, a nonce that must grow), resuming a session by its token
 * on another connection, and LogOut ending the session's subscriptions and its token (docs/api.md section 4).
 */
@SystemTest
class ApiKeyAndSessionEndToEndTest
{
    private static final String API_KEY = "k1";
    private static final String SECRET = "s3cret";
    /** The API key's user: a configured user, since API keys name configured users only. */
    private static final long KEY_USER_ID = 3;

    @TempDir
    static Path dir;

    private static GatewayHarness harness;
    private static ApexHttp http;

    @BeforeAll
    static void startGateway() throws Exception
    {
        harness = new GatewayHarness(dir, keyedUserConfig());
        http = new ApexHttp(harness.gateway.httpUrl());
    }

    private static String keyedUserConfig()
    {
        final String hash = PasswordHasher.hash("unused-password".toCharArray(), 1000);
        return "ordergw.gateway.auth.max-failures = 100\n" +
            "ordergw.gateway.users { keyed { user-id = " + KEY_USER_ID + ", password-hash = \"" + hash +
            "\", permissions = [Trading], accounts = [1] } }\n" +
            "ordergw.gateway.api-keys { \"" + API_KEY + "\" { user = keyed, secret = \"" + SECRET + "\" } }\n";
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
    void aSignedApiKeyLoginSucceedsAndItsNonceCannotBeReplayedOrGoBack() throws Exception
    {
        try (ApexClient client = harness.client())
        {
            final String first = apiKeyLogin(1000, SECRET, false);
            final Map<String, Object> accepted = client.call("AuthenticateUser", first).payload();
            assertEquals(true, accepted.get("Authenticated"), accepted.toString());
            assertEquals(Map.of("UserId", KEY_USER_ID, "UserName", "keyed", "AccountId", 1L, "OMSId", 1L),
                accepted.get("User"));
            assertEquals(false, accepted.get("Locked"));
            assertEquals(false, accepted.get("Requires2FA"));
            assertNotNull(accepted.get("SessionToken"));
            subscribe(client, 1, 0);
        }

        // The same login again, on a new connection: refused, and that connection is not logged in.
        try (ApexClient replay = harness.client())
        {
            assertRefusedLogin(replay.call("AuthenticateUser", apiKeyLogin(1000, SECRET, false)).payload());
            assertRefusal(replay.call("GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1}").payload(), 20, "not logged in");

            assertRefusedLogin(replay.call("AuthenticateUser", apiKeyLogin(999, SECRET, false)).payload());
            // A wrong signature is refused and does not use up its nonce.
            assertRefusedLogin(replay.call("AuthenticateUser", apiKeyLogin(1001, "wrong-secret", false)).payload());
            final String badHex = apiKeyLogin(1001, SECRET, false).replaceAll("\"Signature\":\"[0-9a-f]{8}",
                "\"Signature\":\"00000000");
            assertRefusedLogin(replay.call("AuthenticateUser", badHex).payload());
            assertEquals(true, replay.call("AuthenticateUser", apiKeyLogin(1001, SECRET, false)).payload()
                .get("Authenticated"));
            // UserId and Nonce may come as strings.
            assertEquals(true, replay.call("AuthenticateUser", apiKeyLogin(1002, SECRET, true)).payload()
                .get("Authenticated"));
        }

        final ApexHttp.Response overHttp = http.post("AuthenticateUser", apiKeyLogin(1003, SECRET, false));
        assertEquals(200, overHttp.status, overHttp.toString());
        assertEquals(true, overHttp.payload().get("Authenticated"));
        final ApexHttp.Response replayedOverHttp = http.post("AuthenticateUser", apiKeyLogin(1003, SECRET, false));
        assertEquals(401, replayedOverHttp.status, replayedOverHttp.toString());
        assertRefusedLogin(replayedOverHttp.payload());
    }

    @Test
    @Timeout(60)
    void aSignedLoginCapturedBeforeARestartIsRefusedAfterIt(@TempDir final Path restartDir) throws Exception
    {
        try (GatewayHarness before = new GatewayHarness(restartDir, keyedUserConfig()))
        {
            final ApexHttp.Response login =
                new ApexHttp(before.gateway.httpUrl()).post("AuthenticateUser", apiKeyLogin(5000, SECRET, false));
            assertEquals(true, login.payload().get("Authenticated"), login.toString());
        }
        try (GatewayHarness after = new GatewayHarness(restartDir, keyedUserConfig()))
        {
            final ApexHttp restarted = new ApexHttp(after.gateway.httpUrl());
            final ApexHttp.Response replayed = restarted.post("AuthenticateUser", apiKeyLogin(5000, SECRET, false));
            assertEquals(401, replayed.status, replayed.toString());
            assertRefusedLogin(replayed.payload());
            assertEquals(true, restarted.post("AuthenticateUser", apiKeyLogin(5001, SECRET, false)).payload()
                .get("Authenticated"));
        }
    }

    @Test
    @Timeout(60)
    void aConnectionWhoseLoginExpiredStopsReceivingAccountEvents(@TempDir final Path expiryDir) throws Exception
    {
        try (GatewayHarness shortLived = new GatewayHarness(expiryDir, "ordergw.gateway.auth.session-ttl = 1s\n");
            ApexClient trader = shortLived.login("trader"))
        {
            subscribe(trader, 1, 0);
            Thread.sleep(1_500);
            assertRefusal(trader.call("GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1}").payload(), 20,
                "not logged in");
            try (ApexClient operator = shortLived.login("operator"))
            {
                sendAcked(operator, order(9001));
            }
            assertNull(trader.nextFrame(1_000), "no account event after the login expired");
        }
    }

    @Test
    @Timeout(30)
    void aSessionTokenResumesTheSessionOnANewConnection() throws Exception
    {
        try (ApexClient first = harness.client(); ApexClient second = harness.client();
            ApexClient operator = harness.login("operator"))
        {
            final Map<String, Object> login = first.login("trader", GatewayHarness.PASSWORD);
            final String token = (String)login.get("SessionToken");
            final Map<String, Object> resumed =
                second.call("WebAuthenticateUser", "{\"SessionToken\":" + ApexClient.quote(token) + "}").payload();
            assertEquals(true, resumed.get("Authenticated"), resumed.toString());
            assertEquals(token, resumed.get("SessionToken"));
            assertEquals(2L, resumed.get("UserId"));
            assertEquals("trader", resumed.get("UserName"));
            assertEquals(1L, resumed.get("AccountId"));
            assertEquals(1L, resumed.get("OMSId"));

            final long sub = subscribe(second, 1, 0);
            final long seqNum = sendAcked(operator, order(6001));
            assertEquals(seqNum, seqNum(nextEvent(second, sub).payload()));
            assertEquals(200, http.postAs(token, "GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1}").status);

            try (ApexClient stranger = harness.client())
            {
                assertRefusedLogin(stranger.call("WebAuthenticateUser",
                    "{\"SessionToken\":\"00000000000000000000000000000000\"}").payload());
            }
        }
    }

    @Test
    @Timeout(30)
    void logOutEndsTheSessionsSubscriptionsAndItsToken() throws Exception
    {
        try (ApexClient loggingOut = harness.client(); ApexClient sameSession = harness.client();
            ApexClient witness = harness.login("trader"); ApexClient operator = harness.login("operator"))
        {
            final String token = (String)loggingOut.login("trader", GatewayHarness.PASSWORD).get("SessionToken");
            assertEquals(true, sameSession.call("WebAuthenticateUser",
                "{\"SessionToken\":" + ApexClient.quote(token) + "}").payload().get("Authenticated"));
            final long subA = subscribe(loggingOut, 1, 0);
            final long subB = subscribe(sameSession, 1, 0);
            final long subW = subscribe(witness, 1, 0);
            final long before = sendAcked(operator, order(7001));
            assertEquals(before, seqNum(nextEvent(loggingOut, subA).payload()));
            assertEquals(before, seqNum(nextEvent(sameSession, subB).payload()));
            assertEquals(before, seqNum(nextEvent(witness, subW).payload()));

            final ApexClient.Frame out = loggingOut.call("LogOut", "{}");
            assertEquals(1, out.m, out.raw);
            assertEquals(true, out.payload().get("result"), out.raw);

            final long after = sendAcked(operator, order(7002));
            assertEquals(after, seqNum(nextEvent(witness, subW).payload()), "other sessions still get events");
            // A round trip on each logged-out connection: an event routed to it would have come before the reply.
            assertRefusal(loggingOut.call("GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1}").payload(), 20,
                "not logged in");
            assertRefusal(sameSession.call("GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1}").payload(), 20,
                "not logged in");
            assertNull(loggingOut.nextEvent(1), "the logged-out connection got an event");
            assertNull(sameSession.nextEvent(1), "a connection resumed with the token got an event");

            try (ApexClient again = harness.client())
            {
                assertRefusedLogin(again.call("WebAuthenticateUser",
                    "{\"SessionToken\":" + ApexClient.quote(token) + "}").payload());
            }
            final ApexHttp.Response overHttp = http.postAs(token, "GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1}");
            assertEquals(401, overHttp.status, overHttp.toString());
        }
    }

    private static void assertRefusedLogin(final Map<String, Object> reply)
    {
        assertEquals(false, reply.get("Authenticated"), String.valueOf(reply));
        assertEquals("Invalid username or password", reply.get("errormsg"), String.valueOf(reply));
        assertNull(reply.get("SessionToken"), String.valueOf(reply));
    }

    /** An AuthenticateUser payload for the API key, signed with a secret. */
    private static String apiKeyLogin(final long nonce, final String secret, final boolean asStrings) throws Exception
    {
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        final String signature = HexFormat.of().formatHex(
            mac.doFinal((nonce + "" + KEY_USER_ID + API_KEY).getBytes(StandardCharsets.UTF_8)));
        final String userId = asStrings ? "\"" + KEY_USER_ID + "\"" : Long.toString(KEY_USER_ID);
        final String nonceJson = asStrings ? "\"" + nonce + "\"" : Long.toString(nonce);
        return "{\"APIKey\":\"" + API_KEY + "\",\"Signature\":\"" + signature + "\",\"UserId\":" + userId +
            ",\"Nonce\":" + nonceJson + "}";
    }
}
