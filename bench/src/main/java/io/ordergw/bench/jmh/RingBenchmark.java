package io.ordergw.bench.jmh;

import io.ordergw.bench.fixture.OrderLifecycle;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.EngineContext;
import io.ordergw.engine.EngineMessages;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

import java.util.concurrent.TimeUnit;

/**
 * One hop over the engine's ingress ring (an Agrona ManyToOneRingBuffer of the configured size) with a command-sized
 * message:
 * <ul>
 *   <li>{@link #writeRead}: write one and read it back on the same thread: the cost of a hop;</li>
 *   <li>{@code hop}: a producer thread and a consumer thread, as between a gateway I/O thread and the engine: the
 *   producer's rate ({@code hopWrite}) is the messages that crossed (it waits whenever the ring is full).</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RingBenchmark
{
    /** A ring of the configured ingress size and a command to put on it. */
    public static class Ring
    {
        final ManyToOneRingBuffer ring =
            new ManyToOneRingBuffer(EngineContext.ringBuffer(OrderGwConfig.defaults().engine.ingressRingBytes));
        final OrderLifecycle stream = new OrderLifecycle(OrderLifecycle.NEW_CANCEL, 1);
        final UnsafeBuffer message = stream.command(0, 1, 1, OrderLifecycle.T0_NANOS);
        final int length = stream.length(0);
        final MessageHandler handler = new MessageHandler()
        {
            long sum;

            @Override
            public void onMessage(
                final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
            {
                sum += buffer.getLong(index + 8); // touch the message, as a reader would
            }
        };
    }

    /** Per thread. */
    @State(Scope.Thread)
    public static class SameThread extends Ring
    {
    }

    /** Shared by the producer and the consumer of a group. */
    @State(Scope.Group)
    public static class Shared extends Ring
    {
    }

    /**
     * Write one, read one.
     *
     * @param s the ring.
     * @return messages read.
     */
    @Benchmark
    public int writeRead(final SameThread s)
    {
        s.ring.write(EngineMessages.COMMAND, s.message, 0, s.length);
        return s.ring.read(s.handler, 1);
    }

    /**
     * Producer: write one, waiting while the ring is full.
     *
     * @param s       the ring.
     * @param control JMH's, to stop waiting when the iteration ends.
     * @return true if written.
     */
    @Benchmark
    @Group("hop")
    @GroupThreads(1)
    public boolean hopWrite(final Shared s, final Control control)
    {
        while (!s.ring.write(EngineMessages.COMMAND, s.message, 0, s.length))
        {
            if (control.stopMeasurement)
            {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /**
     * Consumer: read what is there.
     *
     * @param s the ring.
     * @return messages read.
     */
    @Benchmark
    @Group("hop")
    @GroupThreads(1)
    public int hopRead(final Shared s)
    {
        return s.ring.read(s.handler, 256);
    }
}
