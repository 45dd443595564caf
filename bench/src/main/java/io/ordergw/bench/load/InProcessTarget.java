package io.ordergw.bench.load;

import io.ordergw.bench.fixture.InProcessPipeline;
import io.ordergw.bench.fixture.OrderLifecycle;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The in-process pipeline as a load target: request {@code k} is an SBE OrderStateCommand (new order, then its
 * cancel, alternately) offered to the engine's ingress ring; the engine, on its own thread, decides, journals,
 * applies and answers on the egress ring; the answer's correlation id is {@code k}. Command -> ring -> core ->
 * journal -> reply, with nothing of the network.
 */
public final class InProcessTarget implements LoadTarget
{
    private final InProcessPipeline pipeline;
    private final String engineIdle;
    private OrderLifecycle stream;
    private long nextOrderId = 1;
    private ReplyHandler handler;

    /**
     * Start the engine on its own thread.
     *
     * @param engineIdle the engine's idle strategy: busy-spin, yielding, backoff (the default), ...
     */
    public InProcessTarget(final String engineIdle)
    {
        this.engineIdle = engineIdle;
        this.pipeline = new InProcessPipeline(true, engineIdle).listener((correlationId, errorCode) ->
            handler.onReply(correlationId, errorCode == 0, System.nanoTime()));
    }

    /**
     * Fill the book to its steady state (see {@link InProcessPipeline#fillBook()}).
     *
     * @return the fill's commands per second (closed loop, as fast as the pipeline goes).
     */
    public double fillBook()
    {
        return pipeline.fillBook();
    }

    @Override
    public String name()
    {
        return "in-process (engine " + engineIdle + ")";
    }

    @Override
    public void startRun(final long requests)
    {
        stream = new OrderLifecycle(OrderLifecycle.NEW_CANCEL, nextOrderId);
        nextOrderId += requests / OrderLifecycle.NEW_CANCEL + 1;
    }

    @Override
    public boolean send(final long k)
    {
        final UnsafeBuffer command = stream.command(k, k, 1, OrderLifecycle.T0_NANOS + k);
        return pipeline.offer(command, stream.length(k));
    }

    @Override
    public int poll(final ReplyHandler handler)
    {
        this.handler = handler;
        return pipeline.poll(1024);
    }

    @Override
    public void close()
    {
        pipeline.close();
    }
}
