package io.ordergw.gateway.feed;

import io.aeron.ChannelUri;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.gateway.StartupFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedPortsTest
{
    private static OrderGwConfig.Publisher publisher(final String udp, final String replay)
    {
        return OrderGwConfig.parse("ordergw.publisher.udp-channel = \"" + udp + "\"\n" +
            "ordergw.publisher.replay-control-channel = \"" + replay + "\"\n").publisher;
    }

    private static int port(final String channel, final String key)
    {
        final String address = ChannelUri.parse(channel).get(key);
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    @Test
    @Timeout(10)
    void portZeroBecomesAFreePortThatCanBeBoundAndTheRestOfTheChannelStays() throws Exception
    {
        final FeedPorts ports = FeedPorts.claim(OrderGwConfig.defaults().publisher);
        final int control = port(ports.udpChannel, "control");
        final int endpoint = port(ports.replayControlChannel, "endpoint");
        assertTrue(control > 0 && endpoint > 0, ports.udpChannel + " " + ports.replayControlChannel);
        assertNotEquals(control, endpoint);
        assertEquals("dynamic", ChannelUri.parse(ports.udpChannel).get("control-mode"));
        assertEquals("max", ChannelUri.parse(ports.udpChannel).get("fc"));
        try (DatagramSocket bound =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), control)))
        {
            assertEquals(control, bound.getLocalPort());
        }
    }

    @Test
    @Timeout(10)
    void aFixedFreePortIsKeptAndEmptyChannelsStayEmpty() throws Exception
    {
        final int free;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            free = probe.getLocalPort();
        }
        final String udp = "aeron:udp?control=127.0.0.1:" + free + "|control-mode=dynamic";
        final FeedPorts ports = FeedPorts.claim(publisher(udp, ""));
        assertEquals(udp, ports.udpChannel);
        assertEquals("", ports.replayControlChannel);
        assertEquals("", FeedPorts.claim(publisher("", "")).udpChannel);
    }

    @Test
    @Timeout(10)
    void aTakenReplayEndpointIsRefusedNamingItsSetting() throws Exception
    {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            final StartupFailure refused = assertThrows(StartupFailure.class, () -> FeedPorts.claim(publisher(
                "aeron:udp?control=127.0.0.1:0|control-mode=dynamic",
                "aeron:udp?endpoint=127.0.0.1:" + taken.getLocalPort())));
            assertTrue(refused.getMessage().startsWith("ordergw.publisher.replay-control-channel: UDP 127.0.0.1:" +
                taken.getLocalPort() + " (endpoint) cannot be bound"), refused.getMessage());
        }
    }

    @Test
    @Timeout(10)
    void oneFixedPortForBothIsRefused() throws Exception
    {
        final int free;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            free = probe.getLocalPort();
        }
        final StartupFailure refused = assertThrows(StartupFailure.class, () -> FeedPorts.claim(publisher(
            "aeron:udp?control=127.0.0.1:" + free + "|control-mode=dynamic", "aeron:udp?endpoint=127.0.0.1:" + free)));
        assertEquals("ordergw.publisher.replay-control-channel: UDP 127.0.0.1:" + free + " is also the control " +
            "endpoint of ordergw.publisher.udp-channel: each needs a port of its own", refused.getMessage());
    }
}
