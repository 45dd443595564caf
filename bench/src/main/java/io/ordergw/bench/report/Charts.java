package io.ordergw.bench.report;

import io.ordergw.bench.load.RunResult;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's plots, drawn with XChart into PNG files: latency by percentile (one line per offered rate, the
 * percentile axis stretched towards the tail as HdrHistogram plots do), and achieved against offered throughput.
 */
public final class Charts
{
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    private Charts()
    {
    }

    /**
     * Points of a latency-by-percentile line: x is the number of nines, {@code log10(1 / (1 - percentile))} (0 at 0%,
     * 1 at 90%, 2 at 99%, 3 at 99.9%, ...), y is microseconds. The 100th percentile (the maximum) has no finite x and
     * is left out.
     *
     * @param histogram latencies in nanoseconds.
     * @return x values then y values.
     */
    static double[][] percentileCurve(final Histogram histogram)
    {
        final List<double[]> points = new ArrayList<>();
        for (final HistogramIterationValue v : histogram.percentiles(5))
        {
            final double percentile = v.getPercentileLevelIteratedTo();
            if (percentile >= 100.0)
            {
                break;
            }
            final double nines = Math.log10(1.0 / (1.0 - percentile / 100.0));
            points.add(new double[]{nines, Math.max(0.001, v.getValueIteratedTo() / 1000.0)});
        }
        final double[][] xy = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++)
        {
            xy[0][i] = points.get(i)[0];
            xy[1][i] = points.get(i)[1];
        }
        return xy;
    }

    /**
     * Latency by percentile, one line per run.
     *
     * @param title   the chart's title.
     * @param results the runs.
     * @param file    the PNG to write.
     * @throws IOException if it cannot be written.
     */
    public static void latencyByPercentile(final String title, final List<RunResult> results, final Path file)
        throws IOException
    {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle("percentile as nines: 0 = 0%, 1 = 90%, 2 = 99%, 3 = 99.9%, 4 = 99.99%, 5 = 99.999%")
            .yAxisTitle("latency from intended send time (us)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setXAxisDecimalPattern("0.#");
        for (final RunResult r : results)
        {
            if (r.latency.getTotalCount() == 0)
            {
                continue;
            }
            final double[][] xy = percentileCurve(r.latency);
            if (xy[0].length == 0)
            {
                continue;
            }
            final XYSeries series = chart.addSeries(String.format(Locale.ROOT, "%,d/s%s", r.offeredRate,
                r.sustained() ? "" : " (not sustained)"), xy[0], xy[1]);
            series.setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Achieved against offered throughput, with the line where they are equal.
     *
     * @param title   the chart's title.
     * @param results the runs.
     * @param file    the PNG to write.
     * @throws IOException if it cannot be written.
     */
    public static void throughput(final String title, final List<RunResult> results, final Path file) throws IOException
    {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle("offered (requests/s)").yAxisTitle("achieved (answers/s)").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        final double[] offered = new double[results.size()];
        final double[] achieved = new double[results.size()];
        for (int i = 0; i < results.size(); i++)
        {
            offered[i] = results.get(i).offeredRate;
            achieved[i] = Math.max(1, results.get(i).achievedRate);
        }
        if (offered.length > 0)
        {
            chart.addSeries("offered = achieved", new double[]{offered[0], offered[offered.length - 1]},
                new double[]{offered[0], offered[offered.length - 1]}).setMarker(SeriesMarkers.NONE);
            chart.addSeries("achieved", offered, achieved).setMarker(SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
