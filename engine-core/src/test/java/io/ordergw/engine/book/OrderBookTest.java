package io.ordergw.engine.book;

import io.ordergw.engine.SystemTest;
import io.ordergw.codec.ApexError;
import io.ordergw.codec.sbe.LinkType;
import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.codec.sbe.QueryType;
import io.ordergw.codec.sbe.Side;
import io.ordergw.codec.sbe.TimeInForce;
import io.ordergw.engine.Commands;
import io.ordergw.engine.EngineHarness;
import io.ordergw.engine.state.OrderStateMachine;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.ordergw.engine.Commands.T0;
import static io.ordergw.engine.Commands.units;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The book: bounds, retirement of terminal orders, iteration order, the incremental state hash, restore, and
 * allocation-free apply. Events are made by the real state machine, against the book's own latest events, as the
 * engine does (without the journal); the bounds' refusals are also checked end to end through the engine.
 */
@SystemTest
class OrderBookTest
{
    private static final long MS = 1_000_000L;
    private static final long HOUR = 3_600_000 * MS;
    private static final int BIG = 1_000_000;

    @TempDir
    Path dir;

    // ---------------------------------------------------------------------------------------------------------------
    // Bounds.
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void aPresizedIndexHoldsItsCapacityWithoutGrowing()
    {
        final int orders = 20_000;
        final OrderBook presized = new OrderBook(BIG, BIG, BIG, Long.MAX_VALUE, orders);
        final OrderBook growing = new OrderBook(BIG, BIG, BIG, Long.MAX_VALUE);
        final int presizedSlots = presized.indexCapacity();
        final int growingSlots = growing.indexCapacity();
        final BookDriver p = new BookDriver(presized);
        final BookDriver g = new BookDriver(growing);
        for (int i = 1; i <= orders; i++)
        {
            p.accept(order(i, 1 + i % 10));
            g.accept(order(i, 1 + i % 10));
        }
        assertEquals(orders, presized.size());
        assertEquals(presizedSlots, presized.indexCapacity(), "no rehash on the engine thread up to the capacity");
        assertTrue(growing.indexCapacity() > growingSlots, "an index sized on demand grew (rehashed) on the way");
        assertEquals(growing.stateHash(), presized.stateHash(), "the index's size changes nothing a user sees");

        p.accept(order(orders + 1, 1));
        assertEquals(orders + 1, presized.size(), "past the capacity the index still grows");
    }

    @Test
    void indexCapacityIsEnoughSlotsAndCapped()
    {
        assertTrue(OrderBook.indexCapacity(2_000_000) * 0.65 >= 2_000_000);
        assertEquals(OrderBook.MAX_INDEX_CAPACITY, OrderBook.indexCapacity(Integer.MAX_VALUE));
    }

    @Test
    void openOrderRoomReportsBookFullThenAccountFull()
    {
        final BookDriver d = new BookDriver(new OrderBook(3, 2, BIG, Long.MAX_VALUE));
        assertEquals(OrderBook.ROOM, d.book.openOrderRoom(7));
        d.accept(order(1, 7));
        d.accept(order(2, 7));
        assertEquals(OrderBook.ACCOUNT_FULL, d.book.openOrderRoom(7));
        assertEquals(OrderBook.ROOM, d.book.openOrderRoom(8), "another account still has room");
        d.accept(order(3, 8));
        assertEquals(OrderBook.BOOK_FULL, d.book.openOrderRoom(9));
        assertEquals(OrderBook.BOOK_FULL, d.book.openOrderRoom(7), "the book's bound is checked first");

        // Terminal orders do not count against either bound.
        d.accept(order(1, 7).next().link(LinkType.Cancel));
        assertEquals(2, d.book.openOrders());
        assertEquals(OrderBook.ROOM, d.book.openOrderRoom(7));
        assertEquals(OrderBook.ROOM, d.book.openOrderRoom(9));
    }

