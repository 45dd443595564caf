package io.ordergw.engine;

import io.ordergw.codec.sbe.QueryReplyDecoder;
import io.ordergw.codec.sbe.ReplyDecoder;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.config.ThreadingMode;
import io.ordergw.engine.journal.ChronicleEventJournal;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The thread model: which threads each {@code ordergw.threading-mode} starts, that none is left after close, the
 * close order (the engine first, the journal last), and each runner's error counter.
 */
@SystemTest
class EngineSchedulerTest
{
    @TempDir
    Path dir;

    private final List<String> closed = Collections.synchronizedList(new ArrayList<>());

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    @Timeout(60)
    void eachModeStartsTheThreadsOfItsTableAnswersAndLeavesNoThreadBehind(final ThreadingMode mode) throws Exception
    {
        final Set<Thread> before = Thread.getAllStackTraces().keySet();
        final Engine engine = Engine.prepare(new EngineContext().config(config()));
        final EngineScheduler scheduler = schedule(engine, mode, new Recorder("ordergw-router", null));
        try
        {
            final Set<String> expected = switch (mode)
            {
                case DEDICATED -> Set.of("ordergw-engine", "ordergw-router", "ordergw-feed", "ordergw-snapshot",
                    "ordergw-journal-read-ahead", "ordergw-housekeeping");
                case SHARED -> Set.of("ordergw-engine", "ordergw-shared");
                case INVOKER -> Set.of();
            };
            assertEquals(new TreeSet<>(expected), startedSince(before));
            assertEquals(20, drive(engine, scheduler, 20), "every command answered");
            assertTrue(engine.isRunning());
        }
        finally
        {
            engine.close();
        }
        assertFalse(engine.isRunning());
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!startedSince(before).isEmpty() && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(Set.of(), startedSince(before), "threads left after close");
    }

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    @Timeout(60)
    void theEngineStopsFirstThenTheHousekeepingRouterAndFeedAndTheJournalClosesLast(final ThreadingMode mode)
        throws Exception
    {
        final EngineContext context = new EngineContext().config(config());
        final Engine[] engine = new Engine[1];
        final BooleanSupplier journalOpen =
            () -> !((ChronicleEventJournal)engine[0].context().journal()).queue().isClosed();
        context.sharedAgent(new Recorder("engine", journalOpen)); // composed just before the EngineAgent
        engine[0] = Engine.prepare(context);
        final EngineScheduler scheduler = schedule(engine[0], mode, new Recorder("router", journalOpen));
        drive(engine[0], scheduler, 5);
        engine[0].close();
        assertEquals(List.of("engine", "housekeeping", "router", "feed"), closed);
        assertFalse(journalOpen.getAsBoolean(), "the journal is closed once the agents are");
    }

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    @Timeout(30)
    void anAgentThatThrowsIsCountedOnItsRunnersErrorCounterAndTheOthersGoOn(final ThreadingMode mode) throws Exception
    {
        final Engine engine = Engine.prepare(new EngineContext().config(config()));
        final Recorder thrower = new Recorder("ordergw-router", null);
        thrower.throwing = true;
        final EngineScheduler scheduler = schedule(engine, mode, thrower);
        try
        {
            final String label = switch (mode)
            {
                case DEDICATED -> "agent errors: ordergw-router";
                case SHARED -> "agent errors: ordergw-shared [ordergw-housekeeping,ordergw-router,";
                case INVOKER -> "agent errors: ordergw-invoker [ordergw-engine,ordergw-housekeeping,ordergw-router,";
            };
            final CountersManager counters = engine.context().countersManager();
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (errors(counters, label) < 3 && System.nanoTime() < deadline)
            {
                if (ThreadingMode.INVOKER == mode)
                {
                    scheduler.invoke();
                }
                else
                {
                    Thread.sleep(1);
                }
            }
            assertTrue(errors(counters, label) >= 3, "errors counted on " + label);
            assertEquals(10, drive(engine, scheduler, 10), "the engine still answers");
            final long feedCycles = feed.cycles.get();
            while (feed.cycles.get() == feedCycles && System.nanoTime() < deadline)
            {
                if (ThreadingMode.INVOKER == mode)
                {
                    scheduler.invoke();
                }
                Thread.onSpinWait();
            }
            assertTrue(feed.cycles.get() > feedCycles, "the feed goes on beside the failing router");
        }
        finally
        {
            engine.close();
        }
    }

