package io.ordergw.bench.load;

import io.ordergw.bench.fixture.InProcessPipeline;

import java.io.File;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The load generator on its own, for exploring one target:
 * <pre>
 * java @bench/target/jvm.options -cp bench/target/benchmarks.jar io.ordergw.bench.load.LoadMain \
 *     --target inproc|ws|ring-echo|ws-echo [--rates 10000,50000] [--measure 5] [--warmup 1] [--engine-idle busy-spin]
 *     [--connections 8] [--ws-url ws://127.0.0.1:8086/WSGateway --password secret]
 * </pre>
 * Without {@code --ws-url} the ws target starts its own gateway process. {@code ring-echo} and {@code ws-echo} are
 * the two paths' floors ({@link RingEchoTarget}, {@link WsEchoServer} in a process of its own).
 */
public final class LoadMain
{
    private LoadMain()
    {
    }

    /**
     * Run a sweep and print it.
     *
     * @param args see the class comment.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        String target = "inproc";
        long[] rates = {10_000, 50_000, 100_000};
        long measure = 5;
        long warmup = 1;
        String engineIdle = "busy-spin";
        int connections = 8;
        String wsUrl = null;
        String password = "bench-" + ProcessHandle.current().pid();
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--target" -> target = args[++i];
                case "--rates" -> rates = Arrays.stream(args[++i].split(",")).mapToLong(Long::parseLong).toArray();
                case "--measure" -> measure = Long.parseLong(args[++i]);
                case "--warmup" -> warmup = Long.parseLong(args[++i]);
                case "--engine-idle" -> engineIdle = args[++i];
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--ws-url" -> wsUrl = args[++i];
                case "--password" -> password = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        final LoadSweep.Plan plan = new LoadSweep.Plan();
        plan.rates = rates;
        plan.measureNanos = TimeUnit.SECONDS.toNanos(measure);
        plan.warmupNanos = TimeUnit.SECONDS.toNanos(warmup);
        plan.pastSaturation = 0;
        final List<RunResult> results;
        if (target.equals("inproc"))
        {
            try (InProcessTarget t = new InProcessTarget(engineIdle))
            {
                System.out.printf("book filled at %,.0f commands/s%n", t.fillBook());
                results = LoadSweep.run(t, plan, System.out);
            }
        }
        else if (target.equals("ring-echo"))
        {
            try (RingEchoTarget t = new RingEchoTarget(engineIdle))
            {
                results = LoadSweep.run(t, plan, System.out);
            }
        }
        else if (target.equals("ws-echo"))
        {
            plan.window = connections * 1000;
            try (WsEchoServer.ChildProcess echo = WsEchoServer.startProcess(new File("ws-echo-bench.log"));
                WebSocketTarget t = new WebSocketTarget("WebSocket echo x" + connections, echo.url(), "operator",
                    password, connections, 1000))
            {
                results = LoadSweep.run(t, plan, System.out);
            }
        }
        else if (wsUrl != null)
        {
            plan.window = connections * 1000;
            plan.jitWarmupRate = 20_000;
            plan.jitWarmupNanos = TimeUnit.SECONDS.toNanos(10);
            try (WebSocketTarget t = new WebSocketTarget(URI.create(wsUrl), "operator", password, connections, 1000))
            {
                results = LoadSweep.run(t, plan, System.out);
            }
        }
        else
        {
            plan.window = connections * 1000;
            plan.jitWarmupRate = 20_000;
            plan.jitWarmupNanos = TimeUnit.SECONDS.toNanos(10);
            try (GatewayProcess gateway = GatewayProcess.start(password, engineIdle,
                InProcessPipeline.RETAINED_TERMINAL_ORDERS, new File("gateway-bench.log"));
                WebSocketTarget t = new WebSocketTarget(gateway.url(), "operator", password, connections, 1000))
            {
                results = LoadSweep.run(t, plan, System.out);
            }
        }
        final RunResult best = LoadSweep.bestSustained(results);
        System.out.println("best sustained: " + (best == null ? "none" : best.offeredRate + "/s"));
    }
}
