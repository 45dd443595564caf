package io.ordergw.gateway.feed;

import io.ordergw.config.OrderGwConfig;
import io.ordergw.feed.client.FeedSubscriber;

/**
 * {@link FeedSubscriber.Context}s from the gateway's configuration ({@code ordergw.publisher}), for the subscribers
 * inside the gateway and its tests. The feed client itself knows nothing of the configuration: a consumer elsewhere
 * gives it the channels and streams the gateway printed at start.
 */
public final class FeedContexts
{
    private FeedContexts()
    {
    }

    /**
     * The in-process feed: live on {@code ordergw.publisher.ipc-stream-id}, replays over IPC.
     *
     * @param config the configuration.
     * @return a context to complete with an Aeron client and a listener.
     */
    public static FeedSubscriber.Context ipc(final OrderGwConfig config)
    {
        final OrderGwConfig.Publisher publisher = config.publisher;
        return FeedSubscriber.Context.ipc(publisher.ipcStreamId, publisher.replayControlStreamId,
            publisher.replayStreamId);
    }

    /**
     * The external feed over UDP: live from {@code ordergw.publisher.udp-channel}, replays asked for on
     * {@code replay-control-channel} and received at {@code localHost} on a free port.
     *
     * @param config    the configuration.
     * @param localHost this host's address as the publisher reaches it, e.g. 127.0.0.1 on one machine.
     * @return a context to complete with an Aeron client and a listener.
     * @throws IllegalStateException if either channel is empty or names port 0 (picked by the gateway at start).
     */
    public static FeedSubscriber.Context udp(final OrderGwConfig config, final String localHost)
    {
        final OrderGwConfig.Publisher publisher = config.publisher;
        if (publisher.udpChannel.isEmpty() || publisher.replayControlChannel.isEmpty())
        {
            throw new IllegalStateException(
                "ordergw.publisher.udp-channel and replay-control-channel must be set for a UDP subscriber");
        }
        return FeedSubscriber.Context.udp(publisher.udpChannel, publisher.udpStreamId,
            publisher.replayControlChannel, publisher.replayControlStreamId, publisher.replayStreamId, localHost);
    }
}
