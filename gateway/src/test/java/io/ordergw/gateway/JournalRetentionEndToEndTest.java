package io.ordergw.gateway;

import io.aeron.Aeron;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.feed.client.FeedListener;
import io.ordergw.feed.client.FeedSubscriber;
import io.ordergw.gateway.feed.FeedContexts;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.ordergw.gateway.ApexAssertions.assertRefusal;
import static io.ordergw.gateway.ApexAssertions.nextEvent;
import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.ApexAssertions.seqNum;
import static io.ordergw.gateway.ApexAssertions.subscribe;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real journal with several roll cycles (TEST_SECONDLY: a cycle a second), its oldest cycles archived with
 * {@code ordergw archive}, and the gateway started again on what is left: current state still answers every order,
 * and whatever reaches before the oldest retained event is refused naming it, never silently started later.
 */
@SystemTest
class JournalRetentionEndToEndTest
{
    private static final String SETTINGS = "ordergw.journal.roll-cycle = TEST_SECONDLY\n";

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void archivedCyclesNeverMakeTheGatewayLie() throws Exception
    {
        final Map<Long, Map<String, Object>> statusBefore = new HashMap<>();
        final List<Long> seqNums = new ArrayList<>();
        final long lastSeqNum;
        try (GatewayHarness harness = new GatewayHarness(dir, SETTINGS);
            ApexClient operator = harness.login("operator"))
        {
            // Four cycles: order 1 is created and traded in the first, traded again in the second and the last;
            // orders 10.. are created one batch per cycle.
            seqNums.add(sendAcked(operator, order(1).quantity("100")));
            seqNums.add(sendAcked(operator, order(1).trade("90", "100", 9)));
            for (int cycle = 0; cycle < 4; cycle++)
            {
                for (int k = 0; k < 5; k++)
                {
                    seqNums.add(sendAcked(operator, order(10 + cycle * 10 + k)));
                }
                if (cycle == 1)
                {
                    seqNums.add(sendAcked(operator, order(1).trade("80", "101", 9)));
                }
                if (cycle == 3)
                {
                    seqNums.add(sendAcked(operator, order(1).trade("70", "102", 9)));
                }
                else
                {
                    Thread.sleep(1_100); // into the next cycle
                }
            }
            lastSeqNum = seqNums.get(seqNums.size() - 1);
            for (final long orderId : orderIds())
            {
                statusBefore.put(orderId, status(operator, orderId).payload());
            }
        } // a clean stop writes a snapshot at the last SeqNum

        final Path journal = dir.resolve("journal");
        final long cyclesBefore = cycleFiles(journal);
        assertTrue(cyclesBefore >= 4, "several cycles: " + cyclesBefore);

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int archived = new CommandLine(new JournalCommands.Archive()
            .output(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)))
            .execute("--data-dir", dir.toString(), "--min-age", "0s");
        assertEquals(0, archived, err.toString(StandardCharsets.UTF_8));
        assertEquals(1, cycleFiles(journal), "every cycle but the one being written is archived: " + out);
        assertEquals(cyclesBefore - 1, cycleFiles(dir.resolve("journal-archive")),
            out.toString(StandardCharsets.UTF_8));

        try (GatewayHarness harness = new GatewayHarness(dir, SETTINGS);
            ApexClient operator = harness.login("operator"))
        {
            final long oldest = harness.gateway.engine().context().journal().firstSeqNum();
            assertTrue(oldest > seqNums.get(2) && oldest <= lastSeqNum, "oldest retained " + oldest);
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("the journal now starts at SeqNum " + oldest),
                out.toString(StandardCharsets.UTF_8));

            // The status page and /metrics show where the journal starts now (nothing more may go: a week's min-age).
            assertEquals(oldest, awaitCounter(harness, "journal: oldest retained seqnum", oldest));
            assertEquals(0, counter(harness, "journal: safe to archive through seqnum"));

