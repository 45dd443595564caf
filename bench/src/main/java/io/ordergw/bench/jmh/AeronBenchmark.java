package io.ordergw.bench.jmh;

import com.sun.management.ThreadMXBean;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.FragmentHandler;
import io.ordergw.bench.BenchConfig;
import io.ordergw.bench.BenchDirs;
import io.ordergw.bench.fixture.AeronFixture;
import io.ordergw.bench.fixture.SampleEvents;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.journal.ChronicleEventJournal;
import io.ordergw.engine.publish.EventFeed;
import io.ordergw.feed.client.FeedSubscriber;
import io.ordergw.gateway.feed.FeedContexts;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
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
import java.lang.management.ManagementFactory;
import java.util.function.BooleanSupplier;
import org.openjdk.jmh.annotations.Level;

/**
 * From the journal to Aeron, one event per operation, on one thread (the media driver runs embedded, SHARED, on its
 * own thread, as in the gateway). Consumers drain every {@value #BATCH} events, as a consumer woken by a batch would.
 * <ul>
 *   <li>{@link #rawIpcExclusive}: the machine's limit: an exclusive IPC publication, {@code tryClaim} of an
 *   event-sized message, a bare subscription draining it;</li>
 *   <li>{@link #ordergwJournalAndPublish}: ours: append to the journal ({@link ChronicleEventJournal}); every
 *   {@value #BATCH} events the feed's duty cycle ({@code EventPublisher}: tail the journal, {@code tryClaim} into the
 *   IPC publication) and a bare subscription draining it;</li>
 *   <li>{@link #ordergwPublishToSubscriber}: the same with our subscriber API ({@link FeedSubscriber}: SeqNum gap
 *   checks, a flyweight over each event handed to a listener) as the consumer: publish to subscriber.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AeronBenchmark
{
    static final int BATCH = 32;
    private static final int RAW_STREAM_ID = 2001;
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    /** A driver and a raw publication/subscription pair over IPC. */
    @State(Scope.Thread)
    public static class RawIpc
    {
        Path dataDir;
        AeronFixture fixture;
        ExclusivePublication publication;
        Subscription subscription;
        final BufferClaim claim = new BufferClaim();
        UnsafeBuffer event;
        long count;
        long received;
        final FragmentHandler handler = (buffer, offset, length, header) -> received++;

        /** Start the driver and connect the pair. */
        @Setup
        public void setup()
        {
            dataDir = BenchDirs.newDataDir("raw-aeron");
            final OrderGwConfig config = BenchConfig.of(dataDir, AeronFixture.newDir(), "backoff", "");
            fixture = new AeronFixture(config);
            publication = fixture.aeron().addExclusivePublication("aeron:ipc", RAW_STREAM_ID);
            subscription = fixture.aeron().addSubscription("aeron:ipc", RAW_STREAM_ID);
            awaitConnected(() -> publication.isConnected());
            event = SampleEvents.partlyFilled();
        }

        void drain()
        {
            while (subscription.poll(handler, 1024) > 0)
            {
                // until empty
            }
        }

        /** Check delivery, stop. */
        @TearDown
        public void tearDown()
        {
            drain();
            CloseHelper.closeAll(subscription, publication, fixture);
            BenchDirs.deleteRecursively(dataDir);
            if (received == 0)
            {
                throw new IllegalStateException("nothing received");
            }
        }
    }

    /** A journal, the feed (publisher and replay service) on this thread, and a consumer. */
    @State(Scope.Thread)
    public static class Feed
    {
        Path dataDir;
        AeronFixture fixture;
        ChronicleEventJournal journal;
        EventFeed feed;
        Agent feedAgent;
        Subscription rawSubscription;
        FeedSubscriber feedSubscriber;
        UnsafeBuffer event;
        long count;
        long received;
        long threadBytesAtStart = -1;
        long countAtStart;
        final FragmentHandler handler = (buffer, offset, length, header) -> received++;

        /**
         * JMH's -prof gc counts the garbage of every thread of the JVM, the embedded media driver's and Chronicle's
         * background threads included; this prints the benchmark thread's own (the publishing path's) at the end.
         */
        @Setup(Level.Iteration)
        public void markAllocation()
        {
            if (threadBytesAtStart < 0)
            {
                threadBytesAtStart = threadAllocatedBytes();
                countAtStart = count;
            }
        }

        static long threadAllocatedBytes()
        {
            return ManagementFactory.getThreadMXBean() instanceof ThreadMXBean threads ?
                threads.getCurrentThreadAllocatedBytes() : -1;
        }

        /** Start everything; the consumer chooses between a raw subscription and the subscriber API. */
        void start(final boolean subscriberApi)
        {
            dataDir = BenchDirs.newDataDir("feed");
            final OrderGwConfig config = BenchConfig.of(dataDir, AeronFixture.newDir(), "backoff", "");
            fixture = new AeronFixture(config);
            journal = new ChronicleEventJournal(config.journal.dir, config.journal.rollCycle, false);
            feed = EventFeed.open(new EventFeed.Context().config(config).aeron(fixture.aeron()).journal(journal));
            feedAgent = feed.agent();
            feedAgent.onStart();
            if (subscriberApi)
            {
                feedSubscriber = new FeedSubscriber(FeedContexts.ipc(config)
                    .aeron(fixture.aeron())
                    .listener((seqNum, e, buffer, offset, length) -> received++));
                awaitConnected(() ->
                {
                    feedSubscriber.doWork();
                    doWork(feedAgent);
                    return feedSubscriber.isConnected();
                });
            }
            else
            {
                rawSubscription = fixture.aeron().addSubscription("aeron:ipc", config.publisher.ipcStreamId);
                awaitConnected(() ->
                {
                    doWork(feedAgent);
                    return rawSubscription.isConnected();
                });
            }
            event = SampleEvents.partlyFilled();
        }

        void publishAndConsume()
        {
            doWork(feedAgent);
            if (null != feedSubscriber)
            {
                feedSubscriber.doWork();
            }
            else
            {
                while (rawSubscription.poll(handler, 1024) > 0)
                {
                    // until empty
                }
            }
        }

        /** Check delivery, stop, delete the journal. */
        @TearDown
        public void tearDown()
        {
            final long ops = count - countAtStart;
            if (ops > 0 && threadBytesAtStart >= 0)
            {
                System.out.printf("benchmark thread (journal + publisher + consumer) allocated %.3f B/op%n",
                    (threadAllocatedBytes() - threadBytesAtStart) / (double)ops);
            }
            for (int i = 0; i < 100; i++)
            {
                publishAndConsume();
            }
            final long appended = journal.lastSeqNum();
            CloseHelper.closeAll(feedSubscriber, rawSubscription);
            feed.close();
            journal.close();
            fixture.close();
            BenchDirs.deleteRecursively(dataDir);
            if (received < appended / 2)
            {
                throw new IllegalStateException(
                    "only " + received + " of " + appended + " events reached the consumer");
            }
        }
    }

    /** The feed with a raw subscription. */
    @State(Scope.Thread)
    public static class RawConsumerFeed extends Feed
    {
        /** Start. */
        @Setup
        public void setup()
        {
            start(false);
        }
    }

    /** The feed with the subscriber API. */
    @State(Scope.Thread)
    public static class SubscriberApiFeed extends Feed
    {
        /** Start. */
        @Setup
        public void setup()
        {
            start(true);
        }
    }

    static int doWork(final Agent agent)
    {
        try
        {
            return agent.doWork();
        }
        catch (final RuntimeException ex)
        {
            throw ex;
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static void awaitConnected(final BooleanSupplier connected)
    {
        final long deadline = System.nanoTime() + CONNECT_TIMEOUT_NS;
        while (!connected.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("not connected within 10 s");
            }
            Thread.yield();
        }
    }

    /**
     * The machine's limit: claim, copy, commit; a bare subscription drains every {@value #BATCH}.
     *
     * @param s the pair.
     * @return the position.
     */
    @Benchmark
    public long rawIpcExclusive(final RawIpc s)
    {
        final int length = s.event.capacity();
        long position;
        while ((position = s.publication.tryClaim(length, s.claim)) < 0)
        {
            s.drain();
            Thread.onSpinWait();
        }
        s.claim.putBytes(s.event, 0, length).commit();
        if (++s.count % BATCH == 0)
        {
            s.drain();
        }
        return position;
    }

    /**
     * Ours: journal, then the publisher's duty cycle every {@value #BATCH} events.
     *
     * @param s the feed.
     * @return the SeqNum.
     */
    @Benchmark
    public long ordergwJournalAndPublish(final RawConsumerFeed s)
    {
        return appendAndPublish(s);
    }

    /**
     * Ours, through the subscriber API.
     *
     * @param s the feed.
     * @return the SeqNum.
     */
    @Benchmark
    public long ordergwPublishToSubscriber(final SubscriberApiFeed s)
    {
        return appendAndPublish(s);
    }

    private static long appendAndPublish(final Feed s)
    {
        final long seqNum = s.journal.lastSeqNum() + 1;
        s.event.putLong(SampleEvents.SEQ_NUM_OFFSET, seqNum, OrderStateEventDecoder.BYTE_ORDER);
        s.journal.append(s.event, 0, s.event.capacity());
        if (++s.count % BATCH == 0)
        {
            s.publishAndConsume();
        }
        return seqNum;
    }
}
