package io.ordergw.gateway.feed;

import io.ordergw.gateway.SystemTest;
import io.aeron.ExclusivePublication;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.journal.ChronicleEventJournal;
import io.ordergw.engine.publish.EventFeed;
import io.ordergw.engine.publish.FeedEvents;
import io.ordergw.engine.publish.TestMediaDriver;
import io.ordergw.feed.client.FeedListener;
import io.ordergw.feed.client.FeedSubscriber;
import org.agrona.CloseHelper;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.ordergw.engine.publish.FeedTests.drive;
import static io.ordergw.engine.publish.FeedTests.driveFor;
import static io.ordergw.gateway.feed.FeedSubscriberTest.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The subscriber's gap detection and replay hand-over, step by step on the test's thread: the live stream is a test
 * publication whose events are chosen by hand (with gaps, ahead of the journal, repeated), replays come from the real
 * replay service over a journal.
 */
@Timeout(60)
@SystemTest
class FeedHandOverTest
{
    private static final int LIVE_STREAM = 1001;

    @TempDir
    Path dir;

    private final FeedEvents events = new FeedEvents();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final LongArrayList delivered = new LongArrayList();
    private final OrderGwConfig config = OrderGwConfig.parse("ordergw.aeron.term-length = 64KiB");
    private TestMediaDriver media;
    private ChronicleEventJournal journal;
    private EventFeed feed;
    private ExclusivePublication live;
    private FeedSubscriber subscriber;
    private FeedListener listener = (seqNum, event, buffer, offset, length) ->
    {
        assertEquals(seqNum, event.seqNum());
        delivered.addLong(seqNum);
    };

    @BeforeEach
    void setUp()
    {
        media = TestMediaDriver.launch();
        journal = new ChronicleEventJournal(dir.resolve("journal"), "FAST_DAILY", false);
        live = media.aeron.addExclusivePublication("aeron:ipc?term-length=65536", LIVE_STREAM);
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.quietCloseAll(subscriber, live, feed, journal, media);
        assertEquals(List.of(), errors);
    }

    /** The replay service (and a publisher on another stream, idle: the test plays the live feed). */
    private void openFeed()
    {
        feed = EventFeed.open(new EventFeed.Context()
            .config(config)
            .aeron(media.aeron)
            .journal(journal)
            .ipcStreamId(2001)
            .udpChannel("")
            .replayControlChannel("")
            .errorHandler(errors::add));
        feed.agent().onStart();
    }

    private void subscribe(final long fromSeqNum)
    {
        subscriber = new FeedSubscriber(FeedContexts.ipc(config)
            .aeron(media.aeron)
            .fromSeqNum(fromSeqNum)
            .listener((seqNum, event, buffer, offset, length) ->
                listener.onEvent(seqNum, event, buffer, offset, length))
            .errorHandler(errors::add));
    }

    private int work() throws Exception
    {
        return (null == feed ? 0 : feed.agent().doWork()) + subscriber.doWork();
    }

    private void publishLive(final long... seqNums)
    {
        for (final long seqNum : seqNums)
        {
            final int length = events.encode(seqNum, FeedEvents.accountOf(seqNum, 3), 0);
            drive(5_000, () -> live.offer(events.buffer, 0, length) > 0, this::work);
        }
    }

    @Test
    void aGapInTheLiveStreamIsFilledFromTheJournalWithNoDuplicate()
    {
        events.append(journal, 20, 3, 0);
        openFeed();
        subscribe(FeedSubscriber.FROM_LIVE);
        drive(5_000, subscriber::isConnected, this::work);

        publishLive(1, 2, 3);
        drive(5_000, () -> subscriber.lastSeqNum() == 3, this::work);
        assertEquals(0, subscriber.replaysRequested(), "no gap, no replay");

        publishLive(7, 8); // 4, 5, 6 lost
        drive(5_000, () -> subscriber.lastSeqNum() == 20 && subscriber.isLive() && subscriber.duplicatesDropped() == 2,
            this::work);
        assertEquals(1, subscriber.gapsDetected());
        assertEquals(1, subscriber.replaysCompleted());
        assertEquals(17, subscriber.eventsReplayed(), "4..20 from the journal");

        events.append(journal, 5, 3, 0);
        publishLive(21, 22, 23, 24, 25);
        drive(5_000, () -> subscriber.lastSeqNum() == 25, this::work);
        assertArrayEquals(range(1, 25), delivered.toLongArray());
        assertEquals(17, subscriber.eventsReplayed(), "21..25 came live");
    }

