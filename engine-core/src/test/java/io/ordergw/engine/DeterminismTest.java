package io.ordergw.engine;

import io.ordergw.engine.journal.ChronicleEventJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The state machine is a function: the same commands give the same events byte for byte, and a journal's own
 * requests, decided again, give back the journal.
 */
@SystemTest
class DeterminismTest
{
    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    @Test
    void sameCommandsGiveByteIdenticalJournalsAndEqualHashes()
    {
        final List<byte[]> a;
        final List<byte[]> b;
        final long hashA;
        final long hashB;
        try (EngineHarness engine = new EngineHarness(dirA))
        {
            run(engine, 2000);
            a = engine.journalEvents();
            hashA = engine.engine().agent().book().stateHash();
        }
        try (EngineHarness engine = new EngineHarness(dirB))
        {
            run(engine, 2000);
            b = engine.journalEvents();
            hashB = engine.engine().agent().book().stateHash();
        }
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++)
        {
            assertArrayEquals(a.get(i), b.get(i), "event " + (i + 1));
        }
        assertEquals(hashA, hashB);
    }

    @Test
    void replayingAJournalTwiceReproducesEveryEventAndTheSameHash()
    {
        final long liveHash;
        final long events;
        final EngineHarness engine = new EngineHarness(dirA);
        try (engine)
        {
            run(engine, 3000);
            liveHash = engine.engine().agent().book().stateHash();
            events = engine.engine().agent().book().lastSeqNum();
        }
        try (ChronicleEventJournal journal = new ChronicleEventJournal(dirA.resolve("journal"), "FAST_DAILY", false))
        {
            final JournalVerifier.Result first =
                new JournalVerifier().verify(journal, EngineContext.bookFactory(engine.config), Commands.SCALE);
            final JournalVerifier.Result second =
                new JournalVerifier().verify(journal, EngineContext.bookFactory(engine.config), Commands.SCALE);
            assertEquals(events, first.events);
            assertEquals(first.events, second.events);
            assertEquals(liveHash, first.stateHash);
            assertEquals(first.stateHash, second.stateHash);
        }
    }

    private static void run(final EngineHarness engine, final int count)
    {
        final RandomCommands commands = new RandomCommands(42, 60);
        for (int i = 0; i < count; i++)
        {
            engine.send(commands.next());
        }
    }
}
