package io.ordergw.gateway.reliability;

import io.ordergw.gateway.SystemTest;
import io.ordergw.gateway.ApexClient;
import io.ordergw.gateway.GatewayHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.ordergw.gateway.reliability.HostileClientsTest.event;
import static io.ordergw.gateway.reliability.NetworkFuzzTest.counter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Resource faults at the gateway's edge and its disk:
 * <ul>
 *     <li>The journal's disk fills up. The test sets {@code ordergw.journal.min-free-space} just under the free space
 *     of its own temporary directory's file system, then fills that file system with a file of its own until the
 *     real {@code DiskSpaceGuard} (measuring the real file store) sees less than the minimum: new events are refused
 *     with 102 and a detail naming the journal, nothing is applied, reads keep working; when the file is deleted
 *     service resumes, the refused events are accepted on retry, and after a restart the journal holds exactly the
 *     acknowledged events.</li>
 *     <li>The engine's ingress ring fills up (a 4 KiB ring and an engine that sleeps when idle, hit by a burst):
 *     the requests that do not fit are answered 102 at once, nothing of them is applied, every request gets exactly
 *     one answer, and a retry succeeds.</li>
 * </ul>
 * (The media driver restarting is {@link MediaDriverRestartTest}.)
 */
@SystemTest
class ResourceFaultsTest
{
    private static final long HEADROOM = 256L << 20;
    private static final long FILLER = 768L << 20;

    @TempDir
    Path dir;

    @Test
    @Tag("slow")
    @Timeout(180)
    void fullDiskRefusesNewEventsWith102AndServiceResumesWhenSpaceReturns() throws Exception
    {
        final long usable = Files.getFileStore(dir).getUsableSpace();
        assumeTrue(usable > FILLER + HEADROOM + (512L << 20), "needs " + ((FILLER + HEADROOM) >> 20) +
            " MiB of free disk beyond a 512 MiB margin; has " + (usable >> 20) + " MiB");
        final long minFree = usable - HEADROOM;
        final Path data = dir.resolve("data");
        final Path filler = dir.resolve("filler.bin");
        final List<Long> acknowledged = new ArrayList<>();
        final Map<Long, Long> seqNumByOrder = new HashMap<>();
        int refused = 0;
        try (GatewayHarness harness = new GatewayHarness(data, "ordergw.journal.min-free-space = " + minFree + "\n" +
            "ordergw.journal.disk-check-interval = 20ms\n");
            ApexClient operator = harness.login("operator"))
        {
            for (long orderId = 1; orderId <= 100; orderId++)
            {
                acknowledge(operator, orderId, acknowledged, seqNumByOrder);
            }

            fill(filler, FILLER);
            final long lastBefore = acknowledged.size();
            Thread.sleep(200);
            final List<Long> refusedOrders = new ArrayList<>();
            for (long orderId = 101; orderId <= 150; orderId++)
            {
                final ApexClient.Frame reply = operator.call("SendExchangeOrderStateEvent", event(1, orderId, 5));
                final Map<String, Object> o = reply.payload();
                assertEquals(102L, ((Number)o.get("errorcode")).longValue(), reply.raw);
                assertEquals("Server Error", o.get("errormsg"));
                assertTrue(String.valueOf(o.get("detail")).contains("ordergw.journal.min-free-space"), reply.raw);
                refusedOrders.add(orderId);
                refused++;
            }
            // Nothing was applied: the orders are unknown, the journal did not move; reads still work.
            final ApexClient.Frame status =
                operator.call("GetOrderStatus", "{\"OMSId\":1,\"AccountId\":1,\"OrderId\":101}");
            assertEquals(104L, ((Number)status.payload().get("errorcode")).longValue(), status.raw);
            assertEquals(lastBefore, counter(harness.gateway.counters(), "engine: journal seqnum"));
            final ApexClient.Frame open = operator.call("GetOpenOrders", "{\"OMSId\":1,\"AccountId\":1}");
            assertEquals(100, open.payloadList().size());

            Files.delete(filler);
            Thread.sleep(200);
            for (final long orderId : refusedOrders)
            {
                acknowledge(operator, orderId, acknowledged, seqNumByOrder);
            }
            for (long orderId = 151; orderId <= 200; orderId++)
            {
                acknowledge(operator, orderId, acknowledged, seqNumByOrder);
            }
        }
        finally
        {
            Files.deleteIfExists(filler);
        }

        // After a restart, the journal holds exactly the acknowledged events, at the SeqNums their replies gave.
        final List<JournalCheck.Event> journal = JournalCheck.readJournal(data);
        assertEquals(acknowledged.size(), journal.size());
        for (final JournalCheck.Event event : journal)
        {
            assertEquals(seqNumByOrder.get(event.orderId).longValue(), event.seqNum, "order " + event.orderId);
        }
        final JournalCheck.Recovered recovered = JournalCheck.recover(data, dir.resolve("snapshot-copy"), acknowledged);
        assertTrue(recovered.missingOrders.isEmpty(), "lost: " + recovered.missingOrders);
        assertEquals(journal.size(), recovered.lastSeqNum);
        Figures.report("ResourceFaultsTest", "disk filled below ordergw.journal.min-free-space (" +
            (FILLER >> 20) + " MiB written): " + refused + " events refused with 102, none applied, reads served; " +
            "space returned: all accepted on retry; " + acknowledged.size() + " acknowledged events all in the " +
            "journal and the recovered book, lost: 0");
    }

