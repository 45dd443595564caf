package io.ordergw.gateway.route;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.gateway.GatewayCounters;
import io.ordergw.gateway.apex.ApexRequestProcessor;
import io.ordergw.gateway.auth.Authenticator;
import io.ordergw.gateway.auth.PasswordHasher;
import io.ordergw.gateway.auth.UserDirectory;
import io.ordergw.gateway.net.ClientSession;
import io.ordergw.gateway.net.SessionRegistry;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Subscribe the router's queue has no room for is answered 102 with a detail that says retry, is counted, and
 * subscribes nothing; the same request once the router has caught up is answered Subscribed.
 */
class SubscribeWhenRouterBusyTest
{
    private static final OrderGwConfig CONFIG = OrderGwConfig.parse(
        "ordergw.gateway.users.alice { user-id = 7, password-hash = \"" +
        PasswordHasher.hash("alice-pw".toCharArray(), 1000) + "\", permissions = [Trading], accounts = [70] }");

    private final CountersManager countersManager = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(8 * 1024)));
    private final GatewayCounters counters = new GatewayCounters(countersManager);
    private final RingBuffer commandRing = new ManyToOneRingBuffer(
        new UnsafeBuffer(ByteBuffer.allocateDirect(1024 + RingBufferDescriptor.TRAILER_LENGTH)));
    private final RouterProxy proxy = new RouterProxy(commandRing, counters.routerQueueFull);
    private final Authenticator authenticator =
        new Authenticator(UserDirectory.fromConfig(CONFIG), CONFIG.gateway, System::currentTimeMillis);
    private final ApexRequestProcessor processor = new ApexRequestProcessor(new ApexRequestProcessor.Services(
        CONFIG, new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(64 * 1024 + RingBufferDescriptor.TRAILER_LENGTH))),
        authenticator, proxy, Runnable::run, counters, () -> 0L));
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ClientSession session = new SessionRegistry(4).open(channel, true, "127.0.0.1");

    @AfterEach
    void close()
    {
        channel.finishAndReleaseAll();
        counters.close();
    }

    @Test
    void aSubscribeTheRoutersQueueHasNoRoomForIsAnswered102AndCounted()
    {
        session.auth(authenticator.login("alice", "alice-pw", "127.0.0.1").session());
        int queued = 0;
        while (proxy.subscribe(session, 70, 1, 1))
        {
            queued++; // other sessions' changes the router has not read yet
        }
        assertEquals(1, counters.routerQueueFull.get());

        final String refused = subscribe(5);
        assertTrue(refused.contains("\\\"errorcode\\\":102"), refused);
        assertTrue(refused.contains("router: the subscription queue is full; nothing was changed; retry"), refused);
        assertEquals(2, counters.routerQueueFull.get());
        assertEquals(queued, drain(), "the refused Subscribe queued nothing");

        final String accepted = subscribe(6);
        assertTrue(accepted.contains("\\\"Subscribed\\\":true"), accepted);
        assertEquals(1, drain());
    }

    /** Read until nothing is left (one read stops at the ring's end, or at the padding before it): all Subscribes. */
    private int drain()
    {
        int total = 0;
        while (commandRing.size() > 0)
        {
            total += commandRing.read((type, buffer, index, length) -> assertEquals(RouterProxy.SUBSCRIBE, type));
        }
        return total;
    }

    private String subscribe(final long i)
    {
        final byte[] frame = ("{\"m\":0,\"i\":" + i + ",\"n\":\"SubscribeAccountEvents\"," +
            "\"o\":\"{\\\"OMSId\\\":1,\\\"AccountId\\\":70}\"}").getBytes(StandardCharsets.UTF_8);
        processor.onFrame(session, frame, 0, frame.length);
        final TextWebSocketFrame answer = channel.readOutbound();
        try
        {
            return answer.text();
        }
        finally
        {
            answer.release();
        }
    }
}
