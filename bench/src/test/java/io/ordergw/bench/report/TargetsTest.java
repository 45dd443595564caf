package io.ordergw.bench.report;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TargetsTest
{
    private static Map<String, JmhFigure> figures(final JmhFigure... figures)
    {
        final Map<String, JmhFigure> map = new LinkedHashMap<>();
        for (final JmhFigure f : figures)
        {
            map.put(f.name, f);
        }
        return map;
    }

    private static Targets.Row row(final List<Targets.Row> rows, final String what)
    {
        return rows.stream().filter(r -> r.what.equals(what)).findFirst().orElseThrow();
    }

    @Test
    void shouldCompareDecodeWithItsBaselinesAndCheckGarbage()
    {
        final List<Targets.Row> rows = Targets.evaluate(figures(
            new JmhFigure("DecodeBenchmark.ordergwDecoder", 900_000, 1, 0.02),
            new JmhFigure("DecodeBenchmark.jacksonTokenWalk", 1_000_000, 1, 0.01),
            new JmhFigure("DecodeBenchmark.jacksonDatabind", 400_000, 1, 2_700)), null, null, null, null, 8);

        assertEquals(Boolean.TRUE, row(rows, "decode vs bare jackson-core token walk").met);
        assertEquals("0.90x (900,000 vs 1,000,000 ops/s)",
            row(rows, "decode vs bare jackson-core token walk").measured);
        assertEquals(Boolean.FALSE, row(rows, "decode vs jackson-databind").met);
        assertEquals(Boolean.TRUE, row(rows, "decode garbage").met);
        assertNull(row(rows, "journal + publish vs raw Chronicle append").met);
        assertNull(row(rows, "in-process pipeline sustained").met);
    }

    @Test
    void shouldCountAFewBytesPerOperationAsGarbage()
    {
        final List<Targets.Row> rows = Targets.evaluate(figures(
            new JmhFigure("EncodeBenchmark.orderObject", 1, 1, 24.0),
            new JmhFigure("EncodeBenchmark.eventFrame", 1, 1, 0.5)), null, null, null, null, 8);
        assertEquals(Boolean.FALSE, row(rows, "encode garbage (order object)").met);
        assertEquals(Boolean.TRUE, row(rows, "encode garbage (m=3 frame)").met);
    }

    @Test
    void shouldFormatMicroseconds()
    {
        assertEquals("12.3 us", Targets.formatMicros(12.34));
        assertEquals("2.50 ms", Targets.formatMicros(2500));
    }

    @Test
    void shouldShortenJmhNames()
    {
        assertEquals("DecodeBenchmark.ordergwDecoder",
            JmhSuite.shortName("io.ordergw.bench.jmh.DecodeBenchmark.ordergwDecoder"));
    }
}
