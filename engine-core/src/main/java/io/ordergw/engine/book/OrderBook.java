package io.ordergw.engine.book;

import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import org.agrona.DirectBuffer;
import org.agrona.collections.Hashing;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayDeque;

/**
 * The in-memory book of order states, touched only by the engine thread.
 * <p>
 * It is a pure function of the events applied to it: {@link #apply} upserts the order from its latest event (the
 * event carries the whole order), keeps each account's orders and open orders, and retires terminal orders past the
 * configured count or age, so memory stays flat over a long trading day. Every list is kept in the order of each
 * order's latest SeqNum, which makes the book's layout, and so its snapshots and query answers, deterministic.
 * <p>
 * Bounds: at most {@code maxOpenOrders} open orders in all and {@code maxOpenOrdersPerAccount} per account (the
 * engine refuses a new order past them, see {@link #openOrderRoom}), at most {@code maxRetainedTerminalOrders}
 * terminal orders. Records are pooled: once the book has reached its working size, applying an event allocates
 * nothing.
 */
public final class OrderBook
{
    /** {@link #openOrderRoom}: there is room. */
    public static final int ROOM = 0;
    /** {@link #openOrderRoom}: the book holds the maximum number of open orders. */
    public static final int BOOK_FULL = 1;
    /** {@link #openOrderRoom}: the account holds its maximum number of open orders. */
    public static final int ACCOUNT_FULL = 2;

    /** Terminal orders retired by age at most per event, so one event never pays for a long backlog. */
    static final int MAX_AGE_RETIREMENTS_PER_EVENT = 8;

    private final int maxOpenOrders;
    private final int maxOpenOrdersPerAccount;
    private final int maxRetainedTerminalOrders;
    private final long terminalRetentionNanos;

    /** Slots of the order index at most (Agrona's limit for a power-of-two table). */
    static final int MAX_INDEX_CAPACITY = 1 << 30;

    private final Long2ObjectHashMap<OrderRecord> ordersById;
    private final Int2ObjectHashMap<AccountOrders> accountsById = new Int2ObjectHashMap<>();
    private final OrderList all = new OrderList(OrderRecord.LINK_GLOBAL);
    private final OrderList retiring = new OrderList(OrderRecord.LINK_OPEN_OR_RETIRING);
    private final ArrayDeque<OrderRecord> recordPool = new ArrayDeque<>();
    private final ArrayDeque<AccountOrders> accountPool = new ArrayDeque<>();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final OrderStateEventDecoder eventDecoder = new OrderStateEventDecoder();

    private int openOrders;
    private long lastSeqNum;
    private long maxEventTimeNanos = Long.MIN_VALUE;
    private long stateHash;
    private long retiredCount;

    /**
     * An empty book.
     *
     * @param maxOpenOrders             open orders at most.
     * @param maxOpenOrdersPerAccount   open orders per account at most.
     * @param maxRetainedTerminalOrders terminal orders kept at most.
     * @param terminalRetentionNanos    how long a terminal order is kept after its last event.
     */
    public OrderBook(
        final int maxOpenOrders,
        final int maxOpenOrdersPerAccount,
        final int maxRetainedTerminalOrders,
        final long terminalRetentionNanos)
    {
        this(maxOpenOrders, maxOpenOrdersPerAccount, maxRetainedTerminalOrders, terminalRetentionNanos, 0);
    }

