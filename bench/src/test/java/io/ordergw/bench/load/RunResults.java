package io.ordergw.bench.load;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * Run results with given figures, for tests of what the report makes of them: a histogram holding 90% of its values
 * at the p50 given, 9.9% at the p99 (so p99.9 too) and 0.1% at the p99.99.
 */
public final class RunResults
{
    private RunResults()
    {
    }

    /**
     * A run.
     *
     * @param offeredRate  requests per second offered.
     * @param sustained    whether it kept up (else it answered half the rate).
     * @param p50Micros    the median latency.
     * @param p99Micros    the p99 (and p99.9) latency.
     * @param p9999Micros  the p99.99 latency.
     * @return the run.
     */
    public static RunResult run(
        final long offeredRate,
        final boolean sustained,
        final long p50Micros,
        final long p99Micros,
        final long p9999Micros)
    {
        final Histogram latency = new Histogram(TimeUnit.HOURS.toNanos(1), 4); // exact to the digits printed
        latency.recordValueWithCount(TimeUnit.MICROSECONDS.toNanos(p50Micros), 9_000);
        latency.recordValueWithCount(TimeUnit.MICROSECONDS.toNanos(p99Micros), 990);
        latency.recordValueWithCount(TimeUnit.MICROSECONDS.toNanos(p9999Micros), 10);
        final double achieved = sustained ? offeredRate : offeredRate / 2.0;
        return new RunResult("fixture", offeredRate, achieved, latency, 10_000, 10_000, 10_000, 10_000, 0, 0, 0, 0, 0);
    }

    /**
     * A run whose latencies do not matter.
     *
     * @param offeredRate requests per second offered.
     * @param sustained   whether it kept up.
     * @return the run.
     */
    public static RunResult run(final long offeredRate, final boolean sustained)
    {
        return run(offeredRate, sustained, 10, 100, 1_000);
    }
}