            // Current state: from the book, every order, exactly as before.
            for (final long orderId : orderIds())
            {
                final ApexClient.Frame frame = status(operator, orderId);
                assertEquals(statusBefore.get(orderId), frame.payload(), "GetOrderStatus of order " + orderId);
            }
            final List<Map<String, Object>> history = operator.call("GetOrderHistory",
                "{\"OMSId\":1,\"AccountId\":1}").payloadList();
            assertEquals(orderIds().size(), history.size(), "GetOrderHistory lists every order");

            // A subscription reaching back before the oldest is refused, naming it.
            final ApexClient.Frame refused = operator.call("SubscribeAccountEvents",
                "{\"OMSId\":1,\"AccountId\":1,\"FromSeqNum\":1}");
            assertEquals(1, refused.m, refused.raw);
            assertRefusal(refused.payload(), 101,
                "FromSeqNum: 1 is before the oldest retained event, SeqNum " + oldest);

            // From the oldest: every retained event, gap-free, then live.
            try (ApexClient subscriber = harness.login("trader"))
            {
                final long sub = subscribe(subscriber, 1, oldest);
                for (long expected = oldest; expected <= lastSeqNum; expected++)
                {
                    assertEquals(expected, seqNum(nextEvent(subscriber, sub).payload()));
                }
                final long live = sendAcked(operator, order(99));
                assertEquals(live, seqNum(nextEvent(subscriber, sub).payload()), "then live, no gap");
            }

            // The history of an order whose early revisions are archived says so; a young order's is whole.
            final ApexClient.Frame truncated = operator.call("GetOrderHistoryByOrderId", "{\"OMSId\":1,\"OrderId\":1}");
            assertRefusal(truncated.payload(), 101, "OrderId: 1 has revisions before the oldest retained event, SeqNum "
                + oldest);
            final List<Map<String, Object>> young = operator.call("GetOrderHistoryByOrderId",
                "{\"OMSId\":1,\"OrderId\":99}").payloadList();
            assertEquals(1, young.size());
            // So do fills: the account's first fill is archived, so all of them cannot be listed.
            final ApexClient.Frame trades = operator.call("GetTradesHistory", "{\"OMSId\":1,\"AccountId\":1}");
            assertRefusal(trades.payload(), 101, "AccountId: 1 has fills before the oldest retained event, SeqNum "
                + oldest);

