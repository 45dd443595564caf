package io.ordergw.engine.journal;

import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.NavigableSet;

/**
 * The journal on Chronicle Queue: each event is one excerpt of raw SBE bytes in a memory-mapped file, so an
 * appended event survives a crash of the process as soon as {@link #append} returns (surviving power loss needs the
 * OS to flush the page cache, or {@code sync}).
 * <p>
 * SeqNums are kept in the events themselves. Chronicle's index is per roll cycle, so a SeqNum is found by locating
 * the cycle whose first event is at or before it, then stepping within the cycle: excerpts in a cycle are contiguous.
 * A torn final excerpt (a crash mid-write) is an incomplete header that Chronicle recovers on the next append and
 * that readers never see.
 */
public final class ChronicleEventJournal implements EventJournal
{
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleEventJournal.class);
    private static final int SEQ_NUM_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH +
        OrderStateEventDecoder.seqNumEncodingOffset();

    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final boolean syncEachAppend;
    private long lastSeqNum;
    private volatile int cachedFirstCycle = Integer.MIN_VALUE;
    private volatile long cachedFirstSeqNum;
    private JournalReadAhead readAhead;

    /**
     * Open (or create) the journal in a directory.
     *
     * @param dir            the queue's directory.
     * @param rollCycleName  a roll cycle name, e.g. FAST_DAILY.
     * @param syncEachAppend msync every append (survives power loss, costs latency).
     */
    public ChronicleEventJournal(final Path dir, final String rollCycleName, final boolean syncEachAppend)
    {
        this(dir, rollCycleName, syncEachAppend, SystemTimeProvider.INSTANCE);
    }

    /**
     * Open (or create) the journal with a clock for roll cycles (tests roll cycles without waiting).
     *
     * @param dir            the queue's directory.
     * @param rollCycleName  a roll cycle name.
     * @param syncEachAppend msync every append.
     * @param timeProvider   the clock that decides the current cycle.
     */
    public ChronicleEventJournal(
        final Path dir, final String rollCycleName, final boolean syncEachAppend, final TimeProvider timeProvider)
    {
        this(dir, rollCycleName, syncEachAppend, timeProvider, false);
    }

    private ChronicleEventJournal(
        final Path dir,
        final String rollCycleName,
        final boolean syncEachAppend,
        final TimeProvider timeProvider,
        final boolean readOnly)
    {
        this.queue = SingleChronicleQueueBuilder.binary(dir)
            .rollCycle(rollCycle(rollCycleName))
            .timeProvider(timeProvider)
            .timeoutMS(2_000)
            .readOnly(readOnly)
            // Chronicle's default msync is MS_ASYNC, which does nothing on Linux: sync-each-append needs MS_SYNC.
            .syncMode(syncEachAppend ? SyncMode.SYNC : SyncMode.ASYNC)
            .build();
        if (!readOnly)
        {
            // The listing of cycles is cached in the queue's metadata: cycle files archived while the journal was
            // closed must not be looked for.
            queue.refreshDirectoryListing();
        }
        this.appender = readOnly ? null : queue.createAppender();
        this.syncEachAppend = syncEachAppend;
        this.lastSeqNum = readLastSeqNum();
    }

    /**
     * Open an existing journal only to read it (offline tools: {@code verify-journal}, {@code archive}): nothing is
     * written, not even the queue's metadata, and {@link #append} is refused.
     *
     * @param dir           the queue's directory.
     * @param rollCycleName the roll cycle the journal was written with.
     * @return the journal.
     */
    public static ChronicleEventJournal openReadOnly(final Path dir, final String rollCycleName)
    {
        return new ChronicleEventJournal(dir, rollCycleName, false, SystemTimeProvider.INSTANCE, true);
    }

    /**
     * Publish each append's position to a read-ahead agent (see {@link JournalReadAhead}) so that appends do not
     * stall on the kernel zero-filling new pages of the file. The journal starts no thread: the agent is run by the
     * engine's scheduler ({@code io.ordergw.engine.EngineScheduler}) or by the caller.
     *
     * @param agent the agent.
     * @return this.
     */
    public ChronicleEventJournal attachReadAhead(final JournalReadAhead agent)
    {
        if (readAhead != null)
        {
            throw new IllegalStateException("a read-ahead is already attached");
        }
        readAhead = agent;
        return this;
    }

    /**
     * The read-ahead agent, if one is {@link #attachReadAhead attached}.
     *
     * @return the agent or null.
     */
    public JournalReadAhead readAhead()
    {
        return readAhead;
    }

    /**
     * A roll cycle by name.
     *
     * @param name e.g. FAST_DAILY, LARGE_DAILY, TEST_SECONDLY.
     * @return the roll cycle.
     */
    public static RollCycle rollCycle(final String name)
    {
        for (final RollCycles cycle : RollCycles.values())
        {
            if (cycle.name().equals(name))
            {
                return cycle;
            }
        }
        for (final LargeRollCycles cycle : LargeRollCycles.values())
        {
            if (cycle.name().equals(name))
            {
                return cycle;
            }
        }
        for (final TestRollCycles cycle : TestRollCycles.values())
        {
            if (cycle.name().equals(name))
            {
                return cycle;
            }
        }
        throw new IllegalArgumentException("unknown roll cycle: " + name);
    }

    @Override
    public long lastSeqNum()
    {
        return lastSeqNum;
    }

    @Override
    public long firstSeqNum()
    {
        // The first file changes only when cycles are archived: read its first event once per first cycle.
        final int firstCycle = queue.firstCycle();
        if (firstCycle != cachedFirstCycle || cachedFirstSeqNum == 0)
        {
            cachedFirstSeqNum = readFirstSeqNum();
            cachedFirstCycle = firstCycle;
        }
        return cachedFirstSeqNum;
    }

    private long readFirstSeqNum()
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.toStart();
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return 0;
                    }
                    if (!dc.isMetaData())
                    {
                        final Bytes<?> bytes = dc.wire().bytes();
                        return bytes.readLong(bytes.readPosition() + SEQ_NUM_OFFSET);
                    }
                }
            }
        }
    }

    @Override
    public void append(final DirectBuffer buffer, final int offset, final int length)
    {
        if (appender == null)
        {
            throw new JournalException("journal " + queue.file() + " is open read-only");
        }
        final long seqNum = buffer.getLong(offset + SEQ_NUM_OFFSET, OrderStateEventDecoder.BYTE_ORDER);
        if (seqNum != lastSeqNum + 1)
        {
            throw new JournalException("event SeqNum " + seqNum + " does not follow the journal's last " + lastSeqNum);
        }
        final byte[] array = buffer.byteArray();
        if (array == null)
        {
            throw new JournalException("events must be appended from a byte[]-backed buffer");
        }
        final long endPosition;
        try (DocumentContext dc = appender.writingDocument())
        {
            try
            {
                final Bytes<?> bytes = dc.wire().bytes();
                bytes.write(array, (int)(offset + buffer.wrapAdjustment()), length);
                endPosition = bytes.writePosition();
            }
            catch (final RuntimeException ex)
            {
                dc.rollbackOnClose();
                throw ex;
            }
        }
        catch (final RuntimeException ex)
        {
            // The excerpt may be committed even though closing it failed: what the journal holds decides.
            lastSeqNum = readLastSeqNum();
            throw new JournalException("journal append failed at SeqNum " + seqNum + ": " + ex.getMessage(), ex);
        }
        lastSeqNum = seqNum;
        if (syncEachAppend)
        {
            try
            {
                appender.sync();
            }
            catch (final RuntimeException ex)
            {
                throw new JournalException("journal: SeqNum " + seqNum + " written but not synced to storage: " +
                    ex.getMessage(), ex);
            }
        }
        if (readAhead != null)
        {
            readAhead.writtenTo(appender.currentFile(), endPosition);
        }
    }

    @Override
    public void forceToStorage()
    {
        // fsync of each cycle file through a descriptor of our own: it writes back the pages the engine's mapping
        // dirtied, without touching the appender (which belongs to the engine thread).
        try (DirectoryStream<Path> files =
            Files.newDirectoryStream(queue.file().toPath(), "*" + SingleChronicleQueue.SUFFIX))
        {
            for (final Path file : files)
            {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
                {
                    channel.force(true);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("journal: cannot force " + queue.file() + " to storage: " + ex.getMessage(), ex);
        }
    }

    @Override
    public JournalReader newReader()
    {
        return new Reader();
    }

    /**
     * The underlying queue, for tools and tests.
     *
     * @return the queue.
     */
    public SingleChronicleQueue queue()
    {
        return queue;
    }

    @Override
    public void close()
    {
        CloseHelper.close(appender);
        queue.close();
    }

    private long readLastSeqNum()
    {
        final long lastIndex = queue.lastIndex();
        if (lastIndex < 0)
        {
            return 0;
        }
        try (ExcerptTailer tailer = queue.createTailer())
        {
            if (!tailer.moveToIndex(lastIndex))
            {
                throw new JournalException("cannot read the journal's last excerpt at index " + lastIndex);
            }
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    throw new JournalException("the journal's last excerpt at index " + lastIndex + " is unreadable");
                }
                final Bytes<?> bytes = dc.wire().bytes();
                return bytes.readLong(bytes.readPosition() + SEQ_NUM_OFFSET);
            }
        }
    }

    /** A reader over its own Chronicle tailer. */
    private final class Reader implements JournalReader
    {
        private final ExcerptTailer tailer = queue.createTailer();
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        private long nextSeqNum = 1;
        /** A SeqNum known to be journaled: the journal only grows, so it stays true. */
        private long knownLastSeqNum;
        /** The Chronicle index of {@link #knownLastSeqNum}. */
        private long knownLastIndex = -1;

        @Override
        public boolean seek(final long target)
        {
            final long seqNum = Math.max(1, target);
            // Chronicle's lastIndex() makes a tailer and acquires a store on every call: far too slow to pay on each
            // random read (a query reads one event per order). Only a seek past what is known journaled needs it.
            if (seqNum > knownLastSeqNum)
            {
                knownLastSeqNum = readLastSeqNumForReader();
            }
            final long last = knownLastSeqNum;
            if (seqNum > last + 1)
            {
                return false;
            }
            if (last == 0)
            {
                tailer.toStart();
                nextSeqNum = seqNum;
                return true;
            }
            if (seqNum == last + 1)
            {
                // Just past the last known event, not "the end": the writer may have appended since it was found,
                // and toEnd() would then skip those events.
                if (!tailer.moveToIndex(knownLastIndex))
                {
                    throw new JournalException("journal has no excerpt for SeqNum " + last + " at index " +
                        knownLastIndex);
                }
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        throw new JournalException("journal cannot read SeqNum " + last + " at index " +
                            knownLastIndex);
                    }
                }
                nextSeqNum = seqNum;
                return true;
            }
            final RollCycle rollCycle = queue.rollCycle();
            final NavigableSet<Long> cycles = queue.listCyclesBetween(queue.firstCycle(), queue.lastCycle());
            long oldestSeqNum = 0;
            for (final Long cycle : cycles.descendingSet())
            {
                final long firstIndex = rollCycle.toIndex(cycle.intValue(), 0);
                final long firstSeqNum = seqNumAt(firstIndex);
                if (firstSeqNum > 0)
                {
                    oldestSeqNum = firstSeqNum;
                }
                if (firstSeqNum > 0 && firstSeqNum <= seqNum)
                {
                    final long index = rollCycle.toIndex(cycle.intValue(), seqNum - firstSeqNum);
                    if (!tailer.moveToIndex(index))
                    {
                        throw new JournalException("journal has no excerpt for SeqNum " + seqNum + " at index " +
                            index);
                    }
                    nextSeqNum = seqNum;
                    return true;
                }
            }
            // The journal starts after seqNum (older files were archived): read from its start, and say where that
            // is, so that a caller needing seqNum itself sees it is not there.
            tailer.toStart();
            nextSeqNum = oldestSeqNum;
            return true;
        }

        private long readLastSeqNumForReader()
        {
            final long lastIndex = queue.lastIndex();
            if (lastIndex < 0)
            {
                return 0;
            }
            final long seqNum = seqNumAt(lastIndex);
            knownLastIndex = lastIndex;
            return seqNum;
        }

        private long seqNumAt(final long index)
        {
            if (!tailer.moveToIndex(index))
            {
                return -1;
            }
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    return -1;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                return bytes.readLong(bytes.readPosition() + SEQ_NUM_OFFSET);
            }
        }

        @Override
        public int poll(final EventHandler handler, final int limit)
        {
            int count = 0;
            while (count < limit)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    if (dc.isMetaData())
                    {
                        continue;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long position = bytes.readPosition();
                    final int length = (int)bytes.readRemaining();
                    view.wrap(bytes.addressForRead(position), length);
                    final long seqNum = view.getLong(SEQ_NUM_OFFSET, OrderStateEventDecoder.BYTE_ORDER);
                    if (nextSeqNum != 0 && seqNum != nextSeqNum)
                    {
                        throw new JournalException("journal out of sequence: expected SeqNum " + nextSeqNum +
                            " but read " + seqNum);
                    }
                    nextSeqNum = seqNum + 1;
                    handler.onEvent(seqNum, view, 0, length);
                    count++;
                }
            }
            return count;
        }

        @Override
        public long nextSeqNum()
        {
            return nextSeqNum;
        }

        @Override
        public boolean read(final long seqNum, final EventHandler handler)
        {
            if (seqNum < 1 || !seek(seqNum) || nextSeqNum != seqNum)
            {
                return false;
            }
            return poll(handler, 1) == 1;
        }

        @Override
        public void close()
        {
            tailer.close();
        }
    }
}
