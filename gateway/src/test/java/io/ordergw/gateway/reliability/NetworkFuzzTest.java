package io.ordergw.gateway.reliability;

import io.ordergw.gateway.SystemTest;
import io.ordergw.engine.JournalVerifier;
import io.ordergw.gateway.ApexClient;
import io.ordergw.gateway.GatewayHarness;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A network fuzzer against a running gateway: several connections send random and mutated APEX frames (bit flips,
 * cuts, splices, duplicated and re-cased keys, edge values, deep nesting, long strings, fragmentation), others break
 * the WebSocket protocol itself (unmasked and reserved frames, oversized and lying lengths, binary, stray
 * continuations; and text frames that are not UTF-8), and mutated HTTP bodies go to {@code POST /AP/{Function}}. Meanwhile a well-behaved operator
 * sends events and a well-behaved subscriber follows an account.
 * <p>
 * What must hold: every text frame a fuzz connection sends gets exactly one answer (m=1 or m=5, docs/api.md section 2),
 * and the connection still answers a Ping at the end; protocol violations close only their own connection; every
 * HTTP request gets one well-formed answer; the well-behaved sessions lose nothing and are answered throughout
 * (their latency is reported); and the journal the fuzzing left behind re-verifies event by event.
 */
@SystemTest
class NetworkFuzzTest
{
    private static final int MAX_FRAME_BYTES = 16 * 1024;
    private static final long QUIET_ORDER_BASE = 9_000_000_000L;

    @TempDir
    Path dir;

    private final List<String> failures = new CopyOnWriteArrayList<>();

    @Test
    @Timeout(240)
    void gatewayKeepsServingUnderFuzzedFrames() throws Exception
    {
        run(4, 5_000, 300, 600, 20261126L);
    }

    @Test
    @Tag("slow")
    @Timeout(3600)
    void gatewayKeepsServingUnderLongFuzzing() throws Exception
    {
        run(8, 60_000, 3_000, 10_000, 20261127L);
    }