    @Test
    @Timeout(120)
    void fullIngressRingAnswers102AndAppliesNothing() throws Exception
    {
        final Path data = dir.resolve("data");
        final int burst = 200;
        final Map<Long, Long> seqNumByOrder = new HashMap<>();
        final List<Long> acknowledged = new ArrayList<>();
        int full = 0;
        try (GatewayHarness harness = new GatewayHarness(data, "ordergw.engine.ingress-ring-bytes = 4KiB\n" +
            "ordergw.engine.idle-strategy = \"sleeping:100ms\"\n");
            RawWebSocket ws = RawWebSocket.connect(harness.gateway.address(), 0))
        {
            HostileClientsTest.login(ws, "operator");
            // The engine sleeps 100 ms when idle: a burst written at once meets a ring with room for a few.
            final java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
            for (int k = 0; k < burst; k++)
            {
                final String frame = "{\"m\":0,\"i\":" + (1000 + k) + ",\"n\":\"SendExchangeOrderStateEvent\",\"o\":" +
                    ApexClient.quote(event(1, 1000 + k, 5)) + "}";
                final byte[] encoded = RawWebSocket.encode(true, RawWebSocket.TEXT,
                    frame.getBytes(StandardCharsets.UTF_8), true);
                frames.write(encoded, 0, encoded.length);
            }
            Thread.sleep(300);
            ws.sendRaw(frames.toByteArray());
            final List<Long> refusedOrders = new ArrayList<>();
            for (int k = 0; k < burst; k++)
            {
                final String text = HostileClientsTest.nextText(ws);
                final Map<?, ?> reply = (Map<?, ?>)ApexClient.parse(text);
                final Map<?, ?> o = (Map<?, ?>)ApexClient.parse((String)reply.get("o"));
                final long orderId = ((Number)reply.get("i")).longValue();
                final int code = ((Number)o.get("errorcode")).intValue();
                if (code == 0)
                {
                    acknowledged.add(orderId);
                    seqNumByOrder.put(orderId, ((Number)o.get("SeqNum")).longValue());
                }
                else
                {
                    assertEquals(102, code, text);
                    assertTrue(String.valueOf(o.get("detail")).startsWith("ingress:"), text);
                    refusedOrders.add(orderId);
                    full++;
                }
            }
            assertTrue(full > 0, "the ring never filled");
            assertEquals(full, counter(harness.gateway.counters(), "gateway: ingress full refusals"));
            // Retried a few at a time (what fits in the ring), each is accepted in the end.
            int retries = 0;
            while (!refusedOrders.isEmpty())
            {
                assertTrue(++retries < 1000, "retries do not get through");
                final List<Long> batch = new ArrayList<>(refusedOrders.subList(0, Math.min(4, refusedOrders.size())));
                refusedOrders.removeAll(batch);
                for (final long orderId : batch)
                {
                    ws.sendText("{\"m\":0,\"i\":" + orderId + ",\"n\":\"SendExchangeOrderStateEvent\",\"o\":" +
                        ApexClient.quote(event(1, orderId, 5)) + "}");
                }
                for (int k = 0; k < batch.size(); k++)
                {
                    final Map<?, ?> reply = (Map<?, ?>)ApexClient.parse(HostileClientsTest.nextText(ws));
                    final Map<?, ?> o = (Map<?, ?>)ApexClient.parse((String)reply.get("o"));
                    final long orderId = ((Number)reply.get("i")).longValue();
                    if (((Number)o.get("errorcode")).intValue() == 0)
                    {
                        acknowledged.add(orderId);
                        seqNumByOrder.put(orderId, ((Number)o.get("SeqNum")).longValue());
                    }
                    else
                    {
                        refusedOrders.add(orderId);
                    }
                }
            }
        }
        final List<JournalCheck.Event> journal = JournalCheck.readJournal(data);
        assertEquals(burst, journal.size(), "each order once: the refused ones were not applied the first time");
        for (final JournalCheck.Event event : journal)
        {
            assertEquals(seqNumByOrder.get(event.orderId).longValue(), event.seqNum, "order " + event.orderId);
        }
        Figures.report("ResourceFaultsTest", "ingress ring of 4 KiB hit by a burst of " + burst + ": " + full +
            " answered 102 at once and not applied, " + (burst - full) + " accepted; all accepted on retry; " +
            "journal holds each order once");
    }

    private static void acknowledge(
        final ApexClient operator, final long orderId, final List<Long> acknowledged, final Map<Long, Long> seqNums)
        throws Exception
    {
        final ApexClient.Frame reply = operator.call("SendExchangeOrderStateEvent", event(1, orderId, 5));
        assertEquals(Boolean.TRUE, reply.payload().get("result"), reply.raw);
        acknowledged.add(orderId);
        seqNums.put(orderId, ((Number)reply.payload().get("SeqNum")).longValue());
    }

    private static void fill(final Path file, final long bytes) throws IOException
    {
        final ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            for (long written = 0; written < bytes; written += chunk.capacity())
            {
                chunk.clear();
                while (chunk.hasRemaining())
                {
                    channel.write(chunk);
                }
            }
            channel.force(false);
        }
    }
}
