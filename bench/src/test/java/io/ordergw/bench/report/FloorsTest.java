package io.ordergw.bench.report;

import io.ordergw.bench.load.RunResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.ordergw.bench.load.RunResults.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FloorsTest
{
    private static final Map<String, JmhFigure> RAW_CHRONICLE_400K =
        Map.of(Floors.RAW_CHRONICLE, new JmhFigure(Floors.RAW_CHRONICLE, 400_000, 1, 0));

    private static Targets.Row target(final List<Targets.Row> rows, final String what)
    {
        return rows.stream().filter(r -> r.what.equals(what)).findFirst().orElseThrow();
    }

    private static Floors.Row floor(final List<Floors.Row> rows, final String path, final String figure)
    {
        return rows.stream().filter(r -> r.path.equals(path) && r.figure.equals(figure)).findFirst().orElseThrow();
    }

    @Test
    void shouldJudgeTheInProcessTailAndThroughputByTheirRatiosToTheFloors()
    {
        final List<RunResult> inproc = List.of(run(50_000, true), run(100_000, true, 2, 3_000, 8_000),
            run(250_000, true), run(500_000, false));
        final List<RunResult> ringEcho = List.of(run(50_000, true), run(100_000, true, 1, 1_500, 6_000),
            run(250_000, true), run(500_000, true), run(1_000_000, false));

        final List<Targets.Row> rows = Targets.evaluate(RAW_CHRONICLE_400K, inproc, ringEcho, null, null, 8);

        final Targets.Row p99 = target(rows, "in-process at 100,000/s p99 vs ring echo floor");
        assertEquals("<= 1.5x floor", p99.goal);
        assertEquals("2.00x (3.00 ms vs 1.50 ms)", p99.measured);
        assertEquals("MISSED", p99.verdict());
        final Targets.Row p9999 = target(rows, "in-process at 100,000/s p99.99 vs ring echo floor");
        assertEquals("1.33x (8.00 ms vs 6.00 ms)", p9999.measured);
        assertEquals("met", p9999.verdict());
        final Targets.Row throughput = target(rows, "in-process sustained vs raw Chronicle append");
        assertEquals("0.63x (250,000/s vs 400,000/s)", throughput.measured);
        assertEquals("met", throughput.verdict());
        assertEquals("not measured", target(rows, "WebSocket sustained vs WebSocket echo floor").verdict());
        assertTrue(target(rows, "in-process pipeline sustained").reference, "the absolute goal is kept apart");
    }

    @Test
    void shouldPrintOursTheFloorAndTheRatioSideBySide()
    {
        final List<RunResult> ws = List.of(run(5_000, true), run(20_000, true, 2_000, 10_000, 40_000),
            run(50_000, false));
        final List<RunResult> wsEcho = List.of(run(5_000, true), run(20_000, true, 200, 1_000, 5_000),
            run(50_000, true), run(100_000, false));

        final List<Floors.Row> rows = Floors.table(Map.of(), null, null, ws, wsEcho);
        final String markdown = Floors.markdown(rows);

        assertTrue(markdown.contains("| WebSocket, 20,000/s offered | WebSocket echo | p50 | 2.00 ms | 200.0 us | " +
            "10.00x |\n"), markdown);
        assertTrue(markdown.contains("| WebSocket, 20,000/s offered | WebSocket echo | p99.9 | 10.00 ms | 1.00 ms | " +
            "10.00x |\n"), markdown);
        assertTrue(markdown.contains("| WebSocket, 20,000/s offered | WebSocket echo | p99.99 | 40.00 ms | 5.00 ms | " +
            "8.00x |\n"), markdown);
        assertTrue(markdown.contains("| WebSocket, sustained (open loop) | WebSocket echo | throughput | 20,000/s | " +
            "50,000/s | 0.40x |\n"), markdown);
        assertEquals(Boolean.FALSE,
            Floors.judgeAtLeast(floor(rows, "WebSocket, sustained (open loop)", "throughput"), 0.5));
    }

    @Test
    void shouldJudgeOnlyWhatABoundCanDecide()
    {
        // The echo sustained every rate tried: its limit is at least 50 k/s, so our 20 k/s is at most 0.4x: missed.
        final List<RunResult> ws = List.of(run(20_000, true), run(50_000, false));
        final List<RunResult> echoToFifty = List.of(run(20_000, true), run(50_000, true));
        final Targets.Row missed = target(Targets.evaluate(Map.of(), null, null, ws, echoToFifty, 8),
            "WebSocket sustained vs WebSocket echo floor");
        assertEquals("<= 0.40x (20,000/s vs >= 50,000/s)", missed.measured);
        assertEquals("MISSED", missed.verdict());

        // At most 1.0x of a floor that is at least 20 k/s: it may or may not reach 0.5x.
        final List<RunResult> echoToTwenty = List.of(run(20_000, true));
        final Targets.Row undecided = target(Targets.evaluate(Map.of(), null, null, ws, echoToTwenty, 8),
            "WebSocket sustained vs WebSocket echo floor");
        assertNull(undecided.met);
        assertEquals("undecided", undecided.verdict());

        // Our run at the latency rate was not sustained: its p99 is a lower bound, already 4x the floor's.
        final List<RunResult> slow = List.of(run(20_000, false, 1_000, 8_000, 9_000));
        final List<RunResult> echo = List.of(run(20_000, true, 100, 2_000, 3_000));
        final Targets.Row p99 = target(Targets.evaluate(Map.of(), null, null, slow, echo, 8),
            "WebSocket at 20,000/s p99 vs WebSocket echo floor");
        assertEquals(">= 4.00x (>= 8.00 ms vs 2.00 ms)", p99.measured);
        assertEquals("MISSED", p99.verdict());
        final List<RunResult> slowButClose = List.of(run(20_000, false, 1_000, 2_400, 3_000));
        assertEquals("undecided", target(Targets.evaluate(Map.of(), null, null, slowButClose, echo, 8),
            "WebSocket at 20,000/s p99 vs WebSocket echo floor").verdict());
    }

    @Test
    void shouldPairOurJmhFiguresWithTheirRawLimits()
    {
        final Map<String, JmhFigure> jmh = Map.of(
            "JournalBenchmark.ordergwJournalAppend",
            new JmhFigure("JournalBenchmark.ordergwJournalAppend", 900_000, 1, 0),
            Floors.RAW_CHRONICLE, new JmhFigure(Floors.RAW_CHRONICLE, 1_200_000, 1, 0),
            "AeronBenchmark.ordergwPublishToSubscriber",
            new JmhFigure("AeronBenchmark.ordergwPublishToSubscriber", 500_000, 1, 0),
            Floors.RAW_AERON, new JmhFigure(Floors.RAW_AERON, 10_000_000, 1, 0));

        final String markdown = Floors.markdown(Floors.table(jmh, null, null, null, null));

        assertTrue(markdown.contains("| JournalBenchmark.ordergwJournalAppend (JMH) | raw Chronicle append | " +
            "throughput | 900,000/s | 1,200,000/s | 0.75x |\n"), markdown);
        assertTrue(markdown.contains("| AeronBenchmark.ordergwPublishToSubscriber (JMH) | raw Aeron IPC | " +
            "throughput | 500,000/s | 10,000,000/s | 0.05x |\n"), markdown);
        assertEquals(4, markdown.split("\n").length, "a header, its rule and the two pairs measured");
    }
}