    private void run(
        final int connections,
        final int framesPerConnection,
        final int violations,
        final int httpBodies,
        final long seed)
        throws Exception
    {
        final Figures.Latencies baseline = new Figures.Latencies();
        final Figures.Latencies underFuzz = new Figures.Latencies();
        long fuzzFrames = 0;
        long violationsSent = 0;
        long httpSent = 0;
        final GatewayHarness harness = new GatewayHarness(dir, "ordergw.gateway.max-frame-bytes = 16KiB\n" +
            "ordergw.gateway.auth.max-failures = 1000000\n");
        final List<Long> seen = new ArrayList<>();
        final QuietOperator quiet = new QuietOperator(harness, baseline);
        final Thread quietThread = new Thread(quiet, "quiet-operator");
        final List<Thread> threads = new ArrayList<>();
        long badFrames;
        try (ApexClient subscriber = harness.login("trader"))
        {
            final InetSocketAddress address = harness.gateway.address();
            subscriber.call("SubscribeAccountEvents", "{\"OMSId\":1,\"AccountId\":1,\"FromSeqNum\":1}");
            quietThread.start();
            Thread.sleep(1_000);
            quiet.latencies = underFuzz;

            final List<FuzzConnection> fuzzers = new ArrayList<>();
            for (int c = 0; c < connections; c++)
            {
                final FuzzConnection fuzzer = new FuzzConnection(address, new SplittableRandom(seed + c), c,
                    framesPerConnection, c % 2 == 0);
                fuzzers.add(fuzzer);
                threads.add(new Thread(fuzzer, "fuzz-" + c));
            }
            threads.add(new Thread(() -> sendViolations(address, new SplittableRandom(seed ^ 0x5EED), violations),
                "violations"));
            threads.forEach(Thread::start);
            httpSent = fuzzHttp(harness.gateway.httpUrl(), new SplittableRandom(seed ^ 0xB0D1), httpBodies);
            for (final Thread thread : threads)
            {
                thread.join(600_000);
            }
            quiet.stop.set(true);
            quietThread.join(60_000);

            for (final FuzzConnection fuzzer : fuzzers)
            {
                fuzzFrames += fuzzer.sent;
            }
            violationsSent = violations;
            assertTrue(failures.isEmpty(), () -> failures.size() + " failures, first: " +
                failures.subList(0, Math.min(10, failures.size())));
            assertTrue(quiet.errors.isEmpty(), () -> "well-behaved operator: " + quiet.errors);

            // Still serving new sessions.
            try (ApexClient late = harness.login("operator"))
            {
                assertEquals("PONG", late.call("Ping", "{}").payload().get("msg"));
            }
            badFrames = counter(harness.gateway.counters(), "gateway: bad frames");
            assertTrue(badFrames > 0, "the fuzz must have produced frames that cannot be read");
            Figures.report("NetworkFuzzTest", "memory at the end: " + Figures.memory());

            // Everything journaled has been routed; then take what the subscriber received.
            final long last = counter(harness.gateway.counters(), "engine: journal seqnum");
            final long routedBy = System.currentTimeMillis() + 30_000;
            while (counter(harness.gateway.counters(), "gateway: routed seqnum") < last &&
                System.currentTimeMillis() < routedBy)
            {
                Thread.sleep(10);
            }
            ApexClient.Frame frame;
            while ((frame = subscriber.nextEvent(1_000)) != null)
            {
                seen.add(((Number)frame.payload().get("SeqNum")).longValue());
            }
        }
        finally
        {
            quiet.stop.set(true);
            for (final Thread thread : threads)
            {
                thread.interrupt();
            }
            harness.close();
        }
        final List<JournalCheck.Event> journal = JournalCheck.readJournal(dir);
        final List<Long> expected = new ArrayList<>();
        for (final JournalCheck.Event event : journal)
        {
            if (event.accountId == 1)
            {
                expected.add(event.seqNum);
            }
        }
        assertEquals(expected, seen, "subscriber of account 1: every event once, in order");
        final JournalVerifier.Result verified = JournalCheck.verify(dir);
        assertEquals(journal.size(), verified.events);
        Figures.report("NetworkFuzzTest", connections + " fuzz connections sent " + fuzzFrames +
            " mutated/random text frames (each answered exactly once), " + violationsSent +
            " WebSocket protocol violations (each closed only its own connection), " + httpSent +
            " mutated HTTP bodies (each answered once); " + badFrames + " frames unreadable (m=5); " +
            quiet.acknowledged + " well-behaved events acknowledged, " + seen.size() +
            " subscriber events checked; journal of " + journal.size() + " events re-verified");
        Figures.report("NetworkFuzzTest", "well-behaved operator round trip before fuzzing: " + baseline);
        Figures.report("NetworkFuzzTest", "well-behaved operator round trip under fuzzing: " + underFuzz);
    }

    static long counter(final CountersReader counters, final String label)
    {
        final long[] value = {-1};
        counters.forEach((id, typeId, keyBuffer, counterLabel) ->
        {
            if (counterLabel.equals(label))
            {
                value[0] = counters.getCounterValue(id);
            }
        });
        return value[0];
    }

    /** A fuzz connection: mutated frames, each of which must get exactly one answer. */
    private final class FuzzConnection implements Runnable
    {
        private final InetSocketAddress address;
        private final SplittableRandom random;
        private final int index;
        private final int frames;
        private final boolean logIn;
        private final AtomicLong answers = new AtomicLong();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile boolean finalPong;
        private long sent;

        FuzzConnection(
            final InetSocketAddress address, final SplittableRandom random, final int index, final int frames,
            final boolean logIn)
        {
            this.address = address;
            this.random = random;
            this.index = index;
            this.frames = frames;
            this.logIn = logIn;
        }

