package io.ordergw.engine;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.TimeUnit;

/**
 * Latency samples of one writing thread, recorded without allocation, lock or system call (an HdrHistogram
 * {@link SingleWriterRecorder}), and taken by another thread as interval histograms, so that a scrape of the metrics
 * never touches the hot path. Values are nanoseconds, kept to 3 significant digits (0.1%); anything above
 * {@link #HIGHEST_NANOS} is recorded as that value rather than thrown away.
 */
public final class LatencyRecorder
{
    /** The highest value kept apart from the ones above it: 10 s. */
    public static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Significant decimal digits of each value. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final SingleWriterRecorder recorder = new SingleWriterRecorder(1, HIGHEST_NANOS, SIGNIFICANT_DIGITS);

    /**
     * Record one sample (only ever from the one writing thread).
     *
     * @param nanos the latency; negative values (a clock step) count as 0.
     */
    public void record(final long nanos)
    {
        recorder.recordValue(nanos < 0 ? 0 : Math.min(nanos, HIGHEST_NANOS));
    }

    /**
     * The samples recorded since the previous call, from any one reading thread.
     *
     * @param recycle a histogram this method returned before, to reuse, or null.
     * @return the samples since the previous call.
     */
    public Histogram intervalHistogram(final Histogram recycle)
    {
        return recorder.getIntervalHistogram(recycle);
    }
}
