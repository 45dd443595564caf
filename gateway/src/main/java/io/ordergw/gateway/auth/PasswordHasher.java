package io.ordergw.gateway.auth;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * PBKDF2-HMAC-SHA256 password hashes in the form {@code pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>}
 * (standard Base64; padding optional when read). New hashes have a random 16-byte salt and a 32-byte key.
 * <p>
 * Thread-safe: every call uses its own key factory. Passwords are taken as {@code char[]} so callers can clear them,
 * and no password, hash or part of one appears in a message.
 */
public final class PasswordHasher
{
    /** The scheme word that starts every encoded hash. */
    public static final String SCHEME = "pbkdf2-sha256";
    /** The encoded form, for messages. */
    public static final String FORMAT = SCHEME + "$<iterations>$<salt base64>$<hash base64>";
    /** Fewest iterations accepted when reading or making a hash. */
    public static final int MIN_ITERATIONS = 1;
    /** Most iterations accepted, so a typo cannot make every login take minutes. */
    public static final int MAX_ITERATIONS = 10_000_000;

    static final int SALT_BYTES = 16;
    static final int KEY_BYTES = 32;
    private static final int MIN_SALT_BYTES = 8;
    private static final int MIN_KEY_BYTES = 16;
    private static final int MAX_DECODED_BYTES = 64;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHasher()
    {
    }

    /**
     * Hash a password with a new random salt.
     *
     * @param password   the password; not kept, and left for the caller to clear.
     * @param iterations PBKDF2 iterations, {@value #MIN_ITERATIONS} to {@value #MAX_ITERATIONS}.
     * @return {@code pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>}.
     * @throws IllegalArgumentException if the password is null or the iterations are out of range.
     */
    public static String hash(final char[] password, final int iterations)
    {
        if (password == null)
        {
            throw new IllegalArgumentException("password must not be null");
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS)
        {
            throw new IllegalArgumentException("iterations must be between " + MIN_ITERATIONS + " and " +
                MAX_ITERATIONS + " (got " + iterations + ")");
        }
        final byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        final byte[] key = derive(password, salt, iterations, KEY_BYTES);
        return encode(iterations, salt, key);
    }

    /**
     * Whether a password matches an encoded hash. The derived key is compared in constant time.
     *
     * @param encoded  an encoded hash.
     * @param password the password to check; left for the caller to clear.
     * @return true if it matches; false if it does not, if either argument is null or the hash is malformed.
     */
    public static boolean verify(final String encoded, final char[] password)
    {
        if (encoded == null || password == null)
        {
            return false;
        }
        final Parsed parsed = parse(encoded);
        if (parsed.problem != null)
        {
            return false;
        }
        final byte[] actual = derive(password, parsed.salt, parsed.iterations, parsed.key.length);
        return MessageDigest.isEqual(actual, parsed.key);
    }

    /**
     * Check that a string is a well-formed encoded hash.
     *
     * @param encoded the string.
     * @throws IllegalArgumentException saying what is wrong (never quoting the hash).
     */
    public static void checkFormat(final String encoded)
    {
        final Parsed parsed = parse(encoded);
        if (parsed.problem != null)
        {
            throw new IllegalArgumentException(parsed.problem);
        }
    }

    /** The iteration count of a well-formed hash, so a dummy check can cost the same. */
    static int iterations(final String encoded)
    {
        final Parsed parsed = parse(encoded);
        if (parsed.problem != null)
        {
            throw new IllegalArgumentException(parsed.problem);
        }
        return parsed.iterations;
    }

    /**
     * A well-formed hash no password matches (its key is random, not derived), costing {@code iterations} to check:
     * the stand-in for a user that does not exist.
     */
    static String unmatchable(final int iterations)
    {
        final byte[] salt = new byte[SALT_BYTES];
        final byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(key);
        return encode(iterations, salt, key);
    }

    private static String encode(final int iterations, final byte[] salt, final byte[] key)
    {
        final Base64.Encoder base64 = Base64.getEncoder();
        return SCHEME + '$' + iterations + '$' + base64.encodeToString(salt) + '$' + base64.encodeToString(key);
    }

    private static byte[] derive(final char[] password, final byte[] salt, final int iterations, final int keyBytes)
    {
        final PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, keyBytes * 8);
        try
        {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        }
        catch (final GeneralSecurityException ex)
        {
            // Every Java 17 runtime has it; the exception text never holds the password.
            throw new IllegalStateException(ALGORITHM + " is not available", ex);
        }
        finally
        {
            spec.clearPassword();
        }
    }

    private static Parsed parse(final String encoded)
    {
        if (encoded == null || encoded.isEmpty())
        {
            return Parsed.problem("is empty");
        }
        final String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4)
        {
            return Parsed.problem("has " + parts.length + " parts separated by $ where 4 are expected");
        }
        if (!SCHEME.equals(parts[0]))
        {
            return Parsed.problem("does not start with " + SCHEME + "$");
        }
        final int iterations = parseIterations(parts[1]);
        if (iterations < 0)
        {
            return Parsed.problem("the iterations are not a number between " + MIN_ITERATIONS + " and " +
                MAX_ITERATIONS);
        }
        final byte[] salt = decode(parts[2]);
        if (salt == null || salt.length < MIN_SALT_BYTES || salt.length > MAX_DECODED_BYTES)
        {
            return Parsed.problem("the salt is not " + MIN_SALT_BYTES + " to " + MAX_DECODED_BYTES +
                " bytes of base64");
        }
        final byte[] key = decode(parts[3]);
        if (key == null || key.length < MIN_KEY_BYTES || key.length > MAX_DECODED_BYTES)
        {
            return Parsed.problem("the hash is not " + MIN_KEY_BYTES + " to " + MAX_DECODED_BYTES +
                " bytes of base64");
        }
        return new Parsed(iterations, salt, key, null);
    }

    private static int parseIterations(final String text)
    {
        if (text.isEmpty() || text.length() > 9)
        {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value < MIN_ITERATIONS || value > MAX_ITERATIONS ? -1 : value;
    }

    private static byte[] decode(final String text)
    {
        try
        {
            return Base64.getDecoder().decode(text);
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    /** A parsed hash, or what is wrong with it. */
    private static final class Parsed
    {
        final int iterations;
        final byte[] salt;
        final byte[] key;
        final String problem;

        Parsed(final int iterations, final byte[] salt, final byte[] key, final String problem)
        {
            this.iterations = iterations;
            this.salt = salt;
            this.key = key;
            this.problem = problem;
        }

        static Parsed problem(final String problem)
        {
            return new Parsed(0, null, null, problem);
        }
    }
}
