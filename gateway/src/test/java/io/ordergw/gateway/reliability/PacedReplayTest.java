package io.ordergw.gateway.reliability;

import io.ordergw.gateway.SystemTest;
import io.ordergw.gateway.ApexClient;
import io.ordergw.gateway.GatewayHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ordergw.gateway.ApexAssertions.nextEvent;
import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.ApexAssertions.seqNum;
import static io.ordergw.gateway.ApexAssertions.subscribe;
import static io.ordergw.gateway.OrderEventJson.order;
import static io.ordergw.gateway.reliability.NetworkFuzzTest.counter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replay goes at its reader's pace: a subscriber on a slow link (a socket read at 1-3 MB/s) asking for a backlog
 * many times the session's outbound limit gets all of it on one connection, in order, with no gap and no duplicate,
 * then the live events, and is never closed as a slow consumer; a live subscriber meanwhile gets each event within
 * a few seconds (a sanity bound, not a latency figure).
 */
@SystemTest
class PacedReplayTest
{
    private static final int PIPELINE = 500;
    private static final long LIVE_BOUND_NS = TimeUnit.SECONDS.toNanos(3);
    private static final int SUBSCRIBE_I = 3;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aReaderOnASlowLinkReplaysThirtyThousandEventsOnOneConnectionThenGoesLive() throws Exception
    {
        // A quarter-megabyte limit: the backlog is some eighty times the limit, so a replay that did not wait for
        // its reader would be closed within its first few hundred events.
        // Beside it, a second slow reader replays the last third at 1 MB/s and a third one reads nothing at all:
        // they share the router's replay work with the first, and neither holds it up.
        final Outcome outcome = replayToSlowReaders(dir, "ordergw.gateway.session-outbound-limit = 256KiB\n",
            30_000, new int[]{0, 20_000}, new long[]{3_000_000, 1_000_000}, true);
        Figures.report("PacedReplayTest", outcome.toString());
    }

    @Test
    @Timeout(60)
    void aReplayWhoseReaderTakesNothingIsClosedAfterTheStallTimeoutAndResumesFromWhereItStopped() throws Exception
    {
        try (GatewayHarness harness = new GatewayHarness(dir,
            "ordergw.gateway.session-outbound-limit = 64KiB\nordergw.gateway.replay-stall-timeout = 1s\n");
            ApexClient operator = harness.login("operator");
            ApexClient stuck = ApexClient.connectPausingAfter(harness.gateway.webSocketUrl(), 2))
        {
            // More than the socket buffers hold (up to 4 MiB on loopback), so that the replay finds no room.
            final List<Long> acked = new ArrayList<>();
            for (int sent = 0; sent < 8_000; sent += PIPELINE)
            {
                sendPipelined(operator, 1_000_000 + sent, PIPELINE, acked);
            }
            assertEquals(true, stuck.login("trader", GatewayHarness.PASSWORD).get("Authenticated"));
            final long sub = subscribe(stuck, 1, acked.get(0));
            final long deadline = System.currentTimeMillis() + 20_000;
            while (counter(harness.gateway.counters(), "gateway: slow consumer closes") == 0 &&
                System.currentTimeMillis() < deadline)
            {
                Thread.sleep(50);
            }
            assertEquals(1, counter(harness.gateway.counters(), "gateway: slow consumer closes"), "closed once");

            // What was sent before the close comes through, then the close naming where to resume.
            stuck.resumeReading();
            final String closedWith = stuck.awaitClose(30_000);
            assertTrue(closedWith != null && closedWith.startsWith("1008 replay stalled"), closedWith);
            final List<Long> got = new ArrayList<>();
            ApexClient.Frame event;
            while ((event = stuck.nextEvent(1)) != null)
            {
                assertEquals(sub, event.i, event.raw);
                got.add(seqNum(event.payload()));
            }
            assertTrue(got.size() < acked.size(), "stalled after " + got.size() + " events");
            assertEquals(acked.subList(0, got.size()), got, "no gap before the close");
            final Matcher from = Pattern.compile("FromSeqNum=(\\d+)").matcher(closedWith);
            assertTrue(from.find(), closedWith);
            final long resumeFrom = Long.parseLong(from.group(1));
            assertEquals(got.isEmpty() ? acked.get(0) : got.get(got.size() - 1) + 1, resumeFrom, closedWith);
            try (ApexClient back = harness.login("trader"))
            {
                final long again = subscribe(back, 1, resumeFrom);
                for (final long expected : acked.subList(got.size(), acked.size()))
                {
                    assertEquals(expected, seqNum(nextEvent(back, again).payload()));
                }
            }
        }
    }

    /**
     * The measurement for the release note: 100,000 events to a reader at 1 MB/s with the default settings.
     * {@code mvn -B -pl gateway -am verify -Pslow -Dit.test=PacedReplayTest -Dfailsafe.failIfNoSpecifiedTests=false}.
     */
    @Test
    @Tag("slow")
    @Timeout(900)
    void measureAHundredThousandEventReplayToAOneMegabytePerSecondReader() throws Exception
    {
        // The backlog is 100,000 open orders of one account, which is the book's default limit per account.
        final Outcome outcome = replayToSlowReaders(dir, "ordergw.book.max-open-orders-per-account = 200000\n",
            100_000, new int[]{0}, new long[]{1_000_000}, false);
        Figures.report("PacedReplayTest", "gateway defaults (session-outbound-limit 4 MiB): " + outcome);
    }

