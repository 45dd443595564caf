package io.ordergw.gateway.feed;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.gateway.StartupFailure;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The UDP ports the feed binds on this host, claimed before anything else starts: the multi-destination
 * {@code control} endpoint of {@code ordergw.publisher.udp-channel} and the {@code endpoint} of
 * {@code ordergw.publisher.replay-control-channel}.
 * <ul>
 *   <li>A fixed port is tried first with a socket of our own, so that a port another process holds is refused in one
 *   line naming the setting, before the journal and the media driver start (Aeron would answer with a stack trace
 *   from deep inside the feed).</li>
 *   <li>Port 0 is given a free port here, once, and the channel is rewritten with it: the feed rebuilt after a media
 *   driver restart then binds the same port again, so consumers told the address at start keep it for the life of
 *   the process. (The gap between closing our probe and Aeron binding is a few milliseconds; a process that takes the
 *   port in it makes the feed fail to start, which is reported the same way.)</li>
 * </ul>
 * Other channels (a unicast or multicast {@code endpoint} on the publication, which binds no fixed local port) are
 * passed through unchanged.
 */
public final class FeedPorts
{
    /** The setting of the external feed's channel. */
    public static final String UDP_CHANNEL = "ordergw.publisher.udp-channel";
    /** The setting of the replay requests' channel. */
    public static final String REPLAY_CONTROL_CHANNEL = "ordergw.publisher.replay-control-channel";

    /** The external feed's channel with its control port resolved, or empty for none. */
    public final String udpChannel;
    /** The replay requests' channel with its endpoint port resolved, or empty for none. */
    public final String replayControlChannel;

    private FeedPorts(final String udpChannel, final String replayControlChannel)
    {
        this.udpChannel = udpChannel;
        this.replayControlChannel = replayControlChannel;
    }

    /**
     * Check the fixed ports and pick the free ones.
     *
     * @param settings the {@code ordergw.publisher} settings.
     * @return the channels to give the feed.
     * @throws StartupFailure naming the setting whose port is taken or cannot be bound.
     */
    public static FeedPorts claim(final OrderGwConfig.Publisher settings)
    {
        final String udp = resolve(UDP_CHANNEL, settings.udpChannel, CommonContext.MDC_CONTROL_PARAM_NAME);
        final String replay = resolve(REPLAY_CONTROL_CHANNEL, settings.replayControlChannel,
            CommonContext.ENDPOINT_PARAM_NAME);
        final String udpAddress = boundAddress(udp, CommonContext.MDC_CONTROL_PARAM_NAME);
        if (udpAddress != null && udpAddress.equals(boundAddress(replay, CommonContext.ENDPOINT_PARAM_NAME)))
        {
            throw new StartupFailure(REPLAY_CONTROL_CHANNEL, "UDP " + udpAddress + " is also the control endpoint of " +
                UDP_CHANNEL + ": each needs a port of its own");
        }
        return new FeedPorts(udp, replay);
    }

    private static String boundAddress(final String channel, final String key)
    {
        if (channel.isEmpty())
        {
            return null;
        }
        final ChannelUri uri = ChannelUri.parse(channel);
        return uri.isUdp() ? uri.get(key) : null;
    }

    private static int portOf(final String address, final int colon)
    {
        try
        {
            final int port = colon < 0 ? -1 : Integer.parseInt(address.substring(colon + 1));
            return port <= 65535 ? port : -1;
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    private static String resolve(final String setting, final String channel, final String key)
    {
        if (channel.isEmpty())
        {
            return channel;
        }
        final ChannelUri uri;
        try
        {
            uri = ChannelUri.parse(channel);
        }
        catch (final RuntimeException ex)
        {
            throw new StartupFailure(
                setting, "is not an Aeron channel: " + StartupFailure.oneLine(ex.getMessage()), ex);
        }
        final String address = uri.isUdp() ? uri.get(key) : null;
        if (address == null)
        {
            return channel;
        }
        final int colon = address.lastIndexOf(':');
        final int port = portOf(address, colon);
        if (port < 0)
        {
            throw new StartupFailure(
                setting, key + "=" + address + " has no port (host:port, or host:0 for a free one)");
        }
        final String host = address.substring(0, colon);
        final InetAddress inet;
        try
        {
            inet = InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        }
        catch (final UnknownHostException ex)
        {
            throw new StartupFailure(setting, key + "=" + address + ": unknown host " + host, ex);
        }
        if (inet.isMulticastAddress())
        {
            return channel; // a multicast group is joined with the address reused, not bound alone
        }
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(inet, port)))
        {
            if (port != 0)
            {
                return channel;
            }
            uri.put(key, host + ":" + probe.getLocalPort());
            return uri.toString();
        }
        catch (final BindException ex)
        {
            throw new StartupFailure(setting, "UDP " + address + " (" + key + ") cannot be bound: " + ex.getMessage() +
                " (another gateway or process holds it: give each gateway its own port, or port 0 for a free one)", ex);
        }
        catch (final IOException ex)
        {
            throw new StartupFailure(setting, "UDP " + address + " (" + key + ") cannot be bound: " + ex, ex);
        }
    }
}
