package io.ordergw.engine;

import io.ordergw.codec.sbe.QueryReplyDecoder;
import io.ordergw.codec.sbe.ReplyDecoder;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.book.OrderBook;
import io.ordergw.engine.snapshot.SnapshotStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots written by the {@link SnapshotFollower} (the default): from its own copy of the book, which must be the
 * engine's book at the same SeqNum, and which a restart must be able to start from.
 */
@SystemTest
class SnapshotFollowerTest
{
    private static final String THREAD_NAME = "ordergw-snapshot";

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void theFollowersSnapshotsAreTheEnginesBookAndARestartStartsFromThem() throws Exception
    {
        final OrderGwConfig config = config("follower");
        final long lastSeqNum;
        final long engineHash;
        final int engineSize;
        try (Engine engine = Engine.launch(new EngineContext().config(config).snapshotInterval(Duration.ofMillis(20))))
        {
            assertNotNull(engine.snapshotFollower());
            assertTrue(threadRunning(), "the follower has a thread of its own");
            final EngineCounters counters = engine.agent().counters();
            drive(engine, 0, 1500);
            // The follower keeps up with the journal and writes on its interval.
            while (counters.snapshotFollowerSeqNum.get() != counters.journalSeqNum.get() || counters.snapshots.get() == 0)
            {
                Thread.sleep(5);
            }
            drive(engine, 1500, 500);
            lastSeqNum = counters.journalSeqNum.get();
            engine.close();
            final OrderBook book = engine.agent().book();
            engineHash = book.stateHash();
            engineSize = book.size();
            assertEquals(lastSeqNum, book.lastSeqNum());
            assertEquals(lastSeqNum, engine.snapshotFollower().book().lastSeqNum());
        }
        assertTrue(!threadRunning(), "the follower's thread stops with the engine");

        // The newest snapshot, written by the follower at the clean stop, is the engine's final book.
        final SnapshotStore.Loaded loaded = new SnapshotStore(config.snapshot.dir, config.snapshot.keep)
            .loadNewest(EngineContext.bookFactory(config));
        assertEquals(lastSeqNum, loaded.seqNum);
        assertEquals(engineHash, loaded.book.stateHash(), "same orders, same states, same lists");
        assertEquals(engineSize, loaded.book.size());

        // A restart starts from it and replays nothing.
        try (Engine restarted = Engine.launch(new EngineContext().config(config)))
        {
            assertEquals(lastSeqNum, restarted.recovery().snapshotSeqNum);
            assertEquals(0, restarted.recovery().replayedEvents);
            assertEquals(engineHash, restarted.recovery().book.stateHash());
            final long[] newSeqNums = drive(restarted, 2000, 20).stream().mapToLong(Long::longValue)
                .filter(seqNum -> seqNum > lastSeqNum).toArray();
            assertTrue(newSeqNums.length > 0);
            for (int k = 0; k < newSeqNums.length; k++)
            {
                assertEquals(lastSeqNum + 1 + k, newSeqNums[k], "SeqNum goes on with no gap");
            }
        }
    }

    @Test
    @Timeout(60)
    void withTheEngineAsWriterThereIsNoFollowerAndTheEngineWritesAtTheStop() throws Exception
    {
        final OrderGwConfig config = config("engine");
        final long lastSeqNum;
        try (Engine engine = Engine.launch(new EngineContext().config(config).snapshotInterval(Duration.ZERO)))
        {
            assertNull(engine.snapshotFollower());
            assertTrue(!threadRunning());
            drive(engine, 0, 200);
            lastSeqNum = engine.agent().counters().journalSeqNum.get();
            assertEquals(0, engine.agent().counters().snapshotFollowerSeqNum.get());
        }
        final List<Path> snapshots = new SnapshotStore(config.snapshot.dir, config.snapshot.keep).listNewestFirst();
        assertEquals(1, snapshots.size(), "one snapshot, at the stop");
        assertTrue(snapshots.get(0).getFileName().toString().contains(Long.toString(lastSeqNum)), snapshots.toString());
    }

    private OrderGwConfig config(final String writer)
    {
        return OrderGwConfig.parse("ordergw.data-dir = \"" + dir + "\"\n" +
            "ordergw.engine.idle-strategy = backoff\nordergw.journal.min-free-space = 0\n" +
            "ordergw.snapshot.writer = " + writer + "\n" +
            // a thread of its own, so that the test can see it start and stop
            "ordergw.threading-mode = DEDICATED\n");
    }

    /** Send commands {@code from..from+count-1} of a seeded stream, each waiting for its reply; the accepted SeqNums. */
    private static List<Long> drive(final Engine engine, final long from, final int count)
    {
        final List<Long> accepted = new java.util.ArrayList<>();
        final EngineProxy proxy = new EngineProxy(engine.context().ingressRing());
        final int[] replies = {0};
        final EngineResponseAdapter adapter = new EngineResponseAdapter(engine.context().egressRing(),
            new EngineResponseAdapter.Listener()
            {
                public void onReply(final ReplyDecoder reply)
                {
                    replies[0]++;
                    if (reply.errorCode() == 0)
                    {
                        accepted.add(reply.seqNum());
                    }
                }

                public void onQueryReply(final QueryReplyDecoder reply)
                {
                }
            });
        final RandomCommands commands = new RandomCommands(7, 50);
        for (long i = 0; i < from; i++)
        {
            commands.next();
        }
        for (int i = 0; i < count; i++)
        {
            final Commands command = commands.next();
            final UnsafeBuffer buffer = command.encode();
            while (!proxy.offer(buffer, 0, command.length()))
            {
                Thread.onSpinWait();
            }
            final int expected = i + 1;
            while (replies[0] < expected)
            {
                if (adapter.poll(16) == 0)
                {
                    Thread.onSpinWait();
                }
            }
        }
        return accepted;
    }

    private static boolean threadRunning()
    {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && THREAD_NAME.equals(t.getName()));
    }
}
