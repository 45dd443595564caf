package io.ordergw.gateway.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.FastThreadLocal;
import io.ordergw.gateway.GatewayCounters;
import io.ordergw.gateway.apex.ApexRequestProcessor;
import io.ordergw.gateway.apex.SubscriptionRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What the server's channel handlers share: the session registry, one request processor per I/O thread, and what
 * happens when a connection opens and closes.
 */
public final class GatewayChannels
{
    private static final Logger LOG = LoggerFactory.getLogger(GatewayChannels.class);

    private final SessionRegistry registry;
    private final SubscriptionRequests subscriptions;
    private final GatewayCounters counters;
    private final FastThreadLocal<ApexRequestProcessor> processors;

    /**
     * Shared state of the server's handlers.
     *
     * @param registry      sessions.
     * @param services      what request processors share.
     * @param subscriptions the router.
     * @param counters      counters.
     */
    public GatewayChannels(
        final SessionRegistry registry,
        final ApexRequestProcessor.Services services,
        final SubscriptionRequests subscriptions,
        final GatewayCounters counters)
    {
        this.registry = registry;
        this.subscriptions = subscriptions;
        this.counters = counters;
        this.processors = new FastThreadLocal<>()
        {
            @Override
            protected ApexRequestProcessor initialValue()
            {
                return new ApexRequestProcessor(services);
            }
        };
    }

    /**
     * This I/O thread's processor.
     *
     * @return the processor.
     */
    public ApexRequestProcessor processor()
    {
        return processors.get();
    }

    /**
     * The registry.
     *
     * @return sessions.
     */
    public SessionRegistry registry()
    {
        return registry;
    }

    ClientSession open(final Channel channel, final boolean webSocket)
    {
        final SocketAddress remote = channel.remoteAddress();
        final String host = remote instanceof InetSocketAddress ?
            ((InetSocketAddress)remote).getAddress().getHostAddress() : String.valueOf(remote);
        final ClientSession session = registry.open(channel, webSocket, host);
        if (session != null)
        {
            counters.sessions.increment();
            channel.closeFuture().addListener(f -> close(session));
        }
        return session;
    }

    private void close(final ClientSession session)
    {
        registry.close(session);
        subscriptions.unsubscribeAll(session);
        counters.sessions.decrement();
    }

    void onException(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof DecoderException)
        {
            // Bytes that are not HTTP or WebSocket (Netty has sent the close code where the protocol has one): the
            // client's fault, counted but not logged, or every hostile connection would write a stack trace.
            counters.badFrames.increment();
        }
        else if (!(cause instanceof IOException))
        {
            LOG.warn("closing {} after an error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
