package io.ordergw.gateway.auth;

/**
 * The answer to a login attempt: a session, or the refusal text the client sees as {@code errormsg}. Immutable.
 * Every credential failure gives the same text, so a reply never tells whether a user name or API key exists.
 */
public final class LoginResult
{
    /** errormsg of every credential failure (docs/api.md section 4). */
    public static final String INVALID_CREDENTIALS = "Invalid username or password";
    /** errormsg while logins are refused after too many failures. */
    public static final String TOO_MANY_FAILURES = "Too many failed logins; try again later";

    private static final LoginResult INVALID = new LoginResult(null, INVALID_CREDENTIALS, false);
    /** errormsg when a login could not be recorded (the API-key nonce file cannot be written). */
    public static final String UNAVAILABLE = "Login unavailable; try again later";

    private static final LoginResult NOT_RECORDED = new LoginResult(null, UNAVAILABLE, false);
    private static final LoginResult THROTTLED = new LoginResult(null, TOO_MANY_FAILURES, true);

    private final AuthSession session;
    private final String errorMessage;
    private final boolean throttled;

    private LoginResult(final AuthSession session, final String errorMessage, final boolean throttled)
    {
        this.session = session;
        this.errorMessage = errorMessage;
        this.throttled = throttled;
    }

    /**
     * A successful login.
     *
     * @param session the session.
     * @return the result.
     */
    public static LoginResult accepted(final AuthSession session)
    {
        if (session == null)
        {
            throw new IllegalArgumentException("an accepted login needs a session");
        }
        return new LoginResult(session, null, false);
    }

    /**
     * A refusal for bad credentials, with {@link #INVALID_CREDENTIALS}.
     *
     * @return the result.
     */
    public static LoginResult invalidCredentials()
    {
        return INVALID;
    }

    /**
     * A refusal because the login could not be recorded, with {@link #UNAVAILABLE}: not the client's fault.
     *
     * @return the result.
     */
    public static LoginResult unavailable()
    {
        return NOT_RECORDED;
    }

    /**
     * A refusal because of too many recent failures, with {@link #TOO_MANY_FAILURES}.
     *
     * @return the result.
     */
    public static LoginResult tooManyFailures()
    {
        return THROTTLED;
    }

    /**
     * Whether the login succeeded.
     *
     * @return true if {@link #session()} is set.
     */
    public boolean authenticated()
    {
        return session != null;
    }

    /**
     * The session of a successful login.
     *
     * @return the session, or null on failure.
     */
    public AuthSession session()
    {
        return session;
    }

    /**
     * The text for the reply's {@code errormsg}.
     *
     * @return null on success.
     */
    public String errorMessage()
    {
        return errorMessage;
    }

    /**
     * Whether the login was refused, without checking the credentials, because of too many recent failures for the
     * user name (or API key) or the remote address. APEX calls this {@code Locked}.
     *
     * @return true if throttled.
     */
    public boolean throttled()
    {
        return throttled;
    }

    /**
     * Outcome and message; never a token.
     *
     * @return the description.
     */
    @Override
    public String toString()
    {
        return session != null ? "LoginResult{authenticated, " + session + '}' :
            "LoginResult{refused, throttled=" + throttled + ", errorMessage=" + errorMessage + '}';
    }
}
