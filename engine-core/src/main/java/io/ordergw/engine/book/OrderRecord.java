package io.ordergw.engine.book;

import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.codec.sbe.VarStringEncodingEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One order in the book: its latest OrderStateEvent, byte for byte as journaled, plus the links that place it in
 * the book's lists. Pooled and reused; never shared outside the engine thread.
 * <p>
 * Holding the whole event makes the book trivially consistent with the journal: a query answer, a snapshot and an
 * exact-repeat check all read the same bytes.
 */
public final class OrderRecord
{
    /** Largest encoded OrderStateEvent, header and var fields included. */
    public static final int MAX_EVENT_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + OrderStateEventDecoder.BLOCK_LENGTH +
        2 * VarStringEncodingEncoder.lengthEncodingLength() + 64 + 256;

    static final int LINK_GLOBAL = 0;
    static final int LINK_ACCOUNT = 1;
    /** Open orders: the account's open list. Terminal orders: the retirement queue. */
    static final int LINK_OPEN_OR_RETIRING = 2;

    final UnsafeBuffer event = new UnsafeBuffer(new byte[MAX_EVENT_LENGTH]);
    int eventLength;
    long orderId;
    long seqNum;
    long eventTimeNanos;
    long hash;
    boolean open;
    AccountOrders account;

    // Intrusive doubly-linked lists: no nodes to allocate, O(1) removal. Plain fields rather than arrays: one load
    // fewer per step on the apply path.
    private OrderRecord prevGlobal;
    private OrderRecord nextGlobal;
    private OrderRecord prevAccount;
    private OrderRecord nextAccount;
    private OrderRecord prevOpen;
    private OrderRecord nextOpen;

    OrderRecord prev(final int link)
    {
        return link == LINK_GLOBAL ? prevGlobal : link == LINK_ACCOUNT ? prevAccount : prevOpen;
    }

    OrderRecord next(final int link)
    {
        return link == LINK_GLOBAL ? nextGlobal : link == LINK_ACCOUNT ? nextAccount : nextOpen;
    }

    void prev(final int link, final OrderRecord record)
    {
        if (link == LINK_GLOBAL)
        {
            prevGlobal = record;
        }
        else if (link == LINK_ACCOUNT)
        {
            prevAccount = record;
        }
        else
        {
            prevOpen = record;
        }
    }

    void next(final int link, final OrderRecord record)
    {
        if (link == LINK_GLOBAL)
        {
            nextGlobal = record;
        }
        else if (link == LINK_ACCOUNT)
        {
            nextAccount = record;
        }
        else
        {
            nextOpen = record;
        }
    }

    /**
     * The latest event's bytes (header included), valid until the book next changes.
     *
     * @return buffer holding the event at offset 0.
     */
    public UnsafeBuffer eventBuffer()
    {
        return event;
    }

    /**
     * Length of the latest event.
     *
     * @return bytes.
     */
    public int eventLength()
    {
        return eventLength;
    }

    /**
     * The order id.
     *
     * @return id.
     */
    public long orderId()
    {
        return orderId;
    }

    /**
     * SeqNum of the latest event.
     *
     * @return seqNum.
     */
    public long seqNum()
    {
        return seqNum;
    }

    /**
     * Whether the order is open (Working).
     *
     * @return true if open.
     */
    public boolean isOpen()
    {
        return open;
    }

    /**
     * The order's account.
     *
     * @return account id.
     */
    public int accountId()
    {
        return account.accountId;
    }
}
