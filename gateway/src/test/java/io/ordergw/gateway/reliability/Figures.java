package io.ordergw.gateway.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;

/**
 * The figures the reliability tests report (faults survived, inputs tried, latencies, memory): printed, and appended
 * to {@code target/reliability/figures.txt} of the module, one line each, for docs/reliability.md and the CI log.
 * Latencies are measured and reported, never asserted beyond generous sanity bounds: timing on a shared 2-core CI
 * machine is not a pass/fail signal.
 */
final class Figures
{
    private static final Path FILE = Path.of("target", "reliability", "figures.txt");

    private Figures()
    {
    }

    /**
     * Report one line.
     *
     * @param test   which test.
     * @param figure what was measured.
     */
    static synchronized void report(final String test, final String figure)
    {
        final String line = Instant.now() + " " + test + ": " + figure;
        System.out.println("[reliability] " + line);
        try
        {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Round-trip times of one kind of request, in nanoseconds. */
    static final class Latencies
    {
        private long[] samples = new long[1024];
        private int count;

        synchronized void record(final long nanos)
        {
            if (count == samples.length)
            {
                samples = Arrays.copyOf(samples, count * 2);
            }
            samples[count++] = nanos;
        }

        synchronized int count()
        {
            return count;
        }

        /**
         * A percentile.
         *
         * @param p e.g. 99.0.
         * @return microseconds, or -1 with no samples.
         */
        synchronized long percentileMicros(final double p)
        {
            if (count == 0)
            {
                return -1;
            }
            final long[] sorted = Arrays.copyOf(samples, count);
            Arrays.sort(sorted);
            final int index = (int)Math.min(count - 1, Math.max(0, Math.ceil(p / 100.0 * count) - 1));
            return sorted[index] / 1000;
        }

        @Override
        public synchronized String toString()
        {
            return count + " samples, p50 " + percentileMicros(50) + " us, p99 " + percentileMicros(99) +
                " us, p99.9 " + percentileMicros(99.9) + " us, max " + percentileMicros(100) + " us";
        }
    }

    /**
     * Heap in use after a GC, and the JVM's direct buffers, in MiB: the memory figure of the in-process tests.
     *
     * @return text.
     */
    static String memory()
    {
        System.gc();
        final Runtime runtime = Runtime.getRuntime();
        final long heap = runtime.totalMemory() - runtime.freeMemory();
        long direct = 0;
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if (pool.getName().equals("direct"))
            {
                direct = pool.getMemoryUsed();
            }
        }
        return "heap " + (heap >> 20) + " MiB after GC, direct buffers " + (direct >> 20) + " MiB, netty " +
            (nettyUsedBytes() >> 20) + " MiB";
    }

    /**
     * Bytes Netty's default allocator holds (pooled arenas, direct and heap).
     *
     * @return bytes, or 0 if the allocator does not tell.
     */
    static long nettyUsedBytes()
    {
        final io.netty.buffer.ByteBufAllocator allocator = io.netty.buffer.ByteBufAllocator.DEFAULT;
        if (allocator instanceof io.netty.buffer.ByteBufAllocatorMetricProvider)
        {
            final io.netty.buffer.ByteBufAllocatorMetric metric =
                ((io.netty.buffer.ByteBufAllocatorMetricProvider)allocator).metric();
            return metric.usedDirectMemory() + metric.usedHeapMemory();
        }
        return 0;
    }

    /**
     * Heap in use after a GC.
     *
     * @return bytes.
     */
    static long heapAfterGc()
    {
        System.gc();
        final Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
