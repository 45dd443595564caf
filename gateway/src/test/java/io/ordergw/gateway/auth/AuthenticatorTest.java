package io.ordergw.gateway.auth;

import io.ordergw.config.OrderGwConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthenticatorTest
{
    private static final long START = 1_700_000_000_000L;
    private static final long TTL = 3_600_000;
    private static final long WINDOW = 60_000;
    private static final String ALICE_HASH = PasswordHasher.hash("alice-pw".toCharArray(), 1000);
    private static final String BOB_HASH = PasswordHasher.hash("bob-pw".toCharArray(), 1000);
    private static final String SECRET = "alice-hmac-secret";
    private static final String KEY = "AK-alice";
    private static final OrderGwConfig CONFIG = OrderGwConfig.parse(
        "ordergw.gateway {\n" +
        "  auth { session-ttl = 1h, max-failures = 3, failure-window = 1m }\n" +
        "  users {\n" +
        "    alice { user-id = 7, password-hash = \"" + ALICE_HASH + "\", permissions = [Trading],\n" +
        "      accounts = [70] }\n" +
        "    bob { user-id = 8, password-hash = \"" + BOB_HASH + "\", permissions = [Operator] }\n" +
        "  }\n" +
        "  api-keys { \"" + KEY + "\" { user = alice, secret = \"" + SECRET + "\" } }\n" +
        "}");

    private final AtomicLong clock = new AtomicLong(START);
    private final UserDirectory users = UserDirectory.fromConfig(CONFIG);
    private final Authenticator auth = new Authenticator(users, CONFIG.gateway, clock::get);

    @Test
    void aCorrectPasswordOpensASessionWithARandomHexToken()
    {
        final LoginResult result = auth.login("alice", "alice-pw", "10.0.0.1:4000");

        assertTrue(result.authenticated());
        assertNull(result.errorMessage());
        assertFalse(result.throttled());
        final AuthSession session = result.session();
        assertSame(users.user("alice"), session.user());
        assertTrue(session.token().matches("[0-9a-f]{32}"), session.token());
        assertEquals(START + TTL, session.expiresAtMillis());
        assertSame(session, auth.session(session.token()));
        assertNotEquals(session.token(), auth.login("alice", "alice-pw", "10.0.0.1").session().token());
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer()
    {
        final LoginResult wrongPassword = auth.login("alice", "bob-pw", "10.0.0.1");
        final LoginResult unknownUser = auth.login("mallory", "alice-pw", "10.0.0.2");
        final LoginResult noPassword = auth.login("alice", null, "10.0.0.3");
        final LoginResult wrongCase = auth.login("ALICE", "alice-pw", "10.0.0.4");

        for (final LoginResult result : List.of(wrongPassword, unknownUser, noPassword, wrongCase))
        {
            assertFalse(result.authenticated());
            assertNull(result.session());
            assertFalse(result.throttled());
            assertEquals("Invalid username or password", result.errorMessage());
        }
        assertEquals(0, auth.sessionCount());
    }

    @Test
    void anUnknownUserCostsAboutAsMuchAsAWrongPassword()
    {
        // Costly enough that skipping the hash for an unknown name would stand out by two orders of magnitude.
        final String hash = PasswordHasher.hash("pw".toCharArray(), 100_000);
        final UserDirectory slow = UserDirectory.of(
            List.of(new User("carol", 9, 1, Set.of(Permission.TRADING), new int[0], hash)), List.of());
        final OrderGwConfig.Gateway lenient = OrderGwConfig.parse("ordergw.gateway.auth.max-failures = 1000").gateway;
        final Authenticator slowAuth = new Authenticator(slow, lenient, clock::get);

        final long known = medianNanos(() -> slowAuth.login("carol", "wrong", null));
        final long unknown = medianNanos(() -> slowAuth.login("nobody-" + System.nanoTime(), "wrong", null));

        assertTrue(unknown * 3 > known, "unknown " + unknown + "ns vs known " + known + "ns");
    }

    @Test
    void aSignedApiKeyLoginOpensASessionForTheKeysUser()
    {
        final LoginResult result = auth.loginWithApiKey(KEY, sign(SECRET, "1", "7", KEY), "7", "1", "10.0.0.1");

        assertTrue(result.authenticated(), result.toString());
        assertSame(users.user("alice"), result.session().user());
        assertSame(result.session(), auth.session(result.session().token()));
    }

    @Test
    void aNonceAcceptedBeforeARestartCannotBeReplayedAfterIt(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("data").resolve("api-key-nonces");
        final String signed5 = sign(SECRET, "5", "7", KEY);
        final Authenticator before = new Authenticator(users, CONFIG.gateway, clock::get, ApiKeyNonces.inFile(file));
        assertTrue(before.loginWithApiKey(KEY, signed5, "7", "5", null).authenticated());

        final Authenticator after = new Authenticator(users, CONFIG.gateway, clock::get, ApiKeyNonces.inFile(file));
        final LoginResult replayed = after.loginWithApiKey(KEY, signed5, "7", "5", null);
        assertFalse(replayed.authenticated(), "the captured login is refused after the restart");
        assertEquals(LoginResult.INVALID_CREDENTIALS, replayed.errorMessage());
        assertTrue(after.loginWithApiKey(KEY, sign(SECRET, "6", "7", KEY), "7", "6", null).authenticated());

        final String kept = Files.readString(file);
        assertTrue(kept.contains(KEY) && kept.contains("6"), kept);
        assertFalse(kept.contains(SECRET) || kept.contains(signed5), "no secret or signature on disk: " + kept);
    }

    @Test
    void aNonceThatCannotBeKeptRefusesTheLoginAndDoesNotMoveOn(@TempDir final Path dir) throws Exception
    {
        final ApiKeyNonces nonces = ApiKeyNonces.inFile(dir.resolve("data").resolve("api-key-nonces"));
        Files.writeString(dir.resolve("data"), "a file where the directory should be: no write can succeed");
        final Authenticator unwritable = new Authenticator(users, CONFIG.gateway, clock::get, nonces);

        final LoginResult result = unwritable.loginWithApiKey(KEY, sign(SECRET, "9", "7", KEY), "7", "9", null);
        assertFalse(result.authenticated(), "never accepted with a nonce a restart would forget");
        assertEquals(LoginResult.UNAVAILABLE, result.errorMessage());
        assertEquals(-1, nonces.last(KEY));
    }

    @Test
    void anUppercaseHexSignatureIsAccepted()
    {
        final String signature = sign(SECRET, "5", "7", KEY).toUpperCase();

        assertTrue(auth.loginWithApiKey(KEY, signature, "7", "5", null).authenticated());
    }

    @Test
    void theSignatureCoversTheTextsAsSentSoNumbersSentAsStringsWork()
    {
        // A millisecond nonce, and a nonce with a leading zero sent as a string: both signed over the text given.
        assertTrue(auth.loginWithApiKey(KEY, sign(SECRET, "1700000000000", "7", KEY), "7", "1700000000000", null)
            .authenticated());
        assertTrue(auth.loginWithApiKey(KEY, sign(SECRET, "01700000000001", "7", KEY), "7", "01700000000001", null)
            .authenticated());
        assertFalse(auth.loginWithApiKey(KEY, sign(SECRET, "1700000000002", "7", KEY), "7", "01700000000002", null)
            .authenticated(), "signed over another text");
    }

    @Test
    void aWrongSignatureIsRefused()
    {
        final List<String> signatures = List.of(
            sign("another-secret", "1", "7", KEY),
            sign(SECRET, "1", "7", "AK-other"),
            sign(SECRET, "1", "7", KEY).substring(2),
            "zz" + sign(SECRET, "1", "7", KEY).substring(2),
            "");
        for (final String signature : signatures)
        {
            final LoginResult result = auth.loginWithApiKey(KEY, signature, "7", "1", null);

            assertFalse(result.authenticated(), signature);
            assertEquals("Invalid username or password", result.errorMessage());
            clock.addAndGet(WINDOW); // past the failure window, so the next attempt is not throttled
        }
        assertTrue(auth.loginWithApiKey(KEY, sign(SECRET, "1", "7", KEY), "7", "1", null).authenticated(),
            "failed logins did not use up the nonce");
    }

    @Test
    void aUserIdOtherThanTheKeysUserIsRefusedEvenWhenSigned()
    {
        assertFalse(auth.loginWithApiKey(KEY, sign(SECRET, "1", "8", KEY), "8", "1", null).authenticated());
        assertFalse(auth.loginWithApiKey(KEY, sign(SECRET, "1", "x", KEY), "x", "1", null).authenticated());
        assertTrue(auth.loginWithApiKey(KEY, sign(SECRET, "1", "7", KEY), "7", "1", null).authenticated());
    }

    @Test
    void anUnknownApiKeyIsRefused()
    {
        final String unknown = "AK-nobody";
        final LoginResult result = auth.loginWithApiKey(unknown, sign(SECRET, "1", "7", unknown), "7", "1", null);

        assertFalse(result.authenticated());
        assertEquals("Invalid username or password", result.errorMessage());
    }

    @Test
    void aReplayedOrOlderNonceIsRefused()
    {
        assertTrue(auth.loginWithApiKey(KEY, sign(SECRET, "100", "7", KEY), "7", "100", null).authenticated());

        assertFalse(auth.loginWithApiKey(KEY, sign(SECRET, "100", "7", KEY), "7", "100", null).authenticated(),
            "the same login replayed");
        assertFalse(auth.loginWithApiKey(KEY, sign(SECRET, "99", "7", KEY), "7", "99", null).authenticated(),
            "an older nonce");
        assertTrue(auth.loginWithApiKey(KEY, sign(SECRET, "101", "7", KEY), "7", "101", null).authenticated());
    }

    @Test
    void aNonceThatIsNotANonNegativeIntegerIsRefusedEvenWhenSigned()
    {
        for (final String nonce : List.of("abc", "-5", "1.5", "1e3", " 5", "", "99999999999999999999"))
        {
            final LoginResult result = auth.loginWithApiKey(KEY, sign(SECRET, nonce, "7", KEY), "7", nonce, null);
            assertFalse(result.authenticated(), nonce);
            assertFalse(result.throttled(), nonce);
            clock.addAndGet(WINDOW); // past the failure window, so the next attempt is not throttled
        }
        assertTrue(auth.loginWithApiKey(KEY, sign(SECRET, "0", "7", KEY), "7", "0", null).authenticated(),
            "zero is the smallest nonce");
    }

    @Test
    @Timeout(10)
    void concurrentLoginsWithOneNonceAcceptExactlyOne() throws Exception
    {
        final String signature = sign(SECRET, "42", "7", KEY);
        final int threads = 8;
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try
        {
            final CountDownLatch start = new CountDownLatch(1);
            final List<Future<LoginResult>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++)
            {
                results.add(pool.submit(() ->
                {
                    start.await();
                    return auth.loginWithApiKey(KEY, signature, "7", "42", null);
                }));
            }
            start.countDown();
            int accepted = 0;
            for (final Future<LoginResult> result : results)
            {
                accepted += result.get().authenticated() ? 1 : 0;
            }
            assertEquals(1, accepted);
        }
        finally
        {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    @Test
    @Timeout(10)
    void concurrentPasswordLoginsGetDistinctSessions() throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        try
        {
            final Set<String> tokens = ConcurrentHashMap.newKeySet();
            final List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++)
            {
                done.add(pool.submit(() -> tokens.add(auth.login("bob", "bob-pw", null).session().token())));
            }
            for (final Future<?> future : done)
            {
                future.get();
            }
            assertEquals(40, tokens.size());
            assertEquals(40, auth.sessionCount());
        }
        finally
        {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aSessionResumesByTokenUntilLogout()
    {
        final AuthSession session = auth.login("alice", "alice-pw", null).session();
        clock.addAndGet(60_000);

        final LoginResult resumed = auth.resume(session.token());
        assertTrue(resumed.authenticated());
        assertSame(session, resumed.session());
        assertEquals(START + TTL, resumed.session().expiresAtMillis(), "resuming does not extend the session");

        auth.logout(session.token());

        final LoginResult afterLogout = auth.resume(session.token());
        assertFalse(afterLogout.authenticated());
        assertEquals("Invalid username or password", afterLogout.errorMessage());
        assertNull(auth.session(session.token()));
    }

    @Test
    void aSessionStopsWorkingWhenItExpires()
    {
        final AuthSession session = auth.login("alice", "alice-pw", null).session();

        clock.set(START + TTL - 1);
        assertTrue(auth.resume(session.token()).authenticated());
        clock.set(START + TTL);
        assertFalse(auth.resume(session.token()).authenticated());
        assertNull(auth.session(session.token()));
        assertEquals(0, auth.sessionCount(), "removed when found expired");
    }

    @Test
    void unknownTokensFindNoSession()
    {
        assertNull(auth.session(null));
        assertNull(auth.session("0123456789abcdef0123456789abcdef"));
        assertFalse(auth.resume("").authenticated());
        auth.logout("not-a-token");
        auth.logout(null);
    }

    @Test
    void sweepRemovesExpiredSessionsOnly()
    {
        auth.login("alice", "alice-pw", null);
        clock.addAndGet(TTL / 2);
        final AuthSession later = auth.login("bob", "bob-pw", null).session();
        clock.set(START + TTL);

        assertEquals(1, auth.sweepExpired());
        assertEquals(1, auth.sessionCount());
        assertSame(later, auth.session(later.token()));
    }

    @Test
    void logoutListenersHearOfEachEndedSessionOnce()
    {
        final List<AuthSession> ended = new ArrayList<>();
        auth.addLogoutListener(ended::add);
        final AuthSession loggedOut = auth.login("alice", "alice-pw", null).session();
        final AuthSession expiring = auth.login("bob", "bob-pw", null).session();

        auth.logout(loggedOut.token());
        auth.logout(loggedOut.token());
        assertEquals(List.of(loggedOut), ended);

        clock.set(START + TTL);
        auth.sweepExpired();
        auth.session(expiring.token());
        assertEquals(List.of(loggedOut, expiring), ended);
    }

    @Test
    void repeatedFailuresForOneUserNameRefuseEvenTheRightPasswordUntilTheWindowPasses()
    {
        for (int i = 0; i < 3; i++)
        {
            assertFalse(auth.login("alice", "guess-" + i, "10.0.0." + i).throttled());
        }
        clock.addAndGet(1_000);

        final LoginResult refused = auth.login("alice", "alice-pw", "10.9.9.9");
        assertFalse(refused.authenticated());
        assertTrue(refused.throttled());
        assertEquals("Too many failed logins; try again later", refused.errorMessage());
        assertTrue(auth.login("Alice", "alice-pw", "10.9.9.9").throttled(), "letter case does not escape it");
        assertTrue(auth.login("bob", "bob-pw", "10.9.9.9").authenticated(), "other users are not affected");

        clock.set(START + WINDOW - 1);
        assertTrue(auth.login("alice", "alice-pw", "10.9.9.9").throttled());
        clock.set(START + WINDOW);
        assertTrue(auth.login("alice", "alice-pw", "10.9.9.9").authenticated());
    }

    @Test
    void repeatedFailuresFromOneAddressRefuseItsLoginsWhateverTheName()
    {
        auth.login("alice", "guess", "10.0.0.1:5001");
        auth.login("mallory", "guess", "10.0.0.1:5002");
        auth.login("trent", "guess", "10.0.0.1:5003");

        assertTrue(auth.login("bob", "bob-pw", "10.0.0.1:5004").throttled());
        assertTrue(auth.loginWithApiKey(KEY, sign(SECRET, "1", "7", KEY), "7", "1", "10.0.0.1").throttled());
        assertTrue(auth.login("bob", "bob-pw", "10.0.0.2").authenticated(), "other addresses are not affected");

        clock.addAndGet(WINDOW);
        assertTrue(auth.login("bob", "bob-pw", "10.0.0.1:5005").authenticated());
    }

    @Test
    void refusedAttemptsWhileLockedDoNotProlongTheLock()
    {
        for (int i = 0; i < 3; i++)
        {
            auth.login("alice", "guess", null);
        }
        for (int i = 1; i < 60; i++)
        {
            clock.set(START + i * 1_000L);
            assertTrue(auth.login("alice", "guess", null).throttled());
        }
        clock.set(START + WINDOW);

        assertTrue(auth.login("alice", "alice-pw", null).authenticated());
    }

    @Test
    void aSuccessfulLoginForgetsTheUsersEarlierFailures()
    {
        auth.login("alice", "typo", null);
        auth.login("alice", "typo", null);
        assertTrue(auth.login("alice", "alice-pw", null).authenticated());
        auth.login("alice", "typo", null);
        auth.login("alice", "typo", null);

        assertTrue(auth.login("alice", "alice-pw", null).authenticated());
    }

    @Test
    void repeatedBadSignaturesForOneApiKeyRefuseEvenACorrectOne()
    {
        for (int i = 0; i < 3; i++)
        {
            auth.loginWithApiKey(KEY, sign("guess", "1", "7", KEY), "7", "1", "10.0.0." + i);
        }

        final LoginResult refused = auth.loginWithApiKey(KEY, sign(SECRET, "1", "7", KEY), "7", "1", "10.9.9.9");
        assertTrue(refused.throttled());
        assertEquals("Too many failed logins; try again later", refused.errorMessage());

        clock.addAndGet(WINDOW);
        assertTrue(auth.loginWithApiKey(KEY, sign(SECRET, "1", "7", KEY), "7", "1", "10.9.9.9").authenticated(),
            "the refused login did not use up its nonce");
    }

    @Test
    void failuresForManyRandomNamesAreTrackedInBoundedMemory()
    {
        final Authenticator bounded = new Authenticator(users, CONFIG.gateway, clock::get, ApiKeyNonces.inMemory(), 50);

        for (int i = 0; i < 500; i++)
        {
            assertFalse(bounded.login("random-" + i, "x", null).authenticated());
        }

        assertEquals(50, bounded.trackedFailureKeys());
        clock.addAndGet(WINDOW);
        bounded.sweepExpired();
        assertEquals(0, bounded.trackedFailureKeys());
    }

    @Test
    void noSecretOrTokenAppearsInToString()
    {
        final LoginResult result = auth.login("alice", "alice-pw", null);
        final String text = result + " " + result.session() + " " + users.apiKey(KEY) + " " + users + " " + auth.resume(
            result.session().token());

        assertFalse(text.contains(result.session().token()), text);
        assertFalse(text.contains(SECRET), text);
        assertFalse(text.contains("alice-pw"), text);
    }

    private static String sign(final String secret, final String nonce, final String userId, final String apiKey)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((nonce + userId + apiKey).getBytes(StandardCharsets.UTF_8)));
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static long medianNanos(final Runnable action)
    {
        final long[] times = new long[5];
        for (int i = 0; i < times.length; i++)
        {
            final long start = System.nanoTime();
            action.run();
            times[i] = System.nanoTime() - start;
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }
}