        @Override
        public void run()
        {
            try (RawWebSocket ws = RawWebSocket.connect(address, 0))
            {
                final Thread reader = new Thread(() -> read(ws), "fuzz-reader-" + index);
                reader.setDaemon(true);
                reader.start();
                final byte[] login = ("{\"m\":0,\"i\":1,\"n\":\"WebAuthenticateUser\",\"o\":\"{\\\"UserName\\\":" +
                    "\\\"operator\\\",\\\"Password\\\":\\\"" + GatewayHarness.PASSWORD + "\\\"}\"}")
                    .getBytes(StandardCharsets.UTF_8);
                if (logIn)
                {
                    send(ws, login);
                }
                final FrameMutator mutator = new FrameMutator(random, (index + 1) * 1_000_000_000L);
                for (int k = 0; k < frames && !closed.get(); k++)
                {
                    if (logIn && k % 500 == 499)
                    {
                        send(ws, login);
                    }
                    send(ws, mutator.next());
                }
                send(ws, "{\"m\":0,\"i\":-987654321,\"n\":\"Ping\",\"o\":\"{}\"}".getBytes(StandardCharsets.UTF_8));
                final long deadline = System.currentTimeMillis() + 60_000;
                while ((answers.get() < sent || !finalPong) && System.currentTimeMillis() < deadline && !closed.get())
                {
                    Thread.sleep(10);
                }
                if (closed.get())
                {
                    failures.add("fuzz connection " + index + " was closed by the server after " + sent + " frames");
                }
                else if (answers.get() != sent || !finalPong)
                {
                    failures.add("fuzz connection " + index + ": " + sent + " frames, " + answers.get() +
                        " answers, final pong " + finalPong);
                }
                ws.close();
                reader.join(10_000);
            }
            catch (final Exception ex)
            {
                failures.add("fuzz connection " + index + ": " + ex);
            }
        }

        private void send(final RawWebSocket ws, final byte[] text) throws IOException
        {
            sent++;
            final int pieces = random.nextInt(10) == 0 ? 2 + random.nextInt(3) : 1;
            if (pieces == 1 || text.length < pieces)
            {
                ws.sendFrame(true, RawWebSocket.TEXT, text);
                return;
            }
            // Fragmented: a text frame and continuations, possibly with a ping in between (legal, RFC 6455 5.4).
            int from = 0;
            for (int p = 0; p < pieces; p++)
            {
                final int to = p == pieces - 1 ? text.length : from + random.nextInt(text.length - from + 1);
                ws.sendFrame(p == pieces - 1, p == 0 ? RawWebSocket.TEXT : RawWebSocket.CONTINUATION,
                    java.util.Arrays.copyOfRange(text, from, to));
                if (p == 0 && random.nextInt(4) == 0)
                {
                    ws.sendFrame(true, RawWebSocket.PING, new byte[]{1, 2, 3});
                }
                from = to;
            }
        }

        private void read(final RawWebSocket ws)
        {
            try
            {
                while (true)
                {
                    final RawWebSocket.Frame frame = ws.readFrame(0);
                    if (frame.opcode == RawWebSocket.CLOSE)
                    {
                        closed.set(true);
                        return;
                    }
                    if (frame.opcode != RawWebSocket.TEXT)
                    {
                        continue;
                    }
                    final String text = frame.text();
                    final Map<?, ?> parsed = (Map<?, ?>)ApexClient.parse(text);
                    final int m = ((Number)parsed.get("m")).intValue();
                    if (m == 1 || m == 5)
                    {
                        answers.incrementAndGet();
                        if (((Number)parsed.get("i")).longValue() == -987654321L && "Ping".equals(parsed.get("n")))
                        {
                            finalPong = true;
                        }
                    }
                    else if (m != 3)
                    {
                        failures.add("fuzz connection " + index + ": unexpected frame " + text);
                    }
                }
            }
            catch (final IOException ex)
            {
                closed.set(true);
            }
            catch (final RuntimeException ex)
            {
                failures.add("fuzz connection " + index + ": unreadable answer: " + ex);
            }
        }
    }

