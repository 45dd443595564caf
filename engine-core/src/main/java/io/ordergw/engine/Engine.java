package io.ordergw.engine;

import io.ordergw.config.OrderGwConfig;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine as a running thing: recovers the book, then runs the {@link EngineAgent} on its own thread (or leaves
 * the duty cycle to the caller, for tests and benchmarks that drive it by hand).
 */
public final class Engine implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final EngineContext context;
    private final Recovery.Result recovery;
    private final EngineAgent agent;
    private final AgentRunner runner;
    private final SnapshotFollower follower;
    private final AgentRunner followerRunner;
    private volatile boolean closed;

    private Engine(final EngineContext context, final boolean startThread)
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
        // Without a thread of its own the engine runs on the caller's thread, and so does its snapshot writing.
        final boolean followerWrites = startThread &&
            OrderGwConfig.Snapshot.FOLLOWER.equals(context.config().snapshot.writer);
        this.agent = new EngineAgent(context, recovery.book, recovery.snapshotSeqNum, !followerWrites);
        if (followerWrites)
        {
            follower = new SnapshotFollower(context.bookFactory(), context.snapshotStore(), context.journal(),
                context.snapshotIntervalNanos(), agent.counters());
            // The follower needs no latency: when caught up it sleeps 1 ms and then takes the backlog in one batch, so
            // it never spins or yields beside the engine on a small machine.
            followerRunner = new AgentRunner(new SleepingMillisIdleStrategy(1),
                ex -> LOG.error("snapshot follower fault", ex), null, follower);
            AgentRunner.startOnThread(followerRunner);
        }
        else
        {
            follower = null;
            followerRunner = null;
        }
        if (startThread)
        {
            // A shared agent goes first so that it is closed before the EngineAgent closes the journal.
            final Agent shared = context.sharedAgent();
            final Agent threadAgent = null == shared ? agent : new CompositeAgent(shared, agent);
            runner = new AgentRunner(context.idleStrategy(), ex -> LOG.error("engine fault", ex), null, threadAgent);
            AgentRunner.startOnThread(runner);
        }
        else
        {
            runner = null;
            agent.onStart();
        }
    }

    /**
     * Recover and start the engine thread.
     *
     * @param context settings and collaborators.
     * @return the running engine.
     */
    public static Engine launch(final EngineContext context)
    {
        return new Engine(context, true);
    }

    /**
     * Recover without starting a thread: the caller runs {@link EngineAgent#doWork()}.
     *
     * @param context settings and collaborators.
     * @return the engine.
     */
    public static Engine open(final EngineContext context)
    {
        return new Engine(context, false);
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
     * The thread writing snapshots from its own copy of the book, or null when the engine writes them.
     *
     * @return the follower.
     */
    public SnapshotFollower snapshotFollower()
    {
        return follower;
    }

    /**
     * Whether the engine takes commands: not closed and, when it has a thread of its own, that thread is alive (a
     * thread that died on an error no longer decides anything). Safe from any thread.
     *
     * @return true while running.
     */
    public boolean isRunning()
    {
        if (closed)
        {
            return false;
        }
        if (runner == null)
        {
            return true;
        }
        final Thread thread = runner.thread();
        return !runner.isClosed() && thread != null && thread.isAlive();
    }

    /**
     * Stop: the engine stops taking commands, a final snapshot is written (by whichever writes them, once the follower
     * has read the journal to its end), then the journal and the counters close.
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
            if (runner != null)
            {
                CloseHelper.close(runner);
            }
            else
            {
                agent.onClose();
            }
        }
        finally
        {
            try
            {
                CloseHelper.close(followerRunner);
            }
            finally
            {
                CloseHelper.closeAll(context.journal(), agent.counters());
            }
        }
    }
}
