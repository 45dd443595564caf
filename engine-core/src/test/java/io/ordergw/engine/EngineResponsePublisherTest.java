package io.ordergw.engine;

import io.ordergw.codec.sbe.QueryReplyDecoder;
import io.ordergw.codec.sbe.ReplyDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineResponsePublisherTest
{
    private final CountersManager countersManager = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(4 * 1024)));
    private final AtomicCounter backPressure = countersManager.newCounter("back pressure");
    private final List<String> received = new ArrayList<>();

    @Test
    void anAnswerLongerThanTheRingsLargestMessageArrivesWholeThroughTheAdapter()
    {
        final RingBuffer egress = EngineCommandAdapterTest.ring(1024); // largest message: 128 bytes
        final EngineResponsePublisher publisher = new EngineResponsePublisher(egress, backPressure);
        final EngineResponseAdapter adapter = new EngineResponseAdapter(egress, listener());
        final String detail = "book: account 7 has 1000 open orders, the maximum; nothing was applied ".repeat(5);

        publisher.reply(11, 3, 102, 0, 123_456_789L, detail);

        assertFalse(publisher.hasPending());
        assertEquals(1 + 360 / 128 + 1, adapter.poll(100), "fragments, then the last piece");
        assertEquals(List.of("reply i=11 session=3 code=102 seqNum=0 t=123456789 " + detail), received);
        assertEquals(0, backPressure.get());
    }

    @Test
    void anAnswerThatFindsTheRingFullWaitsIsCountedAndGoesOnceThereIsRoom()
    {
        final RingBuffer egress = EngineCommandAdapterTest.ring(1024);
        final EngineResponsePublisher publisher = new EngineResponsePublisher(egress, backPressure);
        final EngineResponseAdapter adapter = new EngineResponseAdapter(egress, listener());
        int sent = 0;
        while (!publisher.hasPending())
        {
            publisher.reply(++sent, 1, 0, sent, 0, null);
        }
        assertEquals(1, backPressure.get());
        assertFalse(publisher.sendPending(), "still no room");

        final int taken = adapter.poll(sent / 2); // the reader takes some: room for the waiting one
        assertTrue(publisher.sendPending());
        while (adapter.poll(1000) > 0)
        {
            // a read stops at the ring's end: the rest comes from its start
        }

        assertTrue(taken > 0);
        assertEquals(sent, received.size(), "every answer, the waiting one last");
        assertEquals("reply i=" + sent + " session=1 code=0 seqNum=" + sent + " t=0 ", received.get(sent - 1));
    }

    private EngineResponseAdapter.Listener listener()
    {
        return new EngineResponseAdapter.Listener()
        {
            @Override
            public void onReply(final ReplyDecoder reply)
            {
                received.add("reply i=" + reply.correlationId() + " session=" + reply.sessionId() + " code=" +
                    reply.errorCode() + " seqNum=" + reply.seqNum() + " t=" + reply.receiveTimeNanos() + " " +
                    reply.detail());
            }

            @Override
            public void onQueryReply(final QueryReplyDecoder reply)
            {
                received.add("query");
            }
        };
    }
}
