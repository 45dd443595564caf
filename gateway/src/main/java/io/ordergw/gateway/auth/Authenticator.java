package io.ordergw.gateway.auth;

import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.Audit;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Logins (user name and password, API key and signature, session token) and the sessions they open (docs/api.md
 * section 4).
 * <ul>
 *     <li>Every credential failure answers {@link LoginResult#INVALID_CREDENTIALS}, and a password check for a user
 *     that does not exist runs PBKDF2 on a stand-in hash with as many iterations as the costliest real one, so
 *     neither the text nor the time tells whether a name exists.</li>
 *     <li>After {@code maxLoginFailures} failures within {@code loginFailureWindow} for one user name (or API key)
 *     or one remote address, logins for it are refused with {@link LoginResult#TOO_MANY_FAILURES} until the window
 *     has passed since the last failure, even with correct credentials. Failures are tracked in bounded memory.</li>
 *     <li>An API-key login carries HMAC-SHA256(secret, Nonce + UserId + APIKey) in hex; the nonce must be greater
 *     than the last accepted one for that key, and only a fully valid login moves it on.</li>
 *     <li>A session lasts {@code sessionTtl} from login; its token (128 bits from {@link SecureRandom}, lowercase
 *     hex) can be resumed from another connection until it expires or is logged out.</li>
 * </ul>
 * Thread-safe: logins run on several threads at once. Password checks take tens of milliseconds by design, so call
 * {@link #login} off the I/O threads. Nothing here logs but the audit lines ({@link Audit}: each password or API-key
 * login's outcome, and each lockout as it starts), and no password, secret or token reaches a message; a user name
 * reaches the audit only when it names a configured user.
 */
public final class Authenticator
{
    private static final HexFormat HEX = HexFormat.of();
    private static final int TOKEN_BYTES = 16;
    private static final int SIGNATURE_BYTES = 32;
    /** Decimal digits of Long.MAX_VALUE; longer nonces cannot parse. */
    private static final int MAX_NONCE_DIGITS = 19;

    private final UserDirectory users;
    private final long sessionTtlMillis;
    private final LongSupplier clock;
    private final LoginThrottle throttle;
    private final String unknownUserHash;
    private final SecretKeySpec unknownKeySecret;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, AuthSession> sessions = new ConcurrentHashMap<>();
    /** Last accepted nonce per API key; only configured keys get an entry, so it is bounded. */
    private final ApiKeyNonces nonces;
    private final List<Consumer<AuthSession>> endListeners = new CopyOnWriteArrayList<>();
    /** The session each API key's signed requests act in; only configured keys get an entry, so it is bounded. */
    private final ConcurrentHashMap<String, AuthSession> requestSessions = new ConcurrentHashMap<>();

    /**
     * An authenticator.
     *
     * @param users            the users and API keys.
     * @param settings         session lifetime, failure limits and the default PBKDF2 iteration count.
     * @param epochMillisClock the time, in epoch milliseconds.
     */
    public Authenticator(
        final UserDirectory users, final OrderGwConfig.Gateway settings, final LongSupplier epochMillisClock)
    {
        this(users, settings, epochMillisClock, ApiKeyNonces.inMemory(), LoginThrottle.DEFAULT_MAX_TRACKED_KEYS);
    }

    /**
     * An authenticator that keeps API-key nonces where a restart finds them.
     *
     * @param users            the users and API keys.
     * @param settings         session lifetime, failure limits and the default PBKDF2 iteration count.
     * @param epochMillisClock the time, in epoch milliseconds.
     * @param nonces           the last nonce accepted per API key.
     */
    public Authenticator(
        final UserDirectory users,
        final OrderGwConfig.Gateway settings,
        final LongSupplier epochMillisClock,
        final ApiKeyNonces nonces)
    {
        this(users, settings, epochMillisClock, nonces, LoginThrottle.DEFAULT_MAX_TRACKED_KEYS);
    }

    /**
     * An authenticator with a chosen bound on tracked failure keys.
     *
     * @param users              the users and API keys.
     * @param settings           session lifetime, failure limits and the default PBKDF2 iteration count.
     * @param epochMillisClock   the time, in epoch milliseconds.
     * @param nonces             the last nonce accepted per API key.
     * @param maxTrackedFailures user names, API keys and addresses whose failures are remembered at most.
     */
    Authenticator(
        final UserDirectory users,
        final OrderGwConfig.Gateway settings,
        final LongSupplier epochMillisClock,
        final ApiKeyNonces nonces,
        final int maxTrackedFailures)
    {
        if (users == null || settings == null || epochMillisClock == null || nonces == null)
        {
            throw new IllegalArgumentException("users, settings, clock and nonces are required");
        }
        this.users = users;
        this.nonces = nonces;
        this.sessionTtlMillis = settings.sessionTtl.toMillis();
        this.clock = epochMillisClock;
        this.throttle = new LoginThrottle(
            settings.maxLoginFailures, settings.loginFailureWindow.toMillis(), maxTrackedFailures);
        this.unknownUserHash = PasswordHasher.unmatchable(maxIterations(users, settings.pbkdf2Iterations));
        final byte[] secret = new byte[SIGNATURE_BYTES];
        random.nextBytes(secret);
        this.unknownKeySecret = new SecretKeySpec(secret, "HmacSHA256");
    }

    /**
     * Log in with a user name and password (AuthenticateUser, WebAuthenticateUser, HTTP Basic). Slow on purpose
     * (PBKDF2): run it off the I/O threads.
     *
     * @param userName      the name as sent.
     * @param password      the password as sent; not kept.
     * @param remoteAddress the client's address (host, with or without port), or null.
     * @return a session, {@link LoginResult#invalidCredentials()} or {@link LoginResult#tooManyFailures()}.
     */
    public LoginResult login(final String userName, final String password, final String remoteAddress)
    {
        final long now = clock.getAsLong();
        final String userKey = LoginThrottle.userKey(userName);
        final String addressKey = LoginThrottle.addressKey(remoteAddress);
        final User user = users.user(userName);
        if (throttle.isLocked(now, userKey, addressKey))
        {
            Audit.loginLocked(user == null ? null : user.name(), "password", remoteAddress);
            return LoginResult.tooManyFailures();
        }
        final char[] chars = password == null ? new char[0] : password.toCharArray();
        final boolean matches;
        try
        {
            // An unknown name costs the same PBKDF2 work as a known one.
            matches = PasswordHasher.verify(user != null ? user.passwordHash() : unknownUserHash, chars);
        }
        finally
        {
            Arrays.fill(chars, '\0');
        }
        if (user == null || password == null || !matches)
        {
            final String knownUser = user == null ? null : user.name();
            Audit.loginFailed(knownUser, "password", remoteAddress);
            auditLockouts(throttle.recordFailure(now, userKey, addressKey), "user", knownUser, remoteAddress);
            return LoginResult.invalidCredentials();
        }
        // Not the address: one valid account must not reset the budget for guessing others from that host.
        throttle.clear(userKey);
        Audit.loginOk(user.name(), "password", remoteAddress);
        return LoginResult.accepted(open(user, now));
    }

    /**
     * Log in with an API key (AuthenticateUser with APIKey, Signature, UserId and Nonce). Signature is
     * HMAC-SHA256(secret, Nonce + UserId + APIKey) in hex, either letter case, computed over the texts exactly as
     * sent; UserId must be the key's user's id; Nonce a non-negative integer greater than the last one accepted for
     * this key.
     *
     * @param apiKey        the key.
     * @param signature     the signature in hex.
     * @param userId        the user id's text (it may arrive as a JSON string or number).
     * @param nonce         the nonce's text (likewise).
     * @param remoteAddress the client's address (host, with or without port), or null.
     * @return a session, {@link LoginResult#invalidCredentials()} or {@link LoginResult#tooManyFailures()}.
     */
    public LoginResult loginWithApiKey(
        final String apiKey,
        final String signature,
        final String userId,
        final String nonce,
        final String remoteAddress)
    {
        return checkApiKey(apiKey, signature, userId, nonce, remoteAddress, false);
    }

    /**
     * Authenticate one HTTP request by its API-key headers ({@code APIKey}, {@code Signature}, {@code UserId},
     * {@code Nonce}: signed as {@link #loginWithApiKey}), in place of a session token. The nonce follows
     * {@link ApiKeyNonces#acceptRequest}: within a window of the greatest, once only, with no disk write per request.
     * The request acts in the key's own session, reused while it lives, so requests open no new session each.
     *
     * @param apiKey        the key.
     * @param signature     the signature in hex.
     * @param userId        the user id's text.
     * @param nonce         the nonce's text.
     * @param remoteAddress the client's address, or null.
     * @return the key's session, {@link LoginResult#invalidCredentials()}, {@link LoginResult#tooManyFailures()} or
     * {@link LoginResult#unavailable()}.
     */
    public LoginResult authenticateRequest(
        final String apiKey,
        final String signature,
        final String userId,
        final String nonce,
        final String remoteAddress)
    {
        return checkApiKey(apiKey, signature, userId, nonce, remoteAddress, true);
    }

    private LoginResult checkApiKey(
        final String apiKey,
        final String signature,
        final String userId,
        final String nonce,
        final String remoteAddress,
        final boolean request)
    {
        final long now = clock.getAsLong();
        final String keyKey = LoginThrottle.apiKeyKey(apiKey);
        final String addressKey = LoginThrottle.addressKey(remoteAddress);
        final ApiKey key = users.apiKey(apiKey);
        final String knownUser = key == null ? null : key.user().name();
        if (throttle.isLocked(now, keyKey, addressKey))
        {
            Audit.loginLocked(knownUser, "api-key", remoteAddress);
            return LoginResult.tooManyFailures();
        }
        final byte[] message = (text(nonce) + text(userId) + text(apiKey)).getBytes(StandardCharsets.UTF_8);
        // An unknown key still costs an HMAC.
        final byte[] expected = key != null ? key.sign(message) : ApiKey.hmac(unknownKeySecret, message);
        final byte[] given = parseSignature(signature);
        final boolean signed = key != null && given != null && MessageDigest.isEqual(expected, given);
        final long nonceValue = parseNonNegative(nonce);
        // The nonce moves on only for a login that is valid in every other way, so bad signatures cannot burn it.
        if (!signed || parseNonNegative(userId) != key.user().userId() || nonceValue < 0)
        {
            Audit.loginFailed(knownUser, "api-key", remoteAddress);
            auditLockouts(throttle.recordFailure(now, keyKey, addressKey), "api-key", knownUser, remoteAddress);
            return LoginResult.invalidCredentials();
        }
        switch (request ? nonces.acceptRequest(key.key(), nonceValue) : nonces.accept(key.key(), nonceValue))
        {
            case ApiKeyNonces.NOT_GREATER:
                Audit.loginFailed(knownUser, "api-key", remoteAddress);
                auditLockouts(throttle.recordFailure(now, keyKey, addressKey), "api-key", knownUser, remoteAddress);
                return LoginResult.invalidCredentials();
            case ApiKeyNonces.NOT_KEPT:
                return LoginResult.unavailable();
            default:
                break;
        }
        throttle.clear(keyKey);
        if (!request)
        {
            // A signed request is not a login: not audited each time.
            Audit.loginOk(knownUser, "api-key", remoteAddress);
        }
        return LoginResult.accepted(request ? requestSession(key, now) : open(key.user(), now));
    }

    /** The session signed requests of a key act in: one per key, opened again once it has ended. */
    private AuthSession requestSession(final ApiKey key, final long now)
    {
        return requestSessions.compute(key.key(), (k, current) ->
            current != null && sessions.get(current.token()) == current && !current.isExpiredAt(now) ?
            current : open(key.user(), now));
    }

    /**
     * Resume a session by its token (WebAuthenticateUser with SessionToken), e.g. after a reconnect. The session
     * keeps its original expiry.
     *
     * @param sessionToken the token.
     * @return the same session, or {@link LoginResult#invalidCredentials()} if it is unknown, expired or logged out.
     */
    public LoginResult resume(final String sessionToken)
    {
        final AuthSession session = session(sessionToken);
        return session == null ? LoginResult.invalidCredentials() : LoginResult.accepted(session);
    }

    /**
     * The live session of a token (for the HTTP {@code aptoken} header). An expired session found here is removed
     * and its end listeners called.
     *
     * @param token the token.
     * @return the session, or null if unknown, expired or logged out.
     */
    public AuthSession session(final String token)
    {
        if (token == null)
        {
            return null;
        }
        final AuthSession session = sessions.get(token);
        if (session == null)
        {
            return null;
        }
        if (session.isExpiredAt(clock.getAsLong()))
        {
            end(session);
            return null;
        }
        return session;
    }

    /**
     * End a session (LogOut): its token stops working at once and the end listeners are called. Unknown tokens are
     * ignored.
     *
     * @param token the token.
     */
    public void logout(final String token)
    {
        if (token != null)
        {
            final AuthSession session = sessions.get(token);
            if (session != null)
            {
                end(session);
            }
        }
    }

    /**
     * Be told when a session ends, by {@link #logout(String)} or by expiry (found by {@link #session(String)},
     * {@link #resume(String)} or {@link #sweepExpired()}). Called once per session, on the thread that ended it; the
     * gateway ends the session's subscriptions. If listeners throw, the others still run and the first exception is
     * rethrown to the caller that ended the session.
     *
     * @param listener the listener.
     */
    public void addLogoutListener(final Consumer<AuthSession> listener)
    {
        if (listener == null)
        {
            throw new IllegalArgumentException("listener must not be null");
        }
        endListeners.add(listener);
    }

    /**
     * Remove expired sessions (calling the end listeners) and failure records whose window has passed. Call it
     * periodically; expired sessions are also removed when their token is next used.
     *
     * @return sessions removed.
     */
    public int sweepExpired()
    {
        final long now = clock.getAsLong();
        int removed = 0;
        for (final Iterator<AuthSession> it = sessions.values().iterator(); it.hasNext(); )
        {
            final AuthSession session = it.next();
            if (session.isExpiredAt(now) && end(session))
            {
                removed++;
            }
        }
        throttle.sweep(now);
        return removed;
    }

    /**
     * Sessions held now, expired ones not yet swept included.
     *
     * @return the count.
     */
    public int sessionCount()
    {
        return sessions.size();
    }

    /** User names, API keys and addresses whose failures are remembered now. */
    int trackedFailureKeys()
    {
        return throttle.trackedKeys();
    }

    private void auditLockouts(
        final int lockedNow, final String what, final String knownUser, final String remoteAddress)
    {
        if ((lockedNow & LoginThrottle.LOCKED_FIRST) != 0)
        {
            Audit.lockout(what, knownUser, remoteAddress, throttle.maxFailures(), throttle.windowMillis());
        }
        if ((lockedNow & LoginThrottle.LOCKED_SECOND) != 0)
        {
            Audit.lockout("address", null, remoteAddress, throttle.maxFailures(), throttle.windowMillis());
        }
    }

    private AuthSession open(final User user, final long now)
    {
        final byte[] bytes = new byte[TOKEN_BYTES];
        while (true)
        {
            random.nextBytes(bytes);
            final AuthSession session = new AuthSession(HEX.formatHex(bytes), user, now + sessionTtlMillis);
            if (sessions.putIfAbsent(session.token(), session) == null)
            {
                return session;
            }
        }
    }

    /** Remove a session and tell the listeners, unless another thread already did. */
    private boolean end(final AuthSession session)
    {
        if (!sessions.remove(session.token(), session))
        {
            return false;
        }
        RuntimeException first = null;
        for (final Consumer<AuthSession> listener : endListeners)
        {
            try
            {
                listener.accept(session);
            }
            catch (final RuntimeException ex)
            {
                if (first == null)
                {
                    first = ex;
                }
                else
                {
                    first.addSuppressed(ex);
                }
            }
        }
        if (first != null)
        {
            throw first;
        }
        return true;
    }

    private static String text(final String value)
    {
        return value == null ? "" : value;
    }

    /** 32 bytes from 64 hex digits of either case, or null. */
    private static byte[] parseSignature(final String signature)
    {
        if (signature == null || signature.length() != SIGNATURE_BYTES * 2)
        {
            return null;
        }
        try
        {
            return HEX.parseHex(signature);
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    /** Plain decimal digits as a long, or -1 (no sign, point, exponent or spaces). */
    private static long parseNonNegative(final String text)
    {
        if (text == null || text.isEmpty() || text.length() > MAX_NONCE_DIGITS)
        {
            return -1;
        }
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
        }
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    private static int maxIterations(final UserDirectory users, final int fallback)
    {
        int max = 0;
        for (final User user : users.users())
        {
            max = Math.max(max, PasswordHasher.iterations(user.passwordHash()));
        }
        return max == 0 ? fallback : max;
    }
}
