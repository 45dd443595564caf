package io.ordergw.gateway.route;

import io.netty.channel.embedded.EmbeddedChannel;
import io.ordergw.gateway.net.ClientSession;
import io.ordergw.gateway.net.SessionRegistry;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RouterProxy} and {@link RouterCommandAdapter}: subscription changes cross to the router thread in order and
 * whole; a full queue refuses (the caller answers 102) and counts, and never waits.
 */
class RouterProxyTest
{
    private final CountersManager countersManager = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(4 * 1024)));
    private final AtomicCounter queueFull = countersManager.newCounter("gateway: router queue full");
    private final RouterProxy proxy = new RouterProxy(new ManyToOneRingBuffer(
        new UnsafeBuffer(ByteBuffer.allocateDirect(1024 + RingBufferDescriptor.TRAILER_LENGTH))), queueFull);
    private final List<String> calls = new ArrayList<>();
    private final RouterCommandAdapter adapter = new RouterCommandAdapter(proxy, new Recorder());
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ClientSession session = new SessionRegistry(4).open(channel, true, "127.0.0.1");

    @AfterEach
    void close()
    {
        channel.finishAndReleaseAll();
    }

    @Test
    void eachChangeReachesTheRouterInOrderWithItsFields()
    {
        assertTrue(proxy.subscribe(session, 7, 42, 1_000_000_000_001L));
        assertTrue(proxy.unsubscribe(session, 7));
        proxy.unsubscribeAll(session);
        proxy.restartLiveEvents();

        assertEquals(4, adapter.poll(10));

        final long id = session.id();
        assertEquals(List.of("restart live events", "subscribe " + id + " account 7 i=42 from 1000000000001",
            "unsubscribe " + id + " account 7", "unsubscribe all " + id), calls);
        assertEquals(0, queueFull.get());
    }

    @Test
    void aFullQueueRefusesAndCountsWithoutWaitingAndTakesChangesAgainOnceTheRouterHasRead()
    {
        int accepted = 0;
        while (proxy.subscribe(session, accepted, 1, 1))
        {
            accepted++;
        }
        assertTrue(accepted > 10, "the ring holds " + accepted);
        assertEquals(1, queueFull.get());
        while (proxy.unsubscribe(session, 3))
        {
            accepted++; // a shorter change may still fit
        }
        assertEquals(2, queueFull.get(), "an unsubscribe is refused too");

        assertEquals(accepted, drain());
        assertEquals(accepted, calls.size(), "none of the refused ones reached the router");
        assertTrue(proxy.subscribe(session, 99, 1, 1));
    }

    @Test
    void anEndOfSessionTheQueueHasNoRoomForBecomesASweepAfterEverythingQueuedBeforeIt()
    {
        int queued = 0;
        while (queueFull.get() == 0)
        {
            proxy.unsubscribeAll(session);
            queued++;
        }
        assertTrue(queued > 10, "the ring held " + (queued - 1));

        adapter.poll(3);
        assertFalse(calls.contains("sweep"), "changes queued before the end are still unread");
        drain();
        assertEquals("sweep", calls.get(calls.size() - 1));
        assertEquals(queued, calls.size(), "every queued change, then the sweep");
        calls.clear();
        adapter.poll(1000);
        assertEquals(List.of(), calls, "one sweep per refusal");
    }

    /** Read until nothing is left: one read stops at the ring's end, or at the padding before it. */
    private int drain()
    {
        int total = 0;
        do
        {
            total += adapter.poll(1000);
        }
        while (proxy.ring().size() > 0);
        return total;
    }

    private final class Recorder implements RouterCommandAdapter.Listener
    {
        @Override
        public void onSubscribe(final long sessionId, final int accountId, final long sequence, final long fromSeqNum)
        {
            calls.add("subscribe " + sessionId + " account " + accountId + " i=" + sequence + " from " + fromSeqNum);
        }

        @Override
        public void onUnsubscribe(final long sessionId, final int accountId)
        {
            calls.add("unsubscribe " + sessionId + " account " + accountId);
        }

        @Override
        public void onUnsubscribeAll(final long sessionId)
        {
            calls.add("unsubscribe all " + sessionId);
        }

        @Override
        public void onSweepEndedSessions()
        {
            calls.add("sweep");
        }

        @Override
        public void onRestartLiveEvents()
        {
            calls.add("restart live events");
        }
    }
}