    @Test
    void bookFullIsRefused102ThroughTheEngineWithNothingApplied()
    {
        try (EngineHarness engine = new EngineHarness(dir, "ordergw.book.max-open-orders = 3\n"))
        {
            for (int i = 1; i <= 3; i++)
            {
                assertEquals(0, engine.send(order(i, 6 + i)).errorCode);
            }
            final long hash = book(engine).stateHash();
            final int journaled = engine.journalEvents().size();

            final EngineHarness.Reply refused = engine.send(order(4, 20));
            assertEquals(ApexError.SERVER_ERROR, refused.errorCode);
            assertEquals(0, refused.seqNum);
            // Names the setting (and not the per-account one, whose key begins the same way).
            assertTrue(refused.detail.contains("ordergw.book.max-open-orders)"), refused.detail);
            assertTrue(refused.detail.contains("3 open orders"), refused.detail);
            assertEquals(journaled, engine.journalEvents().size(), "nothing journaled");
            assertEquals(hash, book(engine).stateHash(), "book unchanged");
            assertNull(engine.order(4));
            assertEquals(3, book(engine).openOrders());
            assertEquals(ApexError.NOT_FOUND,
                engine.query(QueryType.OrderStatus, 20, 4, 0, 0, 0).errorCode, "the refused order is unknown");

            // At the bound: events of existing open orders still go through, and a new order that is Rejected
            // (not open) takes no room.
            assertEquals(0, engine.send(order(1, 7).next().quantity(units(5))).errorCode);
            final EngineHarness.Reply rejected = engine.send(order(5, 20).removedFromBook(true));
            assertEquals(0, rejected.errorCode, rejected.detail);
            assertEquals(OrderState.Rejected, engine.order(5).orderState());

            // A retry of the refused request succeeds once an order has left.
            assertEquals(0, engine.send(order(2, 8).next().link(LinkType.Cancel)).errorCode);
            final EngineHarness.Reply retried = engine.send(order(4, 20));
            assertEquals(0, retried.errorCode, retried.detail);
            assertEquals(OrderState.Working, engine.order(4).orderState());
        }
    }

