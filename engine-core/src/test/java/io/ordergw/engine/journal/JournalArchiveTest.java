package io.ordergw.engine.journal;

import io.ordergw.engine.SystemTest;
import io.ordergw.engine.ChildJvm;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@SystemTest
class JournalArchiveTest
{
    private static final long START_MS = TimeUnit.SECONDS.toMillis(1_800_000_000L);

    @TempDir
    Path dir;

    private final JournalEvents events = new JournalEvents();

    @Test
    void onlyTheOldestCyclesCoveredBySnapshotAndOldEnoughMayGo() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(START_MS));
        final List<JournalArchive.Cycle> cycles;
        try (ChronicleEventJournal journal = new ChronicleEventJournal(journalDir, "TEST_SECONDLY", false, clock))
        {
            // Five one-second cycles holding SeqNum 1-3, 4, 5-11, 12-13, 14-18.
            for (final int size : new int[]{3, 1, 7, 2, 5})
            {
                append(journal, size);
                clock.advanceMillis(1_000);
            }
            cycles = JournalArchive.cycles(journal);
        }
        assertEquals(5, cycles.size());
        assertEquals(List.of(1L, 4L, 5L, 12L, 14L),
            cycles.stream().map(c -> c.firstSeqNum).collect(Collectors.toList()));
        assertEquals(List.of(3L, 4L, 11L, 13L, 18L),
            cycles.stream().map(c -> c.lastSeqNum).collect(Collectors.toList()));
        for (final JournalArchive.Cycle c : cycles)
        {
            assertTrue(Files.isRegularFile(c.file), "the cycle's file: " + c.file);
        }
        final long now = START_MS + 60_000;

        // A snapshot at 11 covers the first three cycles, but not the fourth.
        JournalArchive.Plan plan = JournalArchive.plan(cycles, 11, Duration.ZERO, now);
        assertEquals(3, plan.archivable.size());
        assertEquals(11, plan.safeThroughSeqNum());
        assertEquals(12, plan.oldestSeqNumAfter());
        assertTrue(plan.keptBecause.contains("after the newest snapshot (SeqNum 11)"), plan.keptBecause);

        // A snapshot in the middle of a cycle: that cycle stays.
        assertEquals(2, JournalArchive.plan(cycles, 8, Duration.ZERO, now).archivable.size(), "SeqNum 5-11 stays");
        // No snapshot: nothing may go.
        assertTrue(JournalArchive.plan(cycles, 0, Duration.ZERO, now).archivable.isEmpty());
        // Everything covered: all but the cycle being written.
        plan = JournalArchive.plan(cycles, 18, Duration.ZERO, now);
        assertEquals(4, plan.archivable.size());
        assertTrue(plan.keptBecause.contains("the cycle being written"), plan.keptBecause);
        // The retention setting: only cycles that ended long enough ago (the first ended at START + 1 s).
        plan = JournalArchive.plan(cycles, 18, Duration.ofMillis(60_000 - 2_000), now);
        assertEquals(2, plan.archivable.size(), "cycles ending at +1 s and +2 s are 58 s old or more");
        assertTrue(plan.keptBecause.contains("min-age"), plan.keptBecause);

        // Moving them: those files only, and the journal then starts after them, contiguous to its end.
        final List<Path> moved = JournalArchive.move(JournalArchive.plan(cycles, 11, Duration.ZERO, now),
            dir.resolve("archive"));
        assertEquals(3, moved.size());
        for (int i = 0; i < 5; i++)
        {
            assertEquals(i >= 3, Files.exists(cycles.get(i).file), "cycle " + i + " in the journal");
            assertEquals(i < 3, Files.exists(dir.resolve("archive").resolve(cycles.get(i).file.getFileName())));
        }
        try (ChronicleEventJournal journal = new ChronicleEventJournal(journalDir, "TEST_SECONDLY", false, clock))
        {
            assertEquals(12, journal.firstSeqNum());
            assertEquals(18, journal.lastSeqNum());
            try (JournalReader reader = journal.newReader())
            {
                assertTrue(reader.seek(3));
                assertEquals(12, reader.nextSeqNum(), "a seek before the start says where the journal starts");
                final List<Long> read = new ArrayList<>();
                while (reader.poll((seqNum, buffer, offset, length) -> read.add(seqNum), 100) > 0)
                {
                    // all of it
                }
                assertEquals(List.of(12L, 13L, 14L, 15L, 16L, 17L, 18L), read);
                assertFalse(reader.read(5, (seqNum, buffer, offset, length) -> { }), "archived events are not read");
            }
            append(journal, 1);
            assertEquals(19, journal.lastSeqNum(), "and it goes on appending");
        }
    }

    @Test
    @Timeout(60)
    void anotherProcessUsingTheJournalIsSeen() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        try (ChronicleEventJournal journal = new ChronicleEventJournal(journalDir, "FAST_DAILY", false))
        {
            append(journal, 2);
        }
        if (!JournalUsers.canDetect())
        {
            return; // no /proc here: the archive command then asks for --assume-stopped
        }
        assertFalse(JournalUsers.find(journalDir).isPresent(), "this process does not count, and nobody else uses it");
        try (ChildJvm child = ChildJvm.start(JournalHolderChild.class, ChildJvm.arg(journalDir)))
        {
            assertEquals("HOLDING 2", child.await("HOLDING", 30_000));
            assertTrue(JournalUsers.find(journalDir).isPresent(), "a process with the journal open is found");
            child.kill();
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (JournalUsers.find(journalDir).isPresent() && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
        }
        assertFalse(JournalUsers.find(journalDir).isPresent(), "gone with the process");
    }

    private void append(final ChronicleEventJournal journal, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int length = events.encode(journal.lastSeqNum() + 1);
            journal.append(events.buffer, 0, length);
        }
    }
}
