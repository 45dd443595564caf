package io.ordergw.gateway;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's periodic work as slow ticks of one agent (as Aeron's {@code ConsensusModuleAgent.slowTickWork}), not
 * an executor: the expired-session sweep and the retention status refresh, each at its own interval. Each duty cycle
 * reads the clock once and runs the tasks that are due; a task must take milliseconds at most, since in the SHARED
 * threading mode it runs between the router's duty cycles.
 */
final class Housekeeping implements Agent
{
    private final NanoClock clock;
    private final List<Task> tasks = new ArrayList<>();

    /**
     * No tasks yet.
     *
     * @param clock the clock the intervals are measured with.
     */
    Housekeeping(final NanoClock clock)
    {
        this.clock = clock;
    }

    /**
     * Run a task every interval, the first time after the first delay.
     *
     * @param name       what it does, for its error.
     * @param firstDelay from start to its first run.
     * @param interval   between the end of one run and the next.
     * @param unit       the unit of both.
     * @param task       the work.
     * @return this.
     */
    Housekeeping every(
        final String name, final long firstDelay, final long interval, final TimeUnit unit, final Runnable task)
    {
        tasks.add(new Task(name, unit.toNanos(firstDelay), unit.toNanos(interval), task));
        return this;
    }

    @Override
    public String roleName()
    {
        return "ordergw-housekeeping";
    }

    @Override
    public void onStart()
    {
        final long now = clock.nanoTime();
        for (final Task task : tasks)
        {
            task.dueNanos = now + task.firstDelayNanos;
        }
    }

    @Override
    public int doWork()
    {
        final long now = clock.nanoTime();
        int work = 0;
        // Indexed: an iterator is an allocation per duty cycle on a thread that cycles thousands of times a second.
        for (int i = 0, size = tasks.size(); i < size; i++)
        {
            final Task task = tasks.get(i);
            if (now - task.dueNanos >= 0)
            {
                // Due again one interval after this run, even if it fails: a failing task is counted by the runner's
                // error counter once per interval, not on every duty cycle.
                task.dueNanos = now + task.intervalNanos;
                work++;
                task.runnable.run();
            }
        }
        return work;
    }

    private static final class Task
    {
        final String name;
        final long firstDelayNanos;
        final long intervalNanos;
        final Runnable runnable;
        long dueNanos;

        Task(final String name, final long firstDelayNanos, final long intervalNanos, final Runnable runnable)
        {
            this.name = name;
            this.firstDelayNanos = firstDelayNanos;
            this.intervalNanos = intervalNanos;
            this.runnable = runnable;
        }

        @Override
        public String toString()
        {
            return name;
        }
    }
}
