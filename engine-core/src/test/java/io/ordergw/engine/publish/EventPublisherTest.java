package io.ordergw.engine.publish;

import io.ordergw.engine.SystemTest;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.ordergw.codec.sbe.ReplyDecoder;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.Commands;
import io.ordergw.engine.Engine;
import io.ordergw.engine.EngineContext;
import io.ordergw.engine.EngineProxy;
import io.ordergw.engine.EngineResponseAdapter;
import io.ordergw.engine.journal.ChronicleEventJournal;
import io.ordergw.engine.journal.DiskSpaceGuard;
import io.ordergw.engine.journal.JournalReader;
import org.agrona.CloseHelper;
import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.ordergw.engine.publish.FeedTests.drive;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
@SystemTest
class EventPublisherTest
{
    private static final int IPC_STREAM = 1001;
    private static final int UDP_STREAM = 1002;

    @TempDir
    Path dir;

    private final FeedEvents events = new FeedEvents();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private TestMediaDriver media;
    private ChronicleEventJournal journal;
    private EventFeed feed;

    @BeforeEach
    void setUp()
    {
        media = TestMediaDriver.launch();
        journal = new ChronicleEventJournal(dir.resolve("journal"), "FAST_DAILY", false);
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.quietCloseAll(feed, journal, media);
        assertEquals(List.of(), errors);
    }

    private EventFeed.Context feedContext()
    {
        return new EventFeed.Context()
            .aeron(media.aeron)
            .journal(journal)
            .termLength(TestMediaDriver.TERM_LENGTH)
            .ipcStreamId(IPC_STREAM)
            .ipcChannel("aeron:ipc")
            .udpChannel("")
            .replayControlChannel("")
            .replayControlStreamId(1003)
            .errorHandler(errors::add);
    }

    @Test
    void publishesEveryJournaledEventInOrderOverIpcAndKeepsTailing()
    {
        events.append(journal, 1000, 3, 0);
        feed = EventFeed.open(feedContext().fromSeqNum(1));
        feed.agent().onStart();
        try (Subscription subscription = media.aeron.addSubscription("aeron:ipc", IPC_STREAM))
        {
            final LongArrayList received = new LongArrayList();
            final FragmentHandler handler = (buffer, offset, length, header) ->
                received.addLong(FeedEvents.seqNumOf(buffer, offset));
            drive(10_000, () -> received.size() == 1000,
                () -> feed.agent().doWork() + subscription.poll(handler, 100));
            assertInOrder(received, 1, 1000);

            final FeedCounters.PublicationCounters counters = feed.counters().ipc;
            assertEquals(1000, counters.publishedSeqNum.get());
            assertEquals(1000, counters.eventsPublished.get());
            assertEquals(0, counters.lag.get());

            events.append(journal, 10, 3, 0);
            drive(10_000, () -> received.size() == 1010,
                () -> feed.agent().doWork() + subscription.poll(handler, 100));
            assertInOrder(received, 1, 1010);
            assertEquals(1010, feed.publisher().ipcPublishedSeqNum());
        }
    }

    @Test
    void keepsEventsWhileNoOneListensAndPublishesThemWhenASubscriberComes()
    {
        events.append(journal, 100, 3, 0);
        feed = EventFeed.open(feedContext().fromSeqNum(1));
        feed.agent().onStart();
        for (int i = 0; i < 50; i++)
        {
            feed.publisher().doWork();
        }
        final FeedCounters.PublicationCounters counters = feed.counters().ipc;
        assertTrue(counters.notConnected.get() > 0, "NOT_CONNECTED is counted");
        assertEquals(0, counters.publishedSeqNum.get());
        assertEquals(100, counters.lag.get(), "lag = journal SeqNum - published SeqNum");

        try (Subscription subscription = media.aeron.addSubscription("aeron:ipc", IPC_STREAM))
        {
            final LongArrayList received = new LongArrayList();
            final FragmentHandler handler = (buffer, offset, length, header) ->
                received.addLong(FeedEvents.seqNumOf(buffer, offset));
            drive(10_000, () -> received.size() == 100, () -> feed.agent().doWork() + subscription.poll(handler, 100));
            assertInOrder(received, 1, 100);
            assertEquals(0, counters.lag.get());
        }
    }

    @Test
    void aBackPressuredUdpPublicationDoesNotHoldUpTheIpcOne()
    {
        final int controlPort = TestMediaDriver.freeUdpPort();
        feed = EventFeed.open(feedContext()
            .fromSeqNum(1)
            .udpChannel("aeron:udp?control=127.0.0.1:" + controlPort + "|control-mode=dynamic|fc=max")
            .udpStreamId(UDP_STREAM));
        feed.agent().onStart();
        try (Subscription ipc = media.aeron.addSubscription("aeron:ipc", IPC_STREAM);
            Subscription udp = media.aeron.addSubscription(
                "aeron:udp?endpoint=127.0.0.1:0|control=127.0.0.1:" + controlPort + "|control-mode=dynamic",
                UDP_STREAM))
        {
            drive(10_000, () -> ipc.isConnected() && udp.isConnected(), () -> feed.agent().doWork());

            final int count = 3000; // ~0.9 MB: many times the UDP receiver's window
            events.append(journal, count, 3, 0);
            final LongArrayList viaIpc = new LongArrayList();
            final LongArrayList viaUdp = new LongArrayList();
            final FragmentHandler ipcHandler = (buffer, offset, length, header) ->
                viaIpc.addLong(FeedEvents.seqNumOf(buffer, offset));
            final FragmentHandler udpHandler = (buffer, offset, length, header) ->
                viaUdp.addLong(FeedEvents.seqNumOf(buffer, offset));

            // The UDP consumer does not poll: its publication fills and is back-pressured; IPC goes on.
            drive(10_000, () -> viaIpc.size() == count, () -> feed.agent().doWork() + ipc.poll(ipcHandler, 100));
            assertInOrder(viaIpc, 1, count);
            final FeedCounters.PublicationCounters udpCounters = feed.counters().udp;
            assertTrue(udpCounters.publishedSeqNum.get() < count, "UDP behind: " + udpCounters.publishedSeqNum.get());
            assertTrue(udpCounters.backPressured.get() > 0, "UDP back pressure is counted");
            assertTrue(udpCounters.lag.get() > 0);
            assertEquals(count, feed.counters().ipc.publishedSeqNum.get());

            // When it polls again it gets everything, in order: the parked event was retried, not lost.
            drive(20_000, () -> viaUdp.size() == count, () -> feed.agent().doWork() + udp.poll(udpHandler, 100));
            assertInOrder(viaUdp, 1, count);
            drive(5_000, () -> udpCounters.lag.get() == 0, () -> feed.agent().doWork());
        }
    }

