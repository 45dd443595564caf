package io.ordergw.bench.report;

import io.ordergw.bench.JvmFlags;
import io.ordergw.bench.fixture.InProcessPipeline;
import io.ordergw.bench.fixture.SampleEvents;
import io.ordergw.bench.fixture.SamplePayloads;
import io.ordergw.bench.load.GatewayProcess;
import io.ordergw.bench.load.InProcessTarget;
import io.ordergw.bench.load.LoadSweep;
import io.ordergw.bench.load.RingEchoTarget;
import io.ordergw.bench.load.RunResult;
import io.ordergw.bench.load.WebSocketTarget;
import io.ordergw.bench.load.WsEchoServer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One command for the whole report: the JMH suites (each with -prof gc), this machine's raw limits at the same
 * message size (inside the suites: raw Chronicle append, raw Aeron IPC), the open-loop sweeps of the in-process
 * pipeline and of the gateway over WebSocket, each followed by the same sweep of its floor (a bare ring echo, a
 * bare Netty WebSocket echo), then a Markdown summary with the floor table, PNG plots and the raw .hgrm files.
 * <pre>
 * java @bench/target/jvm.options -cp bench/target/benchmarks.jar io.ordergw.bench.report.Report --out bench/report
 *     [--results bench/RESULTS.md] [--quick] [--skip-jmh] [--skip-inproc] [--skip-ws] [--skip-floors] [--jmh REGEX]
 *     [--engine-idle backoff|busy-spin|yielding] [--connections 8] [--ws-url URL --password PASSWORD]
 *     [--inproc-rates 50000,100000,...] [--ws-rates 5000,20000,...]
 * </pre>
 */
public final class Report
{
    static final long[] INPROC_RATES = {50_000, 100_000, 250_000, 500_000, 1_000_000, 1_500_000, 2_000_000, 3_000_000};
    static final long[] WS_RATES = {5_000, 10_000, 20_000, 50_000, 100_000, 150_000, 200_000};
    static final long[] INPROC_RATES_QUICK = {20_000, 100_000, 500_000};
    static final long[] WS_RATES_QUICK = {5_000, 20_000};

    private Path out = Path.of("bench", "report");
    private Path results;
    private boolean quick;
    private boolean skipJmh;
    private boolean skipInproc;
    private boolean skipWs;
    private boolean skipFloors;
    private String jmhInclude = "io\\.ordergw\\.bench\\.jmh\\..*";
    private String engineIdle = "backoff";
    private int connections = 8;
    private String wsUrl;
    private String password = "bench-" + ProcessHandle.current().pid();
    private long[] inprocRates;
    private long[] wsRates;

    private Report()
    {
    }

