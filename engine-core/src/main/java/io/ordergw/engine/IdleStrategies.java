package io.ordergw.engine;

import io.ordergw.config.IdleStrategySpec;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Agrona idle strategies from their configured form.
 */
public final class IdleStrategies
{
    private IdleStrategies()
    {
    }

    /**
     * A new idle strategy (each agent needs its own: back-off strategies keep state).
     *
     * @param spec the configured kind.
     * @return the strategy.
     */
    public static IdleStrategy of(final IdleStrategySpec spec)
    {
        switch (spec.kind)
        {
            case BUSY_SPIN:
                return new BusySpinIdleStrategy();
            case YIELDING:
                return new YieldingIdleStrategy();
            case SLEEPING:
                return new SleepingIdleStrategy(spec.sleep.toNanos());
            case BACKOFF:
            default:
                return new BackoffIdleStrategy(64, 64, TimeUnit.MICROSECONDS.toNanos(1), spec.sleep.toNanos());
        }
    }
}
