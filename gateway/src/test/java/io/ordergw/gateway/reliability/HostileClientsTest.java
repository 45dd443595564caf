package io.ordergw.gateway.reliability;

import io.ordergw.gateway.SystemTest;
import com.sun.management.UnixOperatingSystemMXBean;
import io.ordergw.gateway.ApexClient;
import io.ordergw.gateway.GatewayHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.ordergw.gateway.reliability.NetworkFuzzTest.counter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow and hostile clients against an in-process gateway, each next to well-behaved sessions whose round trips are
 * measured (and reported, not asserted beyond generous bounds) and with Netty's buffer memory sampled throughout:
 * <ul>
 *     <li>a subscriber that never reads is closed as a slow consumer once its unsent data passes
 *     {@code session-outbound-limit}, and can resume with FromSeqNum; the other subscriber gets every event;</li>
 *     <li>a client that floods requests and never reads the answers cannot make the gateway buffer without bound;</li>
 *     <li>thousands of idle connections cost little, are reaped by {@code idle-timeout}, and past
 *     {@code max-connections} new ones are refused;</li>
 *     <li>oversized frames are refused (1009), fragmented ones (continuations, a byte at a time) are answered;</li>
 *     <li>wrong passwords in a loop are throttled: after {@code max-failures} even the right password is refused
 *     until the window passes, and throttled attempts cost no password hashing.</li>
 * </ul>
 */
@SystemTest
class HostileClientsTest
{
    /** Generous: far above anything seen on a loaded 2-core machine, far below "the gateway stopped answering". */
    private static final long SANE_P99_MICROS = 5_000_000;
    /** Netty's pooled memory may grow by chunks; unbounded buffering of a flood would pass this many times over. */
    private static final long NETTY_BOUND_BYTES = 96L << 20;

    @TempDir
    Path dir;

    private final List<String> failures = new CopyOnWriteArrayList<>();

    @Test
    @Timeout(120)
    void subscriberThatNeverReadsIsCutOffAndOthersKeepEverything() throws Exception
    {
        try (GatewayHarness harness = new GatewayHarness(dir, "ordergw.gateway.session-outbound-limit = 64KiB\n");
            MemorySampler memory = new MemorySampler();
            ApexClient reader = harness.login("trader");
            ApexClient operator = harness.login("operator");
            RawWebSocket never = RawWebSocket.connect(harness.gateway.address(), 4096))
        {
            reader.call("SubscribeAccountEvents", "{\"OMSId\":1,\"AccountId\":1,\"FromSeqNum\":1}");
            login(never, "operator");
            never.sendText("{\"m\":0,\"i\":3,\"n\":\"SubscribeAccountEvents\"," +
                "\"o\":\"{\\\"OMSId\\\":1,\\\"AccountId\\\":1}\"}");

            final Figures.Latencies latencies = new Figures.Latencies();
            final int events = 3_000;
            for (int k = 0; k < events; k++)
            {
                final long start = System.nanoTime();
                final ApexClient.Frame reply = operator.call("SendExchangeOrderStateEvent", event(1, 100_000 + k, 1));
                latencies.record(System.nanoTime() - start);
                assertEquals(Boolean.TRUE, reply.payload().get("result"), reply.raw);
            }
            final long closes = awaitCounter(harness, "gateway: slow consumer closes", 1);
            assertTrue(closes >= 1, "the consumer that never reads was not closed");

            // It was closed with the SeqNum to resume from; everything before it came through, nothing after.
            final int code = never.awaitClose(30_000);
            assertTrue(code == 1008 || code == 0, "close code " + code);

            long last = 0;
            for (int k = 0; k < events; k++)
            {
                final ApexClient.Frame frame = reader.nextEvent(15_000);
                assertNotNull(frame, "well-behaved subscriber missed event " + k);
                final long seqNum = ((Number)frame.payload().get("SeqNum")).longValue();
                assertEquals(last + 1, seqNum, "well-behaved subscriber: in order, no gap");
                last = seqNum;
            }
            assertTrue(latencies.percentileMicros(99) < SANE_P99_MICROS, latencies.toString());
            assertTrue(memory.maxNettyBytes() < NETTY_BOUND_BYTES, memory.toString());

            // And it can come back with FromSeqNum and get the rest.
            try (ApexClient back = harness.login("operator"))
            {
                back.call("SubscribeAccountEvents",
                    "{\"OMSId\":1,\"AccountId\":1,\"FromSeqNum\":" + (events - 9) + "}");
                for (int k = events - 9; k <= events; k++)
                {
                    final ApexClient.Frame frame = back.nextEvent(15_000);
                    assertNotNull(frame, "resumed subscriber missed SeqNum " + k);
                    assertEquals((long)k, ((Number)frame.payload().get("SeqNum")).longValue());
                }
            }
            Figures.report("HostileClientsTest", "subscriber that never reads (4 KiB socket buffer) closed as a slow " +
                "consumer after passing 64 KiB; other subscriber got all " + events + " events; operator round trip " +
                "meanwhile: " + latencies + "; " + memory);
        }
    }

