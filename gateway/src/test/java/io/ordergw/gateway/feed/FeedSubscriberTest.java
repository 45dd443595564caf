package io.ordergw.gateway.feed;

import io.ordergw.gateway.SystemTest;
import io.ordergw.engine.publish.FeedCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static io.ordergw.gateway.feed.FeedRig.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The feed end to end: the engine journals events, the EventPublisher offers them over IPC and UDP, FeedSubscribers
 * deliver them, the replay service fills what they miss.
 */
@Timeout(90)
@SystemTest
class FeedSubscriberTest
{
    @TempDir
    Path dir;

    private FeedRig rig;

    @AfterEach
    void tearDown()
    {
        if (null != rig)
        {
            rig.close();
            assertEquals(List.of(), rig.errors);
        }
    }

    @Test
    void everyEventReachesEverySubscriberOnceAndInOrder()
    {
        rig = new FeedRig(dir, false);
        rig.startCore();
        final FeedRig.Consumer ipc = rig.consumer(rig.ipc().fromSeqNum(1));
        final FeedRig.Consumer ipcAccount2 = rig.consumer(rig.ipc().fromSeqNum(1).accountId(2));
        final FeedRig.Consumer udp = rig.consumer(rig.udp().fromSeqNum(1));
        await(10_000, () -> ipc.isLive() && ipcAccount2.isLive() && udp.isLive());

        final int n = 2000;
        rig.sendNewOrders(n / 2);
        // Late joiners start from SeqNum 1 while events keep coming: replay, then the hand-over to live.
        final FeedRig.Consumer lateIpc = rig.consumer(rig.ipc().fromSeqNum(1));
        final FeedRig.Consumer lateUdp = rig.consumer(rig.udp().fromSeqNum(1));
        rig.sendNewOrders(n / 2);

        final List<FeedRig.Consumer> everything = List.of(ipc, udp, lateIpc, lateUdp);
        await(30_000, () -> everything.stream().allMatch(c -> c.count() == n) && ipcAccount2.lastSeqNum() == n);
        for (final FeedRig.Consumer consumer : everything)
        {
            assertArrayEquals(range(1, n), consumer.seqNums());
            consumer.assertNoBadEvents();
        }
        assertArrayEquals(LongStream.rangeClosed(1, n).filter(s -> FeedRig.accountOf(s) == 2).toArray(),
            ipcAccount2.seqNums(), "the account filter delivers that account's events, in order");
        assertTrue(lateIpc.subscriber.replaysCompleted() >= 1 && lateUdp.subscriber.replaysCompleted() >= 1);

        final FeedCounters counters = rig.feed().counters();
        await(5_000, () -> counters.ipc.lag.get() == 0 && counters.udp.lag.get() == 0);
        assertEquals(n, counters.ipc.publishedSeqNum.get());
        assertEquals(n, counters.udp.publishedSeqNum.get());
    }

    @Test
    void aSubscriberRestartedFromItsLastSeqNumGetsExactlyWhatItMissedThenLiveEvents()
    {
        rig = new FeedRig(dir, false);
        rig.startCore();
        // Another consumer keeps the UDP feed moving; alone, the stopped one would leave it NOT_CONNECTED, holding
        // the missed events for whoever connects next.
        final FeedRig.Consumer other = rig.consumer(rig.udp());
        await(10_000, () -> other.subscriber.isConnected());
        final FeedRig.Consumer first = rig.consumer(rig.udp().fromSeqNum(1));
        rig.sendNewOrders(500);
        await(10_000, () -> first.lastSeqNum() == 500);
        rig.remove(first);
        final long resumeFrom = first.subscriber.lastSeqNum() + 1;

        rig.sendNewOrders(500); // missed while stopped
        await(10_000, () -> other.lastSeqNum() == 1000);

        final FeedRig.Consumer second = rig.consumer(rig.udp().fromSeqNum(resumeFrom));
        rig.sendNewOrders(300); // while it catches up
        // Live once it has caught up and its live image has joined (a join during the replay costs one more replay).
        await(10_000, () -> second.lastSeqNum() == 1300 && second.isLive() && second.subscriber.isConnected());
        FeedRig.await(10_000, () -> sleepThenIsLive(second));
        rig.sendNewOrders(200); // live
        await(10_000, () -> second.lastSeqNum() == 1500);
        rig.remove(second);

        assertArrayEquals(range(1, 500), first.seqNums());
        assertArrayEquals(range(501, 1500), second.seqNums(), "what it missed, then live: no gap, no duplicate");
        assertTrue(second.subscriber.replaysCompleted() >= 1);
        assertTrue(second.subscriber.eventsReplayed() >= 500, "the missed events came from the journal");
        assertTrue(second.subscriber.eventsDelivered() > second.subscriber.eventsReplayed(), "the last ones came live");
    }