    /** Breaks the WebSocket protocol, one fresh connection per violation: only that connection may suffer. */
    private void sendViolations(final InetSocketAddress address, final SplittableRandom random, final int count)
    {
        final byte[] ping = "{\"m\":0,\"i\":1,\"n\":\"Ping\",\"o\":\"{}\"}".getBytes(StandardCharsets.UTF_8);
        for (int k = 0; k < count; k++)
        {
            final int kind = k % 9;
            try (RawWebSocket ws = RawWebSocket.connect(address, 0))
            {
                final byte[] junk = new byte[1 + random.nextInt(200)];
                random.nextBytes(junk);
                switch (kind)
                {
                    case 0: // not UTF-8 in a text frame: closed (1007) by a validating transport, or answered m=5 by
                        // the decoder (the server leaves UTF-8 to the JSON parser), and then still served
                        ws.sendFrame(true, RawWebSocket.TEXT, new byte[]{'{', '"', 'n', '"', ':', '"', (byte)0xC3, 0x28,
                            '"', '}'});
                        ws.sendFrame(true, RawWebSocket.TEXT, ping);
                        if (!answeredOrClosed(ws))
                        {
                            failures.add("invalid UTF-8 neither answered m=5 then served, nor closed");
                        }
                        continue;
                    case 1: // unmasked client frame
                        ws.sendRaw(RawWebSocket.encode(true, RawWebSocket.TEXT, ping, false));
                        break;
                    case 2: // reserved opcode
                        ws.sendFrame(true, 3 + random.nextInt(5), junk);
                        break;
                    case 3: // RSV bits without an extension
                        final byte[] frame = RawWebSocket.encode(true, RawWebSocket.TEXT, ping, true);
                        frame[0] |= 0x70;
                        ws.sendRaw(frame);
                        break;
                    case 4: // larger than max-frame-bytes
                        ws.sendFrame(true, RawWebSocket.TEXT, new byte[MAX_FRAME_BYTES + 1 + random.nextInt(1000)]);
                        break;
                    case 5: // a length that lies: 2^62 bytes announced
                        ws.sendRaw(new byte[]{(byte)0x81, (byte)0xFF, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 'x'});
                        break;
                    case 6: // continuation with no message begun
                        ws.sendFrame(true, RawWebSocket.CONTINUATION, ping);
                        break;
                    case 7: // a control frame over 125 bytes, and fragmented
                        ws.sendFrame(random.nextBoolean(), RawWebSocket.PING, new byte[126 + random.nextInt(100)]);
                        break;
                    default: // binary frame, then raw garbage
                        ws.sendFrame(true, RawWebSocket.BINARY, junk);
                        ws.sendRaw(junk);
                        break;
                }
                final int closedWith = ws.awaitClose(15_000);
                if (closedWith < 0)
                {
                    failures.add("violation " + kind + " did not close its connection");
                }
            }
            catch (final IOException ex)
            {
                // the server may close before we finish writing: also fine
            }
        }
    }

    /** The connection answers m=5 and then PONG, or is closed. */
    private static boolean answeredOrClosed(final RawWebSocket ws) throws IOException
    {
        final long deadline = System.currentTimeMillis() + 15_000;
        boolean refused = false;
        while (System.currentTimeMillis() < deadline)
        {
            final RawWebSocket.Frame frame;
            try
            {
                frame = ws.readFrame(1_000);
            }
            catch (final IOException ex)
            {
                return true; // closed
            }
            if (frame == null)
            {
                continue;
            }
            if (frame.opcode == RawWebSocket.CLOSE)
            {
                return true;
            }
            if (frame.opcode == RawWebSocket.TEXT)
            {
                final String text = frame.text();
                if (text.startsWith("{\"m\":5"))
                {
                    refused = true;
                }
                else if (text.contains("PONG"))
                {
                    return refused;
                }
            }
        }
        return false;
    }

