package io.ordergw.engine;

import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.book.OrderBook;
import io.ordergw.engine.journal.ChronicleEventJournal;
import io.ordergw.engine.journal.DiskSpaceGuard;
import io.ordergw.engine.journal.EventJournal;
import io.ordergw.engine.journal.JournalReadAhead;
import io.ordergw.engine.snapshot.SnapshotStore;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.CountersManager;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Everything the engine needs, with fluent setters; {@link #conclude()} fills defaults from the configuration and
 * validates once, before start. Tests set what they need and leave the rest to the configuration.
 */
public final class EngineContext
{
    private OrderGwConfig config;
    private RingBuffer ingressRing;
    private RingBuffer egressRing;
    private EventJournal journal;
    private SnapshotStore snapshotStore;
    private DiskSpaceGuard diskSpaceGuard;
    private CountersManager countersManager;
    private IdleStrategy idleStrategy;
    private Supplier<OrderBook> bookFactory;
    private Agent sharedAgent;
    private long snapshotIntervalNanos = -1;
    private boolean concluded;

    /**
     * Settings source.
     *
     * @param config the configuration.
     * @return this.
     */
    public EngineContext config(final OrderGwConfig config)
    {
        this.config = config;
        return this;
    }

    /**
     * The configuration.
     *
     * @return the configuration.
     */
    public OrderGwConfig config()
    {
        return config;
    }

    /**
     * The ring commands arrive on (many producers, the engine consumes).
     *
     * @param ring the ring.
     * @return this.
     */
    public EngineContext ingressRing(final RingBuffer ring)
    {
        this.ingressRing = ring;
        return this;
    }

    /**
     * The ingress ring.
     *
     * @return the ring.
     */
    public RingBuffer ingressRing()
    {
        return ingressRing;
    }

    /**
     * The ring replies leave on (the engine produces, one consumer).
     *
     * @param ring the ring.
     * @return this.
     */
    public EngineContext egressRing(final RingBuffer ring)
    {
        this.egressRing = ring;
        return this;
    }

    /**
     * The egress ring.
     *
     * @return the ring.
     */
    public RingBuffer egressRing()
    {
        return egressRing;
    }

    /**
     * The journal.
     *
     * @param journal the journal.
     * @return this.
     */
    public EngineContext journal(final EventJournal journal)
    {
        this.journal = journal;
        return this;
    }

    /**
     * The journal.
     *
     * @return the journal.
     */
    public EventJournal journal()
    {
        return journal;
    }

    /**
     * Where snapshots go.
     *
     * @param store the store.
     * @return this.
     */
    public EngineContext snapshotStore(final SnapshotStore store)
    {
        this.snapshotStore = store;
        return this;
    }

    /**
     * The snapshot store.
     *
     * @return the store.
     */
    public SnapshotStore snapshotStore()
    {
        return snapshotStore;
    }

    /**
     * Periodic snapshot interval, overriding the configuration; 0 for none.
     *
     * @param interval the interval.
     * @return this.
     */
    public EngineContext snapshotInterval(final Duration interval)
    {
        this.snapshotIntervalNanos = interval.toNanos();
        return this;
    }

    /**
     * Periodic snapshot interval.
     *
     * @return nanoseconds; 0 for none.
     */
    public long snapshotIntervalNanos()
    {
        return snapshotIntervalNanos;
    }

    /**
     * The free-space guard of the journal's disk.
     *
     * @param guard the guard.
     * @return this.
     */
    public EngineContext diskSpaceGuard(final DiskSpaceGuard guard)
    {
        this.diskSpaceGuard = guard;
        return this;
    }

    /**
     * The free-space guard.
     *
     * @return the guard.
     */
    public DiskSpaceGuard diskSpaceGuard()
    {
        return diskSpaceGuard;
    }

    /**
     * Where counters live (an Aeron client's counters, to be visible to Aeron's tools, or a local buffer).
     *
     * @param countersManager the manager.
     * @return this.
     */
    public EngineContext countersManager(final CountersManager countersManager)
    {
        this.countersManager = countersManager;
        return this;
    }

    /**
     * The counters manager.
     *
     * @return the manager.
     */
    public CountersManager countersManager()
    {
        return countersManager;
    }

    /**
     * The engine thread's idle strategy.
     *
     * @param idleStrategy the strategy.
     * @return this.
     */
    public EngineContext idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /**
     * The idle strategy.
     *
     * @return the strategy.
     */
    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * Another agent to run on the engine's thread, before the EngineAgent in each duty cycle (tests run the event feed
     * there). The {@link EngineScheduler} composes it with the engine, starts it and closes it before the journal
     * closes; it must never block. The gateway sets none.
     *
     * @param agent the agent, or null for none.
     * @return this.
     */
    public EngineContext sharedAgent(final Agent agent)
    {
        this.sharedAgent = agent;
        return this;
    }

    /**
     * The agent sharing the engine's thread.
     *
     * @return the agent, or null.
     */
    public Agent sharedAgent()
    {
        return sharedAgent;
    }

    /**
     * Makes empty books with the configured bounds.
     *
     * @return the factory.
     */
    public Supplier<OrderBook> bookFactory()
    {
        return bookFactory;
    }

    /**
     * Fill defaults from the configuration and validate. Idempotent.
     *
     * @return this.
     */
    public EngineContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (config == null)
        {
            config = OrderGwConfig.defaults();
        }
        bookFactory = bookFactory(config);
        if (ingressRing == null)
        {
            ingressRing = new ManyToOneRingBuffer(ringBuffer(config.engine.ingressRingBytes));
        }
        if (egressRing == null)
        {
            egressRing = new OneToOneRingBuffer(ringBuffer(config.engine.egressRingBytes));
        }
        if (journal == null)
        {
            final ChronicleEventJournal chronicle =
                new ChronicleEventJournal(config.journal.dir, config.journal.rollCycle, config.journal.syncEachAppend);
            if (config.journal.readAhead > 0)
            {
                // run by the engine's scheduler: conclude() starts no thread
                chronicle.attachReadAhead(new JournalReadAhead(config.journal.readAhead));
            }
            journal = chronicle;
        }
        if (snapshotStore == null)
        {
            snapshotStore = new SnapshotStore(config.snapshot.dir, config.snapshot.keep);
        }
        if (snapshotIntervalNanos < 0)
        {
            snapshotIntervalNanos = config.snapshot.interval.toNanos();
        }
        if (diskSpaceGuard == null)
        {
            diskSpaceGuard = new DiskSpaceGuard(
                config.journal.dir, config.journal.minFreeSpace, config.journal.diskCheckInterval.toNanos());
        }
        if (countersManager == null)
        {
            countersManager = new CountersManager(
                new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)),
                new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)));
        }
        if (idleStrategy == null)
        {
            idleStrategy = IdleStrategies.of(config.engine.idleStrategy);
        }
        concluded = true;
        return this;
    }

    /**
     * Makes empty books with a configuration's bounds.
     *
     * @param config the configuration.
     * @return the factory.
     */
    public static Supplier<OrderBook> bookFactory(final OrderGwConfig config)
    {
        final OrderGwConfig.Book book = config.book;
        final long retentionNanos = book.terminalRetention.toNanos();
        return () -> new OrderBook(book.maxOpenOrders, book.maxOpenOrdersPerAccount, book.maxRetainedTerminalOrders,
            retentionNanos, book.initialCapacity);
    }

    /**
     * A ring buffer's backing memory for a capacity.
     *
     * @param capacity power-of-two data capacity.
     * @return the buffer, trailer included.
     */
    public static UnsafeBuffer ringBuffer(final int capacity)
    {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH));
    }
}
