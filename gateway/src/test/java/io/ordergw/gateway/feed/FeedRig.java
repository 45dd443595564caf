package io.ordergw.gateway.feed;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.codec.sbe.QueryReplyDecoder;
import io.ordergw.codec.sbe.ReplyDecoder;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.config.ThreadingMode;
import io.ordergw.engine.Commands;
import io.ordergw.engine.Engine;
import io.ordergw.engine.EngineContext;
import io.ordergw.engine.EngineScheduler;
import io.ordergw.engine.EngineProxy;
import io.ordergw.engine.EngineResponseAdapter;
import io.ordergw.engine.journal.DiskSpaceGuard;
import io.ordergw.engine.publish.EventFeed;
import io.ordergw.engine.publish.TestMediaDriver;
import io.ordergw.feed.client.FeedListener;
import io.ordergw.feed.client.FeedSubscriber;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.DynamicCompositeAgent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole feed in one process, for end-to-end tests: an embedded driver from the {@code ordergw.aeron} settings
 * (small terms, short time-outs, a unique directory deleted at close), the engine on its own thread with the feed on
 * its own thread or sharing the engine's, and feed subscribers run by one background {@link AgentRunner}. Commands
 * are new orders whose SeqNum equals their order id; the account of SeqNum s is {@code 1 + s % 3}.
 */
final class FeedRig implements AutoCloseable
{
    final Path dir;
    final Path aeronDir;
    final OrderGwConfig config;
    final EmbeddedDriver driver;
    final Aeron aeron;
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final boolean shareEngineThread;
    private final DynamicCompositeAgent consumers = new DynamicCompositeAgent("feed-consumers");
    private final AgentRunner consumerRunner;
    private final List<Consumer> all = new ArrayList<>();
    private final LongArrayList acknowledged = new LongArrayList();
    private EngineContext engineContext;
    private Engine engine;
    private EventFeed feed;
    private EngineProxy proxy;
    private EngineResponseAdapter replies;
    private long nextOrderId = 1;
    private long maxAckNanos;

