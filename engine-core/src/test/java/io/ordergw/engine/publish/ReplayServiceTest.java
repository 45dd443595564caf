package io.ordergw.engine.publish;

import io.ordergw.engine.SystemTest;
import io.ordergw.codec.sbe.ReplayStatus;
import io.ordergw.engine.journal.ChronicleEventJournal;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.ordergw.engine.publish.EventPublisherTest.assertInOrder;
import static io.ordergw.engine.publish.FeedTests.drive;
import static io.ordergw.engine.publish.FeedTests.driveFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
@SystemTest
class ReplayServiceTest
{
    private static final int CONTROL_STREAM = 1003;
    private static final int RESPONSE_STREAM = 1004;

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
        events.append(journal, 500, 3, 0);
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
            .ipcChannel("aeron:ipc")
            .ipcStreamId(1001)
            .udpChannel("")
            .replayControlChannel("")
            .replayControlStreamId(CONTROL_STREAM)
            .errorHandler(errors::add);
    }

    private ReplayClient ipcClient(final int responseStream)
    {
        return new ReplayClient(media.aeron, "aeron:ipc", CONTROL_STREAM, "aeron:ipc", responseStream);
    }

    private void request(
        final ReplayClient client, final long correlationId, final long from, final long to, final int session)
    {
        drive(5_000, () -> client.request(correlationId, from, to, session) > 0, () -> feed.agent().doWork());
    }

    private void awaitEnd(final ReplayClient client)
    {
        drive(10_000, client::ended, () -> feed.agent().doWork() + client.poll());
    }

    @Test
    void replaysFromASeqNumToTheJournalsEndThenSaysWhereLiveTakesOver()
    {
        feed = EventFeed.open(feedContext());
        feed.agent().onStart();
        assertEquals(501, feed.context().fromSeqNum(), "live starts after the journal's end");
        try (ReplayClient client = ipcClient(RESPONSE_STREAM))
        {
            request(client, 77, 101, 0, 42);
            awaitEnd(client);
            assertInOrder(client.seqNums, 101, 500);
            assertEquals(ReplayStatus.Complete, client.endStatus);
            assertEquals(77, client.endCorrelationId);
            assertEquals(500, client.endLastSeqNum);
            assertEquals(500, client.endJournalSeqNum);

            final FeedCounters counters = feed.counters();
            drive(5_000, () -> counters.replaysActive.get() == 0, () -> feed.agent().doWork());
            assertEquals(1, counters.replayRequests.get());
            assertEquals(1, counters.replaysCompleted.get());
            assertEquals(400, counters.replayEvents.get());
            assertEquals(0, counters.replaysFailed.get());
        }
    }

    @Test
    void replaysUpToToSeqNum()
    {
        feed = EventFeed.open(feedContext());
        feed.agent().onStart();
        try (ReplayClient client = ipcClient(RESPONSE_STREAM))
        {
            request(client, 1, 10, 20, 7);
            awaitEnd(client);
            assertInOrder(client.seqNums, 10, 20);
            assertEquals(ReplayStatus.Complete, client.endStatus);
            assertEquals(20, client.endLastSeqNum);
        }
    }

    @Test
    void aReplayFromOnePastTheEndIsEmptyAndOneFurtherIsBeyondTheEnd()
    {
        feed = EventFeed.open(feedContext());
        feed.agent().onStart();
        try (ReplayClient atEnd = ipcClient(RESPONSE_STREAM); ReplayClient beyond = ipcClient(RESPONSE_STREAM + 1))
        {
            request(atEnd, 1, 501, 0, 1);
            awaitEnd(atEnd);
            assertEquals(0, atEnd.seqNums.size());
            assertEquals(ReplayStatus.Complete, atEnd.endStatus);
            assertEquals(500, atEnd.endLastSeqNum);

            request(beyond, 2, 502, 0, 2);
            awaitEnd(beyond);
            assertEquals(0, beyond.seqNums.size());
            assertEquals(ReplayStatus.BeyondEnd, beyond.endStatus);
            assertEquals(501, beyond.endLastSeqNum);
            assertEquals(500, beyond.endJournalSeqNum);
        }
    }

    @Test
    void concurrentReplaysOnOneStreamAreToldApartBySessionId()
    {
        feed = EventFeed.open(feedContext());
        feed.agent().onStart();
        try (ReplayClient first = ipcClient(RESPONSE_STREAM); ReplayClient second = ipcClient(RESPONSE_STREAM))
        {
            request(first, 1, 1, 0, 1111);
            request(second, 2, 250, 0, 2222);
            drive(10_000, () -> first.ended() && second.ended(),
                () -> feed.agent().doWork() + first.poll() + second.poll());
            assertInOrder(first.seqNums, 1, 500);
            assertInOrder(second.seqNums, 250, 500);
            assertTrue(first.foreignFragments > 0 && second.foreignFragments > 0, "both saw the other's replay");
        }
    }

    @Test
    void boundsConcurrentReplaysAndDropsAConsumerThatNeverConnects()
    {
        feed = EventFeed.open(
            feedContext().maxConcurrentReplays(1).replayConnectTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200)));
        feed.agent().onStart();
        final FeedCounters counters = feed.counters();
        try (ReplayClient nobody = new ReplayClient(media.aeron, "aeron:ipc", CONTROL_STREAM, "aeron:ipc", 1999);
            ReplayClient client = ipcClient(RESPONSE_STREAM))
        {
            // Nobody listens on 1999: the replay waits for a connection that never comes.
            nobody.responses.close();
            request(nobody, 1, 1, 0, 5);
            drive(5_000, () -> counters.replaysActive.get() == 1, () -> feed.agent().doWork());
            request(client, 2, 1, 0, 6);
            drive(5_000, () -> counters.replaysRejected.get() == 1, () -> feed.agent().doWork());

            driveFor(300, () -> feed.agent().doWork());
            assertEquals(1, counters.replaysFailed.get(), "dropped after the connect time-out");
            assertEquals(0, counters.replaysActive.get());

            request(client, 3, 1, 0, 7);
            awaitEnd(client);
            assertInOrder(client.seqNums, 1, 500);
            assertEquals(3, client.endCorrelationId);
        }
    }

    @Test
    void servesExternalConsumersOverUdpWithEventsLargerThanAFrame()
    {
        events.append(journal, 50, 3, 1000);
        final int controlPort = TestMediaDriver.freeUdpPort();
        final String control = "aeron:udp?endpoint=127.0.0.1:" + controlPort;
        feed = EventFeed.open(feedContext().replayControlChannel(control));
        feed.agent().onStart();
        try (ReplayClient client = new ReplayClient(
            media.aeron, control, CONTROL_STREAM, "aeron:udp?endpoint=127.0.0.1:0", RESPONSE_STREAM))
        {
            assertTrue(client.responseChannel.matches("aeron:udp\\?endpoint=127\\.0\\.0\\.1:[1-9][0-9]*"),
                client.responseChannel);
            request(client, 9, 1, 0, 99);
            awaitEnd(client);
            assertInOrder(client.seqNums, 1, 550);
            assertEquals(550, client.endLastSeqNum);
        }
    }

    @Test
    void aConsumerThatPollsSlowlyGetsALargeReplayCompletelyAtItsOwnPace()
    {
        // 20,000 events through a 32 KiB window: the replay is back pressured thousands of times, and the consumer
        // stops polling twice for longer than the connect and disconnect time-outs; neither ends the replay.
        events.append(journal, 20_000, 3, 0);
        final long shortNs = TimeUnit.MILLISECONDS.toNanos(200);
        feed = EventFeed.open(feedContext().replayConnectTimeoutNs(shortNs).replayDisconnectTimeoutNs(shortNs));
        feed.agent().onStart();
        final FeedCounters counters = feed.counters();
        try (ReplayClient client = ipcClient(RESPONSE_STREAM))
        {
            request(client, 5, 1, 0, 55);
            final long startNs = System.nanoTime();
            final long[] nextPollNs = {startNs};
            drive(60_000, client::ended, () ->
            {
                final long nowNs = System.nanoTime();
                int work = feed.agent().doWork();
                if (nowNs - nextPollNs[0] >= 0)
                {
                    work += client.poll(10);
                    final int received = client.seqNums.size();
                    // Ten fragments every 2 ms, and nothing at all for 600 ms twice on the way.
                    final boolean pause = received == 5_000 || received == 15_000;
                    nextPollNs[0] = nowNs + TimeUnit.MILLISECONDS.toNanos(pause ? 600 : 2);
                }
                return work;
            });
            assertInOrder(client.seqNums, 1, 20_500);
            assertEquals(ReplayStatus.Complete, client.endStatus);
            assertEquals(20_500, client.endLastSeqNum);
            assertEquals(0, counters.replaysFailed.get());
            assertEquals(1, counters.replaysCompleted.get());
            assertTrue(counters.replayBackPressured.get() > 1_000, "back pressured " +
                counters.replayBackPressured.get() + " times");
        }
    }

    @Test
    void aConsumerAwayForAWhileGetsTheRestAndOneAwayForTheDisconnectTimeOutIsDropped()
    {
        events.append(journal, 5_000, 3, 0);
        feed = EventFeed.open(feedContext().replayDisconnectTimeoutNs(TimeUnit.SECONDS.toNanos(1)));
        feed.agent().onStart();
        final FeedCounters counters = feed.counters();
        try (ReplayClient client = ipcClient(RESPONSE_STREAM); ReplayClient gone = ipcClient(RESPONSE_STREAM + 1))
        {
            request(client, 1, 1, 0, 11);
            drive(10_000, () -> client.seqNums.size() >= 1_000, () -> feed.agent().doWork() + client.poll(10));
            // Take everything already published, then go: the replay finds its publication not connected.
            driveFor(100, client::poll);
            client.reconnect(media.aeron);
            driveFor(400, () -> feed.agent().doWork());
            assertEquals(0, counters.replaysFailed.get(), "dropped before the disconnect time-out");
            assertEquals(1, counters.replaysActive.get());

            drive(10_000, client::ended, () -> feed.agent().doWork() + client.poll());
            assertInOrder(client.seqNums, 1, 5_500);
            assertEquals(ReplayStatus.Complete, client.endStatus);

            // A consumer that does not come back is dropped once the time-out has passed, not before.
            request(gone, 2, 1, 0, 22);
            drive(10_000, () -> gone.seqNums.size() >= 100, () -> feed.agent().doWork() + gone.poll(10));
            gone.responses.close();
            driveFor(700, () -> feed.agent().doWork());
            assertEquals(0, counters.replaysFailed.get());
            drive(5_000, () -> counters.replaysFailed.get() == 1, () -> feed.agent().doWork());
            assertEquals(0, counters.replaysActive.get());
        }
    }
}
