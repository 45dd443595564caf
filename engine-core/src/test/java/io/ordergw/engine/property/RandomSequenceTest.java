package io.ordergw.engine.property;

import io.ordergw.engine.SystemTest;
import io.ordergw.codec.sbe.ChangeReason;
import io.ordergw.codec.sbe.LinkType;
import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.codec.sbe.OrderType;
import io.ordergw.codec.sbe.PegPriceType;
import io.ordergw.codec.sbe.Side;
import io.ordergw.codec.sbe.TimeInForce;
import io.ordergw.engine.Commands;
import io.ordergw.engine.EngineHarness;
import io.ordergw.engine.ReferenceModel;
import io.ordergw.engine.book.OrderBook;
import io.ordergw.engine.journal.EventJournal;
import io.ordergw.engine.state.OrderStateMachine;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static io.ordergw.engine.Commands.units;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random command sequences driven through the engine (state machine, journal, book) and the
 * {@link ReferenceModel} (an independent, plain reading of docs/api.md section 5) in lockstep. Every assertion message
 * starts with the seed and the command's index: re-run that seed to reproduce a failure.
 */
@SystemTest
class RandomSequenceTest
{
    private static final int COMMANDS = 4_000;
    private static final long MS = 1_000_000L;
    private static final int[] ACCOUNTS = {7, 8, 9};

