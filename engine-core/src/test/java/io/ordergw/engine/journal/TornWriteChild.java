package io.ordergw.engine.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * Appends events, then starts one more and dies (by the parent's SIGKILL) with it half written: a torn write.
 */
public final class TornWriteChild
{
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final int count = Integer.parseInt(args[1]);
        final JournalEvents events = new JournalEvents();
        final ChronicleEventJournal journal = new ChronicleEventJournal(dir, "FAST_DAILY", false);
        for (int i = 1; i <= count; i++)
        {
            journal.append(events.buffer, 0, events.encode(journal.lastSeqNum() + 1));
        }
        final SingleChronicleQueue queue = journal.queue();
        final ExcerptAppender appender = queue.createAppender();
        final int length = events.encode(journal.lastSeqNum() + 1);
        final DocumentContext dc = appender.writingDocument();
        dc.wire().bytes().write(events.buffer.byteArray(), 0, length / 2);
        System.out.println("TORN " + journal.lastSeqNum());
        System.out.flush();
        Thread.sleep(60_000);
        dc.close();
    }
}
