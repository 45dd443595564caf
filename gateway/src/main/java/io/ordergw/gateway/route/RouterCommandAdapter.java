package io.ordergw.gateway.route;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Reads the commands {@link RouterProxy} queued for the router thread and calls a listener for each: one
 * {@code switch} on the message type. Router thread only.
 */
final class RouterCommandAdapter implements MessageHandler
{
    /** What the router does with each command. */
    interface Listener
    {
        void onSubscribe(long sessionId, int accountId, long sequence, long fromSeqNum);

        void onUnsubscribe(long sessionId, int accountId);

        void onUnsubscribeAll(long sessionId);

        /** End the subscriptions of sessions that ended while the queue was full (see {@link RouterProxy}). */
        void onSweepEndedSessions();

        void onRestartLiveEvents();
    }

    private final RouterProxy proxy;
    private final RingBuffer ring;
    private final Listener listener;

    RouterCommandAdapter(final RouterProxy proxy, final Listener listener)
    {
        this.proxy = proxy;
        this.ring = proxy.ring();
        this.listener = listener;
    }

    /**
     * Read up to a number of commands; then, once nothing queued before it is left unread, a sweep that was asked
     * for (a subscribe queued before a session ended must not be read after the sweep that ends it).
     */
    int poll(final int limit)
    {
        int work = 0;
        if (proxy.takeRestartLiveEventsRequest())
        {
            listener.onRestartLiveEvents();
            work++;
        }
        work += ring.read(this, limit);
        if (ring.size() == 0 && proxy.takeSweepRequest())
        {
            listener.onSweepEndedSessions();
            work++;
        }
        return work;
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final long sessionId = buffer.getLong(index + RouterProxy.SESSION_ID_OFFSET);
        switch (msgTypeId)
        {
            case RouterProxy.SUBSCRIBE:
                listener.onSubscribe(sessionId, buffer.getInt(index + RouterProxy.ACCOUNT_ID_OFFSET),
                    buffer.getLong(index + RouterProxy.SEQUENCE_OFFSET),
                    buffer.getLong(index + RouterProxy.FROM_SEQ_NUM_OFFSET));
                break;
            case RouterProxy.UNSUBSCRIBE:
                listener.onUnsubscribe(sessionId, buffer.getInt(index + RouterProxy.ACCOUNT_ID_OFFSET));
                break;
            case RouterProxy.UNSUBSCRIBE_ALL:
                listener.onUnsubscribeAll(sessionId);
                break;
            default:
                break; // only the proxy writes this ring
        }
    }
}
