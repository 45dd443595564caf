package io.ordergw.bench.report;

import io.ordergw.bench.fixture.InProcessPipeline;
import io.ordergw.bench.load.RunResult;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as Markdown: machine, targets, the floor table (our figures beside the machine's floor for each path),
 * machine limits, every JMH figure with its garbage, the sweeps and their floors' sweeps with their plots, and where
 * the raw files are.
 */
final class ReportWriter
{
    private static final String RAW_CHRONICLE = Floors.RAW_CHRONICLE;
    private static final String RAW_AERON = Floors.RAW_AERON;

    private static final Map<String, String> DESCRIPTION = Map.ofEntries(
        Map.entry("DecodeBenchmark.ordergwDecoder", "JSON payload -> SBE command, every rule checked (ours)"),
        Map.entry("DecodeBenchmark.jacksonTokenWalk",
            "bare jackson-core token walk, reused non-blocking parser (floor)"),
        Map.entry("DecodeBenchmark.jacksonTokenWalkNewParser", "the same walk with a new parser per message"),
        Map.entry("DecodeBenchmark.jacksonDatabind", "jackson-databind into a plain object (common practice)"),
        Map.entry("EncodeBenchmark.orderObject", "OrderStateEvent -> APEX order object JSON"),
        Map.entry("EncodeBenchmark.eventFrame", "OrderStateEvent -> whole m=3 frame (payload escaped in one pass)"),
        Map.entry("StateMachineBenchmark.apply", "decide + apply to the book, small book (hot in cache)"),
        Map.entry("StateMachineBenchmark.applyProductionBook",
            "decide + apply, production bounds (1 M terminal orders kept)"),
        Map.entry("StateMachineBenchmark.decideNew", "state machine alone, a new order"),
        Map.entry("JournalBenchmark.ordergwJournalAppend", "ChronicleEventJournal.append (ours)"),
        Map.entry(RAW_CHRONICLE, "MACHINE LIMIT: bare Chronicle Queue append, same bytes"),
        Map.entry("RingBenchmark.writeRead", "ingress ring write + read, one thread"),
        Map.entry("RingBenchmark.hop", "ingress ring, producer thread -> consumer thread"),
        Map.entry(RAW_AERON, "MACHINE LIMIT: Aeron IPC, exclusive publication, tryClaim, same size"),
        Map.entry("AeronBenchmark.ordergwJournalAndPublish", "journal append + EventPublisher -> Aeron IPC (ours)"),
        Map.entry("AeronBenchmark.ordergwPublishToSubscriber",
            "journal + publisher -> FeedSubscriber -> listener (ours)"),
        Map.entry("PipelineBenchmark.singleThread", "command -> ring -> core -> journal -> reply, one thread"),
        Map.entry("PipelineBenchmark.engineThread", "the same, engine on its own thread, streamed (4096 in flight)"));

    private final MachineInfo machine;
    private final String loadBefore;
    private final String loadAfter;
    private final boolean quick;
    private final Map<String, JmhFigure> jmh;
    private final List<RunResult> inproc;
    private final double inprocFillRate;
    private final RunResult inprocOtherIdle;
    private final String engineIdle;
    private final List<RunResult> ws;
    private final String wsWhere;
    private final int connections;
    private final List<Targets.Row> targets;
    private final int eventBytes;
    private final int payloadBytes;
    private final double seconds;
    private final List<RunResult> ringEcho;
    private final List<RunResult> wsEcho;
    private final List<Floors.Row> floors;

    ReportWriter(
        final MachineInfo machine,
        final String loadBefore,
        final String loadAfter,
        final boolean quick,
        final Map<String, JmhFigure> jmh,
        final List<RunResult> inproc,
        final double inprocFillRate,
        final RunResult inprocOtherIdle,
        final String engineIdle,
        final List<RunResult> ws,
        final String wsWhere,
        final int connections,
        final List<Targets.Row> targets,
        final int eventBytes,
        final int payloadBytes,
        final double seconds,
        final List<RunResult> ringEcho,
        final List<RunResult> wsEcho,
        final List<Floors.Row> floors)
    {
        this.machine = machine;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.quick = quick;
        this.jmh = jmh;
        this.inproc = inproc;
        this.inprocFillRate = inprocFillRate;
        this.inprocOtherIdle = inprocOtherIdle;
        this.engineIdle = engineIdle;
        this.ws = ws;
        this.wsWhere = wsWhere;
        this.connections = connections;
        this.targets = targets;
        this.eventBytes = eventBytes;
        this.payloadBytes = payloadBytes;
        this.seconds = seconds;
        this.ringEcho = ringEcho;
        this.wsEcho = wsEcho;
        this.floors = floors;
    }

    /**
     * The Markdown text.
     *
     * @param base the report directory relative to where the Markdown file is (for image and file links).
     * @return the text.
     */
    String markdown(final Path base)
    {
        final StringBuilder md = new StringBuilder();
        md.append("# ordergw benchmark report\n\n");
        md.append("Produced by `./bench/run-report").append(quick ? " --quick" : "")
            .append("` (see bench/README.md) on ")
            .append(machine.date).append(String.format(Locale.ROOT, ", in %.0f s.", seconds));
        if (quick)
        {
            md.append(" **Quick mode: short iterations and runs, a smoke check, not figures to quote.**");
        }
        md.append("\n\n");

        md.append("## Machine\n\n| | |\n|---|---|\n");
        md.append("| cores (nproc) | ").append(machine.cores).append(" |\n");
        md.append("| memory | ").append(machine.memory).append(" |\n");
        md.append("| CPU | ").append(machine.cpuModel).append(" |\n");
        md.append("| JDK | ").append(machine.jdk).append(" |\n");
        md.append("| OS | ").append(machine.os).append(" |\n");
        md.append("| date | ").append(machine.date).append(" |\n");
        md.append("| machine load at start | ").append(loadBefore).append(" |\n");
        md.append("| machine load at end | ").append(loadAfter).append(" |\n\n");
        md.append("The machine is shared: other engineers' builds run on the same cores, so absolute figures drift " +
            "from " +
            "run to run. Compare our figures with the machine limits measured in the same run (the ratios), and read " +
            "the CPU pressure above before reading anything else.\n\n");

        md.append("## Targets\n\nThe latency and throughput targets of the two paths are ratios to the machine's " +
            "floor for the path, measured in the same run by the same generator (see *Floors* below): ours over the " +
            "floor's. *undecided*: one side is only a bound (a run not sustained, or a sweep that sustained every " +
            "rate it tried) and the bound cannot decide.\n\n");
        md.append("| target | goal | measured | verdict |\n|---|---|---|---|\n");
        for (final Targets.Row row : targets)
        {
            if (!row.reference)
            {
                appendTarget(md, row);
            }
        }
        md.append("\nThe absolute figures, beside the absolute goals set before the floors were measured (for " +
            "reference; a shared 2-core machine cannot reach them whatever the code does):\n\n");
        md.append("| figure | absolute goal | measured | within |\n|---|---|---|---|\n");
        for (final Targets.Row row : targets)
        {
            if (row.reference)
            {
                appendTarget(md, row);
            }
        }
        md.append("\nWhat holds each missed target back, from profiles: [PROFILING.md](")
            .append(base.resolve("..").resolve("PROFILING.md").normalize().toString().replace('\\', '/'))
            .append(").\n\n");
        appendFloors(md);

        appendLimits(md);
        appendJmh(md);
        appendSweep(md, base, "In-process pipeline", "inproc", inproc,
            "Command -> ingress ring -> engine (decide, journal to Chronicle Queue on disk, apply) -> egress ring -> " +
            "reply, the engine on its own thread with idle strategy `" + engineIdle + "`; the generator offers SBE " +
            "commands (a new order, then its cancel) and reads replies on one thread. Window 8192 in flight. " +
            "The book " +
            "was first filled to its steady state (" + String.format(Locale.ROOT, "%,d",
            InProcessPipeline.RETAINED_TERMINAL_ORDERS) + " terminal orders kept, a tenth " +
            "of the production bound so that the fill takes seconds; each new order then reuses the record of the " +
            "oldest one it retires)" + (Double.isNaN(inprocFillRate) ? "" :
            String.format(Locale.ROOT, "; the fill, closed loop as fast as it goes while every new order still " +
            "allocated its record, ran at %,.0f commands/s", inprocFillRate)) + ".");
        if (inprocOtherIdle != null)
        {
            final String other = engineIdle.equals("busy-spin") ? "backoff" : "busy-spin";
            md.append("The same at 100 k/s with the engine's idle strategy `").append(other).append("` (`backoff`, " +
                "the default, parks the engine up to 1 ms when idle so that a shared machine stays usable; " +
                "`busy-spin` keeps a core for it, which pays only when the core is really its own):\n\n");
            appendRunTable(md, List.of(inprocOtherIdle));
        }
        appendFloorSweep(md, base, "inproc-floor", ringEcho, "The floor, the same sweep (generator, schedule, " +
            "rates, window, histogram) against a bare ring echo: the same commands onto a ring of the engine's " +
            "ingress type and size, an echo thread on the engine's idle strategy (`" + engineIdle + "`) that " +
            "answers each with the engine's Reply on a ring of the egress type and size, read back by the engine's " +
            "own response adapter. No decide, no journal, no book:");
        appendSweep(md, base, "Gateway over WebSocket", "ws", ws,
            "Open loop over " + connections + " WebSocket connections to " + wsWhere + ". Each connection logs in as " +
            "the Operator and sends SendExchangeOrderStateEvent frames (" + payloadBytes + "-byte payload: a new " +
            "order, then its cancel); the answer is the m=1 frame with the same `i`, sent after the event is " +
            "journaled. At most 1000 requests in flight per connection (the gateway refuses more than 1024).");
        appendFloorSweep(md, base, "ws-floor", wsEcho, "The floor, the same sweep (generator, " + connections +
            " connections, rates, window, histogram) against a bare Netty WebSocket echo server in a process of " +
            "its own, as the gateway's: the same Netty, transport, I/O thread count (`ordergw.gateway.io-threads`), " +
            "codecs and frame limits as the gateway's server, answering each request frame on its I/O thread with " +
            "a reply frame of the gateway's reply's shape and size. No decode, no engine, no journal:");

        md.append("## Raw files\n\n");
        md.append("- [`jmh-results.json`](").append(link(base, "jmh-results.json"))
            .append("): JMH's own results, every " +
            "iteration and the -prof gc figures.\n");
        md.append("- [`hgrm/`](").append(link(base, "hgrm")).append("): one HdrHistogram percentile distribution per " +
            "run (values in microseconds), e.g. `inproc-100000.hgrm`, and one per floor run, e.g. " +
            "`inproc-floor-100000.hgrm`; plot them with HdrHistogram's plotter.\n");
        if (ws != null && wsWhere != null && wsWhere.startsWith("a gateway process"))
        {
            md.append("- [`gateway.log`](").append(link(base, "gateway.log")).append("): the gateway process's log.\n");
        }
        if (wsEcho != null)
        {
            md.append("- [`ws-echo.log`](").append(link(base, "ws-echo.log"))
                .append("): the WebSocket echo process's log.\n");
        }
        md.append("\n## How the load is measured\n\n");
        md.append("Open loop: request k is due at start + k / rate and leaves then, whether or not earlier requests " +
            "were answered (pipelined); its latency runs from that intended time to when its answer was read, so a " +
            "stall shows in every request it delayed (coordinated omission corrected). Each run offers its rate for " +
            (quick ? "0.5 s unrecorded + 2 s recorded" : "1 s unrecorded + 5 s recorded") + ". A rate is *sustained* " +
            "when every request was sent and answered without error and the answers came at >= " +
            (int)(RunResult.KEEP_UP_FRACTION * 100) + "% of the offered rate; the sweep stops at the first rate that " +
            "is not. *window full* counts requests that were due while the in-flight window was full (they left " +
            "late, and their latency includes the wait). Latencies of a run that was not sustained are lower " +
            "bounds.\n");
        return md.toString();
    }

    private void appendLimits(final StringBuilder md)
    {
        final JmhFigure chronicle = jmh.get(RAW_CHRONICLE);
        final JmhFigure aeron = jmh.get(RAW_AERON);
        if (chronicle == null && aeron == null)
        {
            return;
        }
        md.append("## This machine's limits, same run, same message size (").append(eventBytes)
            .append("-byte OrderStateEvent)\n\n| limit | messages/s | MB/s |\n|---|---|---|\n");
        for (final JmhFigure f : new JmhFigure[]{chronicle, aeron})
        {
            if (f != null)
            {
                md.append(String.format(Locale.ROOT, "| %s | %,.0f | %.0f |%n", DESCRIPTION.get(f.name)
                    .replace("MACHINE LIMIT: ", ""), f.opsPerSecond, f.opsPerSecond * eventBytes / 1e6));
            }
        }
        md.append('\n');
        md.append("Each of our figures beside the limit it is bound by, as a ratio: the *Floors* table above.\n\n");
    }

    private static void appendTarget(final StringBuilder md, final Targets.Row row)
    {
        final String verdict = row.verdict();
        md.append("| ").append(row.what).append(" | ").append(row.goal).append(" | ").append(row.measured)
            .append(" | ").append("MISSED".equals(verdict) ? "**missed**" : verdict).append(" |\n");
    }

    private void appendFloors(final StringBuilder md)
    {
        if (floors.isEmpty())
        {
            return;
        }
        md.append("## Floors: our figures beside the machine's, same run\n\n");
        md.append("Each path's floor is the least any implementation pays on this machine for the same traffic, " +
            "measured in the same run so that the machine's load of the moment weighs on both sides alike. " +
            "*ring echo*: the in-process sweep again, with the engine replaced by a thread that answers each " +
            "command with a Reply over the same rings (type, size, idle strategy). *WebSocket echo*: the WebSocket " +
            "sweep again, against a bare Netty WebSocket server (same Netty, same I/O thread count, same frames, " +
            "in a process of its own) that answers each request with a reply of our reply's size. *raw Chronicle " +
            "append* and *raw Aeron IPC*: the JMH machine limits at the size of our events. Latencies are at the " +
            "rate the latency targets are set at; throughput is the highest offered rate sustained (every request " +
            "answered without error, at >= " + (int)(RunResult.KEEP_UP_FRACTION * 100) + "% of the offered rate), " +
            "or JMH's score. `>=` and `<` mark bounds: a latency of a run that was not sustained is a lower bound, " +
            "a sweep that sustained every rate it tried sustains at least its highest, one that sustained none " +
            "less than its lowest.\n\n");
        md.append(Floors.markdown(floors)).append('\n');
    }

    private static void appendFloorSweep(
        final StringBuilder md, final Path base, final String prefix, final List<RunResult> sweep,
        final String description)
    {
        if (sweep == null)
        {
            return;
        }
        md.append(description).append("\n\n");
        appendRunTable(md, sweep);
        md.append("![floor latency by percentile](").append(link(base, prefix + "-latency.png")).append(")\n\n");
    }

    private void appendJmh(final StringBuilder md)
    {
        if (jmh.isEmpty())
        {
            return;
        }
        md.append("## JMH (1 fork, ").append(quick ? "1 x 0.5 s warm-up, 2 x 0.5 s measured" :
            "3 x 1 s warm-up, 5 x 1 s measured").append(", -prof gc)\n\n");
        md.append("| benchmark | what | ops/s | ± (99.9%) | best iteration | ns/op | B/op |\n" +
            "|---|---|---|---|---|---|---|\n");
        for (final JmhFigure f : jmh.values())
        {
            md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %,.0f | %.1f | %s |%n", f.name,
                DESCRIPTION.getOrDefault(f.name, ""), f.opsPerSecond, f.error, f.bestOpsPerSecond, f.nanosPerOp(),
                Double.isNaN(f.bytesPerOp) ? "-" : String.format(Locale.ROOT, "%.3f", f.bytesPerOp)));
        }
        md.append("\nops/s is JMH's score (the mean of the measured iterations), which verdicts use; *best " +
            "iteration* is the least disturbed one on this shared machine. B/op is `gc.alloc.rate.norm`; below ")
            .append(JmhFigure.ZERO_BYTES_TOLERANCE).append(" it is JMH's own noise: nothing is allocated per " +
            "operation. For the Aeron benchmarks it also counts the embedded media driver's threads in the same JVM; " +
            "the benchmark thread's own figure is printed in the run's log (0.1 B/op).\n\n");
    }

    private void appendSweep(final StringBuilder md, final Path base, final String title, final String prefix,
        final List<RunResult> sweep, final String description)
    {
        if (sweep == null)
        {
            return;
        }
        md.append("## ").append(title).append(": open-loop sweep\n\n").append(description).append("\n\n");
        appendRunTable(md, sweep);
        md.append("![latency by percentile](").append(link(base, prefix + "-latency.png")).append(")\n\n");
        md.append("![achieved vs offered](").append(link(base, prefix + "-throughput.png")).append(")\n\n");
    }

    private static void appendRunTable(final StringBuilder md, final List<RunResult> runs)
    {
        md.append("| offered/s | achieved/s | sustained | p50 | p90 | p99 | p99.9 | p99.99 | max | answers | " +
            "errors | " +
            "window full |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final RunResult r : runs)
        {
            md.append(String.format(Locale.ROOT,
                "| %,d | %,.0f | %s | %s | %s | %s | %s | %s | %s | %,d / %,d | %,d | %,d |%n",
                r.offeredRate, r.achievedRate, r.sustained() ? "yes" : "**no**",
                Targets.formatMicros(r.micros(50)), Targets.formatMicros(r.micros(90)),
                Targets.formatMicros(r.micros(99)), Targets.formatMicros(r.micros(99.9)),
                Targets.formatMicros(r.micros(99.99)), Targets.formatMicros(r.maxMicros()),
                r.measuredAnswers, r.measuredRequests, r.errors, r.windowFull));
        }
        md.append('\n');
    }

    private static String link(final Path base, final String file)
    {
        final String prefix = base.toString().replace('\\', '/');
        return prefix.isEmpty() ? file : prefix + "/" + file;
    }
}
