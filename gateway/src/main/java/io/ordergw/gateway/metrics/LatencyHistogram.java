package io.ordergw.gateway.metrics;

import io.ordergw.engine.LatencyRecorder;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;

/**
 * A Prometheus histogram over {@link LatencyRecorder}s: the writing thread records into HdrHistogram and never sees
 * this class; a scrape takes each recorder's interval histogram, adds it to a running total, and reads the total
 * into fixed buckets. Bucket counts and the sum come from HdrHistogram's 3-significant-digit values, so a sample
 * within 0.1% of a bound may land in the bucket beside it.
 */
public final class LatencyHistogram implements Collector
{
    /**
     * Upper bounds in seconds, fixed so that every gateway's series can be summed and compared: 1 µs to 10 s, about
     * three per decade, dense where the engine and a loopback round trip live (microseconds to milliseconds).
     */
    public static final double[] BUCKETS_SECONDS = {
        0.000_001, 0.000_002_5, 0.000_005, 0.000_010, 0.000_025, 0.000_050, 0.000_100, 0.000_250, 0.000_500,
        0.001, 0.002_5, 0.005, 0.010, 0.025, 0.050, 0.100, 0.250, 0.500, 1.0, 2.5, 10.0, Double.POSITIVE_INFINITY};

    private final String name;
    private final String help;
    private final String labelName;
    private final List<Series> series = new ArrayList<>();

    private static final class Series
    {
        final Labels labels;
        final LatencyRecorder recorder;
        final Histogram total;
        Histogram interval;

        Series(final Labels labels, final LatencyRecorder recorder)
        {
            this.labels = labels;
            this.recorder = recorder;
            this.total = new Histogram(1, LatencyRecorder.HIGHEST_NANOS, LatencyRecorder.SIGNIFICANT_DIGITS);
        }
    }

    /**
     * A histogram family.
     *
     * @param name      the name, ending in {@code _seconds}.
     * @param help      the HELP text.
     * @param labelName the label that tells the series apart, or null for a single series.
     */
    public LatencyHistogram(final String name, final String help, final String labelName)
    {
        this.name = name;
        this.help = help;
        this.labelName = labelName;
    }

    /**
     * Add a series (before the first scrape).
     *
     * @param labelValue the label's value, or null when the family has no label.
     * @param recorder   where its samples are recorded.
     * @return this.
     */
    public LatencyHistogram series(final String labelValue, final LatencyRecorder recorder)
    {
        series.add(new Series(labelName == null ? Labels.EMPTY : Labels.of(labelName, labelValue), recorder));
        return this;
    }

    @Override
    public synchronized MetricSnapshot collect()
    {
        final HistogramSnapshot.Builder snapshot = HistogramSnapshot.builder()
            .name(name).help(help).unit(Unit.SECONDS);
        for (final Series s : series)
        {
            s.interval = s.recorder.intervalHistogram(s.interval);
            s.total.add(s.interval);
            final long[] counts = new long[BUCKETS_SECONDS.length];
            long below = 0;
            for (int i = 0; i < BUCKETS_SECONDS.length - 1; i++)
            {
                final long upTo = s.total.getCountBetweenValues(0, (long)(BUCKETS_SECONDS[i] * 1e9));
                counts[i] = upTo - below;
                below = upTo;
            }
            counts[BUCKETS_SECONDS.length - 1] = s.total.getTotalCount() - below;
            final long total = s.total.getTotalCount();
            final double sumSeconds = total == 0 ? 0 : s.total.getMean() * total / 1e9;
            snapshot.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(BUCKETS_SECONDS, counts))
                .sum(sumSeconds)
                .labels(s.labels)
                .build());
        }
        return snapshot.build();
    }

    @Override
    public String getPrometheusName()
    {
        return name;
    }

    @Override
    public MetricType getMetricType()
    {
        return MetricType.HISTOGRAM;
    }
}
