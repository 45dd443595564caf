package io.ordergw.gateway.metrics;

import io.ordergw.gateway.SystemTest;
import io.ordergw.gateway.ApexClient;
import io.ordergw.gateway.GatewayHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.ordergw.gateway.ApexAssertions.assertRefusal;
import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.ApexAssertions.sendRefused;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /metrics of a running gateway as Prometheus reads it: typed families with HELP, ids and codes as labels, counters
 * and histograms that move when orders flow, JVM and process metrics.
 */
@Timeout(60)
@SystemTest
class MetricsEndToEndTest
{
    @TempDir
    static Path dir;

    private static GatewayHarness harness;
    private static final AtomicLong ORDER_IDS = new AtomicLong(5_000);

    @BeforeAll
    static void startGateway() throws Exception
    {
        harness = new GatewayHarness(dir);
    }

    @AfterAll
    static void stopGateway()
    {
        if (harness != null)
        {
            harness.close();
        }
    }

    @Test
    void everyFamilyIsTypedAndHelpedAndNamedWithoutIdsOrCodes() throws Exception
    {
        final Scrape scrape = Scrape.of(harness.gateway.httpUrl());
        assertTrue(scrape.contentType.startsWith("text/plain; version=0.0.4"), scrape.contentType);
        assertFalse(scrape.types.isEmpty());
        for (final Map.Entry<String, String> family : scrape.types.entrySet())
        {
            final String name = family.getKey();
            assertTrue(scrape.help.containsKey(name) && !scrape.help.get(name).isBlank(), "HELP of " + name);
            assertTrue(name.startsWith("ordergw_") || name.startsWith("jvm_") || name.startsWith("process_"), name);
            assertFalse(name.matches(".*_\\d+(_.*)?"), "an id or code in the name " + name);
        }
        for (final Scrape.Sample sample : scrape.samples)
        {
            final String family = familyOf(scrape, sample.name);
            final String type = scrape.types.get(family);
            if ("counter".equals(type))
            {
                assertTrue(sample.name.endsWith("_total"), "counter sample " + sample.name);
            }
            else
            {
                assertFalse(sample.name.endsWith("_total"), type + " sample " + sample.name);
            }
        }

        // The text format names a counter family with its _total, as its samples are.
        assertEquals("counter", scrape.types.get("ordergw_refused_total"));
        assertEquals("counter", scrape.types.get("ordergw_engine_events_applied_total"));
        assertEquals("gauge", scrape.types.get("ordergw_engine_journal_seqnum"));
        assertEquals("gauge", scrape.types.get("ordergw_gateway_sessions"));
        assertEquals("gauge", scrape.types.get("ordergw_journal_disk_free_bytes"));
        assertEquals("histogram", scrape.types.get("ordergw_engine_latency_seconds"));
        assertEquals("histogram", scrape.types.get("ordergw_gateway_round_trip_seconds"));
        assertEquals("counter", scrape.types.get("ordergw_feed_events_published_total"));
        assertEquals("gauge", scrape.types.get("jvm_memory_used_bytes"));
        assertEquals("counter", scrape.types.get("process_cpu_seconds_total"));
        assertTrue(scrape.value("jvm_threads_current") > 0);
        assertTrue(scrape.value("ordergw_journal_disk_free_bytes") > 0);
        assertEquals(1, scrape.value("ordergw_up", "component", "engine"));
        assertEquals(1, scrape.value("ordergw_up", "component", "feed"));
        assertTrue(scrape.value("ordergw_feed_published_seqnum", "transport", "ipc", "stream", "1001") >= 0);
        for (final String code : new String[]{"100", "101", "102", "104"})
        {
            assertTrue(scrape.value("ordergw_refused_total", "code", code) >= 0, code);
        }
        assertTrue(scrape.find("ordergw_feed_events_published_total", "transport", "udp").isEmpty(),
            "no UDP feed is configured, so no UDP series");
    }

    @Test
    void refusalsAreCountedUnderTheirCode() throws Exception
    {
        try (ApexClient operator = harness.login("operator"))
        {
            final Scrape before = Scrape.of(harness.gateway.httpUrl());
            final long orderId = ORDER_IDS.incrementAndGet();
            sendAcked(operator, order(orderId).raw("orderFlag", "4").text("reason", "collar"));
            assertRefusal(sendRefused(operator, order(orderId).raw("orderFlag", "2")), 101, "Rejected");
            assertRefusal(sendRefused(operator, order(orderId).raw("orderFlag", "2")), 101, "Rejected");

            final Scrape after = Scrape.of(harness.gateway.httpUrl());
            assertEquals(2, after.value("ordergw_refused_total", "code", "101") -
                before.value("ordergw_refused_total", "code", "101"));
            for (final String code : new String[]{"100", "102", "104"})
            {
                assertEquals(before.value("ordergw_refused_total", "code", code),
                    after.value("ordergw_refused_total", "code", code), code);
            }
            assertEquals(1, after.value("ordergw_engine_events_applied_total") -
                before.value("ordergw_engine_events_applied_total"));
        }
    }

