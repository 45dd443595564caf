package io.ordergw.bench.load;

import io.ordergw.bench.fixture.OrderLifecycle;
import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderStateCommandDecoder;
import io.ordergw.codec.sbe.QueryReplyDecoder;
import io.ordergw.codec.sbe.ReplyDecoder;
import io.ordergw.codec.sbe.ReplyEncoder;
import io.ordergw.config.IdleStrategySpec;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.EngineMessages;
import io.ordergw.engine.EngineResponseAdapter;
import io.ordergw.engine.IdleStrategies;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The machine's floor for the in-process pipeline: {@link InProcessTarget} with no engine. The same SBE commands go
 * onto a ring of the engine's ingress type and size ({@link ManyToOneRingBuffer}, {@code ordergw.engine
 * .ingress-ring-bytes}); an echo agent on its own thread, run by an {@link AgentRunner} with the engine's idle
 * strategy, reads each one and writes the Reply the engine would send (correlation id, session, SeqNum, no error)
 * onto a ring of the egress type and size ({@link OneToOneRingBuffer}, {@code ordergw.engine.egress-ring-bytes}),
 * which the generator reads with the engine's own {@link EngineResponseAdapter}. What is left between this and the
 * pipeline is the engine's work: decide, journal, apply.
 */
public final class RingEchoTarget implements LoadTarget
{
    private final String engineIdle;
    private final RingBuffer ingress;
    private final RingBuffer egress;
    private final EchoAgent echo;
    private final AgentRunner runner;
    private final EngineResponseAdapter adapter;
    private OrderLifecycle stream;
    private long nextOrderId = 1;
    private ReplyHandler handler;

    /**
     * Start the echo thread.
     *
     * @param engineIdle the echo thread's idle strategy, as {@code ordergw.engine.idle-strategy} takes it.
     */
    public RingEchoTarget(final String engineIdle)
    {
        this(engineIdle, OrderGwConfig.defaults().engine);
    }

    /**
     * Start the echo thread over rings of given sizes.
     *
     * @param engineIdle the echo thread's idle strategy, as {@code ordergw.engine.idle-strategy} takes it.
     * @param engine     the engine settings whose ring sizes to copy.
     */
    public RingEchoTarget(final String engineIdle, final OrderGwConfig.Engine engine)
    {
        this.engineIdle = engineIdle;
        this.ingress = new ManyToOneRingBuffer(ring(engine.ingressRingBytes));
        this.egress = new OneToOneRingBuffer(ring(engine.egressRingBytes));
        this.echo = new EchoAgent(ingress, egress);
        this.adapter = new EngineResponseAdapter(egress, new EngineResponseAdapter.Listener()
        {
            @Override
            public void onReply(final ReplyDecoder reply)
            {
                handler.onReply(reply.correlationId(), reply.errorCode() == 0, System.nanoTime());
            }

            @Override
            public void onQueryReply(final QueryReplyDecoder reply)
            {
            }
        });
        this.runner = new AgentRunner(IdleStrategies.of(IdleStrategySpec.of(engineIdle)),
            ex -> echo.errors.incrementAndGet(), null, echo);
        AgentRunner.startOnThread(runner);
    }

    private static UnsafeBuffer ring(final int capacity)
    {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH));
    }

    @Override
    public String name()
    {
        return "ring echo (echo " + engineIdle + ")";
    }

    @Override
    public void startRun(final long requests)
    {
        if (echo.errors.get() != 0)
        {
            throw new IllegalStateException("the echo thread failed " + echo.errors.get() + " times");
        }
        stream = new OrderLifecycle(OrderLifecycle.NEW_CANCEL, nextOrderId);
        nextOrderId += requests / OrderLifecycle.NEW_CANCEL + 1;
    }

    @Override
    public boolean send(final long k)
    {
        final UnsafeBuffer command = stream.command(k, k, 1, OrderLifecycle.T0_NANOS + k);
        return ingress.write(EngineMessages.COMMAND, command, 0, stream.length(k));
    }

    @Override
    public int poll(final ReplyHandler handler)
    {
        this.handler = handler;
        return adapter.poll(1024);
    }

    /**
     * Requests the echo thread has answered since it started.
     *
     * @return the count.
     */
    public long echoed()
    {
        return echo.echoed.get();
    }

    /**
     * Whether the echo thread has stopped (after {@link #close()}).
     *
     * @return true once its thread has ended.
     */
    public boolean isClosed()
    {
        return runner.isClosed();
    }

    @Override
    public void close()
    {
        runner.close();
    }

    /**
     * The engine's ring work and nothing else: each command read, its Reply encoded and written. A command whose
     * Reply does not fit the egress ring stays on the ingress ring for the next duty cycle.
     */
    static final class EchoAgent implements Agent
    {
        private static final int BATCH_LIMIT = 256;

        final AtomicLong echoed = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        private final RingBuffer ingress;
        private final RingBuffer egress;
        private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        private final OrderStateCommandDecoder commandDecoder = new OrderStateCommandDecoder();
        private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        private final ReplyEncoder replyEncoder = new ReplyEncoder();
        private final UnsafeBuffer reply = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        private final ControlledMessageHandler onCommand = this::onCommand;
        private long seqNum;

        EchoAgent(final RingBuffer ingress, final RingBuffer egress)
        {
            this.ingress = ingress;
            this.egress = egress;
        }

        @Override
        public int doWork()
        {
            return ingress.controlledRead(onCommand, BATCH_LIMIT);
        }

        private ControlledMessageHandler.Action onCommand(
            final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            headerDecoder.wrap(buffer, index);
            commandDecoder.wrap(buffer, index + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
                headerDecoder.version());
            final ReplyEncoder encoder = replyEncoder.wrapAndApplyHeader(reply, 0, headerEncoder)
                .correlationId(commandDecoder.correlationId())
                .sessionId(commandDecoder.sessionId())
                .seqNum(seqNum + 1)
                .errorCode(0);
            final int limit = encoder.limit();
            reply.putShort(limit, (short)0, ReplyEncoder.BYTE_ORDER); // the empty detail
            if (!egress.write(EngineMessages.RESPONSE, reply, 0, limit + 2))
            {
                return ControlledMessageHandler.Action.ABORT;
            }
            seqNum++;
            echoed.lazySet(echoed.get() + 1);
            return ControlledMessageHandler.Action.CONTINUE;
        }

        @Override
        public String roleName()
        {
            return "ring-echo";
        }
    }
}