    /** Mutated bodies to POST /AP/{Function}: one well-formed answer each. */
    private long fuzzHttp(final String httpUrl, final SplittableRandom random, final int count) throws Exception
    {
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
        final FrameMutator mutator = new FrameMutator(random, 7_000_000_000L);
        final Set<Integer> allowed = Set.of(200, 400, 401, 403, 404, 409, 413, 429, 503);
        final String[] functions = {"Ping", "AuthenticateUser", "SendExchangeOrderStateEvent", "GetOrderStatus",
            "GetOpenOrders", "SubscribeAccountEvents", "Nope", "GetOrderHistory"};
        for (int k = 0; k < count; k++)
        {
            final byte[] body = mutator.payload();
            final HttpRequest request = HttpRequest.newBuilder(URI.create(httpUrl + "/AP/" +
                functions[random.nextInt(functions.length)]))
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            final HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (!allowed.contains(response.statusCode()))
            {
                failures.add("HTTP " + response.statusCode() + " for " + new String(body, StandardCharsets.UTF_8));
            }
            else if (response.statusCode() != 413)
            {
                try
                {
                    ApexClient.parse(response.body());
                }
                catch (final IllegalArgumentException ex)
                {
                    failures.add("HTTP answer is not JSON: " + response.body());
                }
            }
        }
        return count;
    }

    /** Random and mutated APEX frames and payloads, valid UTF-8 (the WebSocket layer refuses the rest). */
    static final class FrameMutator
    {
        private static final String[] FUNCTIONS = {"Ping", "SendExchangeOrderStateEvent", "SubscribeAccountEvents",
            "UnSubscribeAccountEvents", "GetOrderStatus", "GetOpenOrders", "GetOrderHistory",
            "GetOrderHistoryByOrderId", "GetOrderStateTransitions", "Nope", ""};
        private static final String[] EDGE = {"0", "-1", "1e308", "-0", "9223372036854775807", "9223372036854775808",
            "1.000000001", "\"\"", "null", "true", "[]", "{}", "\"Buy\"", "\"\\u0000\"", "\"\\ud800\"", "\"é😀\"",
            "1E-9", "2147483648", "\"1\"", "[[[[[[[[[[]]]]]]]]]]", "\"AddedToBook, RemovedFromBook\""};

        private final SplittableRandom random;
        private final long orderBase;
        private long nextOrderId;

        FrameMutator(final SplittableRandom random, final long orderBase)
        {
            this.random = random;
            this.orderBase = orderBase;
        }

        /**
         * The next frame's text, as UTF-8.
         *
         * @return the bytes.
         */
        byte[] next()
        {
            // Events a third of the time; LogOut rarely, or a logged-in connection would soon be logged out for good;
            // logins rarely too (each wrong password costs a PBKDF2 hash: password guessing is HostileClientsTest's).
            final int pick = random.nextInt(300);
            final String function = pick < 100 ? "SendExchangeOrderStateEvent" : pick == 100 ? "LogOut" :
                pick < 106 ? (pick % 2 == 0 ? "WebAuthenticateUser" : "AuthenticateUser") :
                FUNCTIONS[random.nextInt(FUNCTIONS.length)];
            final String payload = new String(payload(function), StandardCharsets.UTF_8);
            final String frame;
            switch (random.nextInt(6))
            {
                case 0:
                    frame = "{\"m\":0,\"i\":" + random.nextLong() + ",\"n\":\"" + function + "\",\"o\":" + payload +
                        "}";
                    break;
                case 1:
                    frame = "{\"i\":\"" + random.nextInt(1000) + "\",\"N\":\"" + function.toUpperCase() + "\",\"o\":" +
                        ApexClient.quote(payload) + ",\"m\":" + random.nextInt(6) + "}";
                    break;
                default:
                    frame = "{\"m\":0,\"i\":" + random.nextInt(1_000_000) + ",\"n\":\"" + function + "\",\"o\":" +
                        ApexClient.quote(payload) + "}";
                    break;
            }
            final byte[] mutated = mutate(frame.getBytes(StandardCharsets.UTF_8));
            // Stay under max-frame-bytes: an oversized frame closes the connection (tested on its own).
            return utf8(mutated.length > 15_000 ? java.util.Arrays.copyOf(mutated, 15_000) : mutated);
        }

