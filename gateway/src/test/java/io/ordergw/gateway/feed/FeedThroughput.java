package io.ordergw.gateway.feed;

import io.aeron.Aeron;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.journal.ChronicleEventJournal;
import io.ordergw.engine.publish.EventFeed;
import io.ordergw.engine.publish.FeedEvents;
import io.ordergw.engine.publish.TestMediaDriver;
import io.ordergw.feed.client.FeedSubscriber;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Measures the feed's throughput, in events per second (not a test, not JMH: one process, wall clock, a few runs):
 * <ol>
 *   <li><b>publish</b>: a journal already holding N events; the EventPublisher on its own thread tails it into the IPC
 *   publication; a FeedSubscriber (live) on the main thread delivers each to a listener that reads two fields;</li>
 *   <li><b>append+publish</b>: the same while another thread appends the N events to the journal;</li>
 *   <li><b>replay</b>: a FeedSubscriber started from SeqNum 1 receives the N events through the replay service
 *   (request, journal read, IPC replay publication, hand-over to live).</li>
 * </ol>
 * Run it with the project's JVM flags (see docs/feed.md, "Throughput"):
 * <pre>
 *   java $FLAGS -cp ... io.ordergw.gateway.feed.FeedThroughput [events=1000000] [runs=3] [udp]
 * </pre>
 * With {@code udp} the live feed and the replays go over UDP loopback instead of IPC. Everything uses the production
 * defaults (4 MiB terms, backing-off idle strategies, the embedded driver's SHARED thread).
 */
public final class FeedThroughput
{
    private FeedThroughput()
    {
    }

    /**
     * Run.
     *
     * @param args events, runs, and "udp" for UDP.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final boolean udp = args.length > 2 && "udp".equals(args[2]);
        final Path dir = Files.createTempDirectory("ordergw-feed-throughput");
        final Path aeronDir = TestMediaDriver.newAeronDir();
        final OrderGwConfig config = OrderGwConfig.parse(
            "ordergw.aeron.dir = \"" + aeronDir + "\"\n" +
            "ordergw.publisher.udp-channel = \"aeron:udp?control=127.0.0.1:" + TestMediaDriver.freeUdpPort() +
            "|control-mode=dynamic|fc=max\"\n" +
            "ordergw.publisher.replay-control-channel = \"aeron:udp?endpoint=127.0.0.1:" +
            TestMediaDriver.freeUdpPort() + "\"\n");
        final FeedEvents encoder = new FeedEvents();
        System.out.printf(Locale.ROOT, "events: %,d of %d bytes; term length %d KiB; %s; %d cores%n", events,
            encoder.encode(1, 1, 0), config.aeron.termLength >> 10, udp ? "UDP loopback" : "IPC",
            Runtime.getRuntime().availableProcessors());

        try (EmbeddedDriver driver = EmbeddedDriver.launch(config.aeron);
            Aeron aeron = driver.connect())
        {
            for (int run = 1; run <= runs; run++)
            {
                final Path journalDir = dir.resolve("journal-" + run);
                try (ChronicleEventJournal journal = new ChronicleEventJournal(journalDir, "FAST_DAILY", false))
                {
                    final long appendStart = System.nanoTime();
                    encoder.append(journal, events, 3, 0);
                    final long appendNs = System.nanoTime() - appendStart;
                    final double publish = publish(config, aeron, journal, events, udp);
                    final double replay = replay(config, aeron, journal, events, udp);
                    System.out.printf(Locale.ROOT,
                        "run %d: journal append %,.0f events/s | publish journal -> %s -> subscriber %,.0f events/s" +
                        " | replay %,.0f events/s%n",
                        run, events * 1e9 / appendNs, udp ? "UDP" : "IPC", publish, replay);
                }
                final Path liveDir = dir.resolve("live-" + run);
                try (ChronicleEventJournal journal = new ChronicleEventJournal(liveDir, "FAST_DAILY", false))
                {
                    System.out.printf(Locale.ROOT, "run %d: append+publish (writer thread appending meanwhile) %,.0f" +
                        " events/s%n", run, appendAndPublish(config, aeron, journal, events, udp));
                }
                IoUtil.delete(journalDir.toFile(), true);
                IoUtil.delete(liveDir.toFile(), true);
            }
        }
        finally
        {
            IoUtil.delete(dir.toFile(), true);
            IoUtil.delete(aeronDir.toFile(), true);
        }
    }

    private static FeedSubscriber.Context subscriberContext(final OrderGwConfig config, final boolean udp)
    {
        return udp ? FeedContexts.udp(config, "127.0.0.1") : FeedContexts.ipc(config);
    }

    private static EventFeed.Context feedContext(
        final OrderGwConfig config, final Aeron aeron, final ChronicleEventJournal journal, final boolean udp)
    {
        final EventFeed.Context context = new EventFeed.Context().config(config).aeron(aeron).journal(journal);
        return udp ? context : context.udpChannel("").replayControlChannel("");
    }

    private static double publish(
        final OrderGwConfig config, final Aeron aeron, final ChronicleEventJournal journal, final int events,
        final boolean udp)
    {
        final long[] firstNs = new long[1];
        final long[] sum = new long[1];
        try (EventFeed feed = EventFeed.open(feedContext(config, aeron, journal, udp).fromSeqNum(1));
            FeedSubscriber subscriber = new FeedSubscriber(subscriberContext(config, udp)
                .aeron(aeron)
                .listener((seqNum, event, buffer, offset, length) ->
                {
                    if (seqNum == 1)
                    {
                        firstNs[0] = System.nanoTime();
                    }
                    sum[0] += event.quantity() + event.accountId();
                })))
        {
            awaitConnected(subscriber);
            final AgentRunner runner = new AgentRunner(backoff(), Throwable::printStackTrace, null, feed.agent());
            AgentRunner.startOnThread(runner);
            try
            {
                drain(subscriber, events);
            }
            finally
            {
                CloseHelper.close(runner);
            }
            final long elapsedNs = System.nanoTime() - firstNs[0];
            check(subscriber, events, sum[0]);
            return (events - 1) * 1e9 / elapsedNs;
        }
    }

    private static double appendAndPublish(
        final OrderGwConfig config, final Aeron aeron, final ChronicleEventJournal journal, final int events,
        final boolean udp) throws InterruptedException
    {
        final long[] sum = new long[1];
        try (EventFeed feed = EventFeed.open(feedContext(config, aeron, journal, udp).fromSeqNum(1));
            FeedSubscriber subscriber = new FeedSubscriber(subscriberContext(config, udp)
                .aeron(aeron)
                .listener((seqNum, event, buffer, offset, length) -> sum[0] += event.quantity() + event.accountId())))
        {
            awaitConnected(subscriber);
            final AgentRunner runner = new AgentRunner(backoff(), Throwable::printStackTrace, null, feed.agent());
            final Thread writer = new Thread(() -> new FeedEvents().append(journal, events, 3, 0), "journal-writer");
            final long startNs = System.nanoTime();
            writer.start();
            AgentRunner.startOnThread(runner);
            try
            {
                drain(subscriber, events);
            }
            finally
            {
                CloseHelper.close(runner);
                writer.join();
            }
            final long elapsedNs = System.nanoTime() - startNs;
            check(subscriber, events, sum[0]);
            return events * 1e9 / elapsedNs;
        }
    }

    private static double replay(
        final OrderGwConfig config, final Aeron aeron, final ChronicleEventJournal journal, final int events,
        final boolean udp)
    {
        final long[] sum = new long[1];
        try (EventFeed feed = EventFeed.open(feedContext(config, aeron, journal, udp)))
        {
            final AgentRunner runner = new AgentRunner(backoff(), Throwable::printStackTrace, null, feed.agent());
            AgentRunner.startOnThread(runner);
            try
            {
                final long startNs = System.nanoTime();
                try (FeedSubscriber subscriber = new FeedSubscriber(subscriberContext(config, udp)
                    .aeron(aeron)
                    .fromSeqNum(1)
                    .replayTimeoutNs(TimeUnit.SECONDS.toNanos(30))
                    .listener((seqNum, event, buffer, offset, length) ->
                        sum[0] += event.quantity() + event.accountId())))
                {
                    drain(subscriber, events);
                    final long elapsedNs = System.nanoTime() - startNs;
                    check(subscriber, events, sum[0]);
                    if (subscriber.eventsReplayed() != events)
                    {
                        throw new IllegalStateException("not all replayed: " + subscriber.eventsReplayed());
                    }
                    return events * 1e9 / elapsedNs;
                }
            }
            finally
            {
                CloseHelper.close(runner);
            }
        }
    }

    private static void awaitConnected(final FeedSubscriber subscriber)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!subscriber.isConnected())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("subscriber not connected");
            }
            subscriber.doWork();
            Thread.yield();
        }
    }

    private static void drain(final FeedSubscriber subscriber, final int events)
    {
        final IdleStrategy idle = backoff();
        final long deadlineNs = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (subscriber.lastSeqNum() < events)
        {
            idle.idle(subscriber.doWork());
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("stuck at " + subscriber.lastSeqNum());
            }
        }
    }

    private static void check(final FeedSubscriber subscriber, final int events, final long sum)
    {
        if (subscriber.eventsDelivered() != events || subscriber.duplicatesDropped() != 0 || sum == 0)
        {
            throw new IllegalStateException("delivered " + subscriber.eventsDelivered() + ", duplicates " +
                subscriber.duplicatesDropped());
        }
    }

    private static IdleStrategy backoff()
    {
        return new BackoffIdleStrategy(64, 64, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
    }
}
