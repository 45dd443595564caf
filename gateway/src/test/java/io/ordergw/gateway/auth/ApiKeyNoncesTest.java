package io.ordergw.gateway.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The nonce rules of logins and of requests signed with the API-key headers, and the durable mark that keeps both
 * from being replayed after a restart without a disk write per request.
 */
class ApiKeyNoncesTest
{
    private static final String KEY = "key-1";

    @Test
    void signedRequestsMayArriveOutOfOrderButEachNonceWorksOnce()
    {
        final ApiKeyNonces nonces = ApiKeyNonces.inMemory();
        assertEquals(ApiKeyNonces.ACCEPTED, nonces.acceptRequest(KEY, 50_000));
        assertEquals(ApiKeyNonces.ACCEPTED, nonces.acceptRequest(KEY, 50_010));
        assertEquals(ApiKeyNonces.ACCEPTED, nonces.acceptRequest(KEY, 50_005), "older, within the window");
        assertEquals(ApiKeyNonces.NOT_GREATER, nonces.acceptRequest(KEY, 50_005), "a replay");
        assertEquals(ApiKeyNonces.NOT_GREATER, nonces.acceptRequest(KEY, 50_010), "a replay");
        assertEquals(ApiKeyNonces.NOT_GREATER, nonces.acceptRequest(KEY, 50_010 - ApiKeyNonces.WINDOW),
            "below the window");
        assertEquals(ApiKeyNonces.ACCEPTED, nonces.acceptRequest(KEY, 50_011 - ApiKeyNonces.WINDOW),
            "the oldest the window takes");
        assertEquals(ApiKeyNonces.ACCEPTED, nonces.acceptRequest("key-2", 50_000), "keys are apart");
    }

    @Test
    void aLoginNonceMustPassEveryNonceOfTheKeyAndARequestCannotReuseALoginsNonce()
    {
        final ApiKeyNonces nonces = ApiKeyNonces.inMemory();
        assertEquals(ApiKeyNonces.ACCEPTED, nonces.accept(KEY, 100));
        assertEquals(ApiKeyNonces.NOT_GREATER, nonces.acceptRequest(KEY, 100), "the login's signature as a request");
        assertEquals(ApiKeyNonces.ACCEPTED, nonces.acceptRequest(KEY, 200));
        assertEquals(ApiKeyNonces.NOT_GREATER, nonces.accept(KEY, 150), "a login below a request's nonce");
        assertEquals(ApiKeyNonces.NOT_GREATER, nonces.accept(KEY, 200), "the request's signature as a login");
        assertEquals(ApiKeyNonces.ACCEPTED, nonces.accept(KEY, 201));
        assertEquals(201, nonces.last(KEY));
    }

    @Test
    void requestsWriteTheMarkOncePerReserveAndNothingAcceptedBeforeARestartWorksAfterIt(@TempDir final Path dir)
        throws Exception
    {
        final Path file = dir.resolve("nonces");
        final ApiKeyNonces before = ApiKeyNonces.inFile(file);
        final long first = 1_765_000_000_000L; // milliseconds, as ccxt sends them
        for (int k = 0; k < 1_000; k++)
        {
            assertEquals(ApiKeyNonces.ACCEPTED, before.acceptRequest(KEY, first + k));
        }
        // A thousand requests, one write: the mark reserved above the first is still the one on disk.
        assertEquals(first + ApiKeyNonces.RESERVE, mark(file));
        assertEquals(ApiKeyNonces.ACCEPTED, before.acceptRequest(KEY, first + ApiKeyNonces.RESERVE + 1));
        assertEquals(first + 2 * ApiKeyNonces.RESERVE + 1, mark(file), "passing the mark moves it once");

        final ApiKeyNonces after = ApiKeyNonces.inFile(file);
        for (final long replay : new long[]{first, first + 999, first + ApiKeyNonces.RESERVE + 1})
        {
            assertEquals(ApiKeyNonces.NOT_GREATER, after.acceptRequest(KEY, replay), "replayed after a restart");
            assertEquals(ApiKeyNonces.NOT_GREATER, after.accept(KEY, replay), "replayed as a login after a restart");
        }
        assertEquals(ApiKeyNonces.ACCEPTED, after.acceptRequest(KEY, mark(file) + 1), "past the mark");
    }

    @Test
    void aRequestWhoseMarkCannotBeWrittenIsRefusedAndMovesNothing(@TempDir final Path dir) throws Exception
    {
        final Path data = dir.resolve("data");
        final ApiKeyNonces nonces = ApiKeyNonces.inFile(data.resolve("nonces"));
        Files.writeString(data, "a file where the directory should be");
        assertEquals(ApiKeyNonces.NOT_KEPT, nonces.acceptRequest(KEY, 5_000));
        assertEquals(-1, nonces.last(KEY));
    }

    private static long mark(final Path file) throws Exception
    {
        final Properties saved = new Properties();
        try (Reader in = Files.newBufferedReader(file))
        {
            saved.load(in);
        }
        return Long.parseLong(saved.getProperty(KEY));
    }
}