    /**
     * Replays to readers on throttled sockets while a live subscriber times each new event.
     *
     * @param backlog        events in the journal before the replays start (all of account 1).
     * @param fromIndex      per reader, which of them it replays from.
     * @param bytesPerSecond per reader, the rate it reads at.
     * @param withStuck      whether a reader that never reads replays meanwhile too.
     */
    private static Outcome replayToSlowReaders(final Path dir, final String hocon, final int backlog,
        final int[] fromIndex, final long[] bytesPerSecond, final boolean withStuck) throws Exception
    {
        final AtomicBoolean stop = new AtomicBoolean();
        final List<RawWebSocket> sockets = new ArrayList<>();
        try (GatewayHarness harness = new GatewayHarness(dir, hocon);
            ApexClient operator = harness.login("operator");
            ApexClient live = harness.login("trader");
            ApexClient stuck = ApexClient.connectPausingAfter(harness.gateway.webSocketUrl(), 2))
        {
            final List<Long> acked = new ArrayList<>(backlog + 1024);
            for (int sent = 0; sent < backlog; sent += PIPELINE)
            {
                sendPipelined(operator, 1_000_000 + sent, Math.min(PIPELINE, backlog - sent), acked);
            }
            final long liveSub = subscribe(live, 1, 0);
            if (withStuck)
            {
                assertEquals(true, stuck.login("trader", GatewayHarness.PASSWORD).get("Authenticated"));
                subscribe(stuck, 1, acked.get(0));
            }

            final int readers = fromIndex.length;
            final SlowReader[] slow = new SlowReader[readers];
            final List<CompletableFuture<Void>> reading = new ArrayList<>();
            for (int r = 0; r < readers; r++)
            {
                final RawWebSocket ws = RawWebSocket.connect(harness.gateway.address(), 64 * 1024, bytesPerSecond[r]);
                sockets.add(ws);
                HostileClientsTest.login(ws, "trader");
                slow[r] = new SlowReader(ws, stop);
            }
            final long startNs = System.nanoTime();
            for (int r = 0; r < readers; r++)
            {
                sockets.get(r).sendText("{\"m\":0,\"i\":" + SUBSCRIBE_I + ",\"n\":\"SubscribeAccountEvents\",\"o\":" +
                    ApexClient.quote("{\"OMSId\":1,\"AccountId\":1,\"FromSeqNum\":" + acked.get(fromIndex[r]) + "}") +
                    "}");
                final Thread thread = new Thread(slow[r], "slow-reader-" + r);
                final CompletableFuture<Void> done = new CompletableFuture<>();
                slow[r].done = done;
                reading.add(done);
                thread.setDaemon(true);
                thread.start();
            }

            // While they replay, events go on: each reaches the live subscriber within the bound, and is added to
            // what the slow ones must get after their backlog.
            long maxLiveNs = 0;
            int liveEvents = 0;
            final long[] replayNs = new long[readers];
            final long[] replayBytes = new long[readers];
            int finished = 0;
            final long deadlineNs = startNs + TimeUnit.SECONDS.toNanos(600);
            while (finished < readers && System.nanoTime() < deadlineNs)
            {
                final long sentNs = System.nanoTime();
                final long seqNum = sendAcked(operator, order(2_000_000 + liveEvents));
                acked.add(seqNum);
                assertEquals(seqNum, seqNum(nextEvent(live, liveSub).payload()), "the live subscriber's next");
                maxLiveNs = Math.max(maxLiveNs, System.nanoTime() - sentNs);
                liveEvents++;
                Thread.sleep(100);
                for (int r = 0; r < readers; r++)
                {
                    assertNull(slow[r].closedWith(), "slow reader " + r + " was closed while it replayed");
                    if (replayNs[r] == 0 && slow[r].events() >= backlog - fromIndex[r])
                    {
                        replayNs[r] = System.nanoTime() - startNs;
                        replayBytes[r] = slow[r].bytes();
                        finished++;
                    }
                }
            }
            assertEquals(readers, finished, "replays finished within the time allowed");

            // And they stay subscribed: these come live, after everything before them.
            for (int k = 0; k < 20; k++)
            {
                acked.add(sendAcked(operator, order(3_000_000 + k)));
            }
            for (int r = 0; r < readers; r++)
            {
                final long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (slow[r].events() < acked.size() - fromIndex[r] && System.nanoTime() < waitUntil &&
                    !reading.get(r).isDone())
                {
                    Thread.sleep(10);
                }
            }
            stop.set(true);
            sockets.forEach(RawWebSocket::close);
            for (int r = 0; r < readers; r++)
            {
                reading.get(r).get(30, TimeUnit.SECONDS);
                assertNull(slow[r].closedWith(), "slow reader " + r + " was closed");
                assertEquals(acked.subList(fromIndex[r], acked.size()), slow[r].seqNums(),
                    "slow reader " + r + ": every event once, in order, replayed and then live");
            }
            assertTrue(maxLiveNs < LIVE_BOUND_NS, "a live event took " + maxLiveNs / 1_000_000 + " ms");
            assertEquals(0, counter(harness.gateway.counters(), "gateway: slow consumer closes"));
            return new Outcome(backlog, fromIndex, bytesPerSecond, replayBytes, replayNs, liveEvents, maxLiveNs,
                acked.size(), withStuck);
        }
        finally
        {
            stop.set(true);
            sockets.forEach(RawWebSocket::close);
        }
    }

