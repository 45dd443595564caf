package io.ordergw.engine.publish;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Drives hand-run agents on the test's thread until a condition holds, backing off when nothing happens (so the
 * driver's thread gets the core it needs), and fails after a deadline.
 */
public final class FeedTests
{
    /** One round of duty cycles. */
    @FunctionalInterface
    public interface Work
    {
        /**
         * Do some work.
         *
         * @return work done.
         * @throws Exception from an agent.
         */
        int doWork() throws Exception;
    }

    private FeedTests()
    {
    }

    private static int run(final Work work)
    {
        try
        {
            return work.doWork();
        }
        catch (final RuntimeException | Error ex)
        {
            throw ex;
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Run work until done.
     *
     * @param timeoutMs most milliseconds.
     * @param done      the condition.
     * @param work      one round of duty cycles, returning work done.
     */
    public static void drive(final long timeoutMs, final BooleanSupplier done, final Work work)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("not done within " + timeoutMs + " ms");
            }
            if (run(work) == 0)
            {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
        }
    }

    /**
     * Run work for a while.
     *
     * @param millis how long.
     * @param work   one round of duty cycles.
     */
    public static void driveFor(final long millis, final Work work)
    {
        final long endNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() - endNs < 0)
        {
            if (run(work) == 0)
            {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
        }
    }
}