    @Test
    void latencyHistogramsCountEveryOrderCommandAndItsRoundTrip() throws Exception
    {
        final int orders = 20;
        try (ApexClient operator = harness.login("operator"))
        {
            final Scrape before = Scrape.of(harness.gateway.httpUrl());
            for (int i = 0; i < orders; i++)
            {
                sendAcked(operator, order(ORDER_IDS.incrementAndGet()));
            }
            final long refusedOrderId = ORDER_IDS.incrementAndGet();
            sendAcked(operator, order(refusedOrderId).raw("orderFlag", "4").text("reason", "collar"));
            sendRefused(operator, order(refusedOrderId).raw("orderFlag", "2"));

            final Scrape after = Scrape.of(harness.gateway.httpUrl());
            final int commands = orders + 2;
            assertEquals(commands, delta(before, after, "ordergw_engine_latency_seconds_count", "stage", "decide"));
            assertEquals(orders + 1, delta(before, after, "ordergw_engine_latency_seconds_count", "stage", "journal"),
                "a refused command is not journaled");
            assertEquals(commands, delta(before, after, "ordergw_engine_latency_seconds_count", "stage", "reply"));
            assertEquals(commands, delta(before, after, "ordergw_gateway_round_trip_seconds_count"));
            assertEquals(commands, delta(before, after, "ordergw_gateway_round_trip_seconds_bucket", "le", "+Inf"));
            assertTrue(delta(before, after, "ordergw_gateway_round_trip_seconds_sum") > 0);

            // A loopback round trip is well under 10 s and over 1 µs: the samples land in the finite buckets.
            assertEquals(commands, delta(before, after, "ordergw_gateway_round_trip_seconds_bucket", "le", "10.0"));
            assertEquals(0, delta(before, after, "ordergw_gateway_round_trip_seconds_bucket", "le", "1.0E-6"));
            // Buckets are cumulative: never fewer below a higher bound.
            double previous = 0;
            for (final double bound : LatencyHistogram.BUCKETS_SECONDS)
            {
                final String le = Double.isInfinite(bound) ? "+Inf" : Double.toString(bound);
                final double count = after.value("ordergw_engine_latency_seconds_bucket", "stage", "decide", "le", le);
                assertTrue(count >= previous, le);
                previous = count;
            }
        }
    }

    @Test
    void theShippedDashboardAndAlertRulesReadOnlyMetricsTheGatewayServes() throws Exception
    {
        final Scrape scrape = scrapeWithFeedConsumer();
        final Path dashboard = PromtoolCheckTest.MONITORING.resolve("ordergw-dashboard.json");
        try (JsonParser parser = new JsonFactory().createParser(dashboard.toFile()))
        {
            while (parser.nextToken() != null)
            {
                parser.skipChildren(); // reads the whole document: a syntax error throws
            }
        }
        final Pattern metric = Pattern.compile("\\b((?:ordergw|jvm|process)_[a-z_]+)\\b");
        for (final Path file : new Path[]{dashboard, PromtoolCheckTest.MONITORING.resolve("ordergw-alerts.yml")})
        {
            final Matcher m = metric.matcher(Files.readString(file));
            int found = 0;
            while (m.find())
            {
                found++;
                final String name = m.group(1);
                assertFalse(scrape.find(name).isEmpty(),
                    file.getFileName() + " reads " + name + ", which is not served");
            }
            assertTrue(found > 5, file + " reads the gateway's metrics");
        }
    }

    @Test
    void docsMetricsListsEveryFamilyTheGatewayServesAndNoOther() throws Exception
    {
        final Scrape scrape = scrapeWithFeedConsumer();
        final String doc = Files.readString(Path.of("..", "docs", "metrics.md"));
        for (final String family : scrape.types.keySet())
        {
            if (family.startsWith("ordergw_"))
            {
                assertTrue(doc.contains("`" + family + "`"), "docs/metrics.md does not list " + family);
            }
        }
        final Matcher m = Pattern.compile("`(ordergw_[a-z_]+)`").matcher(doc);
        while (m.find())
        {
            assertTrue(scrape.types.containsKey(m.group(1)), "docs/metrics.md lists " + m.group(1) + ", not served");
        }
    }

    private static double delta(final Scrape before, final Scrape after, final String name, final String... labels)
    {
        return after.value(name, labels) - before.value(name, labels);
    }

    /**
     * A scrape taken once the in-process feed has its consumer (the gateway's own router): the feed's lag series
     * exists only while a consumer is connected, and right after start the router may not have joined yet.
     */
    private static Scrape scrapeWithFeedConsumer() throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Scrape scrape = Scrape.of(harness.gateway.httpUrl());
        while (!scrape.types.containsKey("ordergw_feed_lag_events") && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
            scrape = Scrape.of(harness.gateway.httpUrl());
        }
        return scrape;
    }

    private static String familyOf(final Scrape scrape, final String sampleName)
    {
        if (scrape.types.containsKey(sampleName))
        {
            return sampleName;
        }
        for (final String suffix : new String[]{"_bucket", "_count", "_sum", "_created"})
        {
            if (sampleName.endsWith(suffix) &&
                scrape.types.containsKey(sampleName.substring(0, sampleName.length() - suffix.length())))
            {
                return sampleName.substring(0, sampleName.length() - suffix.length());
            }
        }
        throw new AssertionError("no TYPE for the sample " + sampleName);
    }
}