    @Test
    @Timeout(120)
    void clientFloodingRequestsWithoutReadingCannotGrowMemoryWithoutBound() throws Exception
    {
        try (GatewayHarness harness = new GatewayHarness(dir, "ordergw.gateway.session-outbound-limit = 256KiB\n");
            MemorySampler memory = new MemorySampler();
            ApexClient operator = harness.login("operator");
            RawWebSocket flooder = RawWebSocket.connect(harness.gateway.address(), 4096))
        {
            login(flooder, "operator");
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicLong floodBytes = new AtomicLong();
            final byte[] pings = pingBatch(500);
            final Thread flood = new Thread(() ->
            {
                try
                {
                    while (!stop.get())
                    {
                        flooder.sendRaw(pings);
                        floodBytes.addAndGet(pings.length);
                    }
                }
                catch (final IOException ex)
                {
                    // the gateway closed it, or the test did
                }
            }, "flooder");
            flood.setDaemon(true);
            flood.start();

            final Figures.Latencies latencies = new Figures.Latencies();
            final long end = System.currentTimeMillis() + 6_000;
            int k = 0;
            while (System.currentTimeMillis() < end)
            {
                final long start = System.nanoTime();
                final ApexClient.Frame reply = operator.call("SendExchangeOrderStateEvent", event(1, 200_000 + k++, 1));
                latencies.record(System.nanoTime() - start);
                assertEquals(Boolean.TRUE, reply.payload().get("result"), reply.raw);
                Thread.sleep(1);
            }
            stop.set(true);
            flooder.close();
            flood.join(10_000);
            final long requests = counter(harness.gateway.counters(), "gateway: requests");
            Figures.report("HostileClientsTest", "request flood without reading: " + (floodBytes.get() >> 20) +
                " MiB of Ping frames written in 6 s, " + requests + " requests read by the gateway; " + memory +
                "; operator round trip meanwhile: " + latencies);
            assertTrue(memory.maxNettyBytes() < NETTY_BOUND_BYTES, "buffered without bound: " + memory);
            assertTrue(latencies.percentileMicros(99) < SANE_P99_MICROS, latencies.toString());
        }
    }

    @Test
    @Timeout(180)
    void thousandsOfIdleConnectionsAreCheapAndReaped() throws Exception
    {
        idleConnections(1_000);
    }

    @Test
    @Tag("slow")
    @Timeout(900)
    void tenThousandIdleConnections() throws Exception
    {
        idleConnections(9_000);
    }

