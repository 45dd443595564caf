package io.ordergw.gateway.route;

import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.engine.journal.JournalReader;
import io.ordergw.feed.client.FeedListener;
import io.ordergw.feed.client.FeedSubscriber;
import org.agrona.DirectBuffer;

/**
 * Live events from the Aeron IPC feed, through a {@link FeedSubscriber}: in SeqNum order with no gap (it replays
 * from the journal by itself after a gap or a reconnect).
 */
public final class FeedLiveEvents implements LiveEvents, FeedListener
{
    private final FeedSubscriber subscriber;
    private JournalReader.EventHandler handler;
    private int delivered;

    /**
     * Subscribe.
     *
     * @param context the subscriber's settings; its listener is set here.
     */
    public FeedLiveEvents(final FeedSubscriber.Context context)
    {
        subscriber = new FeedSubscriber(context.listener(this));
    }

    @Override
    public int poll(final JournalReader.EventHandler handler, final int limit)
    {
        this.handler = handler;
        delivered = 0;
        final int work = subscriber.doWork();
        return Math.max(work, delivered);
    }

    @Override
    public void onEvent(
        final long seqNum,
        final OrderStateEventDecoder event,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        delivered++;
        handler.onEvent(seqNum, buffer, offset, length);
    }

    /**
     * The subscriber, for its counters.
     *
     * @return the subscriber.
     */
    public FeedSubscriber subscriber()
    {
        return subscriber;
    }

    @Override
    public void close()
    {
        subscriber.close();
    }
}
