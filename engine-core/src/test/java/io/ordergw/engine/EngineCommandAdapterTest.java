package io.ordergw.engine;

import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderStateCommandDecoder;
import io.ordergw.codec.sbe.QueryCommandDecoder;
import io.ordergw.codec.sbe.QueryType;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineCommandAdapterTest
{
    private final RingBuffer ingress = ring(64 * 1024);
    private final CountersManager countersManager = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)));
    private final AtomicCounter unknown = countersManager.newCounter("unknown commands");
    private final List<String> calls = new ArrayList<>();

    @Test
    void eachCommandReachesItsListenerMethodAndAnUnknownMessageIsCountedAndSkipped()
    {
        final EngineCommandAdapter adapter = new EngineCommandAdapter(ingress, recorder(),
            new EngineResponsePublisher(ring(4096), countersManager.newCounter("back pressure")), unknown);
        final Commands order = Commands.newOrder(42);
        order.correlationId = 7;
        assertTrue(ingress.write(EngineMessages.COMMAND, order.encode(), 0, order.length()));
        assertTrue(ingress.write(99, order.encode(), 0, order.length()), "a message type the engine does not read");
        final UnsafeBuffer otherTemplate = new UnsafeBuffer(new byte[64]);
        new MessageHeaderEncoder().wrap(otherTemplate, 0).blockLength(8).templateId(77).schemaId(1).version(0);
        assertTrue(ingress.write(EngineMessages.COMMAND, otherTemplate, 0, 16));
        assertTrue(new EngineProxy(ingress).query(8, 3, QueryType.OpenOrders, 1, 5, 0, 0, 0, 0));

        assertEquals(4, adapter.poll(10));

        assertEquals(List.of("order 42 i=7", "query OpenOrders account 5 i=8"), calls);
        assertEquals(2, unknown.get(), "the other message type and the unknown template");
    }

    @Test
    void aReplyWaitingForRoomEndsTheBatchSoNoFurtherCommandIsRead()
    {
        final RingBuffer egress = ring(1024);
        final EngineResponsePublisher publisher = new EngineResponsePublisher(egress,
            countersManager.newCounter("back pressure"));
        final EngineCommandAdapter adapter = new EngineCommandAdapter(ingress, new EngineCommandAdapter.Listener()
        {
            @Override
            public void onOrderStateCommand(final OrderStateCommandDecoder command)
            {
                calls.add("order " + command.orderId());
                publisher.reply(command.correlationId(), command.sessionId(), 0, 1, 0, "x".repeat(100));
            }

            @Override
            public void onQuery(final QueryCommandDecoder query)
            {
            }
        }, publisher, unknown);
        for (int orderId = 1; orderId <= 20; orderId++)
        {
            final Commands order = Commands.newOrder(orderId);
            assertTrue(ingress.write(EngineMessages.COMMAND, order.encode(), 0, order.length()));
        }

        final int read = adapter.poll(20);

        assertTrue(publisher.hasPending(), "the egress ring filled up");
        assertEquals(read, calls.size());
        assertTrue(read < 20, "reading stopped at the reply that found no room: " + read);
    }

    private EngineCommandAdapter.Listener recorder()
    {
        return new EngineCommandAdapter.Listener()
        {
            @Override
            public void onOrderStateCommand(final OrderStateCommandDecoder command)
            {
                calls.add("order " + command.orderId() + " i=" + command.correlationId());
            }

            @Override
            public void onQuery(final QueryCommandDecoder query)
            {
                calls.add("query " + query.queryType() + " account " + query.accountId() + " i=" +
                    query.correlationId());
            }
        };
    }

    static RingBuffer ring(final int capacity)
    {
        final UnsafeBuffer buffer =
            new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH));
        return capacity > 4096 ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer);
    }
}