    private void idleConnections(final int wanted) throws Exception
    {
        final int count = Math.min(wanted, fileDescriptorBudget());
        final int maxConnections = count + 4;
        final long heapBefore = Figures.heapAfterGc();
        final long idleSeconds = 15 + count / 200;
        try (GatewayHarness harness = new GatewayHarness(dir, "ordergw.gateway.idle-timeout = " + idleSeconds + "s\n" +
            "ordergw.gateway.max-connections = " + maxConnections + "\n");
            MemorySampler memory = new MemorySampler();
            ApexClient operator = harness.login("operator"))
        {
            final Figures.Latencies before = measure(operator, 200, 300_000);
            final long heapIdle0 = Figures.heapAfterGc();
            final List<RawWebSocket> idle = new ArrayList<>(count);
            final long openStart = System.nanoTime();
            try
            {
                for (int k = 0; k < count; k++)
                {
                    idle.add(RawWebSocket.connect(harness.gateway.address(), 0));
                }
                final long openMillis = (System.nanoTime() - openStart) / 1_000_000;
                awaitCounter(harness, "gateway: sessions", count + 1);
                assertEquals(count + 1, counter(harness.gateway.counters(), "gateway: sessions"));
                final long heapWithIdle = Figures.heapAfterGc();
                final Figures.Latencies during = measure(operator, 200, 400_000);

                // Up to max-connections are served; past it, refused with 1013 (try again later).
                final List<RawWebSocket> extra = new ArrayList<>();
                for (int k = count + 1; k < maxConnections; k++)
                {
                    extra.add(RawWebSocket.connect(harness.gateway.address(), 0));
                }
                awaitCounter(harness, "gateway: sessions", maxConnections);
                try (RawWebSocket refused = RawWebSocket.connect(harness.gateway.address(), 0))
                {
                    assertEquals(1013, refused.awaitClose(10_000), "past max-connections");
                }
                extra.forEach(RawWebSocket::close);

                // The idle ones are closed by idle-timeout (1001); the active operator is not.
                final long reapStart = System.currentTimeMillis();
                while (counter(harness.gateway.counters(), "gateway: sessions") > 1 &&
                    System.currentTimeMillis() - reapStart < 60_000)
                {
                    operator.call("Ping", "{}");
                    Thread.sleep(500);
                }
                assertEquals(1, counter(harness.gateway.counters(), "gateway: sessions"), "idle sessions reaped");
                int closedWith1001 = 0;
                for (final RawWebSocket ws : idle)
                {
                    closedWith1001 += ws.awaitClose(2_000) == 1001 ? 1 : 0;
                }
                assertEquals(count, closedWith1001, "idle connections closed with 1001");
                assertTrue(during.percentileMicros(99) < SANE_P99_MICROS, during.toString());
                Figures.report("HostileClientsTest", count + " idle WebSocket connections opened in " + openMillis +
                    " ms; heap " + ((heapWithIdle - heapIdle0) / Math.max(1, count)) + " bytes per idle connection (" +
                    ((heapWithIdle - heapBefore) >> 20) + " MiB in all with the gateway); " + memory +
                    "; operator round trip without them: " + before + "; with them: " + during +
                    "; connection " + (maxConnections + 1) + " refused with 1013; all reaped by idle-timeout " +
                    "after " + (System.currentTimeMillis() - reapStart) / 1000 + " s");
            }
            finally
            {
                idle.forEach(RawWebSocket::close);
            }
        }
    }

