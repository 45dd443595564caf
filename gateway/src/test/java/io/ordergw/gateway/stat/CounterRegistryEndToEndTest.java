package io.ordergw.gateway.stat;

import io.ordergw.gateway.SystemTest;
import io.ordergw.codec.OrderGwCounters;
import io.ordergw.gateway.ApexClient;
import io.ordergw.gateway.GatewayHarness;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every counter a running gateway allocates has a type id from {@code OrderGwCounters} and a type id and key no other
 * counter has, so that /metrics and {@code ordergw stat} can find each one without its label; the ring and lag
 * counters mo@SystemTest
ve with the traffic.
 */
@Timeout(60)
class CounterRegistryEndToEndTest
{
    @TempDir
    Path dir;

    @Test
    void everyAllocatedCounterHasARegisteredTypeIdAndAUniqueKey() throws Exception
    {
        try (GatewayHarness harness = new GatewayHarness(dir))
        {
            try (ApexClient operator = harness.login("operator"))
            {
                sendAcked(operator, order(7_001));
            }
            final CountersReader counters = harness.gateway.counters();
            final Map<String, String> byIdentity = new HashMap<>();
            final int[] allocated = {0};
            counters.forEach((counterId, typeId, keyBuffer, label) ->
            {
                allocated[0]++;
                assertTrue(OrderGwCounters.isRegistered(typeId), "'" + label + "' has type id " + typeId +
                    ", which is not in OrderGwCounters");
                final StringBuilder identity = new StringBuilder().append(typeId).append(':');
                for (int i = 0; i < CountersReader.MAX_KEY_LENGTH; i++)
                {
                    identity.append(keyBuffer.getByte(i)).append(',');
                }
                final String before = byIdentity.put(identity.toString(), label);
                assertNull(before, "'" + label + "' and '" + before + "' have the same type id and key");
            });
            assertTrue(allocated[0] > 40, "the engine's, the gateway's, the feed's and the journal's counters");

            // The pipeline's counters are there, under their keys.
            for (final int ring : new int[]{OrderGwCounters.RING_INGRESS, OrderGwCounters.RING_EGRESS})
            {
                assertNotEquals(CountersReader.NULL_COUNTER_ID,
                    OrderGwCounters.find(counters, OrderGwCounters.RING_DEPTH_TYPE_ID, ring));
                assertEquals(1024 * 1024, counters.getCounterValue(
                    OrderGwCounters.find(counters, OrderGwCounters.RING_CAPACITY_TYPE_ID, ring)),
                    "ordergw.engine.*-ring-bytes = 1MiB in the harness");
            }
            final int routerLag = OrderGwCounters.find(
                counters, OrderGwCounters.JOURNAL_LAG_TYPE_ID, OrderGwCounters.CONSUMER_ROUTER);
            final int followerLag = OrderGwCounters.find(
                counters, OrderGwCounters.JOURNAL_LAG_TYPE_ID, OrderGwCounters.CONSUMER_SNAPSHOT_FOLLOWER);
            assertNotEquals(CountersReader.NULL_COUNTER_ID, routerLag);
            assertNotEquals(CountersReader.NULL_COUNTER_ID, followerLag);
            awaitZero(counters, routerLag);
            awaitZero(counters, followerLag);
        }
    }

    static void awaitZero(final CountersReader counters, final int counterId) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (counters.getCounterValue(counterId) != 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(0, counters.getCounterValue(counterId), counters.getCounterLabel(counterId));
    }
}