        /**
         * A payload for some function, mutated.
         *
         * @return UTF-8 bytes (not necessarily valid UTF-8: HTTP bodies are not checked by the transport).
         */
        byte[] payload()
        {
            return mutate(payload(FUNCTIONS[random.nextInt(FUNCTIONS.length)]));
        }

        private byte[] payload(final String function)
        {
            final String json;
            switch (function)
            {
                case "SendExchangeOrderStateEvent":
                    json = eventPayload();
                    break;
                case "WebAuthenticateUser":
                case "AuthenticateUser":
                    json = random.nextBoolean() ? "{\"UserName\":\"operator\",\"Password\":\"wrong-" +
                        random.nextInt(100) + "\"}" : "{\"APIKey\":\"k\",\"Signature\":\"" + Long.toHexString(
                        random.nextLong()) + "\",\"UserId\":1,\"Nonce\":" + random.nextLong() + "}";
                    break;
                case "SubscribeAccountEvents":
                case "UnSubscribeAccountEvents":
                    json = "{\"OMSId\":1,\"AccountId\":" + (2 + random.nextInt(20)) + ",\"FromSeqNum\":" +
                        (random.nextInt(4) == 0 ? random.nextLong() : 1L << 40) + "}";
                    break;
                default:
                    json = "{\"OMSId\":1,\"AccountId\":" + random.nextInt(10) + ",\"OrderId\":" +
                        (orderBase + random.nextInt(100)) + ",\"Depth\":" + random.nextInt(300) + "}";
            }
            return json.getBytes(StandardCharsets.UTF_8);
        }

        private String eventPayload()
        {
            final long orderId = orderBase + (random.nextInt(3) == 0 ? nextOrderId++ : random.nextInt(50));
            return "{\"exchangeId\":1,\"omsId\":1,\"accountId\":" + (2 + random.nextInt(8)) + ",\"productPairId\":" +
                (1 + random.nextInt(3)) + ",\"orderType\":2,\"side\":" + random.nextInt(2) + ",\"tIF\":1," +
                "\"pegPriceType\":0,\"quantity\":" + random.nextInt(100) + ",\"displayQuantity\":0,\"limitPrice\":" +
                (1 + random.nextInt(200)) + ",\"stopPrice\":0,\"referencePrice\":0,\"orderExpirationDateTime\":0," +
                "\"orderIdOCO\":0,\"orderFlag\":" + (random.nextBoolean() ? 2 : 4) + ",\"linkType\":" +
                random.nextInt(3) + ",\"exchangeServiceId\":\"fz\",\"orderId\":" + orderId + ",\"enteredBy\":0," +
                "\"counterPartyId\":" + (random.nextBoolean() ? 0 : 7) + ",\"isQuote\":false,\"useMargin\":false," +
                "\"bestSellPrice\":0,\"bestSellQuantity\":0,\"bestBuyPrice\":0,\"bestBuyQuantity\":0," +
                "\"lastTradePrice\":" + random.nextInt(200) + "}";
        }

        private byte[] mutate(final byte[] input)
        {
            byte[] bytes = input;
            final int mutations = random.nextInt(5) < 2 ? 0 : 1 + random.nextInt(3);
            for (int k = 0; k < mutations; k++)
            {
                bytes = mutateOnce(bytes);
            }
            return bytes;
        }

