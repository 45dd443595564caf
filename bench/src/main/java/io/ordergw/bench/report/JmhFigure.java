package io.ordergw.bench.report;

/**
 * One JMH benchmark's outcome: its throughput with JMH's error, and the garbage per operation that {@code -prof gc}
 * measured ({@code gc.alloc.rate.norm}).
 */
public final class JmhFigure
{
    /** Below this many bytes per operation the benchmark allocates nothing (JMH's own noise is a few hundredths). */
    public static final double ZERO_BYTES_TOLERANCE = 1.0;

    /** {@code Class.method}, e.g. {@code DecodeBenchmark.ordergwDecoder}. */
    public final String name;
    /** Operations per second. */
    public final double opsPerSecond;
    /** JMH's 99.9% error of it. */
    public final double error;
    /**
     * The best measured iteration's operations per second: on a shared machine, the iteration least disturbed by
     * other work, so the figure closest to what the code can do. NaN if not known.
     */
    public final double bestOpsPerSecond;
    /** Bytes allocated per operation, NaN if not measured. */
    public final double bytesPerOp;

    /**
     * A figure.
     *
     * @param name         {@code Class.method}.
     * @param opsPerSecond throughput.
     * @param error        its error.
     * @param bytesPerOp   garbage per operation.
     */
    public JmhFigure(final String name, final double opsPerSecond, final double error, final double bytesPerOp)
    {
        this(name, opsPerSecond, error, bytesPerOp, Double.NaN);
    }

    /**
     * A figure with its best iteration.
     *
     * @param name             {@code Class.method}.
     * @param opsPerSecond     throughput (mean of the iterations).
     * @param error            its error.
     * @param bytesPerOp       garbage per operation.
     * @param bestOpsPerSecond the best iteration's throughput.
     */
    public JmhFigure(
        final String name,
        final double opsPerSecond,
        final double error,
        final double bytesPerOp,
        final double bestOpsPerSecond)
    {
        this.name = name;
        this.opsPerSecond = opsPerSecond;
        this.error = error;
        this.bytesPerOp = bytesPerOp;
        this.bestOpsPerSecond = bestOpsPerSecond;
    }

    /**
     * Nanoseconds per operation.
     *
     * @return 1e9 / ops per second.
     */
    public double nanosPerOp()
    {
        return 1e9 / opsPerSecond;
    }

    /**
     * Whether it allocates nothing per operation.
     *
     * @return true below {@link #ZERO_BYTES_TOLERANCE}.
     */
    public boolean garbageFree()
    {
        return !Double.isNaN(bytesPerOp) && bytesPerOp < ZERO_BYTES_TOLERANCE;
    }
}
