package io.ordergw.gateway.metrics;

import io.ordergw.gateway.SystemTest;
import io.ordergw.gateway.ApexClient;
import io.ordergw.gateway.GatewayHarness;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ring and journal-lag families on /metrics, and families that find their counters by type id and key: a
 * counter that only shares @SystemTest
a label is not read.
 */
@Timeout(60)
class PipelineMetricsTest
{
    @TempDir
    Path dir;

    @Test
    void ringsAndJournalLagAreServedAndALabelAloneFindsNothing() throws Exception
    {
        try (GatewayHarness harness = new GatewayHarness(dir))
        {
            // Same label as the engine's counter, another type id: /metrics must not pick it up.
            try (AtomicCounter impostor = harness.gateway.counters().newCounter("engine: events applied", 999))
            {
                impostor.set(12_345);
                try (ApexClient operator = harness.login("operator"))
                {
                    sendAcked(operator, order(6_001));
                    sendAcked(operator, order(6_002));
                }
                Scrape scrape = Scrape.of(harness.gateway.httpUrl());
                final long deadline = System.currentTimeMillis() + 10_000;
                while ((scrape.value("ordergw_journal_lag_events", "consumer", "router") != 0 ||
                    scrape.value("ordergw_gateway_routed_seqnum") != 2) && System.currentTimeMillis() < deadline)
                {
                    Thread.sleep(20);
                    scrape = Scrape.of(harness.gateway.httpUrl());
                }
                assertEquals(2, scrape.value("ordergw_engine_events_applied_total"));
                assertEquals(2, scrape.value("ordergw_gateway_routed_seqnum"));
                assertEquals(0, scrape.value("ordergw_journal_lag_events", "consumer", "router"));
                for (final String ring : new String[]{"ingress", "egress"})
                {
                    assertEquals(1024 * 1024, scrape.value("ordergw_ring_capacity_bytes", "ring", ring), ring);
                    assertEquals(0, scrape.value("ordergw_ring_depth_bytes", "ring", ring), "idle: " + ring);
                }
                assertEquals(1, scrape.find("ordergw_journal_lag_events", "consumer", "snapshot_follower").size());
            }
        }
    }
}
