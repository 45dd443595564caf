package io.ordergw.engine.journal;

import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which of the journal's roll-cycle files nothing needs any more, and moving them out.
 * <p>
 * A cycle may be archived when every one of its events is covered by the newest snapshot (recovery starts there and
 * never reads it), it ended at least the retention setting ago (replays and history keep reaching it until then),
 * and it is not the cycle being written. Only a run of the oldest cycles is archived, never one in the middle: the
 * journal that stays must still be contiguous from its first SeqNum to its last.
 */
public final class JournalArchive
{
    private static final int SEQ_NUM_OFFSET =
        MessageHeaderDecoder.ENCODED_LENGTH + OrderStateEventDecoder.seqNumEncodingOffset();

    /** One roll-cycle file of the journal. */
    public static final class Cycle
    {
        /** Chronicle's cycle number. */
        public final int cycle;
        /** The file. */
        public final Path file;
        /** Its first event's SeqNum, 0 if it holds none. */
        public final long firstSeqNum;
        /** Its last event's SeqNum (the previous cycle's last if it holds none). */
        public final long lastSeqNum;
        /** When the cycle ended (epoch ms): nothing is written to it after that. */
        public final long endMillis;

        Cycle(final int cycle, final Path file, final long firstSeqNum, final long lastSeqNum, final long endMillis)
        {
            this.cycle = cycle;
            this.file = file;
            this.firstSeqNum = firstSeqNum;
            this.lastSeqNum = lastSeqNum;
            this.endMillis = endMillis;
        }

        @Override
        public String toString()
        {
            return file.getFileName() + " (SeqNum " + (firstSeqNum == 0 ? "none" : firstSeqNum + ".." + lastSeqNum) +
                ", ended " + Instant.ofEpochMilli(endMillis) + ")";
        }
    }

    /** What may be archived now, and why no more. */
    public static final class Plan
    {
        /** Every cycle, oldest first. */
        public final List<Cycle> cycles;
        /** The oldest cycles that may be archived, oldest first (possibly none). */
        public final List<Cycle> archivable;
        /** Why the first cycle after them may not be archived (null when there is no journal). */
        public final String keptBecause;

        Plan(final List<Cycle> cycles, final List<Cycle> archivable, final String keptBecause)
        {
            this.cycles = cycles;
            this.archivable = archivable;
            this.keptBecause = keptBecause;
        }

        /**
         * The last SeqNum that may be archived: every event up to it is in the archivable cycles.
         *
         * @return the SeqNum, 0 when nothing may be.
         */
        public long safeThroughSeqNum()
        {
            return archivable.isEmpty() ? 0 : archivable.get(archivable.size() - 1).lastSeqNum;
        }

        /**
         * The journal's oldest SeqNum once the archivable cycles are gone.
         *
         * @return the SeqNum, 0 for an empty journal.
         */
        public long oldestSeqNumAfter()
        {
            for (final Cycle c : cycles)
            {
                if (!archivable.contains(c) && c.firstSeqNum > 0)
                {
                    return c.firstSeqNum;
                }
            }
            return 0;
        }
    }

    private JournalArchive()
    {
    }

