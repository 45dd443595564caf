package io.ordergw.gateway.auth;

/**
 * A logged-in session: the bearer token a client sends back ({@code SessionToken}, HTTP {@code aptoken}), the user it
 * acts as and when it expires. Immutable and thread-safe. The token is a credential, so {@link #toString()} leaves it
 * out.
 */
public final class AuthSession
{
    private final String token;
    private final User user;
    private final long expiresAtMillis;

    /**
     * A session.
     *
     * @param token           the bearer token.
     * @param user            the user it acts as.
     * @param expiresAtMillis epoch milliseconds from which it is no longer valid.
     */
    public AuthSession(final String token, final User user, final long expiresAtMillis)
    {
        if (token == null || token.isEmpty() || user == null)
        {
            throw new IllegalArgumentException("a session needs a token and a user");
        }
        this.token = token;
        this.user = user;
        this.expiresAtMillis = expiresAtMillis;
    }

    /**
     * The bearer token: 32 lowercase hex digits (128 random bits) when made by {@link Authenticator}.
     *
     * @return the token.
     */
    public String token()
    {
        return token;
    }

    /**
     * The user the session acts as.
     *
     * @return the user.
     */
    public User user()
    {
        return user;
    }

    /**
     * When the session stops being valid.
     *
     * @return epoch milliseconds.
     */
    public long expiresAtMillis()
    {
        return expiresAtMillis;
    }

    /**
     * Whether the session has expired at a given time.
     *
     * @param nowMillis epoch milliseconds.
     * @return true from {@link #expiresAtMillis()} on.
     */
    public boolean isExpiredAt(final long nowMillis)
    {
        return nowMillis >= expiresAtMillis;
    }

    /**
     * The user and the expiry; never the token.
     *
     * @return the description.
     */
    @Override
    public String toString()
    {
        return "AuthSession{user=" + user.name() + ", userId=" + user.userId() + ", expiresAtMillis=" +
            expiresAtMillis + '}';
    }
}
