package io.ordergw.gateway.auth;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest
{
    private static final int ITERATIONS = 1000;

    @Test
    void verifyAcceptsThePasswordThatWasHashed()
    {
        final String hash = PasswordHasher.hash("s3cret!".toCharArray(), ITERATIONS);

        assertTrue(PasswordHasher.verify(hash, "s3cret!".toCharArray()));
    }

    @Test
    void verifyRefusesAnyOtherPassword()
    {
        final String hash = PasswordHasher.hash("s3cret!".toCharArray(), ITERATIONS);

        assertFalse(PasswordHasher.verify(hash, "s3cret".toCharArray()));
        assertFalse(PasswordHasher.verify(hash, "S3CRET!".toCharArray()));
        assertFalse(PasswordHasher.verify(hash, new char[0]));
        assertFalse(PasswordHasher.verify(hash, null));
    }

    @Test
    void hashHasTheDocumentedFormatWithA16ByteSaltAndA32ByteKey()
    {
        final String hash = PasswordHasher.hash("pw".toCharArray(), 1234);

        final String[] parts = hash.split("\\$");
        assertEquals(4, parts.length, hash);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals("1234", parts[1]);
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length);
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length);
    }

    @Test
    void twoHashesOfOnePasswordDifferBecauseOfTheSaltAndBothVerify()
    {
        final String first = PasswordHasher.hash("same".toCharArray(), ITERATIONS);
        final String second = PasswordHasher.hash("same".toCharArray(), ITERATIONS);

        assertNotEquals(first, second);
        assertNotEquals(first.split("\\$")[2], second.split("\\$")[2]);
        assertTrue(PasswordHasher.verify(first, "same".toCharArray()));
        assertTrue(PasswordHasher.verify(second, "same".toCharArray()));
    }

    @Test
    void verifyReadsAHashMadeByAnotherImplementation()
    {
        // Python: hashlib.pbkdf2_hmac('sha256', b'correct horse', bytes(range(1, 17)), 1000, 32)
        final String python =
            "pbkdf2-sha256$1000$AQIDBAUGBwgJCgsMDQ4PEA==$YwKfNMrnHLcz6zlkYSHCNthMmUVmRkplZtxCdAZgV8M=";

        assertTrue(PasswordHasher.verify(python, "correct horse".toCharArray()));
        assertTrue(PasswordHasher.verify(python.replace("=", ""), "correct horse".toCharArray()), "padding optional");
        assertFalse(PasswordHasher.verify(python, "correct horse ".toCharArray()));
    }

    @Test
    void verifyRefusesMalformedHashesInsteadOfThrowing()
    {
        final char[] password = "pw".toCharArray();

        assertFalse(PasswordHasher.verify(null, password));
        assertFalse(PasswordHasher.verify("", password));
        assertFalse(PasswordHasher.verify("plain-text-password", password));
        assertFalse(PasswordHasher.verify("bcrypt$1000$AQIDBAUGBwgJCgsMDQ4PEA==$AQIDBAUGBwgJCgsMDQ4PEA==", password));
        assertFalse(
            PasswordHasher.verify("pbkdf2-sha256$x$AQIDBAUGBwgJCgsMDQ4PEA==$AQIDBAUGBwgJCgsMDQ4PEA==", password));
        assertFalse(PasswordHasher.verify("pbkdf2-sha256$1000$not*base64$AQIDBAUGBwgJCgsMDQ4PEA==", password));
    }

    @Test
    void checkFormatSaysWhatIsWrongWithoutQuotingTheHash()
    {
        final String badBase64 = "pbkdf2-sha256$1000$AQIDBAUGBwgJCgsMDQ4PEA==$%%%%secretish%%%%";

        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> PasswordHasher.checkFormat(badBase64));

        assertTrue(ex.getMessage().contains("hash is not"), ex.getMessage());
        assertFalse(ex.getMessage().contains("secretish"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PasswordHasher.checkFormat("pbkdf2-sha256$1000$AQID"));
        assertThrows(IllegalArgumentException.class,
            () -> PasswordHasher.checkFormat("pbkdf2-sha256$0$AQIDBAUGBwgJCgsMDQ4PEA==$AQIDBAUGBwgJCgsMDQ4PEA=="));
    }

    @Test
    void hashRefusesIterationCountsOutOfRange()
    {
        assertThrows(IllegalArgumentException.class, () -> PasswordHasher.hash("pw".toCharArray(), 0));
        assertThrows(IllegalArgumentException.class,
            () -> PasswordHasher.hash("pw".toCharArray(), PasswordHasher.MAX_ITERATIONS + 1));
    }
}
