package io.ordergw.gateway.route;

import io.ordergw.gateway.apex.SubscriptionRequests;
import io.ordergw.gateway.net.ClientSession;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends subscription changes from any thread (the I/O threads, the login threads, housekeeping) to the router thread
 * over a bounded many-to-one ring, where {@link RouterCommandAdapter} reads them. Each command is claimed and written
 * in place in the ring: nothing is allocated and nothing is shared between producers but the ring.
 * <p>
 * It never waits. A full ring refuses the command and counts it in {@code gateway: router queue full}: a Subscribe
 * or an Unsubscribe is then answered 102 (retry), and the end of a session's subscriptions (log out, close, another
 * user's login), which cannot be refused, asks the router instead to sweep its subscriptions for sessions that have
 * ended, once it has read every command queued before. Restarting the live events is a flag, never refused.
 * <p>
 * Messages (little-endian), after the ring's own header:
 * <pre>
 *   SUBSCRIBE                    UNSUBSCRIBE                  UNSUBSCRIBE_ALL
 *   0       8       12  16        0       8       12           0       8
 *   +-------+-------+---+          +-------+-------+            +-------+
 *   |session|account|pad|          |session|account|            |session|
 *   +-------+-------+---+          +-------+-------+            +-------+
 *   |sequence (i)   |
 *   +---------------+ 24
 *   |fromSeqNum     |
 *   +---------------+ 32
 * </pre>
 */
public final class RouterProxy implements SubscriptionRequests
{
    /** Message type: start (or restart) a subscription. */
    static final int SUBSCRIBE = 1;
    /** Message type: end a session's subscription to an account. */
    static final int UNSUBSCRIBE = 2;
    /** Message type: end every subscription of a session. */
    static final int UNSUBSCRIBE_ALL = 3;

    static final int SESSION_ID_OFFSET = 0;
    static final int ACCOUNT_ID_OFFSET = 8;
    static final int SEQUENCE_OFFSET = 16;
    static final int FROM_SEQ_NUM_OFFSET = 24;
    static final int SUBSCRIBE_LENGTH = 32;
    static final int UNSUBSCRIBE_LENGTH = 12;
    static final int UNSUBSCRIBE_ALL_LENGTH = 8;

    private final RingBuffer ring;
    private final AtomicCounter queueFull;
    private final AtomicBoolean sweepRequested = new AtomicBoolean();
    private final AtomicBoolean restartLiveEventsRequested = new AtomicBoolean();

    /**
     * A proxy over a ring.
     *
     * @param ring      the router's command ring (many producers, the router thread consumes).
     * @param queueFull counts commands refused because the ring was full.
     */
    public RouterProxy(final RingBuffer ring, final AtomicCounter queueFull)
    {
        this.ring = ring;
        this.queueFull = queueFull;
    }

    @Override
    public boolean subscribe(
        final ClientSession session, final int accountId, final long sequence, final long fromSeqNum)
    {
        final int index = claim(SUBSCRIBE, SUBSCRIBE_LENGTH);
        if (index < 0)
        {
            return false;
        }
        final AtomicBuffer buffer = ring.buffer();
        buffer.putLong(index + SESSION_ID_OFFSET, session.id());
        buffer.putInt(index + ACCOUNT_ID_OFFSET, accountId);
        buffer.putLong(index + SEQUENCE_OFFSET, sequence);
        buffer.putLong(index + FROM_SEQ_NUM_OFFSET, fromSeqNum);
        ring.commit(index);
        return true;
    }

    @Override
    public boolean unsubscribe(final ClientSession session, final int accountId)
    {
        final int index = claim(UNSUBSCRIBE, UNSUBSCRIBE_LENGTH);
        if (index < 0)
        {
            return false;
        }
        final AtomicBuffer buffer = ring.buffer();
        buffer.putLong(index + SESSION_ID_OFFSET, session.id());
        buffer.putInt(index + ACCOUNT_ID_OFFSET, accountId);
        ring.commit(index);
        return true;
    }

    @Override
    public void unsubscribeAll(final ClientSession session)
    {
        final int index = claim(UNSUBSCRIBE_ALL, UNSUBSCRIBE_ALL_LENGTH);
        if (index < 0)
        {
            // The session has already closed, logged out or changed user: the sweep finds it by that.
            sweepRequested.set(true);
            return;
        }
        ring.buffer().putLong(index + SESSION_ID_OFFSET, session.id());
        ring.commit(index);
    }

    /**
     * Replace the live event source with a new one from the last event routed (after the feed was rebuilt on a new
     * Aeron client): the gap is replayed, so subscribers see every event once.
     */
    public void restartLiveEvents()
    {
        restartLiveEventsRequested.set(true);
    }

    RingBuffer ring()
    {
        return ring;
    }

    boolean takeSweepRequest()
    {
        return sweepRequested.get() && sweepRequested.compareAndSet(true, false);
    }

    boolean takeRestartLiveEventsRequest()
    {
        return restartLiveEventsRequested.get() && restartLiveEventsRequested.compareAndSet(true, false);
    }

    private int claim(final int msgTypeId, final int length)
    {
        final int index = ring.tryClaim(msgTypeId, length);
        if (index < 0)
        {
            queueFull.incrementOrdered();
        }
        return index;
    }
}
