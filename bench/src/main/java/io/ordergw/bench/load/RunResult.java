package io.ordergw.bench.load;

import org.HdrHistogram.Histogram;
import java.util.Locale;

/**
 * The outcome of one open-loop run at one offered rate. Latencies are in nanoseconds, from each request's intended
 * send time to the time its answer was read.
 */
public final class RunResult
{
    /** Achieved rate below this fraction of the offered one: the system did not keep up. */
    public static final double KEEP_UP_FRACTION = 0.97;

    /** Target name. */
    public final String target;
    /** Offered requests per second. */
    public final long offeredRate;
    /** Answers per second over the measured part of the run. */
    public final double achievedRate;
    /** Latency of the measured answers. */
    public final Histogram latency;
    /** Requests of the measured part. */
    public final long measuredRequests;
    /** Answers to requests of the measured part. */
    public final long measuredAnswers;
    /** Requests sent, warm-up included. */
    public final long sent;
    /** Answers received, warm-up included. */
    public final long answered;
    /** Answers that said the request failed. */
    public final long errors;
    /** Requests that were due while the in-flight window was full, so left late (their latency counts it). */
    public final long windowFull;
    /** Requests that were due while the transport could not take them (ring full, socket buffer full). */
    public final long backPressured;
    /** Requests never sent: the run ended first. */
    public final long unsent;
    /** Requests sent but never answered before the drain deadline. */
    public final long unanswered;

    RunResult(
        final String target,
        final long offeredRate,
        final double achievedRate,
        final Histogram latency,
        final long measuredRequests,
        final long measuredAnswers,
        final long sent,
        final long answered,
        final long errors,
        final long windowFull,
        final long backPressured,
        final long unsent,
        final long unanswered)
    {
        this.target = target;
        this.offeredRate = offeredRate;
        this.achievedRate = achievedRate;
        this.latency = latency;
        this.measuredRequests = measuredRequests;
        this.measuredAnswers = measuredAnswers;
        this.sent = sent;
        this.answered = answered;
        this.errors = errors;
        this.windowFull = windowFull;
        this.backPressured = backPressured;
        this.unsent = unsent;
        this.unanswered = unanswered;
    }

    /**
     * Whether the system kept up: every request sent and answered, without error, at (nearly) the offered rate.
     *
     * @return true if the rate was sustained.
     */
    public boolean sustained()
    {
        return unsent == 0 && unanswered == 0 && errors == 0 && achievedRate >= KEEP_UP_FRACTION * offeredRate;
    }

    /**
     * A latency percentile in microseconds.
     *
     * @param percentile e.g. 99.9.
     * @return microseconds.
     */
    public double micros(final double percentile)
    {
        return latency.getValueAtPercentile(percentile) / 1000.0;
    }

    /**
     * The largest latency in microseconds.
     *
     * @return microseconds.
     */
    public double maxMicros()
    {
        return latency.getMaxValue() / 1000.0;
    }

    @Override
    public String toString()
    {
        return String.format(Locale.ROOT,
            "%s offered %,d/s achieved %,.0f/s %s p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f p99.99 %.1f max %.1f us " +
            "(answers %d/%d, errors %d, window-full %d, back-pressured %d, unsent %d, unanswered %d)",
            target, offeredRate, achievedRate, sustained() ? "sustained" : "NOT SUSTAINED",
            micros(50), micros(90), micros(99), micros(99.9), micros(99.99), maxMicros(),
            measuredAnswers, measuredRequests, errors, windowFull, backPressured, unsent, unanswered);
    }
}
