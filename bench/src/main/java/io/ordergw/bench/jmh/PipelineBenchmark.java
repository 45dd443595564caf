package io.ordergw.bench.jmh;

import io.ordergw.bench.fixture.InProcessPipeline;
import io.ordergw.bench.fixture.OrderLifecycle;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The in-process pipeline, command -> ring -> core -> journal -> reply, over a stream of order lives (new, cancel):
 * <ul>
 *   <li>{@link #singleThread}: one command at a time, the engine's duty cycle run on the benchmark thread: the whole
 *   path's cost with no thread hand-off;</li>
 *   <li>{@link #engineThread}: the engine on its own thread (idle strategy {@code backoff}, the default), the
 *   benchmark thread streaming commands (at most {@value #WINDOW} unanswered) and reading the replies: the
 *   pipelined rate across two threads.</li>
 * </ul>
 * The book is filled to its steady state before measuring ({@value InProcessPipeline#RETAINED_TERMINAL_ORDERS}
 * terminal orders kept, records reused; see {@link InProcessPipeline#fillBook()}). Every reply must be a success: a
 * refusal means the fixture is broken, and the trial fails.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipelineBenchmark
{
    static final int BURST = 100;
    static final int WINDOW = 4096;

    /** An engine and a command stream. */
    @State(Scope.Thread)
    public static class Pipeline
    {
        InProcessPipeline pipeline;
        final OrderLifecycle stream = new OrderLifecycle(OrderLifecycle.NEW_CANCEL, 1);
        long k;
        long replies;
        long refusals;

        void start(final boolean threaded)
        {
            pipeline = new InProcessPipeline(threaded, "backoff").listener((correlationId, errorCode) ->
            {
                replies++;
                if (errorCode != 0)
                {
                    refusals++;
                }
            });
            final double rate = pipeline.fillBook();
            System.out.printf("book filled to its steady state at %,.0f commands/s%n", rate);
        }

        boolean offerNext()
        {
            final long n = k;
            final UnsafeBuffer command = stream.command(n, n, 1, OrderLifecycle.T0_NANOS + n);
            if (pipeline.offer(command, stream.length(n)))
            {
                k++;
                return true;
            }
            return false;
        }

        /** Stop; fail the trial on any refusal. */
        @TearDown
        public void tearDown()
        {
            pipeline.close();
            if (refusals != 0)
            {
                throw new IllegalStateException(refusals + " of " + replies + " commands refused");
            }
        }
    }

    /** Engine driven by the benchmark thread. */
    @State(Scope.Thread)
    public static class SingleThread extends Pipeline
    {
        /** Open the engine without a thread. */
        @Setup
        public void setup()
        {
            start(false);
        }
    }

    /** Engine on its own thread. */
    @State(Scope.Thread)
    public static class EngineThread extends Pipeline
    {
        /** Launch the engine. */
        @Setup
        public void setup()
        {
            start(true);
        }
    }

    /**
     * One command through the whole path on one thread.
     *
     * @param s the pipeline.
     * @return replies read.
     */
    @Benchmark
    public int singleThread(final SingleThread s)
    {
        if (!s.offerNext())
        {
            throw new IllegalStateException("ingress ring full with one command in it");
        }
        s.pipeline.doWork();
        return s.pipeline.poll(1);
    }

    /**
     * A stream through the engine's thread: offer the next {@value #BURST} commands, never more than
     * {@value #WINDOW} unanswered, reading replies as they come.
     *
     * @param s the pipeline.
     * @return replies so far.
     */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public long engineThread(final EngineThread s)
    {
        int offered = 0;
        while (offered < BURST)
        {
            if (s.k - s.replies < WINDOW && s.offerNext())
            {
                offered++;
            }
            else if (s.pipeline.poll(BURST) == 0)
            {
                Thread.onSpinWait();
            }
        }
        s.pipeline.poll(BURST);
        return s.replies;
    }
}
