package io.ordergw.bench.report;

import io.ordergw.bench.JvmFlags;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the JMH suites of {@code io.ordergw.bench.jmh} in forked JVMs, each with {@code -prof gc}, and collects one
 * {@link JmhFigure} per benchmark. Forks get the project's JVM flags: inherited when this JVM has them, appended
 * otherwise.
 */
public final class JmhSuite
{
    /** For a group benchmark, the thread whose rate is the group's figure. */
    private static final Map<String, String> GROUP_FIGURE = Map.of("RingBenchmark.hop", "hopWrite");

    private JmhSuite()
    {
    }

    /**
     * Run the suites.
     *
     * @param include    a regular expression of benchmarks to run (JMH's include).
     * @param quick      short iterations, for smoke checks.
     * @param resultJson where JMH writes its own JSON results.
     * @return figures by {@code Class.method}, in run order.
     * @throws RunnerException if JMH fails.
     */
    public static Map<String, JmhFigure> run(final String include, final boolean quick, final Path resultJson)
        throws RunnerException
    {
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include(include)
            .addProfiler(GCProfiler.class)
            .forks(1)
            .warmupIterations(quick ? 1 : 3)
            .warmupTime(quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1))
            .measurementIterations(quick ? 2 : 5)
            .measurementTime(quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1))
            .shouldFailOnError(true)
            .resultFormat(ResultFormatType.JSON)
            .result(resultJson.toString());
        if (!JvmFlags.hostHasFlags())
        {
            options.jvmArgsAppend(JvmFlags.flags().toArray(new String[0]));
        }
        final Collection<RunResult> results = new Runner(options.build()).run();
        final Map<String, JmhFigure> figures = new LinkedHashMap<>();
        for (final RunResult result : results)
        {
            final String benchmark = result.getParams().getBenchmark();
            final String name = shortName(benchmark);
            Result<?> primary = result.getPrimaryResult();
            final String thread = GROUP_FIGURE.get(name);
            if (thread != null && result.getSecondaryResults().containsKey(thread))
            {
                primary = result.getSecondaryResults().get(thread);
            }
            final Result<?> alloc = result.getSecondaryResults().get("gc.alloc.rate.norm");
            figures.put(name, new JmhFigure(name, primary.getScore(), primary.getScoreError(),
                alloc == null ? Double.NaN : alloc.getScore(), best(result, thread)));
        }
        return figures;
    }

    private static double best(final RunResult result, final String thread)
    {
        double best = Double.NaN;
        for (final BenchmarkResult fork : result.getBenchmarkResults())
        {
            for (final IterationResult iteration : fork.getIterationResults())
            {
                Result<?> r = iteration.getPrimaryResult();
                if (thread != null && iteration.getSecondaryResults().containsKey(thread))
                {
                    r = iteration.getSecondaryResults().get(thread);
                }
                if (Double.isNaN(best) || r.getScore() > best)
                {
                    best = r.getScore();
                }
            }
        }
        return best;
    }

    /**
     * {@code io.ordergw.bench.jmh.DecodeBenchmark.ordergwDecoder} to {@code DecodeBenchmark.ordergwDecoder}.
     *
     * @param benchmark JMH's full name.
     * @return class and method.
     */
    static String shortName(final String benchmark)
    {
        final int method = benchmark.lastIndexOf('.');
        final int type = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }
}