    /**
     * The journal's cycle files, oldest first.
     *
     * @param journal the journal.
     * @return the cycles.
     */
    public static List<Cycle> cycles(final ChronicleEventJournal journal)
    {
        final SingleChronicleQueue queue = journal.queue();
        final RollCycle rollCycle = queue.rollCycle();
        final int first = queue.firstCycle();
        final int last = queue.lastCycle();
        if (first > last || first == Integer.MAX_VALUE)
        {
            return Collections.emptyList();
        }
        final DateTimeFormatter names = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
        final long length = rollCycle.lengthInMillis();
        final List<Integer> numbers = new ArrayList<>();
        for (final Long cycle : queue.listCyclesBetween(first, last))
        {
            numbers.add(cycle.intValue());
        }
        final long[] firsts = new long[numbers.size()];
        try (ExcerptTailer tailer = queue.createTailer())
        {
            for (int i = 0; i < firsts.length; i++)
            {
                firsts[i] = seqNumAt(tailer, rollCycle.toIndex(numbers.get(i), 0));
            }
        }
        final List<Cycle> cycles = new ArrayList<>(numbers.size());
        long previousLast = 0;
        for (int i = 0; i < firsts.length; i++)
        {
            long nextFirst = 0;
            for (int j = i + 1; j < firsts.length && nextFirst == 0; j++)
            {
                nextFirst = firsts[j];
            }
            final long lastSeqNum = firsts[i] == 0 ? previousLast :
                nextFirst == 0 ? journal.lastSeqNum() : nextFirst - 1;
            final int cycle = numbers.get(i);
            final long start = queue.epoch() + cycle * length;
            final Path file = queue.file().toPath()
                .resolve(names.format(Instant.ofEpochMilli(start)) + SingleChronicleQueue.SUFFIX);
            cycles.add(new Cycle(cycle, file, firsts[i], lastSeqNum, start + length));
            previousLast = lastSeqNum;
        }
        return cycles;
    }

    /**
     * Decide what may be archived.
     *
     * @param cycles         the journal's cycles, oldest first.
     * @param snapshotSeqNum the SeqNum of the newest valid snapshot (0 if none).
     * @param minAge         how long after its end a cycle is kept.
     * @param nowMillis      the time.
     * @return the plan.
     */
    public static Plan plan(
        final List<Cycle> cycles, final long snapshotSeqNum, final Duration minAge, final long nowMillis)
    {
        final List<Cycle> archivable = new ArrayList<>();
        String kept = cycles.isEmpty() ? "the journal is empty" : null;
        for (int i = 0; i < cycles.size() && kept == null; i++)
        {
            final Cycle c = cycles.get(i);
            if (i == cycles.size() - 1)
            {
                kept = c.file.getFileName() + " is the cycle being written";
            }
            else if (c.lastSeqNum > snapshotSeqNum)
            {
                kept = c.file.getFileName() + " holds SeqNum " + c.lastSeqNum + ", after the newest snapshot (" +
                    (snapshotSeqNum == 0 ? "none" : "SeqNum " + snapshotSeqNum) + ")";
            }
            else if (nowMillis - c.endMillis < minAge.toMillis())
            {
                kept = c.file.getFileName() + " ended " + Instant.ofEpochMilli(c.endMillis) +
                    ", less than ordergw.journal.archive.min-age (" + minAge + ") ago";
            }
            else
            {
                archivable.add(c);
            }
        }
        return new Plan(cycles, archivable, kept);
    }

    /**
     * Move the archivable cycle files into a directory (created if missing), oldest first. Each file is moved
     * atomically when the directory is on the same file system, else copied, forced to storage and then deleted, so
     * a crash never loses a cycle.
     *
     * @param plan   what to move.
     * @param target the archive directory.
     * @return the files as they are now in the archive.
     * @throws IOException if a file cannot be moved (the ones before it are moved).
     */
    public static List<Path> move(final Plan plan, final Path target) throws IOException
    {
        Files.createDirectories(target);
        final List<Path> moved = new ArrayList<>();
        for (final Cycle c : plan.archivable)
        {
            final Path to = target.resolve(c.file.getFileName());
            if (Files.exists(to))
            {
                throw new IOException(to + " already exists: not overwriting an archived cycle");
            }
            try
            {
                Files.move(c.file, to, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.copy(c.file, to, StandardCopyOption.COPY_ATTRIBUTES);
                try (FileChannel channel = FileChannel.open(to, StandardOpenOption.WRITE))
                {
                    channel.force(true);
                }
                Files.delete(c.file);
            }
            moved.add(to);
        }
        return moved;
    }

    private static long seqNumAt(final ExcerptTailer tailer, final long index)
    {
        if (!tailer.moveToIndex(index))
        {
            return 0;
        }
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent() || dc.isMetaData())
            {
                return 0;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            return bytes.readLong(bytes.readPosition() + SEQ_NUM_OFFSET);
        }
    }
}