    @Test
    @Timeout(120)
    void oversizedAndFragmentedFrames() throws Exception
    {
        try (GatewayHarness harness = new GatewayHarness(dir, "ordergw.gateway.max-frame-bytes = 16KiB\n");
            ApexClient operator = harness.login("operator"))
        {
            final InetSocketAddress address = harness.gateway.address();
            final byte[] ping = "{\"m\":0,\"i\":41,\"n\":\"Ping\",\"o\":\"{}\"}".getBytes(StandardCharsets.UTF_8);
            int tried = 0;

            // One frame over the limit: 1009.
            try (RawWebSocket ws = RawWebSocket.connect(address, 0))
            {
                ws.sendFrame(true, RawWebSocket.TEXT, padded(ping, 16 * 1024 + 1));
                assertEquals(1009, ws.awaitClose(10_000), "oversized frame");
                tried++;
            }
            // Fragments each small, together over the limit: closed.
            try (RawWebSocket ws = RawWebSocket.connect(address, 0))
            {
                final byte[] big = padded(ping, 40 * 1024);
                for (int from = 0; from < big.length; from += 1024)
                {
                    ws.sendFrame(from + 1024 >= big.length, from == 0 ? RawWebSocket.TEXT : RawWebSocket.CONTINUATION,
                        java.util.Arrays.copyOfRange(big, from, Math.min(big.length, from + 1024)));
                }
                final int code = ws.awaitClose(10_000);
                assertTrue(code == 1009 || code == 0, "oversized fragmented message closed, got " + code);
                tried++;
            }
            catch (final IOException ex)
            {
                tried++; // closed while we were still writing: also refused
            }
            // A frame announcing 2^62 bytes: refused at once, not awaited.
            try (RawWebSocket ws = RawWebSocket.connect(address, 0))
            {
                ws.sendRaw(new byte[]{(byte)0x81, (byte)0xFF, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4});
                assertEquals(1009, ws.awaitClose(10_000), "frame announcing 2^62 bytes");
                tried++;
            }
            // A message in 1-byte continuation frames, and one sent a byte at a time: answered once each.
            try (RawWebSocket ws = RawWebSocket.connect(address, 0))
            {
                for (int k = 0; k < ping.length; k++)
                {
                    ws.sendFrame(k == ping.length - 1, k == 0 ? RawWebSocket.TEXT : RawWebSocket.CONTINUATION,
                        new byte[]{ping[k]});
                }
                assertTrue(nextText(ws).contains("PONG"));
                final byte[] wire = RawWebSocket.encode(true, RawWebSocket.TEXT, ping, true);
                final long start = System.nanoTime();
                for (final byte b : wire)
                {
                    ws.sendRaw(new byte[]{b});
                    Thread.sleep(5);
                }
                assertTrue(nextText(ws).contains("PONG"));
                final Figures.Latencies during = measure(operator, 50, 500_000);
                Figures.report("HostileClientsTest", "byte-at-a-time frame over " +
                    (System.nanoTime() - start) / 1_000_000 + " ms answered; operator round trip meanwhile " + during);
                tried += 2;
            }
            // HTTP body over the limit: 413.
            final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(harness.gateway.httpUrl() + "/AP/Ping")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[64 * 1024])).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(413, response.statusCode());
            tried++;
            assertEquals("PONG", operator.call("Ping", "{}").payload().get("msg"));
            Figures.report("HostileClientsTest", tried + " oversized/fragmented inputs: refused or answered as " +
                "the contract says; other sessions unaffected");
        }
    }

    @Test
    @Timeout(120)
    void wrongPasswordsInALoopAreThrottled() throws Exception
    {
        try (GatewayHarness harness = new GatewayHarness(dir, "ordergw.gateway.auth.max-failures = 5\n" +
            "ordergw.gateway.auth.failure-window = 3s\n");
            ApexClient operator = harness.login("operator");
            ApexClient attacker = harness.client())
        {
            final Figures.Latencies latencies = new Figures.Latencies();
            final AtomicBoolean stop = new AtomicBoolean();
            final Thread quiet = new Thread(() ->
            {
                int k = 0;
                while (!stop.get())
                {
                    try
                    {
                        final long start = System.nanoTime();
                        operator.call("SendExchangeOrderStateEvent", event(1, 300_000 + k++, 1));
                        latencies.record(System.nanoTime() - start);
                        Thread.sleep(2);
                    }
                    catch (final Exception | AssertionError ex)
                    {
                        failures.add("well-behaved operator: " + ex);
                        return;
                    }
                }
            }, "quiet-operator");
            quiet.start();

            int attempts = 0;
            int invalid = 0;
            int throttled = 0;
            final long start = System.nanoTime();
            final long end = System.currentTimeMillis() + 2_000;
            while (System.currentTimeMillis() < end)
            {
                final Map<String, Object> reply = attacker.login("operator", "guess-" + attempts++);
                assertEquals(Boolean.FALSE, reply.get("Authenticated"));
                if ("Too many failed logins; try again later".equals(reply.get("errormsg")))
                {
                    throttled++;
                }
                else
                {
                    invalid++;
                }
            }
            final double perSecond = attempts * 1e9 / (System.nanoTime() - start);
            // Locked for this user and this address, even with the right password.
            assertEquals(Boolean.FALSE, attacker.login("operator", GatewayHarness.PASSWORD).get("Authenticated"));
            assertTrue(invalid <= 6, "failures before the lock: " + invalid);
            assertTrue(throttled > 0, "never throttled");
            // Established sessions are not affected; after the window, the right password works again.
            Thread.sleep(3_500);
            assertEquals(Boolean.TRUE, attacker.login("operator", GatewayHarness.PASSWORD).get("Authenticated"));
            stop.set(true);
            quiet.join(30_000);
            assertTrue(failures.isEmpty(), failures::toString);
            Figures.report("HostileClientsTest", attempts + " wrong passwords in 2 s (" + Math.round(perSecond) +
                "/s): " + invalid + " checked, " + throttled + " refused by the throttle without hashing; " +
                "right password refused while locked, accepted after the window; operator round trip meanwhile: " +
                latencies);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static int fileDescriptorBudget()
    {
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean)
        {
            final UnixOperatingSystemMXBean unix = (UnixOperatingSystemMXBean)os;
            // Two descriptors per connection (client and server side live in this JVM), and room for the rest.
            return (int)Math.max(100, (unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - 500) / 2);
        }
        return 1_000;
    }

    private static Figures.Latencies measure(final ApexClient operator, final int count, final long firstOrderId)
        throws Exception
    {
        final Figures.Latencies latencies = new Figures.Latencies();
        for (int k = 0; k < count; k++)
        {
            final long start = System.nanoTime();
            final ApexClient.Frame reply = operator.call("SendExchangeOrderStateEvent", event(1, firstOrderId + k, 1));
            latencies.record(System.nanoTime() - start);
            assertEquals(Boolean.TRUE, reply.payload().get("result"), reply.raw);
        }
        return latencies;
    }

    static String event(final int accountId, final long orderId, final int quantity)
    {
        return "{\"exchangeId\":1,\"omsId\":1,\"accountId\":" + accountId + ",\"productPairId\":1,\"orderType\":2," +
            "\"side\":0,\"tIF\":1,\"pegPriceType\":0,\"quantity\":" + quantity + ",\"displayQuantity\":0," +
            "\"limitPrice\":100,\"stopPrice\":0,\"referencePrice\":0,\"orderExpirationDateTime\":0,\"orderIdOCO\":0," +
            "\"orderFlag\":2,\"linkType\":0,\"exchangeServiceId\":\"hostile-test\",\"orderId\":" + orderId +
            ",\"enteredBy\":0,\"counterPartyId\":0,\"isQuote\":false,\"useMargin\":false,\"bestSellPrice\":0," +
            "\"bestSellQuantity\":0,\"bestBuyPrice\":0,\"bestBuyQuantity\":0,\"lastTradePrice\":0}";
    }

    static void login(final RawWebSocket ws, final String user) throws IOException
    {
        ws.sendText("{\"m\":0,\"i\":1,\"n\":\"WebAuthenticateUser\",\"o\":\"{\\\"UserName\\\":\\\"" + user +
            "\\\",\\\"Password\\\":\\\"" + GatewayHarness.PASSWORD + "\\\"}\"}");
        final String reply = nextText(ws);
        if (!reply.contains("\\\"Authenticated\\\":true"))
        {
            throw new IllegalStateException("login failed: " + reply);
        }
    }

    static String nextText(final RawWebSocket ws) throws IOException
    {
        final long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline)
        {
            final RawWebSocket.Frame frame = ws.readFrame(1_000);
            if (frame != null && frame.opcode == RawWebSocket.TEXT)
            {
                return frame.text();
            }
            if (frame != null && frame.opcode == RawWebSocket.CLOSE)
            {
                throw new IOException("closed: " + frame.closeCode());
            }
        }
        throw new IllegalStateException("no text frame within 15 s");
    }

    private static byte[] pingBatch(final int count)
    {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int k = 0; k < count; k++)
        {
            final byte[] ping = ("{\"m\":0,\"i\":" + k + ",\"n\":\"Ping\",\"o\":\"{}\"}")
                .getBytes(StandardCharsets.UTF_8);
            final byte[] frame = RawWebSocket.encode(true, RawWebSocket.TEXT, ping, true);
            out.write(frame, 0, frame.length);
        }
        return out.toByteArray();
    }

    /** A Ping frame padded with spaces (valid JSON) to a size. */
    private static byte[] padded(final byte[] json, final int size)
    {
        final byte[] out = new byte[size];
        java.util.Arrays.fill(out, (byte)' ');
        System.arraycopy(json, 0, out, 0, json.length);
        return out;
    }

    private static long awaitCounter(final GatewayHarness harness, final String label, final long atLeast)
        throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 30_000;
        long value;
        while ((value = counter(harness.gateway.counters(), label)) < atLeast && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(20);
        }
        return value;
    }

    /** Samples Netty's buffer memory every 20 ms and keeps the highest value. */
    static final class MemorySampler implements AutoCloseable
    {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong maxNetty = new AtomicLong();
        private final Thread thread;

        MemorySampler()
        {
            thread = new Thread(() ->
            {
                while (!stop.get())
                {
                    maxNetty.accumulateAndGet(Figures.nettyUsedBytes(), Math::max);
                    try
                    {
                        Thread.sleep(20);
                    }
                    catch (final InterruptedException ex)
                    {
                        return;
                    }
                }
            }, "memory-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        long maxNettyBytes()
        {
            return maxNetty.get();
        }

        @Override
        public String toString()
        {
            return "Netty buffer memory at most " + (maxNetty.get() >> 20) + " MiB";
        }

        @Override
        public void close()
        {
            stop.set(true);
            try
            {
                thread.join(5_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