    /** Requests out back to back, then every acknowledgement, each SeqNum added in order. */
    private static void sendPipelined(final ApexClient operator, final long firstOrderId, final int count,
        final List<Long> acked) throws Exception
    {
        final long[] is = new long[count];
        for (int k = 0; k < count; k++)
        {
            is[k] = operator.send("SendExchangeOrderStateEvent", order(firstOrderId + k).json());
        }
        for (int k = 0; k < count; k++)
        {
            final ApexClient.Frame reply = operator.awaitReply(is[k]);
            assertEquals(true, reply.payload().get("result"), reply.raw);
            acked.add(((Number)reply.payload().get("SeqNum")).longValue());
        }
    }

    /** Reads the slow socket on its own thread: the events' SeqNums, their bytes, and a close if one comes. */
    private static final class SlowReader implements Runnable
    {
        private final RawWebSocket ws;
        private final AtomicBoolean stop;
        private final List<Long> seqNums = new ArrayList<>();
        private final AtomicLong events = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();
        private volatile String closedWith;
        private CompletableFuture<Void> done;

        SlowReader(final RawWebSocket ws, final AtomicBoolean stop)
        {
            this.ws = ws;
            this.stop = stop;
        }

        @Override
        public void run()
        {
            try
            {
                read();
                done.complete(null);
            }
            catch (final Throwable ex)
            {
                done.completeExceptionally(ex);
            }
        }

        private void read()
        {
            try
            {
                while (!stop.get())
                {
                    final RawWebSocket.Frame frame = ws.readFrame(30_000);
                    if (frame == null)
                    {
                        continue;
                    }
                    if (frame.opcode == RawWebSocket.CLOSE)
                    {
                        closedWith = frame.closeCode() + " " +
                            new String(frame.payload, 2, Math.max(0, frame.payload.length - 2), StandardCharsets.UTF_8);
                        return;
                    }
                    onText(frame);
                }
            }
            catch (final IOException ex)
            {
                if (!stop.get())
                {
                    closedWith = "connection lost: " + ex;
                }
            }
        }

        @SuppressWarnings("unchecked")
        private void onText(final RawWebSocket.Frame frame)
        {
            final Map<String, Object> map = (Map<String, Object>)ApexClient.parse(frame.text());
            if (((Number)map.get("m")).intValue() != 3)
            {
                return;
            }
            assertEquals((long)SUBSCRIBE_I, map.get("i"), frame.text());
            final Map<String, Object> order = (Map<String, Object>)ApexClient.parse((String)map.get("o"));
            synchronized (seqNums)
            {
                seqNums.add(seqNum(order));
            }
            bytes.addAndGet(frame.payload.length);
            events.incrementAndGet();
        }

        long events()
        {
            return events.get();
        }

        long bytes()
        {
            return bytes.get();
        }

        String closedWith()
        {
            return closedWith;
        }

        List<Long> seqNums()
        {
            synchronized (seqNums)
            {
                return new ArrayList<>(seqNums);
            }
        }
    }

    /** What one run measured. */
    private static final class Outcome
    {
        private final String text;

        Outcome(final int backlog, final int[] fromIndex, final long[] bytesPerSecond, final long[] bytes,
            final long[] elapsedNs, final int liveEvents, final long maxLiveNs, final int total, final boolean stuck)
        {
            final StringBuilder sb = new StringBuilder();
            for (int r = 0; r < fromIndex.length; r++)
            {
                final double seconds = elapsedNs[r] / 1e9;
                sb.append(String.format("replay of %,d events (%,d bytes of frames) to a reader throttled to " +
                    "%.1f MB/s completed on one connection in %.1f s (%.2f MB/s); ", backlog - fromIndex[r], bytes[r],
                    bytesPerSecond[r] / 1e6, seconds, bytes[r] / seconds / 1e6));
            }
            sb.append(String.format("%s%d live events meanwhile, slowest to another subscriber %d ms; then live: " +
                "%,d events in all, in order, no gap, no duplicate, no slow-consumer close",
                stuck ? "a reader that read nothing replayed alongside; " : "", liveEvents, maxLiveNs / 1_000_000,
                total));
            text = sb.toString();
        }

        @Override
        public String toString()
        {
            return text;
        }
    }
}
