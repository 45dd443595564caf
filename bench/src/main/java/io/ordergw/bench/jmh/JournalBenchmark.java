package io.ordergw.bench.jmh;

import io.ordergw.bench.BenchDirs;
import io.ordergw.bench.fixture.SampleEvents;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.journal.ChronicleEventJournal;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Appending one OrderStateEvent (a partly filled order, the size every event has) to the journal:
 * <ul>
 *   <li>{@link #ordergwJournalAppend}: ours, {@link ChronicleEventJournal#append} (SeqNum check, one excerpt);</li>
 *   <li>{@link #rawChronicleAppend}: the machine's limit: a bare Chronicle Queue appender writing the same bytes into
 *   a queue built the same way (binary, the configured roll cycle).</li>
 * </ul>
 * Both write to memory-mapped files in a private directory under {@code -Dbench.data.dir} (default: the system
 * temp directory, on disk), deleted after the trial.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JournalBenchmark
{
    /** Our journal over a private directory. */
    @State(Scope.Thread)
    public static class OrdergwJournal
    {
        Path dir;
        ChronicleEventJournal journal;
        UnsafeBuffer event;

        /** Open it. */
        @Setup
        public void setup()
        {
            dir = BenchDirs.newDataDir("journal");
            journal = new ChronicleEventJournal(dir, OrderGwConfig.defaults().journal.rollCycle, false);
            event = SampleEvents.partlyFilled();
        }

        /** Close and delete it. */
        @TearDown
        public void tearDown()
        {
            journal.close();
            BenchDirs.deleteRecursively(dir);
        }
    }

    /** A bare Chronicle queue over a private directory. */
    @State(Scope.Thread)
    public static class RawQueue
    {
        Path dir;
        SingleChronicleQueue queue;
        ExcerptAppender appender;
        byte[] bytes;

        /** Open it. */
        @Setup
        public void setup()
        {
            dir = BenchDirs.newDataDir("raw-chronicle");
            queue = SingleChronicleQueueBuilder.binary(dir)
                .rollCycle(ChronicleEventJournal.rollCycle(OrderGwConfig.defaults().journal.rollCycle))
                .timeoutMS(2_000)
                .build();
            appender = queue.createAppender();
            final UnsafeBuffer event = SampleEvents.partlyFilled();
            bytes = event.byteArray().clone();
        }

        /** Close and delete it. */
        @TearDown
        public void tearDown()
        {
            appender.close();
            queue.close();
            BenchDirs.deleteRecursively(dir);
        }
    }

    /**
     * Ours.
     *
     * @param s the journal.
     * @return the SeqNum appended.
     */
    @Benchmark
    public long ordergwJournalAppend(final OrdergwJournal s)
    {
        final long seqNum = s.journal.lastSeqNum() + 1;
        s.event.putLong(SampleEvents.SEQ_NUM_OFFSET, seqNum, OrderStateEventDecoder.BYTE_ORDER);
        s.journal.append(s.event, 0, s.event.capacity());
        return seqNum;
    }

    /**
     * The machine's limit.
     *
     * @param s the queue.
     */
    @Benchmark
    public void rawChronicleAppend(final RawQueue s)
    {
        try (DocumentContext dc = s.appender.writingDocument())
        {
            dc.wire().bytes().write(s.bytes, 0, s.bytes.length);
        }
    }
}