            // The Aeron feed's replay: an explicit "not from 1, the oldest is M", reported to the listener, which
            // stops the subscriber, or accepts the gap and then gets every retained event in order.
            assertAeronReplayRefused(harness, oldest, false);
            assertAeronReplayRefused(harness, oldest, true);
        }
    }

    @Test
    @Timeout(120)
    void startUpRefusesWhenNoSnapshotCoversTheArchivedCycles() throws Exception
    {
        try (GatewayHarness harness = new GatewayHarness(dir, SETTINGS);
            ApexClient operator = harness.login("operator"))
        {
            sendAcked(operator, order(1));
            Thread.sleep(1_100);
            sendAcked(operator, order(2));
        }
        final Path journal = dir.resolve("journal");
        // What an operator following "archive them by cycle" did by hand: the oldest file out, and the snapshots
        // that covered it gone too.
        final Path oldestCycle;
        try (Stream<Path> files = Files.list(journal))
        {
            oldestCycle = files.filter(p -> p.toString().endsWith(".cq4")).sorted().findFirst().orElseThrow();
        }
        Files.move(oldestCycle, dir.resolve(oldestCycle.getFileName()));
        try (Stream<Path> files = Files.list(dir.resolve("snapshots")))
        {
            for (final Path snapshot : (Iterable<Path>)files::iterator)
            {
                Files.delete(snapshot);
            }
        }
        final Exception refused = assertThrows(Exception.class,
            () -> new GatewayHarness(dir, SETTINGS).close());
        assertTrue(String.valueOf(refused.getMessage()).contains("the journal starts at SeqNum 2 (older cycle " +
            "files were archived) but there is no valid snapshot: events 1..1 are missing"), String.valueOf(refused));
        assertTrue(refused.getMessage().contains("refusing to start"), refused.getMessage());
    }

    private static void assertAeronReplayRefused(
        final GatewayHarness harness, final long oldest, final boolean acceptGap) throws Exception
    {
        final long journalEnd = harness.gateway.engine().agent().counters().journalSeqNum.get();
        final long[] unavailable = new long[2];
        final List<Long> delivered = new ArrayList<>();
        try (Aeron aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(harness.gateway.config().aeron.dir)))
        {
            final FeedSubscriber subscriber = new FeedSubscriber(FeedContexts.ipc(harness.gateway.config())
                .aeron(aeron)
                .fromSeqNum(1)
                .listener(new FeedListener()
                {
                    public void onEvent(final long seqNum, final OrderStateEventDecoder event,
                        final DirectBuffer buffer, final int offset, final int length)
                    {
                        delivered.add(seqNum);
                    }

                    public boolean onReplayUnavailable(final long fromSeqNum, final long oldestSeqNum)
                    {
                        unavailable[0] = fromSeqNum;
                        unavailable[1] = oldestSeqNum;
                        return acceptGap;
                    }
                })
                .errorHandler(Throwable::printStackTrace));
            try
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < deadline && (acceptGap ? subscriber.lastSeqNum() < journalEnd :
                    subscriber.state() != FeedSubscriber.State.UNAVAILABLE))
                {
                    if (subscriber.doWork() == 0)
                    {
                        Thread.sleep(1);
                    }
                }
                assertEquals(1, unavailable[0]);
                assertEquals(oldest, unavailable[1]);
                assertEquals(oldest, subscriber.oldestAvailableSeqNum());
                assertEquals(1, subscriber.replaysUnavailable(), "told once, not asked again");
                if (acceptGap)
                {
                    final List<Long> expected = new ArrayList<>();
                    for (long seqNum = oldest; seqNum <= journalEnd; seqNum++)
                    {
                        expected.add(seqNum);
                    }
                    assertEquals(expected, delivered, "every retained event, in order, after the accepted gap");
                }
                else
                {
                    assertEquals(FeedSubscriber.State.UNAVAILABLE, subscriber.state(), "told, not left waiting");
                    assertTrue(delivered.isEmpty(), "nothing delivered past a gap: " + delivered);
                }
            }
            finally
            {
                subscriber.close();
            }
        }
    }

    private static long awaitCounter(final GatewayHarness harness, final String label, final long expected)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        long value = counter(harness, label);
        while (value != expected && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
            value = counter(harness, label);
        }
        return value;
    }

    private static long counter(final GatewayHarness harness, final String label)
    {
        final long[] value = {-1};
        harness.gateway.counters().forEach((id, typeId, key, name) ->
        {
            if (name.equals(label))
            {
                value[0] = harness.gateway.counters().getCounterValue(id);
            }
        });
        return value[0];
    }

    private static ApexClient.Frame status(final ApexClient client, final long orderId) throws Exception
    {
        final ApexClient.Frame frame = client.call("GetOrderStatus",
            "{\"OMSId\":1,\"AccountId\":1,\"OrderId\":" + orderId + "}");
        assertFalse("null".equals(frame.payloadText), frame.raw);
        assertNull(frame.payload().get("errorcode"), frame.raw);
        assertEquals(orderId, ((Number)frame.payload().get("OrderId")).longValue(), frame.raw);
        return frame;
    }

    private static List<Long> orderIds()
    {
        final List<Long> ids = new ArrayList<>();
        ids.add(1L);
        for (int cycle = 0; cycle < 4; cycle++)
        {
            for (int k = 0; k < 5; k++)
            {
                ids.add((long)(10 + cycle * 10 + k));
            }
        }
        return ids;
    }

    private static long cycleFiles(final Path journal) throws Exception
    {
        if (!Files.isDirectory(journal))
        {
            return 0;
        }
        try (Stream<Path> files = Files.list(journal))
        {
            return files.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }
}
