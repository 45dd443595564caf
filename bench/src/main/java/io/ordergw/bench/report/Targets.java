package io.ordergw.bench.report;

import io.ordergw.bench.load.LoadSweep;
import io.ordergw.bench.load.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The targets, each beside the figure measured in the same run: where we stand, met or not. A target whose
 * figure was not measured in this run (a skipped part) says so. The latency and throughput targets of the two paths
 * are ratios to the machine's floor for the path, measured in the same run ({@link Floors}): on a shared machine an
 * absolute figure says as much about the neighbours as about us. The earlier absolute goals are kept as reference
 * rows ({@link Row#reference}), shown apart and not verdicts.
 */
public final class Targets
{
    /** One target. */
    public static final class Row
    {
        /** What is measured. */
        public final String what;
        /** The goal. */
        public final String goal;
        /** The figure. */
        public final String measured;
        /** TRUE met, FALSE missed, null not measured (or measured only as a bound that cannot decide). */
        public final Boolean met;
        /** An absolute goal kept for reference beside the ratio targets: shown apart, not a verdict. */
        public final boolean reference;

        Row(final String what, final String goal, final String measured, final Boolean met)
        {
            this(what, goal, measured, met, false);
        }

        Row(final String what, final String goal, final String measured, final Boolean met, final boolean reference)
        {
            this.what = what;
            this.goal = goal;
            this.measured = measured;
            this.met = met;
            this.reference = reference;
        }

        /**
         * The verdict as a word.
         *
         * @return met, MISSED, undecided (a bound that cannot decide) or not measured.
         */
        public String verdict()
        {
            return met != null ? (met ? "met" : "MISSED") : "-".equals(measured) ? "not measured" : "undecided";
        }
    }

    /** In-process pipeline: the rate at which the latency target applies. */
    public static final long INPROC_LATENCY_RATE = 100_000;
    /** WebSocket: the rate at which the latency target applies. */
    public static final long WS_LATENCY_RATE = 20_000;
    /** Latency targets: our p99 and p99.99 at most this many times the floor's. */
    public static final double LATENCY_FLOOR_RATIO = 1.5;
    /** Throughput targets: our sustained rate at least this fraction of the floor's. */
    public static final double THROUGHPUT_FLOOR_RATIO = 0.5;

    private Targets()
    {
    }

    /**
     * Evaluate every target.
     *
     * @param jmh           JMH figures by {@code Class.method} (may be empty).
     * @param inproc        the in-process sweep (may be null).
     * @param ringEcho      the ring echo sweep, the in-process floor (may be null).
     * @param ws            the WebSocket sweep (may be null).
     * @param wsEcho        the WebSocket echo sweep, the gateway's floor (may be null).
     * @param wsConnections connections of the WebSocket sweeps.
     * @return the rows.
     */
    public static List<Row> evaluate(
        final Map<String, JmhFigure> jmh,
        final List<RunResult> inproc,
        final List<RunResult> ringEcho,
        final List<RunResult> ws,
        final List<RunResult> wsEcho,
        final int wsConnections)
    {
        final List<Row> rows = new ArrayList<>();
        final JmhFigure decode = jmh.get("DecodeBenchmark.ordergwDecoder");
        final JmhFigure walk = jmh.get("DecodeBenchmark.jacksonTokenWalk");
        final JmhFigure databind = jmh.get("DecodeBenchmark.jacksonDatabind");
        rows.add(ratio("decode vs bare jackson-core token walk", ">= 0.8x", decode, walk, 0.8));
        rows.add(ratio("decode vs jackson-databind", ">= 3x", decode, databind, 3.0));
        rows.add(garbage("decode garbage", decode));

        final JmhFigure apply = jmh.get("StateMachineBenchmark.apply");
        rows.add(apply == null ? notMeasured("state machine apply", ">= 10 M events/s") :
            new Row("state machine apply (decide + book)", ">= 10 M events/s",
                String.format(Locale.ROOT, "%.2f M events/s (%.0f ns/event)%s", apply.opsPerSecond / 1e6,
                apply.nanosPerOp(), Double.isNaN(apply.bestOpsPerSecond) ? "" :
                String.format(Locale.ROOT, "; best iteration %.2f M/s", apply.bestOpsPerSecond / 1e6)),
                apply.opsPerSecond >= 10e6));
        rows.add(garbage("apply garbage", apply));
        final JmhFigure encodeObject = jmh.get("EncodeBenchmark.orderObject");
        final JmhFigure encodeFrame = jmh.get("EncodeBenchmark.eventFrame");
        rows.add(garbage("encode garbage (order object)", encodeObject));
        rows.add(garbage("encode garbage (m=3 frame)", encodeFrame));

        final JmhFigure journalAndPublish = jmh.get("AeronBenchmark.ordergwJournalAndPublish");
        final JmhFigure rawChronicle = jmh.get("JournalBenchmark.rawChronicleAppend");
        rows.add(ratio("journal + publish vs raw Chronicle append", ">= 0.5x", journalAndPublish, rawChronicle, 0.5));

        final String inprocAt = String.format(Locale.ROOT, "in-process at %,d/s", INPROC_LATENCY_RATE);
        final String wsAt = String.format(Locale.ROOT, "WebSocket at %,d/s", WS_LATENCY_RATE);
        for (final double percentile : new double[]{99, 99.99})
        {
            rows.add(latencyRatio(inprocAt + " " + Floors.percentileName(percentile) + " vs ring echo floor",
                inproc == null ? null : Floors.latency(Floors.inprocPath(), "ring echo", inproc, ringEcho,
                INPROC_LATENCY_RATE, percentile)));
        }
        rows.add(throughputRatio("in-process sustained vs raw Chronicle append", inproc == null ? null :
            Floors.sustainedVsJmh(Floors.inprocPath(), inproc, jmh.get(Floors.RAW_CHRONICLE))));
        for (final double percentile : new double[]{99, 99.99})
        {
            rows.add(latencyRatio(wsAt + " " + Floors.percentileName(percentile) + " vs WebSocket echo floor",
                ws == null ? null : Floors.latency(Floors.wsPath(), "WebSocket echo", ws, wsEcho, WS_LATENCY_RATE,
                percentile)));
        }
        rows.add(throughputRatio("WebSocket sustained vs WebSocket echo floor", ws == null ? null :
            Floors.sustained(Floors.wsPath(), "WebSocket echo", ws, wsEcho)));

        if (inproc == null)
        {
            rows.add(reference(notMeasured("in-process pipeline sustained", ">= 1 M events/s")));
            rows.add(reference(notMeasured("in-process at 100 k/s p99", "<= 20 us")));
            rows.add(reference(notMeasured("in-process at 100 k/s p99.99", "<= 200 us")));
        }
        else
        {
            final RunResult best = LoadSweep.bestSustained(inproc);
            rows.add(new Row("in-process pipeline sustained", ">= 1 M events/s", sustainedText(best, inproc),
                best != null && best.offeredRate >= 1_000_000, true));
            final RunResult at = LoadSweep.at(inproc, INPROC_LATENCY_RATE);
            rows.add(reference(latency("in-process at 100 k/s p99", "<= 20 us", at, 99, 20)));
            rows.add(reference(latency("in-process at 100 k/s p99.99", "<= 200 us", at, 99.99, 200)));
        }
        if (ws == null)
        {
            rows.add(reference(notMeasured("WebSocket sustained over 8 connections", ">= 100 k requests/s")));
            rows.add(reference(notMeasured("WebSocket at 20 k/s p99", "<= 2 ms")));
        }
        else
        {
            final RunResult best = LoadSweep.bestSustained(ws);
            rows.add(new Row("WebSocket sustained over " + wsConnections + " connections", ">= 100 k requests/s",
                sustainedText(best, ws), best != null && best.offeredRate >= 100_000, true));
            final RunResult at = LoadSweep.at(ws, WS_LATENCY_RATE);
            rows.add(reference(latency("WebSocket at 20 k/s p99", "<= 2 ms", at, 99, 2000)));
        }
        return rows;
    }

    private static Row latencyRatio(final String what, final Floors.Row row)
    {
        final String goal = String.format(Locale.ROOT, "<= %.1fx floor", LATENCY_FLOOR_RATIO);
        if (row == null || !row.measured())
        {
            return notMeasured(what, goal);
        }
        return new Row(what, goal, ratioText(row), Floors.judgeAtMost(row, LATENCY_FLOOR_RATIO));
    }

    private static Row throughputRatio(final String what, final Floors.Row row)
    {
        final String goal = String.format(Locale.ROOT, ">= %.1fx floor", THROUGHPUT_FLOOR_RATIO);
        if (row == null || !row.measured())
        {
            return notMeasured(what, goal);
        }
        return new Row(what, goal, ratioText(row), Floors.judgeAtLeast(row, THROUGHPUT_FLOOR_RATIO));
    }

    private static String ratioText(final Floors.Row row)
    {
        return row.ratioText() + " (" + row.oursText() + " vs " + row.floorText() + ")";
    }

    private static Row reference(final Row row)
    {
        return new Row(row.what, row.goal, row.measured, row.met, true);
    }

    private static String sustainedText(final RunResult best, final List<RunResult> sweep)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(best == null ? "no rate sustained" :
            String.format(Locale.ROOT, "%,d/s sustained (achieved %,.0f/s)", best.offeredRate, best.achievedRate));
        RunResult firstFailed = null;
        for (final RunResult r : sweep)
        {
            if (!r.sustained())
            {
                firstFailed = r;
                break;
            }
        }
        if (firstFailed != null)
        {
            sb.append(String.format(Locale.ROOT, "; at %,d/s offered: %,.0f/s achieved", firstFailed.offeredRate,
                firstFailed.achievedRate));
        }
        else
        {
            sb.append("; highest rate tried");
        }
        return sb.toString();
    }

    private static Row latency(final String what, final String goal, final RunResult at, final double percentile,
        final double limitMicros)
    {
        if (at == null)
        {
            return notMeasured(what, goal);
        }
        final double micros = at.micros(percentile);
        return new Row(what, goal, String.format(Locale.ROOT, "%s%s", formatMicros(micros),
            at.sustained() ? "" : " (rate not sustained)"), micros <= limitMicros);
    }

    /**
     * Microseconds as text: "12.3 us", "4.56 ms" above a millisecond.
     *
     * @param micros microseconds.
     * @return text.
     */
    public static String formatMicros(final double micros)
    {
        return micros >= 1000 ? String.format(Locale.ROOT, "%.2f ms", micros / 1000) :
            String.format(Locale.ROOT, "%.1f us", micros);
    }

    private static Row ratio(final String what, final String goal, final JmhFigure ours, final JmhFigure base,
        final double atLeast)
    {
        if (ours == null || base == null)
        {
            return notMeasured(what, goal);
        }
        final double ratio = ours.opsPerSecond / base.opsPerSecond;
        final double bestRatio = ours.bestOpsPerSecond / base.bestOpsPerSecond;
        return new Row(what, goal, String.format(Locale.ROOT, "%.2fx (%,.0f vs %,.0f ops/s)%s", ratio,
            ours.opsPerSecond, base.opsPerSecond, Double.isNaN(bestRatio) ? "" :
            String.format(Locale.ROOT, "; best iterations %.2fx", bestRatio)), ratio >= atLeast);
    }

    private static Row garbage(final String what, final JmhFigure figure)
    {
        if (figure == null || Double.isNaN(figure.bytesPerOp))
        {
            return notMeasured(what, "0 B/op");
        }
        return new Row(what, "0 B/op", String.format(Locale.ROOT, "%.3f B/op", figure.bytesPerOp),
            figure.garbageFree());
    }

    private static Row notMeasured(final String what, final String goal)
    {
        return new Row(what, goal, "-", null);
    }
}
