package io.ordergw.engine.journal;

import io.ordergw.engine.SystemTest;
import com.sun.jna.Platform;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@SystemTest
class JournalReadAheadTest
{
    private static final long MIB = 1 << 20;
    private static final String THREAD_NAME = "ordergw-journal-read-ahead";

    @TempDir
    Path dir;

    private final JournalEvents events = new JournalEvents();

    @Test
    void onLinuxTheFileIsReadWithTheKernelsReadaheadOff()
    {
        assumeTrue(Platform.isLinux());
        assertTrue(new JournalReadAhead(MIB).readaheadOff(), "posix_fadvise(RANDOM) through JNA");
    }

    @Test
    void readsWhatTheFileHoldsAtTheOffsetAskedFor() throws Exception
    {
        assumeTrue(RandomReadFile.available());
        final byte[] content = new byte[3 * 65536];
        ThreadLocalRandom.current().nextBytes(content);
        final Path file = dir.resolve("data");
        Files.write(file, content);
        final ByteBuffer into = ByteBuffer.allocateDirect(65536);
        try (RandomReadFile readFile = RandomReadFile.open(file.toFile()))
        {
            assertEquals(65536, readFile.read(BufferUtil.address(into), 65536, 70000));
            final byte[] read = new byte[65536];
            into.get(read);
            assertArrayEquals(Arrays.copyOfRange(content, 70000, 70000 + 65536), read);
            assertEquals(content.length - 150000, readFile.read(BufferUtil.address(into), 65536, 150000),
                "a short read at the end");
            assertEquals(0, readFile.read(BufferUtil.address(into), 65536, content.length), "nothing past the end");
        }
        final IOException missing =
            assertThrows(IOException.class, () -> RandomReadFile.open(dir.resolve("no").toFile()));
        assertTrue(missing.getMessage().contains("errno 2"), missing.getMessage());
    }

    @ParameterizedTest(name = "readahead off: {0}")
    @ValueSource(booleans = {true, false})
    void keepsTheFileReadAheadOfTheWriterAndFollowsItIntoTheNextRollCycle(final boolean readaheadOff) throws Exception
    {
        assumeTrue(!readaheadOff || RandomReadFile.available());
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.SECONDS.toNanos(1_800_000_000L));
        final long ahead = 4 * MIB;
        final JournalReadAhead readAhead = new JournalReadAhead(ahead, readaheadOff);
        try (ChronicleEventJournal journal = new ChronicleEventJournal(dir, "TEST_SECONDLY", false, clock))
        {
            journal.attachReadAhead(readAhead);
            assertEquals(0, readAhead.doWork(), "nothing written, nothing to read");

            append(journal, 100);
            final File first = readAhead.file();
            assertNotNull(first);
            assertEquals(dir.toFile().getAbsoluteFile(), first.getAbsoluteFile().getParentFile());
            assertTrue(first.getName().endsWith(".cq4"), first.getName());
            final long written = readAhead.writtenPosition();
            assertTrue(written > 100 * 40, "the position follows the appends: " + written);

            // One duty cycle reads a bounded amount, so the thread never holds a core for long.
            assertEquals(JournalReadAhead.READS_PER_DUTY_CYCLE, readAhead.doWork());
            assertEquals((written & ~4095L) + JournalReadAhead.READS_PER_DUTY_CYCLE * JournalReadAhead.READ_BYTES,
                readAhead.readTo());
            drain(readAhead);
            assertEquals(written + ahead, readAhead.readTo());

            // More appends: only the new stretch is read, not the window again.
            final long bytesBefore = readAhead.bytesRead();
            append(journal, 1000);
            final long grown = readAhead.writtenPosition() - written;
            assertTrue(grown > 0);
            drain(readAhead);
            assertEquals(readAhead.writtenPosition() + ahead, readAhead.readTo());
            assertEquals(grown, readAhead.bytesRead() - bytesBefore);

            // A new roll cycle is a new file: the read-ahead moves to it.
            clock.advanceMillis(1_500);
            append(journal, 10);
            assertNotEquals(first, readAhead.file());
            drain(readAhead);
            assertEquals(readAhead.writtenPosition() + ahead, readAhead.readTo());

            // Reading ahead never changes what was journaled.
            assertEquals(1110, readAll(journal));
        }
        readAhead.onClose();
    }

    @Test
    void aFileThatCannotBeReadStopsTheReadAheadNotTheJournal()
    {
        final JournalReadAhead readAhead = new JournalReadAhead(MIB);
        readAhead.writtenTo(dir.resolve("gone.cq4").toFile(), 4096);
        assertEquals(0, readAhead.doWork());
        assertEquals(0, readAhead.doWork(), "tried once per file, not on every duty cycle");
        assertEquals(0, readAhead.bytesRead());
        readAhead.onClose();
    }

    @Test
    @Timeout(30)
    void theJournalStartsNoThreadAndTheAgentReadsAheadOnTheRunnerItIsGiven() throws Exception
    {
        final long ahead = 2 * MIB;
        final JournalReadAhead readAhead = new JournalReadAhead(ahead);
        try (ChronicleEventJournal journal =
            new ChronicleEventJournal(dir, "FAST_DAILY", false).attachReadAhead(readAhead))
        {
            assertFalse(threadRunning(), "the journal starts no thread: the engine's scheduler runs the agent");
            final AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace,
                null, readAhead);
            AgentRunner.startOnThread(runner);
            try
            {
                append(journal, 2000);
                final long target = readAhead.writtenPosition() + ahead;
                while (readAhead.readTo() != target)
                {
                    Thread.sleep(1);
                }
                assertTrue(readAhead.bytesRead() >= ahead);
                assertEquals(2000, readAll(journal));
            }
            finally
            {
                runner.close();
            }
        }
        assertFalse(threadRunning(), "stopped with its runner");
        assertTrue(Files.list(dir).anyMatch(p -> p.toString().endsWith(".cq4")));
    }

    private static boolean threadRunning()
    {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && THREAD_NAME.equals(t.getName()));
    }

    private static void drain(final JournalReadAhead readAhead)
    {
        for (int i = 0; i < 1000 && readAhead.doWork() > 0; i++)
        {
            // read until caught up
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

    private static int readAll(final EventJournal journal)
    {
        final int[] count = {0};
        try (JournalReader reader = journal.newReader())
        {
            assertTrue(reader.seek(1));
            while (reader.poll((seqNum, buffer, offset, length) ->
            {
                assertEquals(seqNum * 7, JournalEvents.quantityOf(buffer, offset));
                assertEquals(++count[0], seqNum);
            }, 100) > 0)
            {
                // keep reading
            }
        }
        return count[0];
    }
}