    /**
     * Produce the report.
     *
     * @param args see the class comment.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        System.setProperty("java.awt.headless", "true");
        final Report report = new Report();
        report.parse(args);
        report.run();
    }

    private void parse(final String[] args)
    {
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--out" -> out = Path.of(args[++i]);
                case "--results" -> results = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--skip-jmh" -> skipJmh = true;
                case "--skip-inproc" -> skipInproc = true;
                case "--skip-ws" -> skipWs = true;
                case "--skip-floors" -> skipFloors = true;
                case "--jmh" -> jmhInclude = args[++i];
                case "--engine-idle" -> engineIdle = args[++i];
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--ws-url" -> wsUrl = args[++i];
                case "--password" -> password = args[++i];
                case "--inproc-rates" -> inprocRates = rates(args[++i]);
                case "--ws-rates" -> wsRates = rates(args[++i]);
                default -> throw new IllegalArgumentException(
                    "unknown option " + args[i] + " (see the Report class comment)");
            }
        }
        if (inprocRates == null)
        {
            inprocRates = quick ? INPROC_RATES_QUICK : INPROC_RATES;
        }
        if (wsRates == null)
        {
            wsRates = quick ? WS_RATES_QUICK : WS_RATES;
        }
    }

    private static long[] rates(final String text)
    {
        return Arrays.stream(text.split(",")).mapToLong(Long::parseLong).toArray();
    }

    private void run() throws Exception
    {
        final long started = System.nanoTime();
        Files.createDirectories(out.resolve("hgrm"));
        if (!JvmFlags.hostHasFlags())
        {
            System.out.println("note: this JVM was started without bench/target/jvm.options; the in-process runs " +
                "need " +
                "its flags (JMH forks and the gateway process get them anyway)");
        }
        final MachineInfo machine = MachineInfo.now();
        final String loadBefore = MachineInfo.load();
        System.out.println("machine: " + machine.cores + " cores, " + machine.memory + ", " + machine.cpuModel + "; " +
            machine.jdk + "; " + loadBefore);

        Map<String, JmhFigure> jmh = new LinkedHashMap<>();
        if (!skipJmh)
        {
            System.out.println("== JMH suites (" + (quick ? "quick" : "3 x 1 s warm-up, 5 x 1 s measured") +
                ", -prof gc)");
            jmh = JmhSuite.run(jmhInclude, quick, out.resolve("jmh-results.json"));
        }

        List<RunResult> inproc = null;
        List<RunResult> ringEcho = null;
        List<RunResult> wsEcho = null;
        double inprocFillRate = Double.NaN;
        RunResult inprocOtherIdle = null;
        if (!skipInproc)
        {
            System.out.println("== in-process pipeline, open loop, engine idle strategy " + engineIdle);
            final LoadSweep.Plan plan = plan(inprocRates, 8192);
            plan.mustReach = Targets.INPROC_LATENCY_RATE;
            try (InProcessTarget target = new InProcessTarget(engineIdle))
            {
                inprocFillRate = target.fillBook();
                System.out.printf("  book filled to its steady state (%,d terminal orders) at %,.0f commands/s%n",
                    InProcessPipeline.RETAINED_TERMINAL_ORDERS, inprocFillRate);
                inproc = LoadSweep.run(target, plan, System.out);
            }
            if (!skipFloors)
            {
                // The floor: the same generator, schedule, rates and window against the rings alone.
                System.out.println("== in-process floor: bare ring echo, echo thread idle strategy " + engineIdle);
                try (RingEchoTarget target = new RingEchoTarget(engineIdle))
                {
                    ringEcho = LoadSweep.run(target, plan, System.out);
                }
            }
            final String otherIdle = engineIdle.equals("busy-spin") ? "backoff" : "busy-spin";
            System.out.println("== in-process pipeline at 100 k/s with the engine's idle strategy " + otherIdle);
            final LoadSweep.Plan one = plan(new long[]{Targets.INPROC_LATENCY_RATE}, 8192);
            try (InProcessTarget target = new InProcessTarget(otherIdle))
            {
                target.fillBook();
                inprocOtherIdle = LoadSweep.run(target, one, System.out).get(0);
            }
        }

        List<RunResult> ws = null;
        String wsWhere = null;
        if (!skipWs)
        {
            System.out.println("== gateway over " + connections + " WebSocket connections, open loop");
            final LoadSweep.Plan plan = plan(wsRates, connections * 1000);
            plan.mustReach = Targets.WS_LATENCY_RATE;
            // The warm-up run also brings the gateway's book to its steady state: 200 k requests, 100 k orders.
            plan.jitWarmupRate = 20_000;
            plan.jitWarmupNanos = quick ? TimeUnit.SECONDS.toNanos(2) : TimeUnit.SECONDS.toNanos(10);
            if (wsUrl != null)
            {
                wsWhere = "the running gateway at " + wsUrl;
                try (WebSocketTarget target =
                    new WebSocketTarget(URI.create(wsUrl), "operator", password, connections, 1000))
                {
                    ws = LoadSweep.run(target, plan, System.out);
                }
            }
            else
            {
                wsWhere = "a gateway process started for the run: reference.conf defaults (one Netty I/O thread; " +
                    "engine " +
                    "and router back off when idle), port 0 on loopback, the book keeping " + String.format(
                    Locale.ROOT, "%,d", InProcessPipeline.RETAINED_TERMINAL_ORDERS) + " terminal orders " +
                    "and " +
                    "brought near its steady state by the warm-up run (200 k requests at 20 k/s, unrecorded)";
                try (GatewayProcess gateway = GatewayProcess.start(password, "backoff",
                    InProcessPipeline.RETAINED_TERMINAL_ORDERS, out.resolve("gateway.log").toFile());
                    WebSocketTarget target =
                        new WebSocketTarget(gateway.url(), "operator", password, connections, 1000))
                {
                    ws = LoadSweep.run(target, plan, System.out);
                }
            }
            if (!skipFloors)
            {
                // The floor: the same generator, connections, rates and window against a bare Netty echo.
                System.out.println("== WebSocket floor: bare Netty WebSocket echo over " + connections +
                    " connections");
                // Its JIT warm-up needs no book to fill, only the echo's and the client's code to compile.
                plan.jitWarmupNanos = quick ? TimeUnit.SECONDS.toNanos(1) : TimeUnit.SECONDS.toNanos(3);
                try (WsEchoServer.ChildProcess echo = WsEchoServer.startProcess(out.resolve("ws-echo.log").toFile());
                    WebSocketTarget target = new WebSocketTarget("WebSocket echo x" + connections, echo.url(),
                        "operator", password, connections, 1000))
                {
                    wsEcho = LoadSweep.run(target, plan, System.out);
                }
            }
        }

        final String loadAfter = MachineInfo.load();
        writeHgrm("inproc", inproc);
        writeHgrm("ws", ws);
        writeHgrm("inproc-floor", ringEcho);
        writeHgrm("ws-floor", wsEcho);
        if (inprocOtherIdle != null)
        {
            final String otherIdle = engineIdle.equals("busy-spin") ? "backoff" : "busy-spin";
            writeHgrm("inproc-" + otherIdle, List.of(inprocOtherIdle));
        }
        if (inproc != null && !inproc.isEmpty())
        {
            Charts.latencyByPercentile("In-process pipeline: latency by percentile (engine " + engineIdle + ")", inproc,
                out.resolve("inproc-latency.png"));
            Charts.throughput("In-process pipeline: achieved vs offered", inproc, out.resolve("inproc-throughput.png"));
        }
        if (ringEcho != null && !ringEcho.isEmpty())
        {
            Charts.latencyByPercentile("In-process floor (bare ring echo): latency by percentile", ringEcho,
                out.resolve("inproc-floor-latency.png"));
        }
        if (wsEcho != null && !wsEcho.isEmpty())
        {
            Charts.latencyByPercentile("WebSocket floor (bare Netty echo, " + connections + " connections): " +
                "latency by percentile", wsEcho, out.resolve("ws-floor-latency.png"));
        }
        if (ws != null && !ws.isEmpty())
        {
            Charts.latencyByPercentile("WebSocket (" + connections + " connections): latency by percentile", ws,
                out.resolve("ws-latency.png"));
            Charts.throughput("WebSocket (" + connections + " connections): achieved vs offered", ws,
                out.resolve("ws-throughput.png"));
        }

        final List<Targets.Row> targets = Targets.evaluate(jmh, inproc, ringEcho, ws, wsEcho, connections);
        final List<Floors.Row> floors = Floors.table(jmh, inproc, ringEcho, ws, wsEcho);
        final ReportWriter writer = new ReportWriter(machine, loadBefore, loadAfter, quick, jmh, inproc, inprocFillRate,
            inprocOtherIdle,
            engineIdle, ws, wsWhere, connections, targets, SampleEvents.length(), SamplePayloads.newOrderBytes().length,
            (System.nanoTime() - started) / 1e9, ringEcho, wsEcho, floors);
        final Path markdown = out.resolve("report.md");
        Files.writeString(markdown, writer.markdown(Path.of("")), StandardCharsets.UTF_8);
        if (results != null)
        {
            final Path base = results.toAbsolutePath().getParent().relativize(out.toAbsolutePath());
            Files.writeString(results, writer.markdown(base), StandardCharsets.UTF_8);
        }
        System.out.println();
        System.out.println("== floors (ours, the floor, ours / floor)");
        for (final Floors.Row row : floors)
        {
            System.out.printf("  %-44s %-22s %-10s %14s %14s %10s%n", row.path, row.floorName, row.figure,
                row.oursText(), row.floorText(), row.ratioText());
        }
        System.out.println("== targets");
        for (final Targets.Row row : targets)
        {
            System.out.printf("  %-52s %-22s %-60s %s%n", (row.reference ? "(absolute) " : "") + row.what, row.goal,
                row.measured, row.verdict());
        }
        System.out.println("report: " + markdown.toAbsolutePath() +
            (results == null ? "" : " and " + results.toAbsolutePath()));
        System.out.printf("took %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    private LoadSweep.Plan plan(final long[] rates, final int window)
    {
        final LoadSweep.Plan plan = new LoadSweep.Plan();
        plan.rates = rates;
        plan.window = window;
        plan.warmupNanos = quick ? TimeUnit.MILLISECONDS.toNanos(500) : TimeUnit.SECONDS.toNanos(1);
        plan.measureNanos = quick ? TimeUnit.SECONDS.toNanos(2) : TimeUnit.SECONDS.toNanos(5);
        plan.jitWarmupNanos = quick ? TimeUnit.SECONDS.toNanos(1) : TimeUnit.SECONDS.toNanos(3);
        plan.pastSaturation = 0;
        return plan;
    }

    private void writeHgrm(final String prefix, final List<RunResult> runs) throws IOException
    {
        if (runs == null)
        {
            return;
        }
        for (final RunResult r : runs)
        {
            final Path file = out.resolve("hgrm").resolve(prefix + "-" + r.offeredRate + ".hgrm");
            try (PrintStream ps = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8))
            {
                // Values in microseconds: the histogram holds nanoseconds.
                r.latency.outputPercentileDistribution(ps, 1000.0);
            }
        }
    }
}