    FeedRig(final Path dir, final boolean shareEngineThread)
    {
        this.dir = dir;
        this.shareEngineThread = shareEngineThread;
        this.aeronDir = TestMediaDriver.newAeronDir();
        this.config = OrderGwConfig.parse(
            "ordergw.data-dir = \"" + dir.resolve("data").toString().replace("\\", "/") + "\"\n" +
            "ordergw.engine.ingress-ring-bytes = 64KiB\n" +
            "ordergw.engine.egress-ring-bytes = 64KiB\n" +
            "ordergw.snapshot.interval = 0s\n" +
            "ordergw.aeron.dir = \"" + aeronDir + "\"\n" +
            "ordergw.aeron.term-length = 64KiB\n" +
            "ordergw.publisher.ipc-channel = \"aeron:ipc?untethered-window-limit-timeout=300ms|" +
            "untethered-linger-timeout=200ms|untethered-resting-timeout=300ms\"\n" +
            "ordergw.publisher.udp-channel = \"aeron:udp?control=127.0.0.1:" + TestMediaDriver.freeUdpPort() +
            "|control-mode=dynamic|fc=max\"\n" +
            "ordergw.publisher.replay-control-channel = \"aeron:udp?endpoint=127.0.0.1:" +
            TestMediaDriver.freeUdpPort() + "\"\n");
        final MediaDriver.Context driverContext = EmbeddedDriver.context(config.aeron)
            .timerIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .imageLivenessTimeoutNs(TimeUnit.SECONDS.toNanos(2))
            .publicationLingerTimeoutNs(TimeUnit.SECONDS.toNanos(1));
        EmbeddedDriver driver = null;
        try
        {
            driver = EmbeddedDriver.launch(driverContext);
            this.driver = driver;
            this.aeron = driver.connect();
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            IoUtil.delete(aeronDir.toFile(), true);
            throw ex;
        }
        consumerRunner = new AgentRunner(
            new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1)),
            errors::add, null, consumers);
        AgentRunner.startOnThread(consumerRunner);
    }

    /** Start (or restart) the engine and the feed on the data directory. */
    void startCore()
    {
        engineContext = new EngineContext()
            .config(config)
            .diskSpaceGuard(new DiskSpaceGuard(() -> Long.MAX_VALUE / 2, 1L << 20, 0, "test disk"))
            .conclude();
        final EventFeed.Context feedContext = new EventFeed.Context()
            .config(config)
            .aeron(aeron)
            .journal(engineContext.journal())
            .errorHandler(errors::add);
        if (shareEngineThread)
        {
            feed = EventFeed.open(feedContext);
            engine = Engine.launch(engineContext.sharedAgent(feed.agent()));
        }
        else
        {
            engine = Engine.prepare(engineContext);
            feed = EventFeed.open(feedContext.journalSeqNum(engine.agent().counters().journalSeqNum::get));
            new EngineScheduler(ThreadingMode.DEDICATED, engineContext.countersManager())
                .engine(engine).feed(feed.agent(), feed.context().idleStrategy()).start();
        }
        proxy = new EngineProxy(engineContext.ingressRing());
        replies = new EngineResponseAdapter(engineContext.egressRing(), new EngineResponseAdapter.Listener()
        {
            public void onReply(final ReplyDecoder reply)
            {
                assertEquals(0, reply.errorCode(), reply.detail());
                acknowledged.addLong(reply.seqNum());
            }

            public void onQueryReply(final QueryReplyDecoder reply)
            {
            }
        });
    }

    /**
     * Stop the engine and the feed; whoever reads the journal stops before the engine closes it: the engine's
     * scheduler stops the feed's agent (on its own thread or on the engine's) before the journal closes.
     */
    void stopCore()
    {
        CloseHelper.closeAll(engine, feed);
        engine = null;
        feed = null;
    }

    EventFeed feed()
    {
        return feed;
    }

    /**
     * Send new orders one by one, each acknowledged before the next, timing the acknowledgements.
     *
     * @param count how many.
     * @return the last SeqNum.
     */
    long sendNewOrders(final int count)
    {
        long seqNum = 0;
        for (int i = 0; i < count; i++)
        {
            final Commands command = Commands.newOrder(nextOrderId++);
            command.accountId = accountOf(command.orderId);
            final long startNs = System.nanoTime();
            await(5_000, () -> proxy.offer(command.encode(), 0, command.length()));
            final int before = acknowledged.size();
            await(5_000, () -> replies.poll(10) > 0 && acknowledged.size() > before);
            maxAckNanos = Math.max(maxAckNanos, System.nanoTime() - startNs);
            seqNum = acknowledged.getLong(acknowledged.size() - 1);
            assertEquals(command.orderId, seqNum, "one event per new order: SeqNum = order id");
        }
        return seqNum;
    }

    long maxAckNanos()
    {
        return maxAckNanos;
    }

    static int accountOf(final long seqNum)
    {
        return 1 + (int)(seqNum % 3);
    }

    /**
     * A subscriber run by the consumer thread, recording the SeqNums it delivers.
     *
     * @param context a context to complete (IPC or UDP, start, filter).
     * @return the consumer.
     */
    Consumer consumer(final FeedSubscriber.Context context)
    {
        return consumer(context, 0);
    }

    /**
     * A subscriber run by the consumer thread that polls at most once per interval (a consumer that reads slowly).
     *
     * @param context        a context to complete.
     * @param pollIntervalNs the least time between two duty cycles of the subscriber, 0 for none.
     * @return the consumer.
     */
    Consumer consumer(final FeedSubscriber.Context context, final long pollIntervalNs)
    {
        final Consumer consumer = new Consumer(pollIntervalNs);
        consumer.subscriber = new FeedSubscriber(context.aeron(aeron).listener(consumer).errorHandler(errors::add));
        all.add(consumer);
        await(5_000, () -> consumers.tryAdd(consumer));
        await(5_000, consumers::hasAddAgentCompleted);
        return consumer;
    }

    FeedSubscriber.Context ipc()
    {
        return FeedContexts.ipc(config);
    }

    FeedSubscriber.Context udp()
    {
        return FeedContexts.udp(config, "127.0.0.1").replayTimeoutNs(TimeUnit.SECONDS.toNanos(2));
    }

    /** Stop a consumer: the consumer thread closes its subscriber. */
    void remove(final Consumer consumer)
    {
        await(5_000, () -> consumers.tryRemove(consumer));
        await(5_000, consumers::hasRemoveAgentCompleted);
    }

    static void await(final long timeoutMs, final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("condition not met within " + timeoutMs + " ms");
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
        }
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(consumerRunner);
        if (null != engine)
        {
            stopCore();
        }
        CloseHelper.quietCloseAll(aeron, driver);
        IoUtil.delete(aeronDir.toFile(), true);
    }

    /** A subscriber on the consumer thread; the test reads what it got through synchronized copies. */
    static final class Consumer implements Agent, FeedListener
    {
        private final LongArrayList seqNums = new LongArrayList();
        private volatile boolean paused;
        private volatile long lastSeqNum = Long.MIN_VALUE;
        private volatile boolean live;
        FeedSubscriber subscriber;
        private volatile int wrongAccount;
        private final long pollIntervalNs;
        private long nextPollNs;

        Consumer(final long pollIntervalNs)
        {
            this.pollIntervalNs = pollIntervalNs;
        }

        @Override
        public void onEvent(
            final long seqNum,
            final OrderStateEventDecoder event,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            if (event.seqNum() != seqNum || event.accountId() != accountOf(seqNum) || event.orderId() != seqNum)
            {
                wrongAccount++;
            }
            synchronized (this)
            {
                seqNums.addLong(seqNum);
            }
        }

        @Override
        public int doWork()
        {
            if (paused)
            {
                return 0;
            }
            if (pollIntervalNs > 0)
            {
                final long nowNs = System.nanoTime();
                if (nowNs - nextPollNs < 0)
                {
                    return 0;
                }
                nextPollNs = nowNs + pollIntervalNs;
            }
            final int work = subscriber.doWork();
            lastSeqNum = subscriber.lastSeqNum();
            live = subscriber.isLive();
            return work;
        }

        @Override
        public void onClose()
        {
            subscriber.close();
        }

        @Override
        public String roleName()
        {
            return "consumer";
        }

        void pause(final boolean paused)
        {
            this.paused = paused;
        }

        long lastSeqNum()
        {
            return lastSeqNum;
        }

        boolean isLive()
        {
            return live;
        }

        synchronized long[] seqNums()
        {
            return seqNums.toLongArray();
        }

        synchronized int count()
        {
            return seqNums.size();
        }

        void assertNoBadEvents()
        {
            assertEquals(0, wrongAccount, "events decoded through the flyweight match their SeqNum");
        }
    }
}