        private byte[] mutateOnce(final byte[] bytes)
        {
            final int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            switch (random.nextInt(10))
            {
                case 0: // flip a bit
                    if (bytes.length > 0)
                    {
                        bytes[at] ^= (byte)(1 << random.nextInt(8));
                    }
                    return bytes;
                case 1: // cut the end
                    return java.util.Arrays.copyOf(bytes, at);
                case 2: // delete a span
                {
                    final int length = Math.min(bytes.length - at, 1 + random.nextInt(20));
                    final byte[] out = new byte[bytes.length - length];
                    System.arraycopy(bytes, 0, out, 0, at);
                    System.arraycopy(bytes, at + length, out, at, bytes.length - at - length);
                    return out;
                }
                case 3: // insert an edge value
                    return insert(bytes, at, EDGE[random.nextInt(EDGE.length)].getBytes(StandardCharsets.UTF_8));
                case 4: // duplicate a span (keys twice, values twice)
                {
                    final int length = Math.min(bytes.length - at, 1 + random.nextInt(40));
                    return insert(bytes, at, java.util.Arrays.copyOfRange(bytes, at, at + length));
                }
                case 5: // random bytes
                {
                    final byte[] junk = new byte[1 + random.nextInt(8)];
                    random.nextBytes(junk);
                    return insert(bytes, at, junk);
                }
                case 6: // deep nesting
                    return insert(bytes, at, ("[".repeat(40 + random.nextInt(60)) + "]".repeat(random.nextInt(100)))
                        .getBytes(StandardCharsets.UTF_8));
                case 7: // a long string
                    return insert(bytes, at, ("\"" + "x".repeat(random.nextInt(12_000)) + "\"")
                        .getBytes(StandardCharsets.UTF_8));
                case 8: // JSON structure characters
                {
                    final byte[] structure = "{}[]\",:\\".getBytes(StandardCharsets.US_ASCII);
                    return insert(bytes, at, new byte[]{structure[random.nextInt(structure.length)]});
                }
                default: // swap case of a letter (keys and names are case-insensitive)
                    if (bytes.length > 0 && Character.isLetter(bytes[at]))
                    {
                        bytes[at] ^= 0x20;
                    }
                    return bytes;
            }
        }

        private static byte[] insert(final byte[] bytes, final int at, final byte[] what)
        {
            final byte[] out = new byte[bytes.length + what.length];
            System.arraycopy(bytes, 0, out, 0, at);
            System.arraycopy(what, 0, out, at, what.length);
            System.arraycopy(bytes, at, out, at + what.length, bytes.length - at);
            return out;
        }

        /** Valid UTF-8 for a text frame: invalid sequences become U+FFFD. */
        private static byte[] utf8(final byte[] bytes)
        {
            try
            {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
                return bytes;
            }
            catch (final CharacterCodingException ex)
            {
                return new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    /** An operator that sends one event at a time and measures each round trip. */
    private static final class QuietOperator implements Runnable
    {
        private final GatewayHarness harness;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<String> errors = new CopyOnWriteArrayList<>();
        private volatile Figures.Latencies latencies;
        private long acknowledged;

        QuietOperator(final GatewayHarness harness, final Figures.Latencies latencies)
        {
            this.harness = harness;
            this.latencies = latencies;
        }

        @Override
        public void run()
        {
            try (ApexClient client = harness.login("operator"))
            {
                long orderId = QUIET_ORDER_BASE;
                while (!stop.get())
                {
                    final String payload = "{\"exchangeId\":1,\"omsId\":1,\"accountId\":1,\"productPairId\":1," +
                        "\"orderType\":2,\"side\":0,\"tIF\":1,\"pegPriceType\":0,\"quantity\":10," +
                        "\"displayQuantity\":1," +
                        "\"limitPrice\":100,\"stopPrice\":0,\"referencePrice\":0,\"orderExpirationDateTime\":0," +
                        "\"orderIdOCO\":0,\"orderFlag\":2,\"linkType\":0,\"exchangeServiceId\":\"quiet\",\"orderId\":" +
                        orderId++ + ",\"enteredBy\":0,\"counterPartyId\":0,\"isQuote\":false,\"useMargin\":false," +
                        "\"bestSellPrice\":0,\"bestSellQuantity\":0,\"bestBuyPrice\":0,\"bestBuyQuantity\":0," +
                        "\"lastTradePrice\":0}";
                    final long start = System.nanoTime();
                    final ApexClient.Frame reply = client.call("SendExchangeOrderStateEvent", payload);
                    latencies.record(System.nanoTime() - start);
                    if (!Boolean.TRUE.equals(reply.payload().get("result")))
                    {
                        errors.add(reply.raw);
                    }
                    acknowledged++;
                    Thread.sleep(2);
                }
            }
            catch (final Exception | AssertionError ex)
            {
                errors.add(ex.toString());
            }
        }
    }
}