    /**
     * An empty book whose order index is sized at once for {@code initialCapacity} orders, so that it never grows,
     * and so never rehashes on the engine thread, until it holds more. A rehash moves every entry: at hundreds of
     * thousands of orders it stops the engine for milliseconds.
     *
     * @param maxOpenOrders             open orders at most.
     * @param maxOpenOrdersPerAccount   open orders per account at most.
     * @param maxRetainedTerminalOrders terminal orders kept at most.
     * @param terminalRetentionNanos    how long a terminal order is kept after its last event.
     * @param initialCapacity           orders the index holds before it first grows; 0 for Agrona's default.
     */
    public OrderBook(
        final int maxOpenOrders,
        final int maxOpenOrdersPerAccount,
        final int maxRetainedTerminalOrders,
        final long terminalRetentionNanos,
        final int initialCapacity)
    {
        this.ordersById = initialCapacity <= 0 ? new Long2ObjectHashMap<>() : new Long2ObjectHashMap<>(
            indexCapacity(initialCapacity), Hashing.DEFAULT_LOAD_FACTOR);
        this.maxOpenOrders = maxOpenOrders;
        this.maxOpenOrdersPerAccount = maxOpenOrdersPerAccount;
        this.maxRetainedTerminalOrders = maxRetainedTerminalOrders;
        this.terminalRetentionNanos = terminalRetentionNanos;
    }

    /**
     * The slots an index needs to hold a number of orders without growing.
     *
     * @param orders orders to hold.
     * @return slots, at most {@link #MAX_INDEX_CAPACITY}.
     */
    static int indexCapacity(final int orders)
    {
        return (int)Math.min(MAX_INDEX_CAPACITY, (long)Math.ceil(orders / (double)Hashing.DEFAULT_LOAD_FACTOR) + 1);
    }

    /**
     * Slots in the order index now.
     *
     * @return slots.
     */
    int indexCapacity()
    {
        return ordersById.capacity();
    }

    /**
     * The order with an id.
     *
     * @param orderId id.
     * @return the record, or null if the book does not hold it.
     */
    public OrderRecord find(final long orderId)
    {
        return ordersById.get(orderId);
    }

    /**
     * Whether a new open order for an account fits the bounds.
     *
     * @param accountId the account.
     * @return {@link #ROOM}, {@link #BOOK_FULL} or {@link #ACCOUNT_FULL}.
     */
    public int openOrderRoom(final int accountId)
    {
        if (openOrders >= maxOpenOrders)
        {
            return BOOK_FULL;
        }
        final AccountOrders account = accountsById.get(accountId);
        return account != null && account.open.size() >= maxOpenOrdersPerAccount ? ACCOUNT_FULL : ROOM;
    }

    /**
     * Apply a journaled event: the order becomes what the event says, and terminal orders past the retention bounds
     * are retired.
     *
     * @param buffer holding the event, header included.
     * @param offset of the header.
     * @param length of header and body.
     */
    public void apply(final DirectBuffer buffer, final int offset, final int length)
    {
        upsert(buffer, offset, length);
        retireExpired();
    }

    /**
     * Put back an order from a snapshot: like {@link #apply} but retiring nothing, so that the book is exactly what
     * it was when the snapshot was taken. Snapshots hold orders in SeqNum order, which rebuilds every list's order.
     *
     * @param buffer holding the event, header included.
     * @param offset of the header.
     * @param length of header and body.
     */
    public void restore(final DirectBuffer buffer, final int offset, final int length)
    {
        upsert(buffer, offset, length);
    }

    /**
     * Set the event-time high-water mark recorded by a snapshot.
     *
     * @param maxEventTimeNanos the snapshot's value.
     */
    public void restoreMaxEventTime(final long maxEventTimeNanos)
    {
        this.maxEventTimeNanos = maxEventTimeNanos;
    }