    @Test
    void eventsLargerThanOneFrameAreOfferedAndArriveWhole()
    {
        events.append(journal, 20, 2, 0);
        events.append(journal, 20, 2, 1000); // ~2.3 KB each: more than one frame's payload
        final List<byte[]> journaled = readJournal();
        feed = EventFeed.open(feedContext().fromSeqNum(1));
        feed.agent().onStart();
        try (Subscription subscription = media.aeron.addSubscription("aeron:ipc", IPC_STREAM))
        {
            final List<byte[]> received = new ArrayList<>();
            final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) ->
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                received.add(bytes);
            });
            drive(10_000, () -> received.size() == 40, () -> feed.agent().doWork() + subscription.poll(assembler, 100));
            assertTrue(journaled.get(39).length > 1400, "larger than one frame: " + journaled.get(39).length);
            for (int i = 0; i < 40; i++)
            {
                assertArrayEquals(journaled.get(i), received.get(i), "event " + (i + 1));
            }
        }
    }

    @Test
    void runsOnTheEngineThreadWhenShared()
    {
        final OrderGwConfig config = OrderGwConfig.parse(
            "ordergw.data-dir = \"" + dir.resolve("data").toString().replace("\\", "/") + "\"\n" +
            "ordergw.engine.ingress-ring-bytes = 64KiB\n" +
            "ordergw.engine.egress-ring-bytes = 64KiB\n" +
            "ordergw.snapshot.interval = 0s\n" +
            "ordergw.aeron.term-length = 64KiB\n" +
            "ordergw.publisher.udp-channel = \"\"\n" +
            "ordergw.publisher.replay-control-channel = \"\"\n");
        final EngineContext engineContext = new EngineContext()
            .config(config)
            .diskSpaceGuard(new DiskSpaceGuard(() -> Long.MAX_VALUE / 2, 1L << 20, 0, "test disk"))
            .conclude();
        final EventFeed shared = EventFeed.open(new EventFeed.Context()
            .config(config).aeron(media.aeron).journal(engineContext.journal()).errorHandler(errors::add));
        final Engine engine = Engine.launch(engineContext.sharedAgent(shared.agent()));
        try (Subscription subscription = media.aeron.addSubscription("aeron:ipc", config.publisher.ipcStreamId))
        {
            final EngineProxy proxy = new EngineProxy(engineContext.ingressRing());
            final LongArrayList acknowledged = new LongArrayList();
            final EngineResponseAdapter replies = new EngineResponseAdapter(engineContext.egressRing(),
                new EngineResponseAdapter.Listener()
                {
                    public void onReply(final ReplyDecoder reply)
                    {
                        assertEquals(0, reply.errorCode(), reply.detail());
                        acknowledged.addLong(reply.seqNum());
                    }

                    public void onQueryReply(final io.ordergw.codec.sbe.QueryReplyDecoder reply)
                    {
                    }
                });
            final LongArrayList received = new LongArrayList();
            final FragmentHandler handler = (buffer, offset, length, header) ->
                received.addLong(FeedEvents.seqNumOf(buffer, offset));
            for (int i = 1; i <= 200; i++)
            {
                final Commands command = Commands.newOrder(i);
                command.accountId = 1 + i % 5;
                assertTrue(proxy.offer(command.encode(), 0, command.length()));
                final int expected = i;
                drive(5_000, () -> acknowledged.size() == expected,
                    () -> replies.poll(10) + subscription.poll(handler, 100));
            }
            drive(10_000, () -> received.size() == 200, () -> subscription.poll(handler, 100));
            assertInOrder(acknowledged, 1, 200);
            assertInOrder(received, 1, 200);
        }
        finally
        {
            engine.close();
            shared.close();
        }
    }

    private List<byte[]> readJournal()
    {
        final List<byte[]> journaled = new ArrayList<>();
        try (JournalReader reader = journal.newReader())
        {
            reader.seek(1);
            reader.poll((seqNum, buffer, offset, length) ->
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                journaled.add(bytes);
            }, Integer.MAX_VALUE);
        }
        return journaled;
    }

    static void assertInOrder(final LongArrayList seqNums, final long from, final long to)
    {
        final long[] expected = new long[(int)(to - from + 1)];
        Arrays.setAll(expected, i -> from + i);
        assertArrayEquals(expected, seqNums.toLongArray(), "SeqNums " + from + ".." + to + " once each, in order");
    }
}
