package io.ordergw.gateway.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * An API key: the public key a client names, the user it logs in as, and the HMAC-SHA256 secret that signs its
 * logins. Immutable and thread-safe. The secret has to be held to check signatures, but it never leaves this class:
 * {@link #toString()} shows the key and the user only.
 */
public final class ApiKey
{
    private static final String HMAC = "HmacSHA256";

    private final String key;
    private final User user;
    private final SecretKeySpec secret;

    /**
     * An API key.
     *
     * @param key    the key clients send as {@code APIKey}, not blank.
     * @param user   the user it logs in as.
     * @param secret the HMAC secret (its UTF-8 bytes are the MAC key), not empty.
     * @throws IllegalArgumentException if the key is blank, the user null or the secret empty.
     */
    public ApiKey(final String key, final User user, final String secret)
    {
        if (key == null || key.isBlank())
        {
            throw new IllegalArgumentException("an API key must not be blank");
        }
        if (user == null)
        {
            throw new IllegalArgumentException("API key " + key + ": user must not be null");
        }
        if (secret == null || secret.isEmpty())
        {
            throw new IllegalArgumentException("API key " + key + ": secret must not be empty");
        }
        this.key = key;
        this.user = user;
        this.secret = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
    }

    /**
     * The key clients name.
     *
     * @return the key.
     */
    public String key()
    {
        return key;
    }

    /**
     * The user this key logs in as.
     *
     * @return the user.
     */
    public User user()
    {
        return user;
    }

    /** HMAC-SHA256 of a message under this key's secret. */
    byte[] sign(final byte[] message)
    {
        return hmac(secret, message);
    }

    /** HMAC-SHA256 of a message; a new Mac per call, as Mac is not thread-safe and logins are not a hot path. */
    static byte[] hmac(final SecretKeySpec secret, final byte[] message)
    {
        try
        {
            final Mac mac = Mac.getInstance(HMAC);
            mac.init(secret);
            return mac.doFinal(message);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(HMAC + " is not available", ex);
        }
    }

    /**
     * The key and its user; never the secret.
     *
     * @return the description.
     */
    @Override
    public String toString()
    {
        return "ApiKey{key=" + key + ", user=" + user.name() + '}';
    }
}