    @TempDir
    Path root;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 2L, 3L, 42L, 0xC0FFEEL, 20_260_101L, 1_234_567_890_123L, -7_046_029_254_386_353_131L})
    void engineAgreesWithTheReferenceModel(final long seed)
    {
        // Retention far beyond the run: the model does not retire orders.
        try (EngineHarness engine = new EngineHarness(root.resolve("seed" + seed),
            "ordergw.book.max-retained-terminal-orders = 1000000\nordergw.book.terminal-retention = 3650d\n"))
        {
            final OrderBook book = engine.engine().agent().book();
            final EventJournal journal = engine.engine().context().journal();
            final ReferenceModel model = new ReferenceModel(Commands.SCALE);
            final Generator generator = new Generator(seed);
            final Set<Long> notOnlyTraded = new HashSet<>();
            final Map<Long, long[]> firstEvent = new HashMap<>(); // {receive time, clientOrderId} of its first event
            final Map<ReferenceModel.Outcome, Integer> outcomes = new EnumMap<>(ReferenceModel.Outcome.class);
            final Map<Integer, Integer> refusals = new HashMap<>();

            for (int i = 0; i < COMMANDS; i++)
            {
                final Commands c = generator.next();
                final String where = "seed " + seed + ", command " + i + " (" + generator.lastKind + ", order " +
                    c.orderId + ")";

                final long hashBefore = book.stateHash();
                final long journalBefore = journal.lastSeqNum();
                final ReferenceModel.Order modelPrev = model.order(c.orderId);
                final OrderState prevState = modelPrev == null ? null : modelPrev.state;
                final long prevSeqNum = modelPrev == null ? 0 : modelPrev.seqNum;
                final long prevQuantity = modelPrev == null ? 0 : modelPrev.quantity;

                ReferenceModel.Outcome expected;
                int expectedCode;
                try
                {
                    expected = model.apply(c);
                    expectedCode = model.lastErrorCode();
                }
                catch (final ArithmeticException overflow)
                {
                    // The model has no notion of 100: a fill whose value does not fit a long surfaces as an
                    // exception before it changes anything. docs/api.md: too large to hold is refused with 100.
                    expected = ReferenceModel.Outcome.REFUSED;
                    expectedCode = 100;
                }
                outcomes.merge(expected, 1, Integer::sum);

                final EngineHarness.Reply reply = engine.send(c);
                switch (expected)
                {
                    case EVENT:
                        assertEquals(0, reply.errorCode, () -> where + ": expected an event, got " + reply);
                        assertEquals(journalBefore + 1, reply.seqNum, where + ": the next SeqNum");
                        assertEquals(model.seqNum(), reply.seqNum, where + ": the model's SeqNum");
                        assertEquals(journalBefore + 1, journal.lastSeqNum(), where + ": one event journaled");
                        firstEvent.putIfAbsent(c.orderId, new long[] {c.receiveTimeNanos, c.clientOrderId});
                        generator.accepted(c, model.order(c.orderId).state);
                        break;
                    case REPEAT:
                        assertEquals(0, reply.errorCode, () -> where + ": expected a repeat, got " + reply);
                        assertEquals(prevSeqNum, reply.seqNum, where + ": a repeat answers the order's last SeqNum");
                        assertEquals(journalBefore, journal.lastSeqNum(), where + ": a repeat journals nothing");
                        assertEquals(hashBefore, book.stateHash(), where + ": a repeat changes nothing");
                        break;
                    default:
                        final int code = expectedCode;
                        assertEquals(code, reply.errorCode,
                            () -> where + ": expected refusal " + code + ", got " + reply);
                        assertEquals(0, reply.seqNum, where);
                        assertFalse(reply.detail == null || reply.detail.isEmpty(), where + ": a refusal says why");
                        assertEquals(journalBefore, journal.lastSeqNum(), where + ": a refusal journals nothing");
                        assertEquals(hashBefore, book.stateHash(), where + ": a refusal changes nothing");
                        refusals.merge(code, 1, Integer::sum);
                        break;
                }

                final ReferenceModel.Order modelOrder = model.order(c.orderId);
                final OrderStateEventDecoder engineOrder = engine.order(c.orderId);
                if (modelOrder == null)
                {
                    assertEquals(null, engineOrder, where + ": the engine holds an order the model does not");
                }
                else
                {
                    assertSameOrder(where, modelOrder, engineOrder);
                    final long[] first = firstEvent.get(c.orderId);
                    assertEquals(first[0], engineOrder.receiveTimeNanos(),
                        where + ": ReceiveTime is the first event's");
                    assertEquals(first[1], engineOrder.origClOrdId(), where + ": OrigClOrdId is the first event's");
                    if (expected == ReferenceModel.Outcome.EVENT)
                    {
                        assertEquals(c.receiveTimeNanos, engineOrder.eventTimeNanos(), where + ": LastUpdatedTime");
                        assertEquals(c.clientOrderId, engineOrder.clientOrderId(), where + ": ClientOrderId");
                        assertEquals(prevSeqNum, engineOrder.prevSeqNum(), where + ": prevSeqNum");
                    }
                }

                // Terminal states stay terminal, and the order's last event stays its last.
                if (prevState != null && OrderStateMachine.isTerminal(prevState))
                {
                    assertEquals(prevState, engineOrder.orderState(), where + ": left a terminal state");
                    assertEquals(prevSeqNum, engineOrder.seqNum(), where + ": a terminal order got a new event");
                }

                // An order that only ever traded: what is executed plus what remains is what was ordered.
                if (expected == ReferenceModel.Outcome.EVENT && modelPrev != null &&
                    !onlyTrades(c, prevQuantity))
                {
                    notOnlyTraded.add(c.orderId);
                }
                if (modelOrder != null && !notOnlyTraded.contains(c.orderId))
                {
                    assertEquals(engineOrder.origQuantity(), engineOrder.quantityExecuted() + engineOrder.quantity(),
                        where + ": QuantityExecuted + Quantity != OrigQuantity for an order that only traded");
                }

                assertEquals(model.stateHash(), book.stateHash(), where + ": state hash");
            }

            assertEquals(model.stateHash(), book.stateHash(), "seed " + seed + ": final state hash");
            assertEquals(model.orders().size(), book.size(), "seed " + seed + ": orders held");
            int onlyTraded = 0;
            for (final ReferenceModel.Order o : model.orders().values())
            {
                if (!notOnlyTraded.contains(o.orderId))
                {
                    assertEquals(o.origQuantity, o.quantityExecuted + o.quantity,
                        "seed " + seed + ", order " + o.orderId);
                    onlyTraded += o.quantityExecuted > 0 ? 1 : 0;
                }
            }

            // The journal: SeqNums 1..N, no gap, N = the events the model made; each event links to the order's
            // previous one.
            final List<byte[]> events = engine.journalEvents();
            assertEquals(model.seqNum(), events.size(), "seed " + seed + ": journal length");
            final Map<Long, Long> lastSeqNumOf = new HashMap<>();
            final OrderStateEventDecoder e = new OrderStateEventDecoder();
            for (int i = 0; i < events.size(); i++)
            {
                final byte[] bytes = events.get(i);
                e.wrap(new UnsafeBuffer(bytes), MessageHeaderDecoder.ENCODED_LENGTH,
                    OrderStateEventDecoder.BLOCK_LENGTH, OrderStateEventDecoder.SCHEMA_VERSION);
                assertEquals(i + 1, e.seqNum(), "seed " + seed + ": journal SeqNum at position " + i);
                final Long previous = lastSeqNumOf.put(e.orderId(), e.seqNum());
                assertEquals(previous == null ? 0 : previous, e.prevSeqNum(), "seed " + seed + ": prevSeqNum of " +
                    e.seqNum());
            }

            // The sequence must have exercised what it claims to.
            final String mix = "seed " + seed + ": " + outcomes + " refusals " + refusals + " kinds " + generator.kinds;
            assertTrue(outcomes.getOrDefault(ReferenceModel.Outcome.EVENT, 0) > COMMANDS / 3, mix);
            assertTrue(outcomes.getOrDefault(ReferenceModel.Outcome.REPEAT, 0) > 50, mix);
            assertTrue(refusals.getOrDefault(101, 0) > 100, mix);
            assertTrue(refusals.getOrDefault(104, 0) > 10, mix);
            assertTrue(refusals.getOrDefault(100, 0) > 0, mix);
            assertTrue(onlyTraded > 20, mix + ", orders that only traded: " + onlyTraded);
            final Map<OrderState, Integer> states = new EnumMap<>(OrderState.class);
            for (final ReferenceModel.Order o : model.orders().values())
            {
                states.merge(o.state, 1, Integer::sum);
            }
            for (final OrderState s : new OrderState[] {OrderState.Working, OrderState.Rejected, OrderState.Canceled,
                OrderState.Expired, OrderState.FullyExecuted})
            {
                assertTrue(states.getOrDefault(s, 0) > 5, mix + ", states " + states);
            }
        }
    }

    /** Whether an accepted event kept Quantity + QuantityExecuted = OrigQuantity: a fill, or no quantity change. */
    private static boolean onlyTrades(final Commands c, final long prevQuantity)
    {
        if (c.linkType == LinkType.Update)
        {
            return false;
        }
        final boolean fill = c.counterPartyId != 0 && c.linkType != LinkType.Cancel && c.quantity < prevQuantity;
        return fill || c.quantity == prevQuantity;
    }

    private static void assertSameOrder(
        final String where, final ReferenceModel.Order expected, final OrderStateEventDecoder actual)
    {
        assertNotNull(actual, where + ": the engine lost the order");
        assertEquals(expected.state, actual.orderState(), where + ": OrderState");
        assertEquals(expected.changeReason, actual.changeReason(), where + ": ChangeReason");
        assertEquals(expected.quantity, actual.quantity(), where + ": Quantity");
        assertEquals(expected.origQuantity, actual.origQuantity(), where + ": OrigQuantity");
        assertEquals(expected.quantityExecuted, actual.quantityExecuted(), where + ": QuantityExecuted");
        assertEquals(expected.grossValueExecuted, actual.grossValueExecuted(), where + ": GrossValueExecuted");
        assertEquals(expected.avgPrice, actual.avgPrice(), where + ": AvgPrice");
        assertEquals(expected.seqNum, actual.seqNum(), where + ": SeqNum");
        assertEquals(expected.accountId, actual.accountId(), where + ": AccountId");
    }

    /**
     * Random commands over a small pool of recent orders: new orders, fills, updates, cancels, removals, GTD expiry
     * around its millisecond, explicit states, exact repeats, and deliberately invalid moves.
     */
    private static final class Generator
    {
        final Map<String, Integer> kinds = new HashMap<>();
        String lastKind;
        private final SplittableRandom random;
        private final Map<Long, Commands> lastAccepted = new HashMap<>();
        private final List<Long> pool = new ArrayList<>();
        private final List<Long> open = new ArrayList<>();
        private long nextOrderId = 1;
        private long time = Commands.T0;
        private long correlationId = 1;

        Generator(final long seed)
        {
            random = new SplittableRandom(seed);
        }

        void accepted(final Commands c, final OrderState state)
        {
            if (lastAccepted.put(c.orderId, c) == null)
            {
                pool.add(c.orderId);
                if (pool.size() > 12)
                {
                    open.remove(pool.remove(0)); // a Long: remove(Object)
                }
            }
            final Long orderId = c.orderId;
            if (state != OrderState.Working)
            {
                open.remove(orderId);
            }
            else if (!open.contains(orderId) && pool.contains(orderId))
            {
                open.add(orderId);
            }
        }

        /** Mostly an open order of the pool (to reach long fill sequences), sometimes any (terminal ones too). */
        private long pick()
        {
            if (!open.isEmpty() && random.nextInt(4) != 0)
            {
                return open.get(random.nextInt(open.size()));
            }
            return pool.get(random.nextInt(pool.size()));
        }

        Commands next()
        {
            time += random.nextInt(4) == 0 ? 0 : random.nextLong(3 * MS);
            final Commands c = make();
            c.correlationId = correlationId++;
            kinds.merge(lastKind, 1, Integer::sum);
            return c;
        }

        private Commands make()
        {
            final int roll = random.nextInt(100);
            if (pool.isEmpty() || roll < 16)
            {
                return newOrder();
            }
            if (roll < 19)
            {
                final Commands c = newOrder();
                c.link(random.nextBoolean() ? LinkType.Cancel : LinkType.Update);
                lastKind = "link on unknown order";
                return c;
            }
            final Commands last = lastAccepted.get(pick());
            if (roll < 27)
            {
                lastKind = "exact repeat";
                final Commands c = last.copy();
                c.receiveTimeNanos = time;
                return c;
            }
            final Commands c = last.next();
            c.receiveTimeNanos = time;
            final long quantity = c.quantity;
            if (roll < 42 && quantity > 1)
            {
                lastKind = "partial fill";
                c.trade(random.nextLong(1, quantity), price());
                if (random.nextInt(5) == 0)
                {
                    lastKind = "partial fill, removed";
                    c.removedFromBook(true);
                }
            }
            else if (roll < 48)
            {
                lastKind = "full fill";
                c.trade(0, price());
            }
            else if (roll < 54)
            {
                lastKind = "update";
                c.link(LinkType.Update).quantity(random.nextInt(10) == 0 ? 0 : quantity());
                c.displayQuantity = c.quantity;
            }
            else if (roll < 59)
            {
                lastKind = "cancel";
                c.link(LinkType.Cancel);
                c.reason = random.nextBoolean() ? "" : "user";
            }
            else if (roll < 66)
            {
                lastKind = "removed";
                c.removedFromBook(true);
                if (c.timeInForce == TimeInForce.GTD)
                {
                    // Around the expiry millisecond: before, at, or after the event time.
                    lastKind = "removed GTD";
                    c.orderExpirationDateTime = Math.floorDiv(time, MS) + random.nextInt(3) - 1;
                }
            }
            else if (roll < 72)
            {
                lastKind = "modify";
                c.limitPrice = price();
                c.bestBuyPrice = price();
                c.enteredBy = random.nextInt(3);
                c.exchangeServiceId = random.nextBoolean() ? "" : "svc-" + random.nextInt(3);
                if (random.nextBoolean())
                {
                    c.quantity(random.nextLong(quantity + 1));
                }
            }
            else if (roll < 80)
            {
                lastKind = "explicit state";
                final OrderState[] states = {OrderState.Unknown, OrderState.Working, OrderState.Rejected,
                    OrderState.Canceled, OrderState.Expired, OrderState.FullyExecuted};
                c.state(states[random.nextInt(states.length)]);
                if (c.requestedState == OrderState.FullyExecuted && random.nextBoolean())
                {
                    c.quantity(0);
                }
                if (random.nextBoolean())
                {
                    final ChangeReason[] reasons = ChangeReason.values();
                    c.requestedChangeReason = reasons[random.nextInt(reasons.length - 1)]; // not NULL_VAL
                }
            }
            else if (roll < 86)
            {
                lastKind = "identity change";
                switch (random.nextInt(3))
                {
                    case 0:
                        c.accountId = otherThan(c.accountId);
                        break;
                    case 1:
                        c.productPairId = c.productPairId == 1 ? 2 : 1;
                        break;
                    default:
                        c.side = c.side == Side.Buy ? Side.Sell : Side.Buy;
                        break;
                }
            }
            else if (roll < 92)
            {
                lastKind = "fill raising quantity";
                c.trade(quantity + 1 + random.nextLong(units(5)), price());
            }
            else if (roll < 94)
            {
                // Up to 20 units at 5 * 10^10: a fill of about 2 units or more does not fit a long at scale 8.
                lastKind = "fill overflowing";
                c.trade(0, units(50_000_000_000L));
            }
            else
            {
                // Exactly one request field changes: not a repeat (row 4), so row 13 (or a refusal) decides.
                final int field = random.nextInt(14);
                lastKind = "one field changed (" + field + ")";
                switch (field)
                {
                    case 0:
                        c.enteredBy++;
                        break;
                    case 1:
                        c.clientOrderId++;
                        break;
                    case 2:
                        c.exchangeServiceId = c.exchangeServiceId + "x";
                        break;
                    case 3:
                        c.reason = "why " + random.nextInt(3);
                        break;
                    case 4:
                        c.orderIdOCO++;
                        break;
                    case 5:
                        c.stopPrice++;
                        break;
                    case 6:
                        c.referencePrice++;
                        break;
                    case 7:
                        c.bestSellQuantity++;
                        break;
                    case 8:
                        c.isQuote = !c.isQuote;
                        break;
                    case 9:
                        c.useMargin = !c.useMargin;
                        break;
                    case 10:
                        c.orderFlags ^= 8;
                        break;
                    case 11:
                        c.exchangeId++;
                        break;
                    case 12:
                        c.pegPriceType = c.pegPriceType == PegPriceType.Last ? PegPriceType.Bid : PegPriceType.Last;
                        break;
                    default:
                        c.displayQuantity = c.displayQuantity == 0 ? c.quantity : c.displayQuantity - 1;
                        break;
                }
                if (c.exchangeServiceId.length() > 60)
                {
                    c.exchangeServiceId = "";
                }
            }
            return c;
        }

        private Commands newOrder()
        {
            lastKind = "new order";
            final Commands c = Commands.newOrder(nextOrderId++);
            c.receiveTimeNanos = time;
            c.accountId = ACCOUNTS[random.nextInt(ACCOUNTS.length)];
            c.productPairId = 1 + random.nextInt(2);
            c.side = random.nextInt(3) == 0 ? Side.Sell : random.nextInt(10) == 0 ? Side.Short : Side.Buy;
            c.orderType = random.nextInt(4) == 0 ? OrderType.Market : OrderType.Limit;
            c.pegPriceType = PegPriceType.Unknown;
            c.clientOrderId = random.nextInt(1_000);
            c.quantity = quantity();
            c.displayQuantity = random.nextLong(c.quantity + 1);
            c.limitPrice = price();
            switch (random.nextInt(4))
            {
                case 0:
                    c.timeInForce = TimeInForce.GTD;
                    c.orderExpirationDateTime = Math.floorDiv(time, MS) + random.nextInt(20);
                    break;
                case 1:
                    c.timeInForce = TimeInForce.IOC;
                    break;
                default:
                    c.timeInForce = TimeInForce.GTC;
                    break;
            }
            if (random.nextInt(12) == 0)
            {
                lastKind = "new order, removed";
                c.removedFromBook(true);
            }
            if (random.nextInt(15) == 0)
            {
                lastKind = "new order, explicit state";
                c.state(random.nextBoolean() ? OrderState.Rejected : OrderState.Canceled);
            }
            return c;
        }

        /** A quantity: whole units, or units with up to 8 decimal places. */
        private long quantity()
        {
            return random.nextBoolean() ? units(1 + random.nextInt(20)) : 1 + random.nextLong(units(20));
        }

        /** A price around 100, often with all 8 decimal places, so that values and averages round. */
        private long price()
        {
            return random.nextBoolean() ? units(95 + random.nextInt(10)) : units(95) + random.nextLong(units(10));
        }

        private int otherThan(final int accountId)
        {
            int other;
            do
            {
                other = ACCOUNTS[random.nextInt(ACCOUNTS.length)];
            }
            while (other == accountId);
            return other;
        }
    }
}
