package io.ordergw.engine;

import io.ordergw.codec.ApexError;
import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.ReplyDecoder;
import io.ordergw.config.OrderGwConfig;
import org.HdrHistogram.Histogram;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;

import static io.ordergw.engine.Commands.units;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The engine thread allocates nothing per order command once warm, latency recording included: decide, journal,
 * apply, reply and the three stage samples, measured with the JVM's per-thread allocation counter on the thread that
 * runs the duty cycle. A single object per command would show as {@value #COMMANDS} x 16 bytes or more, far above
 * the tolerance, which only absorbs one-off noise.
 */
@Timeout(120)
@SystemTest
class EngineAllocationTest
{
    private static final int ORDERS = 200;
    private static final int WARM_UP_ROUNDS = 100;
    private static final int COMMANDS = 10_000;
    private static final int ATTEMPTS = 5;
    private static final long TOLERANCE_BYTES = 4096;

    private static com.sun.management.ThreadMXBean threads;

    @TempDir
    Path dir;

    private final ReplyDecoder replyDecoder = new ReplyDecoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private int replies;
    private int accepted;
    private final MessageHandler onReply = this::onReply;

    @BeforeAll
    static void allocationCounter()
    {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
            "this JVM has no per-thread allocation counter");
        threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    @Test
    void anOrderCommandAllocatesNothingOnTheEngineThreadLatencyRecordingIncluded()
    {
        final OrderGwConfig config = OrderGwConfig.parse("ordergw.data-dir = \"" + dir + "\"\n" +
            "ordergw.engine.ingress-ring-bytes = 1MiB\nordergw.engine.egress-ring-bytes = 1MiB\n" +
            "ordergw.journal.min-free-space = 0\n");
        final EngineContext context = new EngineContext().config(config).snapshotInterval(Duration.ZERO);
        try (Engine engine = Engine.open(context))
        {
            final EngineProxy proxy = new EngineProxy(context.ingressRing());
            // Every order's two prices, encoded once: the loop only moves bytes through the rings.
            final UnsafeBuffer[][] commands = new UnsafeBuffer[ORDERS][2];
            final int[] lengths = new int[ORDERS];
            for (int k = 0; k < ORDERS; k++)
            {
                final Commands order = Commands.newOrder(k + 1);
                for (int v = 0; v < 2; v++)
                {
                    order.limitPrice = units(100 + v);
                    order.correlationId = k * 2L + v;
                    final UnsafeBuffer encoded = order.encode();
                    lengths[k] = order.length();
                    commands[k][v] = new UnsafeBuffer(new byte[lengths[k]]);
                    commands[k][v].putBytes(0, encoded, 0, lengths[k]);
                }
            }

            int sent = 0;
            for (int round = 0; round < WARM_UP_ROUNDS; round++)
            {
                sent += run(engine, proxy, commands, lengths, ORDERS * 2);
            }
            assertEquals(sent, replies);
            assertTrue(accepted > sent * 9 / 10, accepted + " of " + sent + " commands were new events");

            long allocated = Long.MAX_VALUE;
            decideSamples(engine); // the warm-up's samples
            // Steady state is what counts: a window disturbed by a late JIT compilation on a loaded machine is
            // measured again; an allocation per command shows in every window.
            for (int attempt = 0; attempt < ATTEMPTS && allocated >= TOLERANCE_BYTES; attempt++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                run(engine, proxy, commands, lengths, COMMANDS);
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            System.out.println("engine thread: " + allocated + " bytes allocated by " + COMMANDS + " order commands");
            assertTrue(allocated < TOLERANCE_BYTES, allocated + " bytes allocated by " + COMMANDS + " commands");
            assertTrue(decideSamples(engine) >= COMMANDS, "the commands were timed");
        }
    }

    /** Send commands round-robin, each new price of each order in turn, and run the engine until all are answered. */
    private int run(
        final Engine engine, final EngineProxy proxy, final UnsafeBuffer[][] commands, final int[] lengths,
        final int count)
    {
        final EngineAgent agent = engine.agent();
        for (int i = 0; i < count; i++)
        {
            final int k = i % ORDERS;
            final int v = (i / ORDERS) & 1;
            final int expected = replies + 1;
            while (!proxy.offer(commands[k][v], 0, lengths[k]))
            {
                agent.doWork();
            }
            while (replies < expected)
            {
                agent.doWork();
                engine.context().egressRing().read(onReply);
            }
        }
        return count;
    }

    private void onReply(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        replyDecoder.wrapAndApplyHeader(buffer, index, headerDecoder);
        replies++;
        if (replyDecoder.errorCode() == ApexError.NONE && replyDecoder.seqNum() > 0)
        {
            accepted++;
        }
    }

    private static long decideSamples(final Engine engine)
    {
        // Reading takes the samples since the last read away from the recorder; only this test reads them.
        final Histogram interval = engine.agent().latency().decide.intervalHistogram(null);
        return interval.getTotalCount();
    }
}
