package io.ordergw.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ordergw.gateway.ApexAssertions.nextEvent;
import static io.ordergw.gateway.ApexAssertions.seqNum;
import static io.ordergw.gateway.ApexAssertions.subscribe;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber that stops reading while the operator keeps sending is closed by the server once its unsent data
 * passes ordergw.gateway.session-outbound-limit (close 1008, naming the FromSeqNum to resume from), while the other
 * subscribers receive every event and the operator every acknowledgement. A subscriber that stops reading while it
 * replays from the journal is waited for instead: only live events close a slow consumer.
 */
@SystemTest
class SlowConsumerEndToEndTest
{
    private static final Pattern FROM_SEQ_NUM = Pattern.compile("FromSeqNum=(\\d+)");
    private static final int BATCH = 200;
    private static final int MAX_EVENTS = 40_000;

    @TempDir
    static Path dir;

    private static GatewayHarness harness;

    @BeforeAll
    static void startGateway() throws Exception
    {
        harness = new GatewayHarness(dir, "ordergw.gateway.session-outbound-limit = 64KiB\n");
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
    @Timeout(90)
    void aSubscriberThatStopsReadingIsClosedWhileTheOthersGetEveryEvent() throws Exception
    {
        final List<Long> acked = new ArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        try (ApexClient operator = harness.login("operator");
            ApexClient before = harness.login("trader");
            ApexClient slow = ApexClient.connectPausingAfter(harness.gateway.webSocketUrl(), 5);
            ApexClient after = harness.login("trader"))
        {
            // Subscribed before and after the slow one, so that closing it cannot disturb its neighbours.
            final long beforeSub = subscribe(before, 1, 0);
            assertEquals(true, slow.login("trader", GatewayHarness.PASSWORD).get("Authenticated"));
            final long slowSub = subscribe(slow, 1, 0);
            final long afterSub = subscribe(after, 1, 0);
            final List<Long> beforeGot = Collections.synchronizedList(new ArrayList<>());
            final List<Long> afterGot = Collections.synchronizedList(new ArrayList<>());
            final CompletableFuture<Void> drainBefore = drain(before, beforeSub, beforeGot, stop);
            final CompletableFuture<Void> drainAfter = drain(after, afterSub, afterGot, stop);

            // Three events reach the slow subscriber, which then stops reading (5 frames with the two replies).
            sendBatch(operator, 0, 3, acked);
            final long deadline = System.currentTimeMillis() + 10_000;
            while (!slow.isPaused() && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(10);
            }
            assertTrue(slow.isPaused(), "the slow subscriber read its first events");

            int sent = 3;
            while (slowConsumerCloses() == 0 && sent < MAX_EVENTS)
            {
                sendBatch(operator, sent, BATCH, acked);
                sent += BATCH;
            }
            assertEquals(1, slowConsumerCloses(), "closed once as a slow consumer after " + sent + " events");
            // The operator keeps getting acknowledgements, the others their events.
            for (int k = 0; k < 2; k++)
            {
                sendBatch(operator, sent, BATCH, acked);
                sent += BATCH;
            }

            awaitSize(beforeGot, acked.size());
            awaitSize(afterGot, acked.size());
            stop.set(true);
            drainBefore.get(10, TimeUnit.SECONDS);
            drainAfter.get(10, TimeUnit.SECONDS);
            assertEquals(acked, beforeGot, "the subscriber before the slow one got every event, in order");
            assertEquals(acked, afterGot, "the subscriber after the slow one got every event, in order");

            // The slow subscriber reads again: what was sent before the close, then the close itself.
            slow.resumeReading();
            final String closedWith = slow.awaitClose(30_000);
            assertNotNull(closedWith, "the slow consumer's connection was not closed");
            assertTrue(closedWith.startsWith("1008 "), closedWith);
            final List<Long> slowGot = new ArrayList<>();
            ApexClient.Frame event;
            while ((event = slow.nextEvent(1)) != null)
            {
                assertEquals(slowSub, event.i, event.raw);
                slowGot.add(seqNum(event.payload()));
            }
            assertTrue(slowGot.size() >= 3 && slowGot.size() < acked.size(), slowGot.size() + " events");
            assertEquals(acked.subList(0, slowGot.size()), slowGot, "the slow subscriber's events have no gap");
            final Matcher from = FROM_SEQ_NUM.matcher(closedWith);
            assertTrue(from.find(), closedWith);
            final long resumeFrom = Long.parseLong(from.group(1));
            assertEquals(slowGot.get(slowGot.size() - 1) + 1, resumeFrom, closedWith);

            // It comes back from where the close says and misses nothing.
            try (ApexClient back = harness.login("trader"))
            {
                final long sub = subscribe(back, 1, resumeFrom);
                final List<Long> rest = acked.subList(slowGot.size(), acked.size());
                for (final long expected : rest)
                {
                    assertEquals(expected, seqNum(nextEvent(back, sub).payload()));
                }
            }

            // A subscriber that stops reading while it replays from the journal is not a slow consumer: its replay
            // waits for it, however many events arrive meanwhile, and when it reads again it gets every one of
            // them, then the live ones, on the same connection.
            try (ApexClient replaying = ApexClient.connectPausingAfter(harness.gateway.webSocketUrl(), 2))
            {
                assertEquals(true, replaying.login("trader", GatewayHarness.PASSWORD).get("Authenticated"));
                final long sub = subscribe(replaying, 1, acked.get(0));
                // Its replay alone outgrows the socket buffers and half the limit, where it waits.
                for (int k = 0; k < 10; k++)
                {
                    sendBatch(operator, sent, BATCH, acked);
                    sent += BATCH;
                }
                assertEquals(1, slowConsumerCloses(), "a replay waits for its reader: no slow-consumer close");
                replaying.resumeReading();
                final List<Long> replayGot = new ArrayList<>();
                for (int k = 0; k < acked.size(); k++)
                {
                    replayGot.add(seqNum(nextEvent(replaying, sub).payload()));
                }
                assertEquals(acked, replayGot, "the replay, after its reader's pause, has no gap and no duplicate");
                sendBatch(operator, sent, BATCH, acked);
                sent += BATCH;
                for (final long expected : acked.subList(replayGot.size(), acked.size()))
                {
                    assertEquals(expected, seqNum(nextEvent(replaying, sub).payload()), "live after the replay");
                }
                assertNull(replaying.awaitClose(100), "still open");
                assertEquals(1, slowConsumerCloses());
            }
        }
        finally
        {
            stop.set(true);
        }
    }

    /** Pipelined events for account 1: BATCH requests out, then every acknowledgement checked. */
    private static void sendBatch(final ApexClient operator, final int first, final int count, final List<Long> acked)
        throws Exception
    {
        final long[] is = new long[count];
        for (int k = 0; k < count; k++)
        {
            is[k] = operator.send("SendExchangeOrderStateEvent", order(100_000 + first + k).json());
        }
        for (int k = 0; k < count; k++)
        {
            final ApexClient.Frame reply = operator.awaitReply(is[k]);
            assertEquals(true, reply.payload().get("result"), reply.raw);
            acked.add(((Number)reply.payload().get("SeqNum")).longValue());
        }
    }

    private static CompletableFuture<Void> drain(
        final ApexClient client, final long sub, final List<Long> got, final AtomicBoolean stop)
    {
        return CompletableFuture.runAsync(() ->
        {
            try
            {
                while (!stop.get())
                {
                    final ApexClient.Frame event = client.nextEvent(50);
                    if (event != null)
                    {
                        if (event.i != sub)
                        {
                            throw new AssertionError("wrong i: " + event.raw);
                        }
                        got.add(seqNum(event.payload()));
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static void awaitSize(final List<Long> list, final int size) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 30_000;
        while (list.size() < size && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(size, list.size(), "events received");
    }

    /** The slow-consumer close count, as /metrics shows it. */
    private static long slowConsumerCloses() throws Exception
    {
        final HttpResponse<String> metrics = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(harness.gateway.httpUrl() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
        final Matcher m = Pattern.compile("(?m)^ordergw_gateway_slow_consumer_closes_total (\\d+)(\\.0)?$")
            .matcher(metrics.body());
        assertTrue(m.find(), metrics.body());
        return Long.parseLong(m.group(1));
    }
}
