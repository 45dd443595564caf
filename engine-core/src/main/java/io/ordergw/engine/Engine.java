package io.ordergw.engine;

import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.journal.ChronicleEventJournal;
import io.ordergw.engine.journal.JournalReadAhead;
import org.agrona.CloseHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine as a running thing: recovers the book and builds its agents (the {@link EngineAgent}, the
 * {@link SnapshotFollower} when it writes the snapshots, the journal's read-ahead). It starts no thread itself: an
 * {@link EngineScheduler} runs the agents ({@link #launch} makes one from {@code ordergw.threading-mode}; the gateway
 * schedules a {@link #prepare prepared} engine with its own agents), or the caller drives the engine alone
 * ({@link #open}).
 */
public final class Engine implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final EngineContext context;
    private final Recovery.Result recovery;
    private final EngineAgent agent;
    private final SnapshotFollower follower;
    private volatile EngineScheduler scheduler;
    private volatile boolean closed;

    private Engine(final EngineContext context, final boolean scheduled)
    {
        this.context = context.conclude();
        try
        {
            this.recovery = Recovery.recover(context.bookFactory(), context.snapshotStore(), context.journal());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(context.journal());
            throw ex;
        }
        LOG.info("recovered {} orders: snapshot at SeqNum {}, {} events replayed in {} ms ({} events/s)",
            recovery.book.size(), recovery.snapshotSeqNum, recovery.replayedEvents, recovery.replayNanos / 1_000_000,
            (long)recovery.eventsPerSecond());
        // Driven by the caller, the engine runs on the caller's thread, and so does its snapshot writing.
        final boolean followerWrites = scheduled &&
            OrderGwConfig.Snapshot.FOLLOWER.equals(context.config().snapshot.writer);
        this.agent = new EngineAgent(context, recovery.book, recovery.snapshotSeqNum, !followerWrites);
        this.follower = followerWrites ?
            new SnapshotFollower(context.bookFactory(), context.snapshotStore(), context.journal(),
            context.snapshotIntervalNanos(), agent.counters()) :
            null;
    }

    /**
     * Recover and run the engine's agents as {@code ordergw.threading-mode} says (in INVOKER, the caller drives
     * {@code scheduler().invoke()}).
     *
     * @param context settings and collaborators.
     * @return the running engine.
     */
    public static Engine launch(final EngineContext context)
    {
        final Engine engine = new Engine(context, true);
        try
        {
            new EngineScheduler(engine.context.config().threadingMode, engine.context.countersManager())
                .engine(engine).start();
        }
        catch (final RuntimeException ex)
        {
            engine.close();
            throw ex;
        }
        return engine;
    }

    /**
     * Recover and build the agents without running them: hand the engine to an {@link EngineScheduler} with the
     * process's other agents ({@link EngineScheduler#engine}); {@link #close()} then closes that scheduler first.
     *
     * @param context settings and collaborators.
     * @return the engine.
     */
    public static Engine prepare(final EngineContext context)
    {
        return new Engine(context, true);
    }

    /**
     * Recover without starting a thread: the caller runs {@link EngineAgent#doWork()} (the engine writes its own
     * snapshots and the journal is not read ahead).
     *
     * @param context settings and collaborators.
     * @return the engine.
     */
    public static Engine open(final EngineContext context)
    {
        final Engine engine = new Engine(context, false);
        engine.agent.onStart();
        return engine;
    }

    void scheduledBy(final EngineScheduler scheduler)
    {
        if (null != this.scheduler)
        {
            throw new IllegalStateException("the engine is already scheduled");
        }
        this.scheduler = scheduler;
    }

    /**
     * The scheduler running the agents, or null for an engine the caller drives.
     *
     * @return the scheduler.
     */
    public EngineScheduler scheduler()
    {
        return scheduler;
    }

    /**
     * The journal's read-ahead agent, scheduled with the engine (null when {@code ordergw.journal.read-ahead} is 0
     * or the journal is not a Chronicle one).
     *
     * @return the agent or null.
     */
    public JournalReadAhead readAhead()
    {
        return context.journal() instanceof ChronicleEventJournal ?
            ((ChronicleEventJournal)context.journal()).readAhead() : null;
    }

    /**
     * The agent (call its doWork only if this engine was {@link #open}ed).
     *
     * @return the agent.
     */
    public EngineAgent agent()
    {
        return agent;
    }

    /**
     * The concluded context.
     *
     * @return the context.
     */
    public EngineContext context()
    {
        return context;
    }

    /**
     * What recovery did at start.
     *
     * @return the result.
     */
    public Recovery.Result recovery()
    {
        return recovery;
    }

    /**
     * The agent writing snapshots from its own copy of the book, or null when the engine writes them.
     *
     * @return the follower.
     */
    public SnapshotFollower snapshotFollower()
    {
        return follower;
    }

    /**
     * Whether the engine takes commands: not closed and, when a scheduler runs it, its runner is alive (a thread
     * that died on an error no longer decides anything). Safe from any thread.
     *
     * @return true while running.
     */
    public boolean isRunning()
    {
        if (closed)
        {
            return false;
        }
        final EngineScheduler current = scheduler;
        return null == current || current.isRunning(agent);
    }

    /**
     * Stop: the scheduler in its safe order (the engine stops taking commands, a final snapshot is written by
     * whichever writes them, the readers of the journal stop), or the agent driven by the caller; then the journal
     * and the counters close.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            final EngineScheduler current = scheduler;
            if (null != current)
            {
                CloseHelper.close(current);
            }
            else
            {
                agent.onClose();
            }
        }
        finally
        {
            CloseHelper.closeAll(context.journal(), agent.counters());
        }
    }
}
