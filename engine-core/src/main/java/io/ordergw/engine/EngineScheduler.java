package io.ordergw.engine;

import io.ordergw.codec.OrderGwCounters;
import io.ordergw.config.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The thread model of the process, in one place: which agents exist, which thread runs each, in which order they
 * start and stop ({@code ordergw.threading-mode}, as Aeron's {@code MediaDriver} applies its {@code ThreadingMode}).
 * Nothing else in the process starts an agent's thread.
 * <table>
 * <caption>Agents per mode</caption>
 * <tr><th>agent</th><th>DEDICATED</th><th>SHARED</th><th>INVOKER</th></tr>
 * <tr><td>engine ({@link EngineAgent})</td><td>ordergw-engine</td><td>ordergw-engine</td><td rowspan="7">no thread:
 * one {@link AgentInvoker} over all of them, driven by the owner's {@link #invoke()}</td></tr>
 * <tr><td>router (replies and events to sessions)</td><td>ordergw-router</td><td rowspan="5">ordergw-shared: one
 * {@link CompositeAgent}, the router's idle strategy</td></tr>
 * <tr><td>feed (publisher, replay service)</td><td>ordergw-feed</td></tr>
 * <tr><td>snapshot follower</td><td>ordergw-snapshot</td></tr>
 * <tr><td>journal read-ahead</td><td>ordergw-journal-read-ahead</td></tr>
 * <tr><td>housekeeping (slow ticks)</td><td>ordergw-housekeeping</td></tr>
 * <tr><td>/metrics scrapes (an executor: a scrape takes milliseconds)</td><td>ordergw-metrics-scrape</td>
 * <td>ordergw-metrics-scrape</td></tr>
 * </table>
 * Outside it: Netty's acceptor and I/O threads and the login pool (PBKDF2), started by the gateway, and the embedded
 * media driver's threads (Aeron's own {@code ThreadingMode}).
 * <p>
 * Start order: the agents that read the journal first (read-ahead, snapshot follower, feed), then the router, the
 * housekeeping and, last, the engine, so that every reader is in place before the first command is decided. Close
 * order ({@link #close()}), the same in every mode: the engine first (the owner has stopped accepting and let it take
 * what was accepted; it writes its final snapshot if it writes them), then the housekeeping, the router, the feed,
 * the snapshot follower (it reads the journal to its end, which the engine no longer extends, and writes the final
 * snapshot) and the read-ahead. The journal closes after all of them, in {@link Engine#close()}: nothing that reads
 * its mapped files runs by then.
 * <p>
 * Every runner (and the invoker) has an error counter in the given {@link CountersManager}, type
 * {@link #AGENT_ERRORS_TYPE_ID}, labelled {@code "agent errors: <role name>"}, and an error handler that logs an
 * agent's first error and counts the rest.
 */
public final class EngineScheduler implements AutoCloseable
{
    /** Type id of the error counter of each agent runner (the registry's, keyed by the agent's role name). */
    public static final int AGENT_ERRORS_TYPE_ID = OrderGwCounters.AGENT_ERRORS_TYPE_ID;

    private static final Logger LOG = LoggerFactory.getLogger(EngineScheduler.class);

    private final ThreadingMode mode;
    private final CountersManager countersManager;
    private final List<AgentRunner> runners = new ArrayList<>();
    private final List<AtomicCounter> errorCounters = new ArrayList<>();
    private Agent engine;
    private IdleStrategy engineIdle;
    private Agent router;
    private IdleStrategy routerIdle;
    private Agent feed;
    private IdleStrategy feedIdle;
    private Agent snapshotFollower;
    private Agent readAhead;
    private Agent housekeeping;
    private AgentInvoker invoker;
    private ExecutorService scrapeExecutor;
    private boolean started;
    private volatile boolean closed;

    /**
     * A scheduler; give it its agents, then {@link #start()} it.
     *
     * @param mode            how the agents are put on threads.
     * @param countersManager where the runners' error counters are allocated.
     */
    public EngineScheduler(final ThreadingMode mode, final CountersManager countersManager)
    {
        this.mode = mode;
        this.countersManager = countersManager;
    }

    /**
     * The engine's agents: the {@link EngineAgent} (with the context's shared agent before it on its thread, if one
     * is set), the snapshot follower if it writes the snapshots, and the journal's read-ahead if it has one.
     *
     * @param engine a {@link Engine#prepare prepared} engine.
     * @return this.
     */
    public EngineScheduler engine(final Engine engine)
    {
        final Agent shared = engine.context().sharedAgent();
        this.engine = null == shared ?
            engine.agent() : new NamedComposite(engine.agent().roleName(), List.of(shared, engine.agent()));
        this.engineIdle = engine.context().idleStrategy();
        this.snapshotFollower = engine.snapshotFollower();
        this.readAhead = engine.readAhead();
        engine.scheduledBy(this);
        return this;
    }

    /**
     * The router: replies and events to the sessions.
     *
     * @param agent        the agent.
     * @param idleStrategy its idle strategy (the shared thread's in SHARED).
     * @return this.
     */
    public EngineScheduler router(final Agent agent, final IdleStrategy idleStrategy)
    {
        this.router = agent;
        this.routerIdle = idleStrategy;
        return this;
    }

    /**
     * The feed: publisher and replay service.
     *
     * @param agent        the agent.
     * @param idleStrategy its idle strategy in DEDICATED.
     * @return this.
     */
    public EngineScheduler feed(final Agent agent, final IdleStrategy idleStrategy)
    {
        this.feed = agent;
        this.feedIdle = idleStrategy;
        return this;
    }

    /**
     * The periodic work (session expiry, retention status, ...) as a slow tick: it never blocks for long, since in
     * SHARED it runs between the router's duty cycles.
     *
     * @param agent the agent.
     * @return this.
     */
    public EngineScheduler housekeeping(final Agent agent)
    {
        this.housekeeping = agent;
        return this;
    }

    /**
     * Start the threads (none in INVOKER, where the invoker is started and the owner drives it).
     *
     * @return this.
     */
    public EngineScheduler start()
    {
        if (started)
        {
            throw new IllegalStateException("already started");
        }
        if (null == engine)
        {
            throw new IllegalStateException("no engine to schedule");
        }
        started = true;
        try
        {
            switch (mode)
            {
                case DEDICATED:
                    startOnThread(readAhead, slowIdle());
                    startOnThread(snapshotFollower, slowIdle());
                    startOnThread(feed, feedIdle);
                    startOnThread(router, routerIdle);
                    startOnThread(housekeeping, new SleepingMillisIdleStrategy(10));
                    startOnThread(engine, engineIdle);
                    scrapeExecutor = newScrapeExecutor();
                    break;

                case SHARED:
                    final List<Agent> side = sideAgents();
                    if (!side.isEmpty())
                    {
                        // Without a router there is nothing latency-bound on this thread: sleep as the follower did.
                        final IdleStrategy idle = null == router ? slowIdle() : routerIdle;
                        startOnThread(new NamedComposite("ordergw-shared", side), idle);
                    }
                    startOnThread(engine, engineIdle);
                    scrapeExecutor = newScrapeExecutor();
                    break;

                case INVOKER:
                    final List<Agent> all = new ArrayList<>();
                    all.add(engine);
                    all.addAll(sideAgents());
                    final NamedComposite agent = new NamedComposite("ordergw-invoker", all);
                    final AtomicCounter errors = errorCounter(agent.label());
                    invoker = new AgentInvoker(logOnce(agent.label(), errors), errors, agent);
                    invoker.start();
                    break;

                default:
                    throw new IllegalStateException("unknown threading mode " + mode);
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
        LOG.info("threading mode {}: {}", mode,
            null != invoker ? "no thread, " + ((NamedComposite)invoker.agent()).label() : describeRunners());
        return this;
    }

    private String describeRunners()
    {
        final StringBuilder text = new StringBuilder();
        for (final AgentRunner runner : runners)
        {
            final Agent agent = runner.agent();
            text.append(text.length() == 0 ? "" : ", ")
                .append(agent instanceof NamedComposite ? ((NamedComposite)agent).label() : agent.roleName());
        }
        return text.toString();
    }

    /**
     * The threading mode applied.
     *
     * @return the mode.
     */
    public ThreadingMode mode()
    {
        return mode;
    }

    /**
     * One duty cycle of every agent, in close order with the engine first (INVOKER only).
     *
     * @return the work done.
     */
    public int invoke()
    {
        if (null == invoker)
        {
            throw new IllegalStateException("the agents run on threads (" + mode + "), not on the caller's");
        }
        return invoker.invoke();
    }

    /**
     * Where /metrics scrapes run: a thread of their own, never the Netty I/O thread (a scrape takes 5-10 ms) nor the
     * engine's; in INVOKER the caller's thread (tests).
     *
     * @return the executor.
     */
    public Executor scrapeExecutor()
    {
        return null == scrapeExecutor ? Runnable::run : scrapeExecutor;
    }

    /**
     * Whether the runner of an agent runs: not closed and its thread alive (an agent that ended on an
     * {@code AgentTerminationException} stopped its thread, and with it the agents composed with it). Safe from any
     * thread.
     *
     * @param agent one of the scheduled agents.
     * @return true while it runs.
     */
    public boolean isRunning(final Agent agent)
    {
        if (closed || !started)
        {
            return false;
        }
        if (null != invoker)
        {
            return invoker.isRunning();
        }
        for (final AgentRunner runner : runners)
        {
            if (runs(runner.agent(), agent))
            {
                final Thread thread = runner.thread();
                return !runner.isClosed() && null != thread && thread.isAlive();
            }
        }
        return false;
    }

    /**
     * The error counters, one per runner (or the invoker's), in start order.
     *
     * @return the counters.
     */
    public List<AtomicCounter> errorCounters()
    {
        return List.copyOf(errorCounters);
    }

    /**
     * Stop in the safe order (see the class comment); idempotent. The journal is not closed here.
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
            if (null != scrapeExecutor)
            {
                scrapeExecutor.shutdownNow();
                awaitQuietly(scrapeExecutor);
            }
            if (null != invoker)
            {
                invoker.close(); // its composite closes the agents in the same order
            }
            else
            {
                // A shared thread closes when the first of its agents is reached; AgentRunner.close is idempotent.
                for (final Agent agent : new Agent[]{engine, housekeeping, router, feed, snapshotFollower, readAhead})
                {
                    closeRunnerOf(agent);
                }
            }
        }
        finally
        {
            CloseHelper.quietCloseAll(errorCounters);
        }
    }

    /** Every agent but the engine, in close order. */
    private List<Agent> sideAgents()
    {
        final List<Agent> agents = new ArrayList<>();
        for (final Agent agent : new Agent[]{housekeeping, router, feed, snapshotFollower, readAhead})
        {
            if (null != agent)
            {
                agents.add(agent);
            }
        }
        return agents;
    }

    private void startOnThread(final Agent agent, final IdleStrategy idleStrategy)
    {
        if (null == agent)
        {
            return;
        }
        final String label = agent instanceof NamedComposite ? ((NamedComposite)agent).label() : agent.roleName();
        final AtomicCounter errors = errorCounter(label);
        final AgentRunner runner = new AgentRunner(idleStrategy, logOnce(label, errors), errors, agent);
        runners.add(runner);
        AgentRunner.startOnThread(runner);
    }

    private void closeRunnerOf(final Agent agent)
    {
        if (null == agent)
        {
            return;
        }
        for (final AgentRunner runner : runners)
        {
            if (runs(runner.agent(), agent))
            {
                runner.close();
                return;
            }
        }
    }

    private static boolean runs(final Agent runnerAgent, final Agent agent)
    {
        return runnerAgent == agent ||
            (runnerAgent instanceof NamedComposite && ((NamedComposite)runnerAgent).agents.contains(agent));
    }

    private AtomicCounter errorCounter(final String roleName)
    {
        final AtomicCounter counter = OrderGwCounters.allocateAgentErrors(countersManager, roleName);
        errorCounters.add(counter);
        return counter;
    }

    /** The first error of an agent is logged with its stack; the runner counts every one. */
    private static ErrorHandler logOnce(final String roleName, final AtomicCounter errors)
    {
        final AtomicBoolean logged = new AtomicBoolean();
        return ex ->
        {
            if (logged.compareAndSet(false, true))
            {
                LOG.error("{} fault (further faults of this agent are only counted: counter {} \"agent errors: {}\")",
                    roleName, errors.id(), roleName, ex);
            }
        };
    }

    private static IdleStrategy slowIdle()
    {
        // Neither the follower nor the read-ahead needs latency: caught up, they sleep 1 ms and take the backlog in
        // one batch, so they never spin or yield beside the engine on a small machine.
        return new SleepingMillisIdleStrategy(1);
    }

    private static ExecutorService newScrapeExecutor()
    {
        return Executors.newSingleThreadExecutor(r ->
        {
            final Thread thread = new Thread(r, "ordergw-metrics-scrape");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static void awaitQuietly(final ExecutorService executor)
    {
        try
        {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS))
            {
                LOG.warn("a /metrics scrape did not stop within 10 s");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** A composite whose thread is named for its role; its counter's label lists its agents. */
    private static final class NamedComposite extends CompositeAgent
    {
        private final String roleName;
        private final List<Agent> agents;

        NamedComposite(final String roleName, final List<Agent> agents)
        {
            super(agents);
            this.agents = List.copyOf(agents);
            this.roleName = roleName;
        }

        @Override
        public String roleName()
        {
            return roleName;
        }

        /** E.g. "ordergw-shared [ordergw-router,ordergw-feed]". */
        String label()
        {
            return roleName + " " + super.roleName();
        }
    }
}
