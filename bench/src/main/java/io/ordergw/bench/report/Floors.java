package io.ordergw.bench.report;

import io.ordergw.bench.load.LoadSweep;
import io.ordergw.bench.load.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Our figures beside the machine's floor for the same path, measured in the same run: the in-process pipeline
 * against a bare ring echo, the gateway against a bare Netty WebSocket echo (both driven by the same open-loop
 * generator at the same rates), the journal and the feed against raw Chronicle append and raw Aeron IPC (JMH).
 * Each row is one figure (p50, p99, p99.9, p99.99 or sustained throughput) of ours, of the floor, and their ratio.
 * <p>
 * A figure can be a bound rather than a value: the latency of a run that was not sustained is a lower bound (requests
 * were still queueing when it ended), and the sustained rate of a sweep that sustained every rate it tried is at
 * least its highest rate, while one that sustained none is below its lowest. The ratio says so ({@code >=},
 * {@code <=}, or {@code ?} when the two bounds point the same way), and {@link #judgeAtMost}/{@link #judgeAtLeast}
 * decide a target only when the bound allows it.
 */
public final class Floors
{
    /** The latency percentiles the table shows. */
    static final double[] PERCENTILES = {50, 99, 99.9, 99.99};

    /** JMH: raw Chronicle Queue append at our event size. */
    public static final String RAW_CHRONICLE = "JournalBenchmark.rawChronicleAppend";
    /** JMH: raw Aeron IPC (exclusive publication, tryClaim) at our event size. */
    public static final String RAW_AERON = "AeronBenchmark.rawIpcExclusive";

    /** Each JMH figure of ours and the floor it is paired with, in table order. */
    static final String[][] JMH_PAIRS = {
        {"JournalBenchmark.ordergwJournalAppend", RAW_CHRONICLE},
        {"AeronBenchmark.ordergwJournalAndPublish", RAW_CHRONICLE},
        {"AeronBenchmark.ordergwJournalAndPublish", RAW_AERON},
        {"AeronBenchmark.ordergwPublishToSubscriber", RAW_AERON},
        {"PipelineBenchmark.singleThread", RAW_CHRONICLE},
        {"PipelineBenchmark.engineThread", RAW_CHRONICLE}};

    /** What a figure is: the value itself, or a bound on it. */
    public enum Bound
    {
        /** The value. */
        EXACT(""),
        /** The value or more. */
        AT_LEAST(">= "),
        /** The value or less. */
        AT_MOST("<= "),
        /** The two bounds point the same way: nothing is known of the ratio. */
        UNKNOWN("? ");

        final String prefix;

        Bound(final String prefix)
        {
            this.prefix = prefix;
        }
    }

    /** One figure of ours beside its floor. */
    public static final class Row
    {
        /** The path and where on it, e.g. "in-process, 100,000/s offered". */
        public final String path;
        /** The floor's name, e.g. "ring echo". */
        public final String floorName;
        /** p50, p99, p99.9, p99.99 or throughput. */
        public final String figure;
        /** Whether the values are latencies in microseconds (else rates per second). */
        public final boolean latency;
        /** Our value (NaN when not measured). */
        public final double ours;
        /** What our value is. */
        public final Bound oursBound;
        /** The floor's value (NaN when not measured). */
        public final double floor;
        /** What the floor's value is. */
        public final Bound floorBound;

        Row(
            final String path,
            final String floorName,
            final String figure,
            final boolean latency,
            final double ours,
            final Bound oursBound,
            final double floor,
            final Bound floorBound)
        {
            this.path = path;
            this.floorName = floorName;
            this.figure = figure;
            this.latency = latency;
            this.ours = ours;
            this.oursBound = oursBound;
            this.floor = floor;
            this.floorBound = floorBound;
        }

        /**
         * Whether both sides were measured.
         *
         * @return true if the ratio means something.
         */
        public boolean measured()
        {
            return !Double.isNaN(ours) && !Double.isNaN(floor) && floor > 0;
        }

        /**
         * Ours divided by the floor: above 1 for latencies we add to, below 1 for throughput we lose.
         *
         * @return the ratio, NaN when not measured.
         */
        public double ratio()
        {
            return measured() ? ours / floor : Double.NaN;
        }

        /**
         * What the ratio is: a value, or a bound, from the bounds of its two sides.
         *
         * @return the ratio's bound.
         */
        public Bound ratioBound()
        {
            if (oursBound == floorBound && oursBound == Bound.EXACT)
            {
                return Bound.EXACT;
            }
            final boolean up = oursBound == Bound.AT_LEAST || floorBound == Bound.AT_MOST;
            final boolean down = oursBound == Bound.AT_MOST || floorBound == Bound.AT_LEAST;
            return up && down ? Bound.UNKNOWN : up ? Bound.AT_LEAST : Bound.AT_MOST;
        }

        /**
         * The ratio as text: "1.62x", ">= 2.10x", "<= 0.40x", "-" when not measured.
         *
         * @return text.
         */
        public String ratioText()
        {
            return measured() ? ratioBound().prefix + String.format(Locale.ROOT, "%.2fx", ratio()) : "-";
        }

        /**
         * Our value as text.
         *
         * @return text.
         */
        public String oursText()
        {
            return value(ours, oursBound);
        }

        /**
         * The floor's value as text.
         *
         * @return text.
         */
        public String floorText()
        {
            return value(floor, floorBound);
        }

        private String value(final double value, final Bound bound)
        {
            if (Double.isNaN(value))
            {
                return "-";
            }
            final String prefix = bound == Bound.AT_LEAST ? ">= " : bound == Bound.AT_MOST ? "< " : "";
            return prefix + (latency ? Targets.formatMicros(value) : String.format(Locale.ROOT, "%,.0f/s", value));
        }
    }

    private Floors()
    {
    }

    /**
     * Every row of the floor table.
     *
     * @param jmh      JMH figures by {@code Class.method} (may be empty).
     * @param inproc   the in-process sweep (may be null).
     * @param ringEcho the ring echo sweep (may be null).
     * @param ws       the WebSocket sweep of the gateway (may be null).
     * @param wsEcho   the WebSocket sweep of the echo server (may be null).
     * @return the rows, in table order.
     */
    public static List<Row> table(
        final Map<String, JmhFigure> jmh,
        final List<RunResult> inproc,
        final List<RunResult> ringEcho,
        final List<RunResult> ws,
        final List<RunResult> wsEcho)
    {
        final List<Row> rows = new ArrayList<>();
        if (inproc != null)
        {
            for (final double percentile : PERCENTILES)
            {
                rows.add(latency(inprocPath(), "ring echo", inproc, ringEcho, Targets.INPROC_LATENCY_RATE,
                    percentile));
            }
            rows.add(sustained("in-process, sustained (open loop)", "ring echo", inproc, ringEcho));
            rows.add(sustainedVsJmh("in-process, sustained (open loop)", inproc, jmh.get(RAW_CHRONICLE)));
        }
        if (ws != null)
        {
            for (final double percentile : PERCENTILES)
            {
                rows.add(latency(wsPath(), "WebSocket echo", ws, wsEcho, Targets.WS_LATENCY_RATE, percentile));
            }
            rows.add(sustained("WebSocket, sustained (open loop)", "WebSocket echo", ws, wsEcho));
        }
        for (final String[] pair : JMH_PAIRS)
        {
            final JmhFigure ours = jmh.get(pair[0]);
            final JmhFigure floor = jmh.get(pair[1]);
            if (ours != null && floor != null)
            {
                rows.add(new Row(pair[0] + " (JMH)", floorName(pair[1]), "throughput", false,
                    ours.opsPerSecond, Bound.EXACT, floor.opsPerSecond, Bound.EXACT));
            }
        }
        return rows;
    }

    static String inprocPath()
    {
        return String.format(Locale.ROOT, "in-process, %,d/s offered", Targets.INPROC_LATENCY_RATE);
    }

    static String wsPath()
    {
        return String.format(Locale.ROOT, "WebSocket, %,d/s offered", Targets.WS_LATENCY_RATE);
    }

    static String floorName(final String jmhName)
    {
        return RAW_CHRONICLE.equals(jmhName) ? "raw Chronicle append" :
            RAW_AERON.equals(jmhName) ? "raw Aeron IPC" : jmhName;
    }

    static String percentileName(final double percentile)
    {
        return "p" + (percentile == Math.rint(percentile) ? Long.toString((long)percentile) :
            Double.toString(percentile));
    }

    /**
     * A latency percentile of ours and of the floor at the same offered rate.
     *
     * @param path       the row's path.
     * @param floorName  the floor's name.
     * @param ours       our sweep.
     * @param floor      the floor's sweep (may be null).
     * @param rate       the offered rate.
     * @param percentile e.g. 99.
     * @return the row.
     */
    static Row latency(
        final String path,
        final String floorName,
        final List<RunResult> ours,
        final List<RunResult> floor,
        final long rate,
        final double percentile)
    {
        final RunResult o = ours == null ? null : LoadSweep.at(ours, rate);
        final RunResult f = floor == null ? null : LoadSweep.at(floor, rate);
        return new Row(path, floorName, percentileName(percentile), true,
            o == null ? Double.NaN : o.micros(percentile), latencyBound(o),
            f == null ? Double.NaN : f.micros(percentile), latencyBound(f));
    }

    private static Bound latencyBound(final RunResult run)
    {
        return run == null || run.sustained() ? Bound.EXACT : Bound.AT_LEAST;
    }

    /**
     * The sustained rate of our sweep and of the floor's.
     *
     * @param path      the row's path.
     * @param floorName the floor's name.
     * @param ours      our sweep.
     * @param floor     the floor's sweep (may be null).
     * @return the row.
     */
    static Row sustained(
        final String path, final String floorName, final List<RunResult> ours, final List<RunResult> floor)
    {
        return new Row(path, floorName, "throughput", false, sustainedRate(ours), sustainedBound(ours),
            sustainedRate(floor), sustainedBound(floor));
    }

    /**
     * The sustained rate of our sweep beside a JMH floor's rate.
     *
     * @param path  the row's path.
     * @param ours  our sweep.
     * @param floor the floor (may be null).
     * @return the row.
     */
    static Row sustainedVsJmh(final String path, final List<RunResult> ours, final JmhFigure floor)
    {
        return new Row(path, floorName(RAW_CHRONICLE), "throughput", false, sustainedRate(ours),
            sustainedBound(ours), floor == null ? Double.NaN : floor.opsPerSecond, Bound.EXACT);
    }

    /**
     * A sweep's sustained rate: the highest offered rate it sustained; below its lowest rate if it sustained none.
     *
     * @param sweep the runs (may be null or empty).
     * @return the rate, NaN when there is no sweep.
     */
    static double sustainedRate(final List<RunResult> sweep)
    {
        if (sweep == null || sweep.isEmpty())
        {
            return Double.NaN;
        }
        final RunResult best = LoadSweep.bestSustained(sweep);
        return best != null ? best.offeredRate : sweep.get(0).offeredRate;
    }

    private static Bound sustainedBound(final List<RunResult> sweep)
    {
        if (sweep == null || sweep.isEmpty())
        {
            return Bound.EXACT;
        }
        if (LoadSweep.bestSustained(sweep) == null)
        {
            return Bound.AT_MOST;
        }
        for (final RunResult r : sweep)
        {
            if (!r.sustained())
            {
                return Bound.EXACT;
            }
        }
        return Bound.AT_LEAST; // every rate tried was sustained: the real limit is higher
    }

    /**
     * Judge a ratio that must not pass a limit (latency: ours at most so many times the floor).
     *
     * @param row   the row.
     * @param limit the largest ratio that meets the target.
     * @return TRUE met, FALSE missed, null when not measured or the bound cannot decide.
     */
    public static Boolean judgeAtMost(final Row row, final double limit)
    {
        if (!row.measured())
        {
            return null;
        }
        final double ratio = row.ratio();
        return switch (row.ratioBound())
        {
            case EXACT -> ratio <= limit;
            case AT_LEAST -> ratio > limit ? Boolean.FALSE : null;
            case AT_MOST -> ratio <= limit ? Boolean.TRUE : null;
            case UNKNOWN -> null;
        };
    }

    /**
     * Judge a ratio that must reach a limit (throughput: ours at least such a fraction of the floor).
     *
     * @param row   the row.
     * @param limit the smallest ratio that meets the target.
     * @return TRUE met, FALSE missed, null when not measured or the bound cannot decide.
     */
    public static Boolean judgeAtLeast(final Row row, final double limit)
    {
        if (!row.measured())
        {
            return null;
        }
        final double ratio = row.ratio();
        return switch (row.ratioBound())
        {
            case EXACT -> ratio >= limit;
            case AT_LEAST -> ratio >= limit ? Boolean.TRUE : null;
            case AT_MOST -> ratio < limit ? Boolean.FALSE : null;
            case UNKNOWN -> null;
        };
    }

    /**
     * The table as Markdown.
     *
     * @param rows the rows.
     * @return the table, empty when there are none.
     */
    public static String markdown(final List<Row> rows)
    {
        if (rows.isEmpty())
        {
            return "";
        }
        final StringBuilder md = new StringBuilder();
        md.append("| path | floor | figure | ours | floor | ours / floor |\n|---|---|---|---|---|---|\n");
        for (final Row row : rows)
        {
            md.append("| ").append(row.path).append(" | ").append(row.floorName).append(" | ").append(row.figure)
                .append(" | ").append(row.oursText()).append(" | ").append(row.floorText()).append(" | ")
                .append(row.ratioText()).append(" |\n");
        }
        return md.toString();
    }
}
