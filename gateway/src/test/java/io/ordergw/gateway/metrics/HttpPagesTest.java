package io.ordergw.gateway.metrics;

import io.netty.handler.codec.http.FullHttpResponse;
import io.ordergw.gateway.net.HttpPages;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * /ready over parts that have not started yet, or have stopped: 503 naming each, 200 only when all run.
 */
class HttpPagesTest
{
    @Test
    void readyIs503NamingThePartsThatDoNotRunAnd200WhenAllDo()
    {
        final AtomicBoolean engine = new AtomicBoolean();
        final AtomicBoolean journal = new AtomicBoolean();
        final AtomicBoolean feed = new AtomicBoolean();
        final HttpPages pages = new HttpPages(null, new Readiness(engine::get, journal::get, feed::get), Runnable::run);

        assertReady(pages, 503, "{\"ready\":false,\"engine\":\"not ready\",\"journal\":\"not ready\"," +
            "\"feed\":\"not ready\",\"notReady\":[\"engine\",\"journal\",\"feed\"]}");
        engine.set(true);
        journal.set(true);
        assertReady(pages, 503, "{\"ready\":false,\"engine\":\"ready\",\"journal\":\"ready\"," +
            "\"feed\":\"not ready\",\"notReady\":[\"feed\"]}");
        feed.set(true);
        assertReady(pages, 200, "{\"ready\":true,\"engine\":\"ready\",\"journal\":\"ready\"," +
            "\"feed\":\"ready\",\"notReady\":[]}");
        engine.set(false);
        assertReady(pages, 503, "{\"ready\":false,\"engine\":\"not ready\",\"journal\":\"ready\"," +
            "\"feed\":\"ready\",\"notReady\":[\"engine\"]}");
        assertEquals(200, pages.page("/health").status().code(), "live whatever the parts do");
    }

    @Test
    void aPartWhoseCheckThrowsIsNotReady()
    {
        final Readiness readiness = new Readiness(() -> true, () ->
        {
            throw new IllegalStateException("closed");
        }, () -> true);
        assertEquals(false, readiness.isReady());
        assertEquals(503, new HttpPages(null, readiness, Runnable::run).page("/ready").status().code());
    }

    private static void assertReady(final HttpPages pages, final int status, final String body)
    {
        final FullHttpResponse response = pages.page("/ready");
        try
        {
            assertEquals(status, response.status().code());
            assertEquals(body, response.content().toString(StandardCharsets.UTF_8).trim());
        }
        finally
        {
            response.release();
        }
    }
}
