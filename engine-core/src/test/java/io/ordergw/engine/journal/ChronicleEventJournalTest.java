package io.ordergw.engine.journal;

import io.ordergw.engine.SystemTest;
import io.ordergw.engine.ChildJvm;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@SystemTest
class ChronicleEventJournalTest
{
    @TempDir
    Path dir;

    private final JournalEvents events = new JournalEvents();

    @Test
    void seqNumsContinueAcrossReopen()
    {
        try (ChronicleEventJournal journal = new ChronicleEventJournal(dir, "FAST_DAILY", false))
        {
            assertEquals(0, journal.lastSeqNum());
            append(journal, 5);
            assertEquals(5, journal.lastSeqNum());
        }
        try (ChronicleEventJournal journal = new ChronicleEventJournal(dir, "FAST_DAILY", false))
        {
            assertEquals(5, journal.lastSeqNum());
            append(journal, 1);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), readAll(journal, 1));
        }
    }

    @Test
    void refusesAnEventThatDoesNotFollowTheLast()
    {
        try (ChronicleEventJournal journal = new ChronicleEventJournal(dir, "FAST_DAILY", false))
        {
            append(journal, 2);
            final int length = events.encode(4);
            assertThrows(JournalException.class, () -> journal.append(events.buffer, 0, length));
            assertEquals(2, journal.lastSeqNum());
            assertEquals(List.of(1L, 2L), readAll(journal, 1));
        }
    }

    @Test
    void seeksToAnySeqNumAcrossRollCycles()
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.SECONDS.toNanos(1_800_000_000L));
        try (ChronicleEventJournal journal = new ChronicleEventJournal(dir, "TEST_SECONDLY", false, clock))
        {
            // Five cycles of uneven sizes.
            for (final int size : new int[]{3, 1, 7, 2, 5})
            {
                append(journal, size);
                clock.advanceMillis(1_500);
            }
            assertTrue(journal.queue().listCyclesBetween(journal.queue().firstCycle(), journal.queue().lastCycle()).size() >= 5);
            final long last = journal.lastSeqNum();
            assertEquals(18, last);
            for (long from = 1; from <= last + 1; from++)
            {
                final List<Long> read = readAll(journal, from);
                assertEquals(last - from + 1, read.size(), "from " + from);
                if (!read.isEmpty())
                {
                    assertEquals(from, read.get(0));
                }
            }
            try (JournalReader reader = journal.newReader())
            {
                assertFalse(reader.seek(last + 2), "past the end");
                final long[] quantity = new long[1];
                assertTrue(reader.read(9, (seqNum, buffer, offset, length) -> quantity[0] = JournalEvents.quantityOf(buffer, offset)));
                assertEquals(63, quantity[0]);
                assertFalse(reader.read(last + 1, (seqNum, buffer, offset, length) -> { }));
            }
        }
    }

    @Test
    void aReaderAtTheEndSeesLaterAppends()
    {
        try (ChronicleEventJournal journal = new ChronicleEventJournal(dir, "FAST_DAILY", false);
            JournalReader reader = journal.newReader())
        {
            append(journal, 3);
            assertTrue(reader.seek(4));
            assertEquals(0, reader.poll((s, b, o, l) -> { }, 10));
            append(journal, 2);
            final List<Long> seen = new ArrayList<>();
            reader.poll((s, b, o, l) -> seen.add(s), 10);
            assertEquals(List.of(4L, 5L), seen);
        }
    }

    @Test
    @Timeout(120)
    void aTornLastWriteIsRecoveredNotFatal() throws Exception
    {
        try (ChildJvm child = ChildJvm.start(TornWriteChild.class, ChildJvm.arg(dir), "10"))
        {
            assertEquals("TORN 10", child.await("TORN", 60_000));
            child.kill();
        }
        try (ChronicleEventJournal journal = new ChronicleEventJournal(dir, "FAST_DAILY", false))
        {
            assertEquals(10, journal.lastSeqNum(), "the torn excerpt is not an event");
            append(journal, 1);
            assertEquals(11, journal.lastSeqNum());
            final List<Long> all = readAll(journal, 1);
            assertEquals(11, all.size());
            for (int i = 0; i < all.size(); i++)
            {
                assertEquals(i + 1, all.get(i));
            }
        }
    }

    @Test
    @Timeout(60)
    void aReaderStartingJustPastTheLastEventMissesNothingAppendedWhileItSeeks() throws Exception
    {
        // A feed starts at the journal's SeqNum + 1 while the engine may still be appending: the reader must start
        // just after that event, not at whatever the end is by the time it looks.
        try (ChronicleEventJournal journal = new ChronicleEventJournal(dir, "FAST_DAILY", false))
        {
            final java.util.concurrent.atomic.AtomicLong appended = new java.util.concurrent.atomic.AtomicLong();
            final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            final Thread writer = new Thread(() ->
            {
                final JournalEvents own = new JournalEvents();
                while (!stop.get())
                {
                    final int length = own.encode(journal.lastSeqNum() + 1);
                    journal.append(own.buffer, 0, length);
                    appended.set(journal.lastSeqNum());
                    if (journal.lastSeqNum() % 16 == 0)
                    {
                        Thread.yield();
                    }
                }
            }, "journal-test-writer");
            writer.start();
            try
            {
                for (int round = 0; round < 300; round++)
                {
                    final long from = appended.get() + 1;
                    try (JournalReader reader = journal.newReader())
                    {
                        assertTrue(reader.seek(from));
                        final long[] first = {-1};
                        while (first[0] < 0)
                        {
                            reader.poll((seqNum, buffer, offset, length) ->
                            {
                                if (first[0] < 0)
                                {
                                    first[0] = seqNum;
                                }
                            }, 1);
                        }
                        assertEquals(from, first[0], "round " + round);
                    }
                }
            }
            finally
            {
                stop.set(true);
                writer.join();
            }
        }
    }

    private void append(final ChronicleEventJournal journal, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int length = events.encode(journal.lastSeqNum() + 1);
            journal.append(events.buffer, 0, length);
        }
    }

    private static List<Long> readAll(final EventJournal journal, final long from)
    {
        final List<Long> seqNums = new ArrayList<>();
        try (JournalReader reader = journal.newReader())
        {
            assertTrue(reader.seek(from));
            while (reader.poll((seqNum, buffer, offset, length) ->
            {
                assertEquals(seqNum * 7, JournalEvents.quantityOf(buffer, offset));
                seqNums.add(seqNum);
            }, 100) > 0)
            {
                // keep reading
            }
        }
        return seqNums;
    }
}