    @Test
    void accountFullIsRefused102ThroughTheEngineWithNothingApplied()
    {
        try (EngineHarness engine = new EngineHarness(dir, "ordergw.book.max-open-orders-per-account = 2\n"))
        {
            assertEquals(0, engine.send(order(1, 7)).errorCode);
            assertEquals(0, engine.send(order(2, 7)).errorCode);
            final long hash = book(engine).stateHash();
            final int journaled = engine.journalEvents().size();

            final EngineHarness.Reply refused = engine.send(order(3, 7));
            assertEquals(ApexError.SERVER_ERROR, refused.errorCode);
            assertTrue(refused.detail.contains("ordergw.book.max-open-orders-per-account"), refused.detail);
            assertTrue(refused.detail.contains("account 7"), refused.detail);
            assertEquals(journaled, engine.journalEvents().size(), "nothing journaled");
            assertEquals(hash, book(engine).stateHash(), "book unchanged");
            assertNull(engine.order(3));

            // An explicit Working for a new order is still a new open order.
            final Commands explicit = order(3, 7).removedFromBook(true).state(OrderState.Working);
            assertEquals(ApexError.SERVER_ERROR, engine.send(explicit).errorCode);

            // Other accounts are not affected; a repeat of an existing order's event is still acknowledged.
            assertEquals(0, engine.send(order(4, 8)).errorCode);
            final EngineHarness.Reply repeat = engine.send(order(2, 7));
            assertEquals(0, repeat.errorCode);
            assertEquals(2, repeat.seqNum);
            assertEquals(3, engine.journalEvents().size());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Retirement of terminal orders.
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void terminalOrdersAreRetiredOldestFirstPastTheCount()
    {
        final BookDriver d = new BookDriver(new OrderBook(BIG, BIG, 2, Long.MAX_VALUE));
        for (int i = 1; i <= 4; i++)
        {
            d.accept(order(i, 7));
        }
        // Terminal in the order 3, 1, 4, 2: retirement follows when they became terminal, not their ids.
        d.accept(order(3, 7).next().link(LinkType.Cancel));
        d.accept(order(1, 7).next().trade(0, units(100)));
        assertEquals(2, d.book.retainedTerminalOrders());
        assertEquals(0, d.book.retiredCount());

        d.accept(order(4, 7).next().removedFromBook(true));
        assertNull(d.book.find(3), "the oldest terminal order is retired");
        assertNotNull(d.book.find(1));
        assertNotNull(d.book.find(4));
        assertEquals(1, d.book.retiredCount());

        d.accept(order(2, 7).next().link(LinkType.Cancel));
        assertNull(d.book.find(1));
        assertEquals(2, d.book.retainedTerminalOrders());
        assertEquals(2, d.book.size());
        assertEquals(List.of(2L, 4L), d.history(7, 0, 100), "retired orders leave the account's history");
        assertEquals(d.recomputedHash(), d.book.stateHash());

        // Open orders are never retired by count.
        final BookDriver none = new BookDriver(new OrderBook(BIG, BIG, 0, Long.MAX_VALUE));
        none.accept(order(1, 7));
        none.accept(order(2, 7).removedFromBook(true));
        assertNull(none.book.find(2), "with no terminal orders retained, a Rejected order goes at once");
        assertNotNull(none.book.find(1));
        assertEquals(List.of(1L), none.history(7, 0, 100));
    }

    @Test
    void terminalOrdersAreRetiredByAgeOfEventTime()
    {
        final BookDriver d = new BookDriver(new OrderBook(BIG, BIG, BIG, HOUR));
        d.accept(at(T0, order(1, 7)));
        d.accept(at(T0, order(2, 7)));
        d.accept(at(T0 + MS, order(1, 7)).link(LinkType.Cancel));

        // One nanosecond short of an hour after its last event: kept.
        d.accept(at(T0 + MS + HOUR - 1, order(2, 7)).quantity(units(9)));
        assertNotNull(d.book.find(1));
        // An hour after: retired. The clock is the events' time, not the wall clock.
        d.accept(at(T0 + MS + HOUR, order(2, 7)).quantity(units(8)));
        assertNull(d.book.find(1));
        assertEquals(1, d.book.retiredCount());
        assertEquals(T0 + MS + HOUR, d.book.maxEventTimeNanos());

        // Open orders do not age out, however old.
        d.accept(at(T0 + 10 * HOUR, order(3, 7)));
        assertNotNull(d.book.find(2));
        assertEquals(d.recomputedHash(), d.book.stateHash());

        // An event with an older time does not move the clock back.
        d.accept(at(T0 + 10 * HOUR, order(4, 7)).removedFromBook(true));
        d.accept(at(T0 + 10 * HOUR - HOUR, order(3, 7)).quantity(units(5)));
        assertEquals(T0 + 10 * HOUR, d.book.maxEventTimeNanos());
        assertNotNull(d.book.find(4));
    }

    @Test
    void retirementByAgeIsAtMostEightPerEvent()
    {
        assertEquals(8, OrderBook.MAX_AGE_RETIREMENTS_PER_EVENT);
        final BookDriver d = new BookDriver(new OrderBook(BIG, BIG, BIG, HOUR));
        for (int i = 1; i <= 20; i++)
        {
            d.accept(at(T0, order(i, 7)).removedFromBook(true));
        }
        d.accept(at(T0, order(100, 7)));
        assertEquals(20, d.book.retainedTerminalOrders());

        final int[] expectedLeft = {12, 4, 0, 0};
        for (int step = 0; step < expectedLeft.length; step++)
        {
            d.accept(at(T0 + 2 * HOUR + step * MS, order(100, 7)).quantity(units(9 - step)));
            assertEquals(expectedLeft[step], d.book.retainedTerminalOrders(), "after event " + step);
            assertEquals(20 - expectedLeft[step], d.book.retiredCount());
            assertEquals(d.recomputedHash(), d.book.stateHash());
            if (step == 0)
            {
                // Oldest first: the first eight are gone, 9..20 are left.
                assertNull(d.book.find(8));
                assertNotNull(d.book.find(9));
                assertNotNull(d.book.find(20));
            }
        }
        assertNotNull(d.book.find(100));
        assertEquals(1, d.book.size());
    }

    @Test
    void retirementIsConfiguredThroughTheEngine()
    {
        try (EngineHarness engine = new EngineHarness(dir,
            "ordergw.book.max-retained-terminal-orders = 2\nordergw.book.terminal-retention = 1h\n"))
        {
            for (int i = 1; i <= 3; i++)
            {
                engine.send(order(i, 7).removedFromBook(true));
            }
            assertNull(engine.order(1), "retired by count");
            assertEquals(ApexError.NOT_FOUND, engine.query(QueryType.OrderStatus, 7, 1, 0, 0, 0).errorCode);
            assertNotNull(engine.order(2));

            // A retired order's id is unknown again: a cancel is 104 and a new order under it is accepted.
            assertEquals(ApexError.NOT_FOUND, engine.send(order(1, 7).link(LinkType.Cancel)).errorCode);

            final EngineHarness.Reply later = engine.send(at(T0 + HOUR, order(10, 7)));
            assertEquals(0, later.errorCode);
            assertNull(engine.order(2), "retired by age");
            assertNull(engine.order(3), "retired by age");
            assertEquals(List.of(later.seqNum), engine.query(QueryType.OrderHistory, 7, 0, 0, 0, 0).seqNums);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Iteration order.
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void openOrdersAndHistoryAreNewestActivityFirst()
    {
        final BookDriver d = new BookDriver(new OrderBook(BIG, BIG, BIG, Long.MAX_VALUE));
        d.accept(order(1, 7));
        d.accept(instrument(2, order(2, 7)));
        d.accept(order(3, 7));
        d.accept(order(4, 8));
        d.accept(instrument(2, order(5, 7)));
        assertEquals(List.of(5L, 3L, 2L, 1L), d.open(7, 0, 100));
        assertEquals(List.of(4L), d.open(8, 0, 100));

        // Activity on an older order moves it to the front.
        d.accept(order(1, 7).next().quantity(units(9)));
        assertEquals(List.of(1L, 5L, 3L, 2L), d.open(7, 0, 100));

        // A terminal order leaves the open list but heads the history.
        d.accept(order(3, 7).next().link(LinkType.Cancel));
        assertEquals(List.of(1L, 5L, 2L), d.open(7, 0, 100));
        assertEquals(List.of(3L, 1L, 5L, 2L), d.history(7, 0, 100));

        // A refused or repeated command is not activity.
        d.expect(order(2, 7).next().link(LinkType.Update).quantity(units(12)).trade(units(12), units(1)),
            OrderStateMachine.REFUSED);
        d.expect(instrument(2, order(5, 7)), OrderStateMachine.REPEAT);
        assertEquals(List.of(1L, 5L, 2L), d.open(7, 0, 100));

        // The instrument filter, the limit and the start index.
        assertEquals(List.of(5L, 2L), d.open(7, 2, 100));
        assertEquals(List.of(1L), d.open(7, 1, 100));
        assertEquals(List.of(5L), d.open(7, 2, 1));
        assertEquals(List.of(), d.open(7, 3, 100));
        assertEquals(List.of(1L, 5L), d.history(7, 1, 2));
        assertEquals(List.of(2L), d.history(7, 3, 100));
        assertEquals(List.of(), d.open(99, 0, 100));
        assertEquals(List.of(), d.history(99, 0, 100));

        // The whole book in SeqNum order (oldest activity first): the snapshot order.
        final List<Long> seqNums = new ArrayList<>();
        d.book.forEachInSeqNumOrder(r -> seqNums.add(r.seqNum()));
        final List<Long> sorted = new ArrayList<>(seqNums);
        sorted.sort(null);
        assertEquals(sorted, seqNums);
        assertEquals(5, seqNums.size());
    }

    @Test
    void openOrderQueryThroughTheEngineIsNewestFirstAndFiltered()
    {
        try (EngineHarness engine = new EngineHarness(dir))
        {
            final long s1 = engine.send(order(1, 7)).seqNum;
            final long s2 = engine.send(instrument(2, order(2, 7))).seqNum;
            final long s3 = engine.send(order(3, 7)).seqNum;
            final long s4 = engine.send(order(1, 7).next().quantity(units(3))).seqNum;
            assertEquals(List.of(s4, s3, s2), engine.query(QueryType.OpenOrders, 7, 0, 0, 0, 0).seqNums);
            assertEquals(List.of(s2), engine.query(QueryType.OpenOrders, 7, 0, 2, 0, 0).seqNums);
            final long s5 = engine.send(order(3, 7).next().link(LinkType.Cancel)).seqNum;
            assertEquals(List.of(s4, s2), engine.query(QueryType.OpenOrders, 7, 0, 0, 0, 0).seqNums);
            assertEquals(List.of(s5, s4, s2), engine.query(QueryType.OrderHistory, 7, 0, 0, 0, 0).seqNums);
            assertEquals(List.of(s4), engine.query(QueryType.OrderHistory, 7, 0, 0, 1, 1).seqNums);
            assertTrue(s1 < s4);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // State hash and restore.
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void stateHashEqualsRecomputationAfterRandomSequences()
    {
        for (final long seed : new long[] {1, 2, 3, 42, 20260101})
        {
            // Small bounds so that retirement by count and by age both happen.
            final BookDriver d = new BookDriver(new OrderBook(BIG, BIG, 25, 200 * MS));
            final RandomBookCommands random = new RandomBookCommands(seed);
            for (int i = 0; i < 3_000; i++)
            {
                d.send(random.next(d.book));
                if (i % 10 == 0 || i > 2_990)
                {
                    assertEquals(d.recomputedHash(), d.book.stateHash(), "seed " + seed + " step " + i);
                    d.assertConsistent("seed " + seed + " step " + i);
                }
            }
            assertTrue(d.book.retiredCount() > 0, "seed " + seed + ": the sequence must exercise retirement");
            assertTrue(d.events.size() > 1_000, "seed " + seed + ": most commands must be accepted");
        }
    }

    @Test
    void restoreOfTheSameEventsInSeqNumOrderRebuildsAnEqualBook()
    {
        for (final long seed : new long[] {7, 8, 9})
        {
            // Without retirement: every event, in SeqNum order.
            final BookDriver d = new BookDriver(new OrderBook(BIG, BIG, BIG, Long.MAX_VALUE));
            final RandomBookCommands random = new RandomBookCommands(seed);
            for (int i = 0; i < 2_000; i++)
            {
                d.send(random.next(d.book));
            }
            final OrderBook restored = new OrderBook(BIG, BIG, BIG, Long.MAX_VALUE);
            for (final byte[] event : d.events)
            {
                restored.restore(new UnsafeBuffer(event), 0, event.length);
            }
            assertSameBook(d.book, restored, "seed " + seed + " (all events)");

            // With retirement: the book's own orders in SeqNum order, as a snapshot holds them.
            final BookDriver r = new BookDriver(new OrderBook(BIG, BIG, 10, 100 * MS));
            final RandomBookCommands random2 = new RandomBookCommands(seed);
            for (int i = 0; i < 2_000; i++)
            {
                r.send(random2.next(r.book));
            }
            assertTrue(r.book.retiredCount() > 0);
            final OrderBook fromSnapshot = new OrderBook(BIG, BIG, 10, 100 * MS);
            r.book.forEachInSeqNumOrder(rec -> fromSnapshot.restore(rec.eventBuffer(), 0, rec.eventLength()));
            assertSameBook(r.book, fromSnapshot, "seed " + seed + " (snapshot)");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Garbage-free apply.
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void applyAllocatesNothingAtSteadySize()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);

        // 1,000 open orders over 10 accounts, and a churn of new orders that are canceled and retired by count.
        final int openCount = 1_000;
        final OrderBook book = new OrderBook(BIG, BIG, 500, HOUR);
        final BookDriver d = new BookDriver(book);
        for (int i = 1; i <= openCount; i++)
        {
            d.accept(order(i, 1 + i % 10));
        }
        // Templates, patched in place: a modification of an open order, a new order and its cancel.
        final UnsafeBuffer modify = copyOf(d.make(order(1, 2).next().quantity(units(9))));
        final UnsafeBuffer fresh = copyOf(d.make(order(BIG, 1)));
        d.accept(order(BIG, 1));
        final UnsafeBuffer cancel = copyOf(d.make(order(BIG, 1).next().link(LinkType.Cancel)));
        d.accept(order(BIG, 1).next().link(LinkType.Cancel));
        final long[] state = {book.lastSeqNum(), T0};

        // Warm up past the retention bound (so the record pool is full) and through the JIT.
        runSteady(book, modify, fresh, cancel, state, openCount, 40_000);
        assertEquals(500, book.retainedTerminalOrders());
        final int size = book.size();

        final long before = threads.getCurrentThreadAllocatedBytes();
        runSteady(book, modify, fresh, cancel, state, openCount, 34_000); // 102,000 applies
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(size, book.size(), "steady size");
        assertEquals(openCount, book.openOrders());
        assertTrue(book.retiredCount() > 70_000);
        assertTrue(allocated < 16 * 1024, "102,000 applies allocated " + allocated + " bytes");
    }

    private static void runSteady(
        final OrderBook book,
        final UnsafeBuffer modify,
        final UnsafeBuffer fresh,
        final UnsafeBuffer cancel,
        final long[] state,
        final int openCount,
        final int iterations)
    {
        long seqNum = state[0];
        long time = state[1];
        for (int i = 0; i < iterations; i++)
        {
            final long openId = 1 + (seqNum % openCount);
            patch(modify, openId, (int)(1 + openId % 10), ++seqNum, time += 1_000);
            book.apply(modify, 0, modify.capacity());

            final long churnId = BIG + seqNum;
            final int account = (int)(1 + churnId % 10);
            patch(fresh, churnId, account, ++seqNum, time += 1_000);
            book.apply(fresh, 0, fresh.capacity());
            patch(cancel, churnId, account, ++seqNum, time += 1_000);
            book.apply(cancel, 0, cancel.capacity());
        }
        state[0] = seqNum;
        state[1] = time;
    }

    private static void patch(final UnsafeBuffer event, final long orderId, final int accountId, final long seqNum,
        final long time)
    {
        final int body = MessageHeaderDecoder.ENCODED_LENGTH;
        event.putLong(body + OrderStateEventDecoder.orderIdEncodingOffset(), orderId,
            OrderStateEventDecoder.BYTE_ORDER);
        event.putInt(body + OrderStateEventDecoder.accountIdEncodingOffset(), accountId,
            OrderStateEventDecoder.BYTE_ORDER);
        event.putLong(body + OrderStateEventDecoder.seqNumEncodingOffset(), seqNum, OrderStateEventDecoder.BYTE_ORDER);
        event.putLong(body + OrderStateEventDecoder.eventTimeNanosEncodingOffset(), time,
            OrderStateEventDecoder.BYTE_ORDER);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Fixtures.
    // ---------------------------------------------------------------------------------------------------------------

    private static OrderBook book(final EngineHarness engine)
    {
        return engine.engine().agent().book();
    }

    /** A default new order (GTC limit buy of 10 at 100, instrument 1, at T0) of an account. */
    private static Commands order(final long orderId, final int accountId)
    {
        final Commands c = Commands.newOrder(orderId);
        c.accountId = accountId;
        return c;
    }

    private static Commands at(final long eventTimeNanos, final Commands c)
    {
        c.receiveTimeNanos = eventTimeNanos;
        return c;
    }

    private static Commands instrument(final int productPairId, final Commands c)
    {
        c.productPairId = productPairId;
        return c;
    }

    private static UnsafeBuffer copyOf(final byte[] bytes)
    {
        return new UnsafeBuffer(bytes.clone());
    }

    private static void assertSameBook(final OrderBook expected, final OrderBook actual, final String what)
    {
        assertEquals(expected.stateHash(), actual.stateHash(), what + ": state hash");
        assertEquals(expected.size(), actual.size(), what + ": size");
        assertEquals(expected.openOrders(), actual.openOrders(), what + ": open orders");
        assertEquals(expected.lastSeqNum(), actual.lastSeqNum(), what + ": last SeqNum");
        assertEquals(expected.retainedTerminalOrders(), actual.retainedTerminalOrders(), what + ": terminal orders");
        final List<Long> a = new ArrayList<>();
        final List<Long> b = new ArrayList<>();
        expected.forEachInSeqNumOrder(r -> a.add(r.orderId()));
        actual.forEachInSeqNumOrder(r -> b.add(r.orderId()));
        assertEquals(a, b, what + ": SeqNum order");
        for (int account = 1; account <= RandomBookCommands.ACCOUNTS; account++)
        {
            assertEquals(ids(expected, account, true), ids(actual, account, true), what + ": open of " + account);
            assertEquals(ids(expected, account, false), ids(actual, account, false), what + ": history of " + account);
        }
    }

    private static List<Long> ids(final OrderBook book, final int accountId, final boolean open)
    {
        final List<Long> ids = new ArrayList<>();
        if (open)
        {
            book.forEachOpenOrder(accountId, 0, Integer.MAX_VALUE, r -> ids.add(r.orderId()));
        }
        else
        {
            book.forEachAccountOrder(accountId, 0, Integer.MAX_VALUE, r -> ids.add(r.orderId()));
        }
        return ids;
    }

    /** Drives a book the way the engine does, minus the journal: decide against the book's latest event, apply. */
    private static final class BookDriver
    {
        final OrderBook book;
        final OrderStateMachine machine = new OrderStateMachine(Commands.SCALE);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[OrderRecord.MAX_EVENT_LENGTH]);
        final OrderStateEventDecoder prev = new OrderStateEventDecoder();
        final List<byte[]> events = new ArrayList<>();

        BookDriver(final OrderBook book)
        {
            this.book = book;
        }

        int send(final Commands c)
        {
            final OrderRecord record = book.find(c.orderId);
            final OrderStateEventDecoder p = record == null ? null : prev.wrap(record.eventBuffer(),
                MessageHeaderDecoder.ENCODED_LENGTH, OrderStateEventDecoder.BLOCK_LENGTH,
                OrderStateEventDecoder.SCHEMA_VERSION);
            final int result = machine.decide(c.decoder(), p, book.lastSeqNum() + 1, out);
            if (result == OrderStateMachine.EVENT)
            {
                final byte[] event = new byte[machine.eventLength()];
                out.getBytes(0, event);
                events.add(event);
                book.apply(out, 0, machine.eventLength());
            }
            return result;
        }

        void accept(final Commands c)
        {
            expect(c, OrderStateMachine.EVENT);
        }

        void expect(final Commands c, final int result)
        {
            final int actual = send(c);
            assertEquals(result, actual, () -> "command for order " + c.orderId + ": " + machine.detail());
        }

        /** The event a command would make now, without applying it. */
        byte[] make(final Commands c)
        {
            final long last = book.lastSeqNum();
            final OrderRecord record = book.find(c.orderId);
            final OrderStateEventDecoder p = record == null ? null : prev.wrap(record.eventBuffer(),
                MessageHeaderDecoder.ENCODED_LENGTH, OrderStateEventDecoder.BLOCK_LENGTH,
                OrderStateEventDecoder.SCHEMA_VERSION);
            assertEquals(OrderStateMachine.EVENT, machine.decide(c.decoder(), p, last + 1, out));
            final byte[] event = new byte[machine.eventLength()];
            out.getBytes(0, event);
            return event;
        }

        List<Long> open(final int accountId, final int instrumentId, final int limit)
        {
            final List<Long> ids = new ArrayList<>();
            final int count = book.forEachOpenOrder(accountId, instrumentId, limit, r -> ids.add(r.orderId()));
            assertEquals(ids.size(), count);
            return ids;
        }

        List<Long> history(final int accountId, final int startIndex, final int limit)
        {
            final List<Long> ids = new ArrayList<>();
            final int count = book.forEachAccountOrder(accountId, startIndex, limit, r -> ids.add(r.orderId()));
            assertEquals(ids.size(), count);
            return ids;
        }

        /** The state hash from scratch, by {@link StateHash}'s definition, over the orders the book holds. */
        long recomputedHash()
        {
            final long[] hash = {0};
            final OrderStateEventDecoder e = new OrderStateEventDecoder();
            book.forEachInSeqNumOrder(r ->
            {
                e.wrap(r.eventBuffer(), MessageHeaderDecoder.ENCODED_LENGTH, OrderStateEventDecoder.BLOCK_LENGTH,
                    OrderStateEventDecoder.SCHEMA_VERSION);
                hash[0] += StateHash.orderHash(e.orderId(), e.accountId(), e.orderStateRaw(), e.changeReasonRaw(),
                    e.quantity(), e.origQuantity(), e.quantityExecuted(), e.grossValueExecuted(), e.avgPrice(),
                    e.seqNum());
            });
            return hash[0];
        }

        /** Counts and lists agree with each other and with the orders' states. */
        void assertConsistent(final String what)
        {
            final int[] counts = new int[2];
            final OrderStateEventDecoder e = new OrderStateEventDecoder();
            book.forEachInSeqNumOrder(r ->
            {
                e.wrap(r.eventBuffer(), MessageHeaderDecoder.ENCODED_LENGTH, OrderStateEventDecoder.BLOCK_LENGTH,
                    OrderStateEventDecoder.SCHEMA_VERSION);
                assertEquals(r.orderId(), e.orderId(), what);
                assertEquals(r.seqNum(), e.seqNum(), what);
                assertEquals(e.orderState() == OrderState.Working, r.isOpen(), what);
                assertEquals(e.accountId(), r.accountId(), what);
                assertTrue(book.find(r.orderId()) == r, what);
                counts[0]++;
                counts[1] += r.isOpen() ? 1 : 0;
            });
            assertEquals(book.size(), counts[0], what + ": size");
            assertEquals(book.openOrders(), counts[1], what + ": open orders");
            assertEquals(book.size() - book.openOrders(), book.retainedTerminalOrders(), what + ": terminal orders");
            int open = 0;
            int all = 0;
            for (int account = 1; account <= RandomBookCommands.ACCOUNTS; account++)
            {
                open += ids(book, account, true).size();
                all += ids(book, account, false).size();
                assertEquals(ids(book, account, false).isEmpty(), !book.hasAccount(account), what);
            }
            assertEquals(book.openOrders(), open, what + ": per-account open lists");
            assertEquals(book.size(), all, what + ": per-account histories");
        }
    }

    /** Random commands against a book: mostly legal moves of recent orders, some refusals and repeats. */
    private static final class RandomBookCommands
    {
        static final int ACCOUNTS = 3;
        private final SplittableRandom random;
        private final List<Commands> recent = new ArrayList<>();
        private long nextOrderId = 1;
        private long time = T0;

        RandomBookCommands(final long seed)
        {
            random = new SplittableRandom(seed);
        }

        Commands next(final OrderBook book)
        {
            time += random.nextLong(5 * MS);
            if (recent.isEmpty() || random.nextInt(4) == 0)
            {
                final Commands c = Commands.newOrder(nextOrderId++);
                c.accountId = 1 + random.nextInt(ACCOUNTS);
                c.productPairId = 1 + random.nextInt(2);
                c.side = random.nextBoolean() ? Side.Buy : Side.Sell;
                c.quantity(units(1 + random.nextInt(20)));
                if (random.nextInt(10) == 0)
                {
                    c.removedFromBook(true);
                }
                if (random.nextInt(4) == 0)
                {
                    c.timeInForce = TimeInForce.GTD;
                    c.orderExpirationDateTime = time / MS + random.nextInt(20);
                }
                c.receiveTimeNanos = time;
                remember(c);
                return c;
            }
            final int index = recent.size() - 1 - random.nextInt(Math.min(recent.size(), 8));
            final Commands last = recent.get(index);
            final Commands c = last.next();
            c.receiveTimeNanos = time;
            final long quantity = c.quantity;
            switch (random.nextInt(9))
            {
                case 0:
                case 1:
                    if (quantity > 0)
                    {
                        c.trade(random.nextLong(quantity), units(90 + random.nextInt(20)) + random.nextInt(100));
                    }
                    break;
                case 2:
                    c.trade(0, units(100));
                    break;
                case 3:
                    c.link(LinkType.Update).quantity(units(1 + random.nextInt(20)));
                    break;
                case 4:
                    c.link(LinkType.Cancel);
                    break;
                case 5:
                    c.removedFromBook(true);
                    break;
                case 6:
                    c.limitPrice += units(1);
                    break;
                case 7:
                    c.trade(quantity + units(1), units(100)); // refused: a trade cannot raise the quantity
                    break;
                default:
                    final Commands repeat = last.copy();
                    repeat.receiveTimeNanos = time;
                    return repeat;
            }
            recent.set(index, c);
            return c;
        }

        private void remember(final Commands c)
        {
            recent.add(c);
            if (recent.size() > 16)
            {
                recent.remove(0);
            }
        }
    }
}