    private Recorder feed;

    private EngineScheduler schedule(final Engine engine, final ThreadingMode mode, final Recorder router)
    {
        final BooleanSupplier journalOpen = router.journalOpen;
        feed = new Recorder(router.name.startsWith("ordergw") ? "ordergw-feed" : "feed", journalOpen);
        final Recorder housekeeping =
            new Recorder(router.name.startsWith("ordergw") ? "ordergw-housekeeping" : "housekeeping", journalOpen);
        return new EngineScheduler(mode, engine.context().countersManager())
            .engine(engine)
            .router(router, new BackoffIdleStrategy())
            .feed(feed, new BackoffIdleStrategy())
            .housekeeping(housekeeping)
            .start();
    }

    private static long errors(final CountersManager counters, final String labelPrefix)
    {
        final long[] value = {-1};
        counters.forEach((id, typeId, key, label) ->
        {
            if (typeId == EngineScheduler.AGENT_ERRORS_TYPE_ID && label.startsWith(labelPrefix))
            {
                value[0] = counters.getCounterValue(id);
            }
        });
        return value[0];
    }

    private static Set<String> startedSince(final Set<Thread> before)
    {
        final Set<String> names = new TreeSet<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.isAlive() && !before.contains(thread) && thread.getName().startsWith("ordergw"))
            {
                names.add(thread.getName());
            }
        }
        return names;
    }

    private OrderGwConfig config()
    {
        return OrderGwConfig.parse("ordergw.data-dir = \"" + dir + "\"\n" +
            "ordergw.engine.idle-strategy = backoff\nordergw.journal.min-free-space = 0\n" +
            "ordergw.engine.ingress-ring-bytes = 64KiB\nordergw.engine.egress-ring-bytes = 64KiB\n" +
            "ordergw.snapshot.writer = follower\n");
    }

    /** Send {@code count} commands one at a time (invoking the agents in INVOKER); the replies received. */
    private static int drive(final Engine engine, final EngineScheduler scheduler, final int count)
    {
        final EngineProxy proxy = new EngineProxy(engine.context().ingressRing());
        final int[] replies = {0};
        final EngineResponseAdapter adapter = new EngineResponseAdapter(engine.context().egressRing(),
            new EngineResponseAdapter.Listener()
            {
                public void onReply(final ReplyDecoder reply)
                {
                    replies[0]++;
                }

                public void onQueryReply(final QueryReplyDecoder reply)
                {
                }
            });
        final RandomCommands commands = new RandomCommands(11, 20);
        final long deadline = System.nanoTime() + 20_000_000_000L;
        for (int i = 0; i < count; i++)
        {
            final Commands command = commands.next();
            final UnsafeBuffer buffer = command.encode();
            while (!proxy.offer(buffer, 0, command.length()))
            {
                Thread.onSpinWait();
            }
            while (replies[0] <= i)
            {
                if (System.nanoTime() > deadline)
                {
                    fail("no reply to command " + i);
                }
                if (ThreadingMode.INVOKER == scheduler.mode())
                {
                    scheduler.invoke();
                }
                adapter.poll(16);
            }
        }
        return replies[0];
    }

    /** An agent that records its close (and whether the journal was still open then), and can fail every cycle. */
    private final class Recorder implements Agent
    {
        final String name;
        final BooleanSupplier journalOpen;
        final AtomicLong cycles = new AtomicLong();
        volatile boolean throwing;

        Recorder(final String name, final BooleanSupplier journalOpen)
        {
            this.name = name;
            this.journalOpen = journalOpen;
        }

        @Override
        public String roleName()
        {
            return name;
        }

        @Override
        public int doWork()
        {
            cycles.incrementAndGet();
            if (throwing)
            {
                throw new IllegalStateException("a failing " + name);
            }
            return 0;
        }

        @Override
        public void onClose()
        {
            if (null != journalOpen && !journalOpen.getAsBoolean())
            {
                closed.add(name + " after the journal closed");
                return;
            }
            closed.add(name);
        }
    }
}
