package io.ordergw.bench.load;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the open-loop generator against one target at increasing rates, up to saturation: it stops after the first
 * rate the target does not sustain (see {@link RunResult#sustained()}), but not before a rate a latency target is set
 * at ({@link Plan#mustReach}). A short unrecorded run first warms the JIT.
 */
public final class LoadSweep
{
    /** How each run of the sweep is shaped. */
    public static final class Plan
    {
        /** Offered rates, ascending. */
        public long[] rates;
        /** Unrecorded lead-in of each run. */
        public long warmupNanos = TimeUnit.SECONDS.toNanos(1);
        /** Recorded part of each run. */
        public long measureNanos = TimeUnit.SECONDS.toNanos(5);
        /** The JIT warm-up run before the sweep. */
        public long jitWarmupNanos = TimeUnit.SECONDS.toNanos(3);
        /** Its rate. */
        public long jitWarmupRate = 20_000;
        /** In-flight window. */
        public int window = 8192;
        /** Runs after the first unsustained one (to show the saturated shape). */
        public int pastSaturation;
        /** The sweep goes on to this rate even past saturation (a rate a latency target is set at). */
        public long mustReach;
    }

    private LoadSweep()
    {
    }

    /**
     * Sweep.
     *
     * @param target the system under test.
     * @param plan   the rates and run shape.
     * @param log    progress lines.
     * @return one result per rate run.
     */
    public static List<RunResult> run(final LoadTarget target, final Plan plan, final PrintStream log)
    {
        final OpenLoopGenerator generator = new OpenLoopGenerator(target);
        final OpenLoopGenerator.Settings warm = OpenLoopGenerator.Settings.at(plan.jitWarmupRate);
        warm.warmupNanos = plan.jitWarmupNanos;
        warm.measureNanos = TimeUnit.MILLISECONDS.toNanos(100);
        warm.window = plan.window;
        log.println("  " + target.name() + ": JIT warm-up " + generator.run(warm));

        final List<RunResult> results = new ArrayList<>();
        int past = -1;
        for (final long rate : plan.rates)
        {
            final OpenLoopGenerator.Settings settings = OpenLoopGenerator.Settings.at(rate);
            settings.warmupNanos = plan.warmupNanos;
            settings.measureNanos = plan.measureNanos;
            settings.window = plan.window;
            final RunResult result = generator.run(settings);
            results.add(result);
            log.println("  " + result);
            if (!result.sustained() && past < 0)
            {
                past = 0;
            }
            else if (past >= 0)
            {
                past++;
            }
            if (past >= plan.pastSaturation && rate >= plan.mustReach)
            {
                break;
            }
            settle();
        }
        return results;
    }

    /** A breath between runs: let the journal's page cache and the collectors catch up. */
    private static void settle()
    {
        System.gc();
        try
        {
            Thread.sleep(500);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The highest rate sustained.
     *
     * @param results a sweep's results.
     * @return the offered rate of the last sustained run (achieved rate is in the result), or null if none.
     */
    public static RunResult bestSustained(final List<RunResult> results)
    {
        RunResult best = null;
        for (final RunResult r : results)
        {
            if (r.sustained() && (best == null || r.offeredRate > best.offeredRate))
            {
                best = r;
            }
        }
        return best;
    }

    /**
     * The run at a rate.
     *
     * @param results a sweep's results.
     * @param rate    the offered rate.
     * @return the result, or null.
     */
    public static RunResult at(final List<RunResult> results, final long rate)
    {
        for (final RunResult r : results)
        {
            if (r.offeredRate == rate)
            {
                return r;
            }
        }
        return null;
    }
}
