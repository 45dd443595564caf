package io.ordergw.engine.journal;

import java.nio.file.Path;

/**
 * Opens a journal, as a gateway does, says so and holds it until killed.
 */
public final class JournalHolderChild
{
    public static void main(final String[] args) throws Exception
    {
        final ChronicleEventJournal journal = new ChronicleEventJournal(Path.of(args[0]), "FAST_DAILY", false);
        System.out.println("HOLDING " + journal.lastSeqNum());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
