package io.ordergw.gateway.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginThrottleTest
{
    private static final long WINDOW = 60_000;

    @Test
    void locksAfterTheLimitWithinTheWindowAndUnlocksAWindowAfterTheLastFailure()
    {
        final LoginThrottle throttle = new LoginThrottle(3, WINDOW, 100);

        throttle.recordFailure(0, "u:a", null);
        throttle.recordFailure(10_000, "u:a", null);
        assertFalse(throttle.isLocked(10_001, "u:a", null));
        throttle.recordFailure(20_000, "u:a", null);

        assertTrue(throttle.isLocked(20_001, "u:a", null));
        assertTrue(throttle.isLocked(79_999, null, "u:a"));
        assertFalse(throttle.isLocked(80_000, "u:a", null));
    }

    @Test
    void reportsTheFailureThatLocksAKeyOnceForTheAuditLog()
    {
        final LoginThrottle throttle = new LoginThrottle(2, WINDOW, 100);

        assertEquals(0, throttle.recordFailure(0, "u:a", "a:10.0.0.1"));
        assertEquals(LoginThrottle.LOCKED_FIRST | LoginThrottle.LOCKED_SECOND,
            throttle.recordFailure(1, "u:a", "a:10.0.0.1"));
        // A racing failure past the limit extends the lock but is not a new lockout.
        assertEquals(0, throttle.recordFailure(2, "u:a", "a:10.0.0.1"));
        assertEquals(0, throttle.recordFailure(3, "u:b", "a:10.0.0.2"));
        assertEquals(LoginThrottle.LOCKED_FIRST, throttle.recordFailure(4, "u:b", null));
        assertEquals(LoginThrottle.LOCKED_SECOND, throttle.recordFailure(5, null, "a:10.0.0.2"));
    }

    @Test
    void failuresSpreadWiderThanTheWindowNeverLock()
    {
        final LoginThrottle throttle = new LoginThrottle(3, WINDOW, 100);

        for (int i = 0; i < 10; i++)
        {
            throttle.recordFailure(i * 31_000L, "u:a", null);
            assertFalse(throttle.isLocked(i * 31_000L + 1, "u:a", null), "failure " + i);
        }
    }

    @Test
    void aFloodOfNewKeysIsBoundedAndEvictsTheLeastRecentlyUsed()
    {
        final LoginThrottle throttle = new LoginThrottle(2, WINDOW, 1_000);
        throttle.recordFailure(0, "u:victim", null);
        throttle.recordFailure(0, "u:victim", null);

        for (int i = 0; i < 100_000; i++)
        {
            throttle.recordFailure(1, "u:random-" + i, "a:10.0.0.1");
            // The attacker's address keeps being checked, so it stays.
            throttle.isLocked(1, null, "a:10.0.0.1");
        }

        assertEquals(1_000, throttle.trackedKeys());
        assertTrue(throttle.isLocked(2, null, "a:10.0.0.1"));
        assertFalse(throttle.isLocked(2, "u:victim", null), "evicted as the least recently used");
    }

    @Test
    void sweepForgetsKeysWhoseWindowAndLockHavePassed()
    {
        final LoginThrottle throttle = new LoginThrottle(2, WINDOW, 100);
        throttle.recordFailure(0, "u:once", null);
        throttle.recordFailure(0, "u:locked", null);
        throttle.recordFailure(50_000, "u:locked", null);

        assertEquals(1, throttle.sweep(WINDOW));
        assertEquals(1, throttle.trackedKeys());
        assertTrue(throttle.isLocked(WINDOW, "u:locked", null));
        assertEquals(1, throttle.sweep(50_000 + WINDOW));
        assertEquals(0, throttle.trackedKeys());
    }

    @Test
    void keysIgnoreLetterCaseOfNamesAndThePortOfAddresses()
    {
        assertEquals(LoginThrottle.userKey("Alice"), LoginThrottle.userKey("alice"));
        assertEquals("a:10.0.0.1", LoginThrottle.addressKey("10.0.0.1"));
        assertEquals("a:10.0.0.1", LoginThrottle.addressKey("10.0.0.1:5000"));
        assertEquals("a:10.0.0.1", LoginThrottle.addressKey("/10.0.0.1:5000"));
        assertEquals("a:10.0.0.1", LoginThrottle.addressKey("host.example/10.0.0.1:5000"));
        assertEquals("a:::1", LoginThrottle.addressKey("::1"));
        assertEquals("a:::1", LoginThrottle.addressKey("[::1]:5000"));
        assertEquals("a:0:0:0:0:0:0:0:1", LoginThrottle.addressKey("/[0:0:0:0:0:0:0:1]:5000"));
        assertNull(LoginThrottle.addressKey(null));
        assertNull(LoginThrottle.addressKey(""));
        assertNull(LoginThrottle.userKey(null));
        assertEquals(2 + LoginThrottle.MAX_KEY_CHARS, LoginThrottle.userKey("x".repeat(100_000)).length());
    }
}