    private void upsert(final DirectBuffer buffer, final int offset, final int length)
    {
        headerDecoder.wrap(buffer, offset);
        final OrderStateEventDecoder event = eventDecoder.wrap(
            buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        final long orderId = event.orderId();
        final int accountId = event.accountId();
        final boolean open = event.orderState() == OrderState.Working;
        final long hash = StateHash.orderHash(orderId, accountId, event.orderStateRaw(), event.changeReasonRaw(),
            event.quantity(), event.origQuantity(), event.quantityExecuted(), event.grossValueExecuted(),
            event.avgPrice(), event.seqNum());

        OrderRecord record = ordersById.get(orderId);
        if (record == null)
        {
            record = newRecord();
            record.orderId = orderId;
            record.account = account(accountId);
            ordersById.put(orderId, record);
            all.addLast(record);
            record.account.all.addLast(record);
            placeByState(record, open);
        }
        else
        {
            stateHash -= record.hash;
            if (record.account.accountId != accountId)
            {
                // The state machine never moves an order between accounts; a journal from elsewhere might.
                moveAccount(record, accountId);
            }
            all.moveToLast(record);
            record.account.all.moveToLast(record);
            unplace(record);
            placeByState(record, open);
        }

        record.event.putBytes(0, buffer, offset, length);
        record.eventLength = length;
        record.seqNum = event.seqNum();
        record.eventTimeNanos = event.eventTimeNanos();
        record.hash = hash;
        stateHash += hash;
        lastSeqNum = Math.max(lastSeqNum, record.seqNum);
        maxEventTimeNanos = Math.max(maxEventTimeNanos, record.eventTimeNanos);
    }

    private void placeByState(final OrderRecord record, final boolean open)
    {
        record.open = open;
        if (open)
        {
            record.account.open.addLast(record);
            openOrders++;
        }
        else
        {
            retiring.addLast(record);
        }
    }

    private void unplace(final OrderRecord record)
    {
        if (record.open)
        {
            record.account.open.remove(record);
            openOrders--;
        }
        else
        {
            retiring.remove(record);
        }
    }

    private void moveAccount(final OrderRecord record, final int accountId)
    {
        unplace(record);
        record.account.all.remove(record);
        releaseAccountIfEmpty(record.account);
        record.account = account(accountId);
        record.account.all.addLast(record);
        placeByState(record, record.open);
    }

    private void retireExpired()
    {
        while (retiring.size() > maxRetainedTerminalOrders)
        {
            retire(retiring.head());
        }
        for (int i = 0; i < MAX_AGE_RETIREMENTS_PER_EVENT; i++)
        {
            final OrderRecord oldest = retiring.head();
            if (oldest == null || maxEventTimeNanos - oldest.eventTimeNanos < terminalRetentionNanos)
            {
                break;
            }
            retire(oldest);
        }
    }

    private void retire(final OrderRecord record)
    {
        retiring.remove(record);
        all.remove(record);
        record.account.all.remove(record);
        releaseAccountIfEmpty(record.account);
        ordersById.remove(record.orderId);
        stateHash -= record.hash;
        record.account = null;
        record.eventLength = 0;
        recordPool.addLast(record);
        retiredCount++;
    }

    private AccountOrders account(final int accountId)
    {
        AccountOrders account = accountsById.get(accountId);
        if (account == null)
        {
            account = accountPool.pollLast();
            if (account == null)
            {
                account = new AccountOrders();
            }
            account.accountId = accountId;
            accountsById.put(accountId, account);
        }
        return account;
    }

    private void releaseAccountIfEmpty(final AccountOrders account)
    {
        if (account.all.isEmpty())
        {
            accountsById.remove(account.accountId);
            accountPool.addLast(account);
        }
    }

    private OrderRecord newRecord()
    {
        final OrderRecord record = recordPool.pollLast();
        return record != null ? record : new OrderRecord();
    }

    /**
     * SeqNum of the latest event applied.
     *
     * @return seqNum, 0 for an empty book.
     */
    public long lastSeqNum()
    {
        return lastSeqNum;
    }

    /**
     * Set the SeqNum high-water mark (after restoring a snapshot whose last event retired its order).
     *
     * @param seqNum the snapshot's SeqNum.
     */
    public void restoreLastSeqNum(final long seqNum)
    {
        lastSeqNum = Math.max(lastSeqNum, seqNum);
    }

    /**
     * The latest event time seen, the clock that retention runs on.
     *
     * @return epoch nanoseconds, Long.MIN_VALUE if none.
     */
    public long maxEventTimeNanos()
    {
        return maxEventTimeNanos;
    }

    /**
     * The state hash: see {@link StateHash}.
     *
     * @return the hash.
     */
    public long stateHash()
    {
        return stateHash;
    }

    /**
     * Orders held (open and retained terminal).
     *
     * @return count.
     */
    public int size()
    {
        return ordersById.size();
    }

    /**
     * Open orders held.
     *
     * @return count.
     */
    public int openOrders()
    {
        return openOrders;
    }

    /**
     * Terminal orders held for queries.
     *
     * @return count.
     */
    public int retainedTerminalOrders()
    {
        return retiring.size();
    }

    /**
     * Terminal orders retired since start.
     *
     * @return count.
     */
    public long retiredCount()
    {
        return retiredCount;
    }

    /**
     * The open-order bound.
     *
     * @return max open orders.
     */
    public int maxOpenOrders()
    {
        return maxOpenOrders;
    }

    /**
     * The per-account open-order bound.
     *
     * @return max open orders per account.
     */
    public int maxOpenOrdersPerAccount()
    {
        return maxOpenOrdersPerAccount;
    }

    /**
     * Visit every order in the order of its latest SeqNum (oldest first): the snapshot order.
     *
     * @param visitor called per order.
     */
    public void forEachInSeqNumOrder(final OrderVisitor visitor)
    {
        for (OrderRecord r = all.head(); r != null; r = all.next(r))
        {
            visitor.visit(r);
        }
    }

    /**
     * Visit an account's open orders, newest activity first, optionally of one instrument.
     *
     * @param accountId    account.
     * @param instrumentId instrument (productPairId), 0 for all.
     * @param limit        most orders to visit.
     * @param visitor      called per order.
     * @return orders visited.
     */
    public int forEachOpenOrder(
        final int accountId, final int instrumentId, final int limit, final OrderVisitor visitor)
    {
        final AccountOrders account = accountsById.get(accountId);
        if (account == null)
        {
            return 0;
        }
        int count = 0;
        for (OrderRecord r = account.open.tail(); r != null && count < limit; r = account.open.prev(r))
        {
            if (instrumentId == 0 || instrumentOf(r) == instrumentId)
            {
                visitor.visit(r);
                count++;
            }
        }
        return count;
    }

    /**
     * Visit an account's orders (open and retained terminal), newest activity first.
     *
     * @param accountId  account.
     * @param startIndex how many of the newest to skip.
     * @param limit      most orders to visit.
     * @param visitor    called per order.
     * @return orders visited.
     */
    public int forEachAccountOrder(
        final int accountId, final int startIndex, final int limit, final OrderVisitor visitor)
    {
        final AccountOrders account = accountsById.get(accountId);
        if (account == null)
        {
            return 0;
        }
        int skipped = 0;
        int count = 0;
        for (OrderRecord r = account.all.tail(); r != null && count < limit; r = account.all.prev(r))
        {
            if (skipped < startIndex)
            {
                skipped++;
                continue;
            }
            visitor.visit(r);
            count++;
        }
        return count;
    }

    /**
     * Whether the book knows an account.
     *
     * @param accountId account.
     * @return true if it holds an order of the account.
     */
    public boolean hasAccount(final int accountId)
    {
        return accountsById.containsKey(accountId);
    }

    private int instrumentOf(final OrderRecord record)
    {
        return record.event.getInt(MessageHeaderDecoder.ENCODED_LENGTH +
            OrderStateEventDecoder.productPairIdEncodingOffset(),
            OrderStateEventDecoder.BYTE_ORDER);
    }

    /** Receives orders from the book's iterations. */
    @FunctionalInterface
    public interface OrderVisitor
    {
        /**
         * One order.
         *
         * @param record the order; valid only during the call.
         */
        void visit(OrderRecord record);
    }
}
