package io.ordergw.gateway.auth;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts failed logins per key (a user name, an API key or a remote address) and refuses logins for a key that
 * failed too often: after {@code maxFailures} failures within {@code window} of the key's first failure, the key is
 * locked for {@code window} from the last failure. A locked login is refused before its credentials are checked, so
 * it is never counted and the lock ends on time.
 * <p>
 * Memory is bounded: at most {@code maxTrackedKeys} keys of at most {@value #MAX_KEY_CHARS} characters are held, the
 * least recently used evicted first, so a flood of random user names cannot grow the map. A key that keeps being
 * tried stays recently used, so such a flood mostly evicts the flood's own one-off names.
 * <p>
 * Thread-safe: one lock around a small map (logins run on several threads but are not a hot path, and the slow
 * password check happens outside the lock). Check and record are separate steps, so logins that race past the
 * check together may each add one failure past the limit.
 */
final class LoginThrottle
{
    /** Keys tracked by default (well under 100 bytes of state plus the key each). */
    static final int DEFAULT_MAX_TRACKED_KEYS = 65_536;
    /** Longer keys are cut: they cannot be real user names, and the map must stay small. */
    static final int MAX_KEY_CHARS = 128;
    /** {@link #recordFailure(long, String, String)}: this failure locked the first key. */
    static final int LOCKED_FIRST = 1;
    /** {@link #recordFailure(long, String, String)}: this failure locked the second key. */
    static final int LOCKED_SECOND = 2;

    private final int maxFailures;
    private final long windowMillis;
    private final Map<String, Failures> failuresByKey;

    /**
     * A throttle.
     *
     * @param maxFailures    failures within the window that lock a key, &gt; 0.
     * @param windowMillis   the window and the lock's length, &gt; 0.
     * @param maxTrackedKeys keys held at most, &gt; 0.
     */
    LoginThrottle(final int maxFailures, final long windowMillis, final int maxTrackedKeys)
    {
        if (maxFailures <= 0 || windowMillis <= 0 || maxTrackedKeys <= 0)
        {
            throw new IllegalArgumentException("maxFailures, windowMillis and maxTrackedKeys must be > 0");
        }
        this.maxFailures = maxFailures;
        this.windowMillis = windowMillis;
        failuresByKey = new LinkedHashMap<>(16, 0.75f, true)
        {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, Failures> eldest)
            {
                return size() > maxTrackedKeys;
            }
        };
    }

    /**
     * The key for a user name; names differing only in letter case share one budget.
     *
     * @param userName the name as given, may be null.
     * @return the key, or null if there is no name.
     */
    static String userKey(final String userName)
    {
        return userName == null ? null : "u:" + cut(userName.toLowerCase(Locale.ROOT));
    }

    /**
     * The key for an API key.
     *
     * @param apiKey the key as given, may be null.
     * @return the throttle key, or null if there is none.
     */
    static String apiKeyKey(final String apiKey)
    {
        return apiKey == null ? null : "k:" + cut(apiKey);
    }

    /**
     * The key for a remote address: the host alone, so every connection from one host shares a budget. Accepts a
     * bare address ({@code 10.0.0.1}, {@code ::1}) and strips a port ({@code 10.0.0.1:5000}, {@code [::1]:5000}) or
     * an {@code InetSocketAddress.toString()} prefix ({@code /10.0.0.1:5000}, {@code host/10.0.0.1:5000}).
     *
     * @param remoteAddress the address as known, may be null or empty.
     * @return the throttle key, or null if there is no address.
     */
    static String addressKey(final String remoteAddress)
    {
        if (remoteAddress == null)
        {
            return null;
        }
        String host = remoteAddress.substring(remoteAddress.indexOf('/') + 1);
        if (host.startsWith("["))
        {
            final int end = host.indexOf(']');
            host = end < 0 ? host.substring(1) : host.substring(1, end);
        }
        else
        {
            final int colon = host.indexOf(':');
            if (colon >= 0 && colon == host.lastIndexOf(':'))
            {
                host = host.substring(0, colon);
            }
        }
        return host.isEmpty() ? null : "a:" + cut(host.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether logins for either key are refused now.
     *
     * @param nowMillis the time.
     * @param first     a key, or null.
     * @param second    another key, or null.
     * @return true if either is locked.
     */
    synchronized boolean isLocked(final long nowMillis, final String first, final String second)
    {
        return isLocked(nowMillis, first) || isLocked(nowMillis, second);
    }

    /**
     * Count a failure against both keys.
     *
     * @param nowMillis the time.
     * @param first     a key, or null.
     * @param second    another key, or null.
     * @return which keys this failure locked ({@link #LOCKED_FIRST}, {@link #LOCKED_SECOND}, both, or 0), for the
     * audit log.
     */
    synchronized int recordFailure(final long nowMillis, final String first, final String second)
    {
        return (recordFailure(nowMillis, first) ? LOCKED_FIRST : 0) |
            (recordFailure(nowMillis, second) ? LOCKED_SECOND : 0);
    }

    /**
     * Failures within the window that lock a key.
     *
     * @return the count.
     */
    int maxFailures()
    {
        return maxFailures;
    }

    /**
     * The window, and how long a lock lasts.
     *
     * @return milliseconds.
     */
    long windowMillis()
    {
        return windowMillis;
    }

    /**
     * Forget a key's failures (after a successful login for it).
     *
     * @param key the key, or null.
     */
    synchronized void clear(final String key)
    {
        if (key != null)
        {
            failuresByKey.remove(key);
        }
    }

    /**
     * Forget keys that are neither locked nor inside their window.
     *
     * @param nowMillis the time.
     * @return keys forgotten.
     */
    synchronized int sweep(final long nowMillis)
    {
        int removed = 0;
        for (final Iterator<Failures> it = failuresByKey.values().iterator(); it.hasNext(); )
        {
            final Failures failures = it.next();
            if (nowMillis >= failures.lockedUntilMillis && nowMillis - failures.windowStartMillis >= windowMillis)
            {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    /**
     * Keys held now.
     *
     * @return the count, at most the configured bound.
     */
    synchronized int trackedKeys()
    {
        return failuresByKey.size();
    }

    private boolean isLocked(final long nowMillis, final String key)
    {
        if (key == null)
        {
            return false;
        }
        final Failures failures = failuresByKey.get(key);
        return failures != null && nowMillis < failures.lockedUntilMillis;
    }

    /** Count one failure; true if it locked the key (it was not locked before). */
    private boolean recordFailure(final long nowMillis, final String key)
    {
        if (key == null)
        {
            return false;
        }
        Failures failures = failuresByKey.get(key);
        if (failures == null)
        {
            failures = new Failures(nowMillis);
            failuresByKey.put(key, failures);
        }
        else if (nowMillis - failures.windowStartMillis >= windowMillis)
        {
            failures.windowStartMillis = nowMillis;
            failures.count = 0;
        }
        failures.count++;
        if (failures.count >= maxFailures)
        {
            final boolean wasLocked = nowMillis < failures.lockedUntilMillis;
            failures.lockedUntilMillis = nowMillis + windowMillis;
            return !wasLocked;
        }
        return false;
    }

    private static String cut(final String key)
    {
        return key.length() <= MAX_KEY_CHARS ? key : key.substring(0, MAX_KEY_CHARS);
    }

    /** One key's failures in its current window; guarded by the throttle's lock. */
    private static final class Failures
    {
        long windowStartMillis;
        int count;
        long lockedUntilMillis = Long.MIN_VALUE;

        Failures(final long windowStartMillis)
        {
            this.windowStartMillis = windowStartMillis;
        }
    }
}