    @Test
    @Timeout(120)
    void aConsumerThatPollsSlowlyGetsALargeReplayOverUdpCompletely()
    {
        rig = new FeedRig(dir, false);
        rig.startCore();
        final int n = 20_000; // ~6 MB of events, through a 64 KiB term
        rig.sendNewOrders(n);
        // Eight fragments every 2 ms: some 4,000 events a second, far below what the replay could send.
        final FeedRig.Consumer slow = rig.consumer(rig.udp().fromSeqNum(1).fragmentLimit(8),
            TimeUnit.MILLISECONDS.toNanos(2));
        await(90_000, () -> slow.count() == n && slow.isLive());
        assertArrayEquals(range(1, n), slow.seqNums());
        slow.assertNoBadEvents();
        final FeedCounters counters = rig.feed().counters();
        assertEquals(0, counters.replaysFailed.get(), "a replay was dropped");
        assertTrue(counters.replayBackPressured.get() > 0, "the replay went at the consumer's pace");
        assertEquals(0, slow.subscriber.replayTimeouts(), "the consumer never gave up on its replay");
        // A live image joining during the replay costs one more, short, replay after it.
        assertTrue(slow.subscriber.replaysCompleted() >= 1);
    }

    @Test
    void aStalledIpcConsumerDelaysNeitherTheCoreNorTheOtherConsumers()
    {
        rig = new FeedRig(dir, true); // the feed shares the engine's thread: if it waited, acknowledgements would
        rig.startCore();
        final FeedRig.Consumer stalled = rig.consumer(rig.ipc().fromSeqNum(1));
        final FeedRig.Consumer healthy = rig.consumer(rig.ipc().fromSeqNum(1));
        await(10_000, () -> stalled.isLive() && healthy.isLive());
        stalled.pause(true);

        final int n = 3000; // ~0.9 MB of events: many times the 64 KiB window the stalled consumer could hold
        final long startNs = System.nanoTime();
        rig.sendNewOrders(n);
        final long sendNs = System.nanoTime() - startNs;
        await(20_000, () -> healthy.count() == n);
        assertArrayEquals(range(1, n), healthy.seqNums());
        assertEquals(0, stalled.count());
        assertTrue(rig.maxAckNanos() < TimeUnit.SECONDS.toNanos(1),
            "slowest acknowledgement " + rig.maxAckNanos() / 1000 + " us (" + n + " in " + sendNs / 1_000_000 + " ms)");

        // Back to polling: it was cut off, so it rejoins, replays what it missed and goes live again.
        stalled.pause(false);
        await(20_000, () -> stalled.count() == n && stalled.isLive());
        rig.sendNewOrders(10);
        await(10_000, () -> stalled.count() == n + 10 && healthy.count() == n + 10);
        rig.remove(stalled);
        assertArrayEquals(range(1, n + 10), stalled.seqNums());
        assertTrue(stalled.subscriber.reconnects() + stalled.subscriber.gapsDetected() >= 1, "it was cut off");
        assertTrue(stalled.subscriber.eventsReplayed() > 0);
    }

    @Test
    void aStalledUdpConsumerDoesNotHoldUpTheOtherUdpConsumer()
    {
        rig = new FeedRig(dir, false);
        rig.startCore();
        final FeedRig.Consumer stalled = rig.consumer(rig.udp().fromSeqNum(1));
        final FeedRig.Consumer healthy = rig.consumer(rig.udp().fromSeqNum(1));
        await(10_000, () -> stalled.isLive() && healthy.isLive());
        stalled.pause(true);

        final int n = 3000;
        rig.sendNewOrders(n);
        await(20_000, () -> healthy.count() == n);
        assertArrayEquals(range(1, n), healthy.seqNums());

        stalled.pause(false);
        rig.sendNewOrders(10);
        await(30_000, () -> stalled.count() == n + 10 && healthy.count() == n + 10);
        rig.remove(stalled);
        assertArrayEquals(range(1, n + 10), stalled.seqNums());
    }

    @Test
    void theSeqNumSequenceContinuesAcrossACoreRestartAndSubscribersFollowIt()
    {
        rig = new FeedRig(dir, false);
        rig.startCore();
        final FeedRig.Consumer ipc = rig.consumer(rig.ipc().fromSeqNum(1));
        final FeedRig.Consumer udp = rig.consumer(rig.udp().fromSeqNum(1));
        assertEquals(300, rig.sendNewOrders(300));
        await(10_000, () -> ipc.lastSeqNum() == 300 && udp.lastSeqNum() == 300);

        rig.stopCore();
        rig.startCore();
        assertEquals(301, rig.feed().context().fromSeqNum(), "the feed goes on where the journal ends");
        assertEquals(600, rig.sendNewOrders(300), "SeqNums continue across the restart");

        await(20_000, () -> ipc.lastSeqNum() == 600 && udp.lastSeqNum() == 600);
        final FeedRig.Consumer fresh = rig.consumer(rig.ipc().fromSeqNum(1));
        await(10_000, () -> fresh.lastSeqNum() == 600);
        rig.remove(ipc);
        rig.remove(udp);
        assertArrayEquals(range(1, 600), ipc.seqNums());
        assertArrayEquals(range(1, 600), udp.seqNums());
        assertArrayEquals(range(1, 600), fresh.seqNums());
        assertTrue(ipc.subscriber.reconnects() >= 1, "the restart was seen as a reconnect");
    }

    private static boolean sleepThenIsLive(final FeedRig.Consumer consumer)
    {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        return consumer.isLive();
    }

    static long[] range(final long from, final long to)
    {
        final long[] range = new long[(int)(to - from + 1)];
        Arrays.setAll(range, i -> from + i);
        return range;
    }
}
