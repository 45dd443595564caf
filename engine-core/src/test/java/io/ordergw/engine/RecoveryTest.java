package io.ordergw.engine;

import io.ordergw.engine.book.OrderBook;
import io.ordergw.engine.journal.JournalException;
import io.ordergw.engine.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@SystemTest
class RecoveryTest
{
    @TempDir
    Path dir;

    @Test
    void snapshotPlusJournalTailRebuildsTheSameBookAsFullReplay() throws IOException
    {
        final long liveHash;
        final long lastSeqNum;
        try (EngineHarness engine = new EngineHarness(dir))
        {
            final RandomCommands commands = new RandomCommands(7, 40);
            for (int i = 0; i < 1500; i++)
            {
                engine.send(commands.next());
                if (i == 700)
                {
                    engine.engine().agent().takeSnapshot();
                }
            }
            liveHash = engine.engine().agent().book().stateHash();
            lastSeqNum = engine.engine().agent().book().lastSeqNum();
            // close() takes a final snapshot: remove it so that recovery uses the mid-stream one plus the tail.
        }
        final List<Path> snapshots = new SnapshotStore(dir.resolve("snapshots"), 3).listNewestFirst();
        assertEquals(2, snapshots.size());
        Files.delete(snapshots.get(0));

        try (EngineHarness engine = new EngineHarness(dir))
        {
            final Recovery.Result recovery = engine.engine().recovery();
            assertTrue(recovery.snapshotSeqNum > 0 && recovery.snapshotSeqNum < lastSeqNum);
            assertEquals(lastSeqNum - recovery.snapshotSeqNum, recovery.replayedEvents);
            assertEquals(liveHash, engine.engine().agent().book().stateHash());
            assertEquals(lastSeqNum, engine.engine().agent().book().lastSeqNum());
        }
        deleteSnapshots();
        try (EngineHarness engine = new EngineHarness(dir))
        {
            assertEquals(0, engine.engine().recovery().snapshotSeqNum);
            assertEquals(lastSeqNum, engine.engine().recovery().replayedEvents);
            assertEquals(liveHash, engine.engine().agent().book().stateHash());
        }
    }

    @Test
    void aCorruptSnapshotIsSkippedForAnOlderOne() throws IOException
    {
        final long liveHash;
        try (EngineHarness engine = new EngineHarness(dir))
        {
            final RandomCommands commands = new RandomCommands(11, 20);
            for (int i = 0; i < 300; i++)
            {
                engine.send(commands.next());
                if (i == 100 || i == 200)
                {
                    engine.engine().agent().takeSnapshot();
                }
            }
            liveHash = engine.engine().agent().book().stateHash();
        }
        final List<Path> snapshots = new SnapshotStore(dir.resolve("snapshots"), 3).listNewestFirst();
        assertEquals(3, snapshots.size());
        flipAByte(snapshots.get(0));
        flipAByte(snapshots.get(1));
        try (EngineHarness engine = new EngineHarness(dir))
        {
            assertTrue(engine.engine().recovery().snapshotSeqNum > 0);
            assertEquals(liveHash, engine.engine().agent().book().stateHash());
        }
    }

    @Test
    void refusesToStartWhenTheJournalIsShorterThanTheSnapshot() throws IOException
    {
        try (EngineHarness engine = new EngineHarness(dir))
        {
            engine.send(Commands.newOrder(1));
            engine.send(Commands.newOrder(2));
        }
        deleteRecursively(dir.resolve("journal"));
        final JournalException error = assertThrows(JournalException.class, () -> new EngineHarness(dir).close());
        assertTrue(error.getMessage().contains("truncated or replaced"), error.getMessage());
    }

    @Test
    void snapshotRestoresListsAndRetentionExactly()
    {
        final String bounds = "ordergw.book.max-retained-terminal-orders = 5\n";
        final long liveHash;
        final List<Long> history;
        try (EngineHarness engine = new EngineHarness(dir, bounds))
        {
            final RandomCommands commands = new RandomCommands(3, 30);
            for (int i = 0; i < 400; i++)
            {
                engine.send(commands.next());
            }
            liveHash = engine.engine().agent().book().stateHash();
            history = engine.query(io.ordergw.codec.sbe.QueryType.OrderHistory, 1, 0, 0, 0, 0).seqNums;
        }
        try (EngineHarness engine = new EngineHarness(dir, bounds))
        {
            final OrderBook book = engine.engine().agent().book();
            assertEquals(0, engine.engine().recovery().replayedEvents, "recovered from the shutdown snapshot alone");
            assertEquals(liveHash, book.stateHash());
            assertEquals(5, book.retainedTerminalOrders());
            assertArrayEquals(history.toArray(), engine.query(io.ordergw.codec.sbe.QueryType.OrderHistory, 1, 0, 0, 0, 0)
                .seqNums.toArray());
        }
    }

    @Test
    void aStartThatReplayedEventsSnapshotsThemAtACleanStop() throws IOException
    {
        try (EngineHarness engine = new EngineHarness(dir))
        {
            engine.send(Commands.newOrder(1));
            engine.engine().agent().takeSnapshot();
            engine.send(Commands.newOrder(2));
            engine.send(Commands.newOrder(3));
        }
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 3);
        Files.delete(store.listNewestFirst().get(0)); // as if the process had been killed before its final snapshot
        try (EngineHarness engine = new EngineHarness(dir))
        {
            assertEquals(1, engine.engine().recovery().snapshotSeqNum);
            assertEquals(2, engine.engine().recovery().replayedEvents);
        }
        try (EngineHarness engine = new EngineHarness(dir))
        {
            assertEquals(3, engine.engine().recovery().snapshotSeqNum, "the clean stop took a snapshot of all three");
            assertEquals(0, engine.engine().recovery().replayedEvents);
        }
    }

    private void deleteSnapshots() throws IOException
    {
        for (final Path p : new SnapshotStore(dir.resolve("snapshots"), 3).listNewestFirst())
        {
            Files.delete(p);
        }
    }

    private static void flipAByte(final Path file) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(file, bytes);
    }

    private static void deleteRecursively(final Path path) throws IOException
    {
        try (var files = Files.walk(path))
        {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