    @Test
    void whenLiveIsStillAheadAtTheReplaysEndItAsksAgain()
    {
        events.append(journal, 10, 3, 0);
        openFeed();
        subscribe(1);
        publishLive(15, 16); // ahead of everything the journal has yet
        drive(5_000, () -> subscriber.lastSeqNum() == 10, this::work);
        driveFor(50, this::work); // live is still ahead: it keeps asking, and holds 15 in the log meanwhile

        events.append(journal, 7, 3, 0);
        publishLive(17);
        drive(5_000, () -> subscriber.lastSeqNum() == 17 && subscriber.isLive() && subscriber.duplicatesDropped() == 3,
            this::work);
        assertArrayEquals(range(1, 17), delivered.toLongArray());
        assertTrue(subscriber.replaysRequested() >= 2, "asked again: " + subscriber.replaysRequested());
    }

    @Test
    void itAsksUntilTheReplayServiceIsThere()
    {
        events.append(journal, 50, 3, 0);
        subscribe(1);
        driveFor(100, this::work);
        assertSame(FeedSubscriber.State.REPLAY_PENDING, subscriber.state());
        assertEquals(0, subscriber.lastSeqNum());

        openFeed();
        drive(5_000, () -> subscriber.lastSeqNum() == 50 && subscriber.isLive(), this::work);
        assertArrayEquals(range(1, 50), delivered.toLongArray());
    }

    @Test
    void aListenerThatThrowsIsReportedAndDeliveryGoesOn()
    {
        events.append(journal, 10, 3, 0);
        openFeed();
        listener = (seqNum, event, buffer, offset, length) ->
        {
            delivered.addLong(seqNum);
            if (seqNum == 5)
            {
                throw new IllegalStateException("listener fails on 5");
            }
        };
        subscribe(1);
        drive(5_000, () -> subscriber.lastSeqNum() == 10, this::work);
        assertArrayEquals(range(1, 10), delivered.toLongArray());
        assertEquals(1, subscriber.listenerErrors());
        assertEquals(1, errors.size());
        assertEquals("listener fails on 5", errors.get(0).getMessage());
        errors.clear();
    }

    @Test
    void publishingAndDeliveryAllocateNothingInSteadyState() throws Exception
    {
        final int warmUp = 150_000;
        final int measured = 100_000;
        events.append(journal, warmUp + measured, 3, 0);
        feed = EventFeed.open(new EventFeed.Context()
            .config(config)
            .aeron(media.aeron)
            .journal(journal)
            .fromSeqNum(1)
            .udpChannel("")
            .replayControlChannel("")
            .errorHandler(errors::add));
        feed.agent().onStart();
        final long[] sum = new long[1];
        listener = (seqNum, event, buffer, offset, length) -> sum[0] += event.quantity() + event.accountId();
        subscribe(FeedSubscriber.FROM_LIVE);
        drive(5_000, subscriber::isConnected, this::work);

        // Journal -> EventPublisher -> IPC -> FeedSubscriber -> listener, all on this thread.
        final Agent publisher = feed.agent();
        while (subscriber.lastSeqNum() < warmUp)
        {
            publisher.doWork();
            subscriber.doWork();
        }
        final long start = allocatedBytes();
        while (subscriber.lastSeqNum() < warmUp + measured)
        {
            publisher.doWork();
            subscriber.doWork();
        }
        final long allocated = allocatedBytes() - start;
        assertEquals(warmUp + measured, subscriber.eventsDelivered());
        assertTrue(sum[0] > 0);
        // Zero in most runs; a few hundred bytes now and then when Chronicle maps the next part of its file.
        assertTrue(allocated < 4096, allocated + " bytes allocated for " + measured + " events published, delivered");
    }

    private static long allocatedBytes()
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
