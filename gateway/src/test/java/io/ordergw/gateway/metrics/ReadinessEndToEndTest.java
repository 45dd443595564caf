package io.ordergw.gateway.metrics;

import io.ordergw.gateway.SystemTest;
import io.ordergw.gateway.GatewayHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /health says the process answers; /ready says whether the engine, the journal and the feed run, and names the
 * part that does not.
 */
@Timeout(60)
@SystemTest
class ReadinessEndToEndTest
{
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void readyWhileEverythingRunsAndNotReadyNamingTheFeedOnceTheFeedStops() throws Exception
    {
        try (GatewayHarness harness = new GatewayHarness(dir))
        {
            final String url = harness.gateway.httpUrl();
            final HttpResponse<String> ready = awaitStatus(url + "/ready", 200);
            assertEquals("{\"ready\":true,\"engine\":\"ready\",\"journal\":\"ready\",\"feed\":\"ready\"," +
                "\"notReady\":[]}", ready.body().trim());
            assertTrue(ready.headers().firstValue("content-type").orElse("").startsWith("application/json"));
            assertLive(url);

            harness.gateway.feed().close();

            final HttpResponse<String> notReady = awaitStatus(url + "/ready", 503);
            assertEquals("{\"ready\":false,\"engine\":\"ready\",\"journal\":\"ready\",\"feed\":\"not ready\"," +
                "\"notReady\":[\"feed\"]}", notReady.body().trim());
            assertLive(url);
            final Scrape scrape = Scrape.of(url);
            assertEquals(0, scrape.value("ordergw_up", "component", "feed"));
            assertEquals(1, scrape.value("ordergw_up", "component", "engine"));
        }
    }

    @Test
    void notReadyNamingTheEngineOnceTheEngineStops() throws Exception
    {
        // Closing the engine closes its scheduler, and with it every agent (the feed too), then the journal.
        try (GatewayHarness harness = new GatewayHarness(dir, ""))
        {
            final String url = harness.gateway.httpUrl();
            awaitStatus(url + "/ready", 200);

            harness.gateway.engine().close();

            final HttpResponse<String> notReady = awaitStatus(url + "/ready", 503);
            assertEquals("{\"ready\":false,\"engine\":\"not ready\",\"journal\":\"not ready\",\"feed\":\"not ready\"," +
                "\"notReady\":[\"engine\",\"journal\",\"feed\"]}", notReady.body().trim());
            assertLive(url);
            assertEquals(0, Scrape.of(url).value("ordergw_up", "component", "engine"));
        }
    }

    private static void assertLive(final String url) throws Exception
    {
        final HttpResponse<String> health = get(url + "/health");
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"live\"}", health.body().trim());
    }

    private static HttpResponse<String> awaitStatus(final String url, final int status) throws Exception
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> response = get(url);
        while (response.statusCode() != status && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
            response = get(url);
        }
        assertEquals(status, response.statusCode(), response.body());
        return response;
    }

    private static HttpResponse<String> get(final String url) throws Exception
    {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    }
}
