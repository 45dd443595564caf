package io.ordergw.gateway.metrics;

import io.ordergw.gateway.SystemTest;
import io.aeron.Aeron;
import io.aeron.Subscription;
import io.ordergw.gateway.ApexClient;
import io.ordergw.gateway.GatewayHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The UDP feed with no consumer is not an alarm: no lag series, a consumer count of 0. A consumer that connects
 * gets a lag series (which falls to 0 as the feed catches up) and is counted; once it leaves, both go back.
 */
@Timeout(90)
@SystemTest
class FeedLagMetricsTest
{
    @TempDir
    Path dir;

    @Test
    void theUdpLagIsReportedOnlyWhileAConsumerIsConnected() throws Exception
    {
        final int port = freeUdpPort();
        final String control = "control=127.0.0.1:" + port + "|control-mode=dynamic";
        try (GatewayHarness harness = new GatewayHarness(dir,
            "ordergw.publisher.udp-channel = \"aeron:udp?" + control + "|fc=max\"\n");
            ApexClient operator = harness.login("operator"))
        {
            final String url = harness.gateway.httpUrl();
            for (int i = 1; i <= 5; i++)
            {
                sendAcked(operator, order(i));
            }
            final Scrape alone = Scrape.of(url);
            assertEquals(0, alone.value("ordergw_feed_consumers", "transport", "udp", "stream", "1002"));
            assertTrue(alone.find("ordergw_feed_lag_events", "transport", "udp").isEmpty(), alone.text);
            assertEquals(1, alone.value("ordergw_feed_consumers", "transport", "ipc", "stream", "1001"),
                "the router reads the IPC feed");
            assertEquals(0, alone.value("ordergw_feed_lag_events", "transport", "ipc", "stream", "1001"));

            try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.resolve("aeron").toString()));
                Subscription subscription = aeron.addSubscription("aeron:udp?endpoint=127.0.0.1:0|" + control, 1002))
            {
                final Scrape connected = await(url, s ->
                    s.value("ordergw_feed_consumers", "transport", "udp", "stream", "1002") == 1 &&
                    s.find("ordergw_feed_lag_events", "transport", "udp", "stream", "1002").size() == 1);
                assertTrue(connected.value("ordergw_feed_lag_events", "transport", "udp", "stream", "1002") >= 0);
                sendAcked(operator, order(6));
                await(url, s -> s.value("ordergw_feed_lag_events", "transport", "udp", "stream", "1002") == 0 &&
                    s.value("ordergw_feed_published_seqnum", "transport", "udp", "stream", "1002") == 6);
                assertTrue(subscription.isConnected());
            }

            final Scrape left = await(url, s ->
                s.value("ordergw_feed_consumers", "transport", "udp", "stream", "1002") == 0);
            assertTrue(left.find("ordergw_feed_lag_events", "transport", "udp").isEmpty(), left.text);
        }
    }

    private static Scrape await(final String url, final Predicate<Scrape> condition) throws Exception
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Scrape scrape = Scrape.of(url);
        while (!condition.test(scrape) && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
            scrape = Scrape.of(url);
        }
        assertTrue(condition.test(scrape), scrape.text);
        return scrape;
    }

    private static int freeUdpPort() throws Exception
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
