package io.ordergw.gateway.route;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.ordergw.codec.json.ApexFrameDecoder;
import io.ordergw.codec.sbe.BooleanType;
import io.ordergw.codec.sbe.ChangeReason;
import io.ordergw.codec.sbe.LinkType;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateEventEncoder;
import io.ordergw.codec.sbe.OrderType;
import io.ordergw.codec.sbe.PegPriceType;
import io.ordergw.codec.sbe.Side;
import io.ordergw.codec.sbe.TimeInForce;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.gateway.GatewayCounters;
import io.ordergw.gateway.auth.Authenticator;
import io.ordergw.gateway.auth.PasswordHasher;
import io.ordergw.gateway.auth.UserDirectory;
import io.ordergw.gateway.net.ClientSession;
import io.ordergw.gateway.net.EventOutbound;
import io.ordergw.gateway.net.SessionRegistry;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EventFanOut} over in-memory channels: a live event reaches every session subscribed to its account as an
 * APEX m=3 frame carrying that subscription's i, and a session that logged out while the router's queue was full
 * gets nothing more once the router has swept.
 */
class EventFanOutTest
{
    private static final OrderGwConfig CONFIG = OrderGwConfig.parse(
        "ordergw.gateway.users.alice { user-id = 7, password-hash = \"" +
        PasswordHasher.hash("alice-pw".toCharArray(), 1000) + "\", permissions = [Trading], accounts = [70] }");

    private final CountersManager countersManager = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(8 * 1024)));
    private final GatewayCounters counters = new GatewayCounters(countersManager);
    private final Authenticator authenticator =
        new Authenticator(UserDirectory.fromConfig(CONFIG), CONFIG.gateway, System::currentTimeMillis);
    private final SessionRegistry sessions = new SessionRegistry(4);
    private final EmbeddedChannel channelA = new EmbeddedChannel();
    private final EmbeddedChannel channelB = new EmbeddedChannel();
    private final ClientSession a = sessions.open(channelA, true, "127.0.0.1");
    private final ClientSession b = sessions.open(channelB, true, "127.0.0.1");
    private final EventFanOut fanOut = new EventFanOut(sessions, null, counters, new EventOutbound(), 4,
        TimeUnit.SECONDS.toNanos(60));
    private final ExpandableArrayBuffer event = new ExpandableArrayBuffer(512);

    @AfterEach
    void close()
    {
        channelA.finishAndReleaseAll();
        channelB.finishAndReleaseAll();
        counters.close();
    }

    @Test
    void aLiveEventReachesEachSubscriberWithItsOwnSequenceAndNotASessionThatLoggedOut()
    {
        a.auth(authenticator.login("alice", "alice-pw", "127.0.0.1").session());
        b.auth(authenticator.login("alice", "alice-pw", "127.0.0.1").session());
        fanOut.start(0);
        fanOut.subscribe(a.id(), 70, 11, 1);
        fanOut.subscribe(b.id(), 70, 12, 1);
        fanOut.subscribe(b.id(), 71, 13, 1);
        assertEquals(3, counters.subscriptions.get());

        deliver(1, 70, 501);
        assertFrame(channelA, 11, 501);
        assertFrame(channelB, 12, 501);

        a.auth(null); // logged out; its end of subscriptions found the router's queue full: the sweep ends them
        fanOut.sweepEndedSessions();
        assertEquals(2, counters.subscriptions.get());

        deliver(2, 70, 502);
        assertNull(next(channelA), "nothing for the session that logged out");
        assertFrame(channelB, 12, 502);
        deliver(3, 72, 503);
        assertNull(next(channelB), "nothing from an account it did not subscribe to");
        assertEquals(3, counters.eventsSent.get());
        assertEquals(3, counters.routedSeqNum.get());
    }

    private void deliver(final long seqNum, final int accountId, final long orderId)
    {
        final OrderStateEventEncoder encoder = new OrderStateEventEncoder()
            .wrapAndApplyHeader(event, 0, new MessageHeaderEncoder())
            .seqNum(seqNum).orderState(OrderState.Working).changeReason(ChangeReason.NewInputAccepted)
            .decimalScale((short)8).orderId(orderId).quantity(1_000_000_000L).limitPrice(10_000_000_000L)
            .exchangeId(1).omsId(1).accountId(accountId).productPairId(1)
            .orderType(OrderType.Limit).side(Side.Buy).timeInForce(TimeInForce.GTC).pegPriceType(PegPriceType.Unknown)
            .linkType(LinkType.Unknown).isQuote(BooleanType.F).useMargin(BooleanType.F)
            .requestedState(OrderState.Working).requestedChangeReason(ChangeReason.NewInputAccepted)
            .exchangeServiceId("").reason("");
        fanOut.liveEventHandler().onEvent(seqNum, event, 0,
            MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static void assertFrame(final EmbeddedChannel channel, final long sequence, final long orderId)
    {
        final String text = next(channel);
        assertTrue(text != null, "an event frame");
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final ApexFrameDecoder decoder = new ApexFrameDecoder(1 << 16);
        assertTrue(decoder.decode(bytes, 0, bytes.length), text);
        assertEquals(ApexFrameDecoder.EVENT, decoder.messageType());
        assertEquals(sequence, decoder.sequence());
        assertTrue(decoder.functionIs("OrderStateEvent"), text);
        final String order = new String(decoder.payloadBuffer(), decoder.payloadOffset(), decoder.payloadLength(),
            StandardCharsets.UTF_8);
        assertTrue(order.contains("\"OrderId\":" + orderId), order);
    }

    private static String next(final EmbeddedChannel channel)
    {
        channel.runPendingTasks();
        final TextWebSocketFrame frame = channel.readOutbound();
        if (frame == null)
        {
            return null;
        }
        try
        {
            return frame.text();
        }
        finally
        {
            frame.release();
        }
    }
}
