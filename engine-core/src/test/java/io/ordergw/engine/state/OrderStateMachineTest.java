package io.ordergw.engine.state;

import io.ordergw.codec.ApexError;
import io.ordergw.codec.sbe.BooleanType;
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
import io.ordergw.engine.book.OrderRecord;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.ordergw.engine.Commands.ADDED_TO_BOOK;
import static io.ordergw.engine.Commands.REMOVED_FROM_BOOK;
import static io.ordergw.engine.Commands.T0;
import static io.ordergw.engine.Commands.dec;
import static io.ordergw.engine.Commands.units;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table of docs/api.md section 5, one test per row (rows 1-13), then one test per explicit {@code orderState} move.
 * The state machine is driven directly, as a pure function: each accepted event is kept as the order's latest event
 * and handed back as {@code prev} for the next command, as the engine does with the book.
 */
class OrderStateMachineTest
{
    private static final int SCALE = Commands.SCALE;
    private static final long T0_MS = T0 / 1_000_000L;
    private static final long MS = 1_000_000L;
    private static final int POST_ONLY = 8;
    private static final int NO_ACCOUNT_RISK_CHECK = 1;

    private final OrderStateMachine machine = new OrderStateMachine(SCALE);
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[OrderRecord.MAX_EVENT_LENGTH]);
    private final Map<Long, byte[]> latest = new HashMap<>();
    private long lastSeqNum;

    // ---------------------------------------------------------------------------------------------------------------
    // Rows 1-3: the book does not hold the order.
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void row01_cancelOrUpdateOfUnknownOrderIsRefused104()
    {
        assertRefused(Commands.newOrder(5).link(LinkType.Cancel), ApexError.NOT_FOUND, "orderId");
        assertTrue(machine.detail().toString().contains("5"), machine.detail()::toString);
        assertRefused(Commands.newOrder(5).link(LinkType.Update), ApexError.NOT_FOUND, "orderId");

        // Row 1 is about the link, not the flags: an unknown order with RemovedFromBook and a cancel is still 104.
        assertRefused(Commands.newOrder(5).link(LinkType.Cancel).removedFromBook(true), ApexError.NOT_FOUND, "orderId");
        // And an explicit orderState does not turn a 104 into an event.
        assertRefused(Commands.newOrder(5).link(LinkType.Update).state(OrderState.Working), ApexError.NOT_FOUND,
            "orderId");
    }

    @Test
    void row02_newOrderRemovedFromBookIsRejected()
    {
        final Commands c = richOrder(2).removedFromBook(true);
        c.reason = "price outside collar";
        final OrderStateEventDecoder e = accept(c);

        assertEquals(OrderState.Rejected, e.orderState());
        assertEquals(ChangeReason.NewInputRejected, e.changeReason());
        assertEquals(c.quantity, e.origQuantity());
        assertEquals(c.quantity, e.quantity());
        assertEquals(0, e.quantityExecuted());
        assertEquals(0, e.grossValueExecuted());
        assertEquals(0, e.avgPrice());
        assertFirstEvent(c, e);
        assertCarriesRequest(c, event(2));
    }

    @Test
    void row03_newOrderIsWorking()
    {
        final Commands c = richOrder(3);
        final OrderStateEventDecoder e = accept(c);

        assertEquals(OrderState.Working, e.orderState());
        assertEquals(ChangeReason.NewInputAccepted, e.changeReason());
        assertEquals(dec("12.5"), e.origQuantity());
        assertEquals(dec("12.5"), e.quantity());
        assertEquals(0, e.quantityExecuted());
        assertEquals(0, e.grossValueExecuted());
        assertEquals(0, e.avgPrice());
        assertFirstEvent(c, e);
        assertCarriesRequest(c, event(3));

        // A new order that names a counterparty is still just a new order: no fill without a previous quantity.
        final Commands withCounterParty = Commands.newOrder(31).trade(units(4), units(100));
        final OrderStateEventDecoder w = accept(withCounterParty);
        assertEquals(OrderState.Working, w.orderState());
        assertEquals(ChangeReason.NewInputAccepted, w.changeReason());
        assertEquals(units(4), w.origQuantity());
        assertEquals(0, w.quantityExecuted());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Row 4: an exact repeat.
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void row04_exactRepeatIsAcknowledgedAgainWithNoNewEvent()
    {
        final Commands order = richOrder(4);
        accept(order);

        // Operators retry after time-outs: the retry differs in receive time (and correlation/session), nothing else.
        final Commands retry = order.copy();
        retry.receiveTimeNanos += 5_000 * MS;
        retry.correlationId += 1;
        retry.sessionId += 1;
        assertRepeat(retry);

        // A repeated trade must not fill twice.
        final Commands fill = order.next().trade(dec("10.5"), units(101));
        final OrderStateEventDecoder filled = accept(fill);
        assertEquals(dec("2"), filled.quantityExecuted());
        final Commands fillRetry = fill.copy();
        fillRetry.receiveTimeNanos += 7 * MS;
        assertRepeat(fillRetry);
        assertEquals(dec("2"), event(4).quantityExecuted(), "the repeat changed nothing");

        // Only the LAST event counts: repeating an earlier one is a new event (here a row 13 modification).
        final Commands stale = order.copy();
        stale.receiveTimeNanos = fill.receiveTimeNanos + MS;
        assertEquals(OrderStateMachine.EVENT, decide(stale));

        // Row 4 comes before row 5: the event that made the order terminal is acknowledged again, not refused.
        final Commands last = fill.next().trade(0, units(102));
        assertEquals(OrderState.FullyExecuted, accept(last).orderState());
        final Commands lastRetry = last.copy();
        lastRetry.receiveTimeNanos += 60_000 * MS;
        assertRepeat(lastRetry);

        // So is the request that created a Rejected order.
        final Commands rejected = Commands.newOrder(41).removedFromBook(true);
        accept(rejected);
        final Commands rejectedRetry = rejected.copy();
        rejectedRetry.receiveTimeNanos += MS;
        assertRepeat(rejectedRetry);
    }

    @Test
    void row04_changingAnySingleRequestFieldIsNotARepeat()
    {
        final Commands order = richOrder(4);
        accept(order);
        // The order's latest event is a modification, so that every field has a non-default value to change.
        final Commands last = order.next();
        last.limitPrice = dec("101.25");
        last.requestedChangeReason = ChangeReason.UserModified;
        last.reason = "moved";
        accept(last);

        final Map<String, Consumer<Commands>> changes = new LinkedHashMap<>();
        changes.put("exchangeId", c -> c.exchangeId++);
        changes.put("omsId", c -> c.omsId++);
        changes.put("clientOrderId", c -> c.clientOrderId++);
        changes.put("accountId", c -> c.accountId++);
        changes.put("productPairId", c -> c.productPairId++);
        changes.put("orderType", c -> c.orderType = OrderType.Limit);
        changes.put("side", c -> c.side = Side.Buy);
        changes.put("timeInForce", c -> c.timeInForce = TimeInForce.GTC);
        changes.put("pegPriceType", c -> c.pegPriceType = PegPriceType.Ask);
        changes.put("quantity", c -> c.quantity -= 1);
        changes.put("displayQuantity", c -> c.displayQuantity -= 1);
        changes.put("limitPrice", c -> c.limitPrice += 1);
        changes.put("stopPrice", c -> c.stopPrice += 1);
        changes.put("referencePrice", c -> c.referencePrice += 1);
        changes.put("orderExpirationDateTime", c -> c.orderExpirationDateTime += 1);
        changes.put("orderIdOCO", c -> c.orderIdOCO += 1);
        changes.put("orderFlags", c -> c.orderFlags ^= POST_ONLY);
        changes.put("linkType", c -> c.linkType = LinkType.Update);
        changes.put("exchangeServiceId (same length)", c -> c.exchangeServiceId = "svc-B");
        changes.put("exchangeServiceId (longer)", c -> c.exchangeServiceId = "svc-A2");
        changes.put("orderId", c -> c.orderId += 100);
        changes.put("enteredBy", c -> c.enteredBy++);
        changes.put("counterPartyId", c -> c.counterPartyId = 5);
        changes.put("isQuote", c -> c.isQuote = !c.isQuote);
        changes.put("useMargin", c -> c.useMargin = !c.useMargin);
        changes.put("bestSellPrice", c -> c.bestSellPrice += 1);
        changes.put("bestSellQuantity", c -> c.bestSellQuantity += 1);
        changes.put("bestBuyPrice", c -> c.bestBuyPrice += 1);
        changes.put("bestBuyQuantity", c -> c.bestBuyQuantity += 1);
        changes.put("lastTradePrice", c -> c.lastTradePrice += 1);
        changes.put("requestedState", c -> c.requestedState = OrderState.Working);
        changes.put("requestedChangeReason", c -> c.requestedChangeReason = ChangeReason.Unknown);
        changes.put("reason (same length)", c -> c.reason = "mOved");
        changes.put("reason (empty)", c -> c.reason = "");

        final List<Executable> checks = new ArrayList<>();
        for (final Map.Entry<String, Consumer<Commands>> change : changes.entrySet())
        {
            checks.add(() ->
            {
                final Commands changed = last.copy();
                changed.receiveTimeNanos += MS;
                change.getValue().accept(changed);
                final int result = decide(changed);
                assertNotEquals(OrderStateMachine.REPEAT, result, change.getKey() + " changed, yet taken as a repeat");
            });
        }
        assertAll(checks);

        // The control: only the receive time changed, so it is a repeat.
        final Commands sameAgain = last.copy();
        sameAgain.receiveTimeNanos += 3 * MS;
        assertRepeat(sameAgain);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Rows 5-13: the book holds the order.
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void row05_terminalOrderRefusesAnythingElse101()
    {
        final Map<OrderState, Commands> terminal = terminalOrders();
        for (final Map.Entry<OrderState, Commands> entry : terminal.entrySet())
        {
            final Commands last = entry.getValue();
            assertEquals(entry.getKey(), event(last.orderId).orderState());

            final Commands modify = last.next();
            modify.limitPrice += units(1);
            assertRefused(modify, ApexError.OPERATION_FAILED, "orderState");
            assertTrue(machine.detail().toString().contains(entry.getKey().name()), machine.detail()::toString);

            // Even the moves that would be legal on an open order, and a cancel (101, not 104: the order is known).
            // Each differs from the last event by its reason, so that none is an exact repeat (row 4).
            assertRefused(withReason(last.next().link(LinkType.Cancel)), ApexError.OPERATION_FAILED, "orderState");
            assertRefused(withReason(last.next().link(LinkType.Update)), ApexError.OPERATION_FAILED, "orderState");
            assertRefused(withReason(last.next().trade(0, units(100))), ApexError.OPERATION_FAILED, "orderState");
            // Row 5 before row 6: an identity change of a terminal order is reported as the terminal state.
            final Commands otherAccount = last.next();
            otherAccount.accountId = 8;
            assertRefused(otherAccount, ApexError.OPERATION_FAILED, "orderState");
        }
    }

    @Test
    void row06_accountInstrumentOrSideChangeOfOpenOrderIsRefused101()
    {
        final Commands order = Commands.newOrder(6);
        accept(order);

        final Commands account = order.next();
        account.accountId = 8;
        assertRefused(account, ApexError.OPERATION_FAILED, "accountId");

        final Commands instrument = order.next();
        instrument.productPairId = 2;
        assertRefused(instrument, ApexError.OPERATION_FAILED, "productPairId");

        final Commands side = order.next();
        side.side = Side.Sell;
        assertRefused(side, ApexError.OPERATION_FAILED, "side");

        // Row 6 comes before row 7: a cancel cannot smuggle in another account either.
        final Commands cancelElsewhere = order.next().link(LinkType.Cancel);
        cancelElsewhere.accountId = 8;
        assertRefused(cancelElsewhere, ApexError.OPERATION_FAILED, "accountId");

        // The order is untouched and still open.
        final OrderStateEventDecoder unchanged = event(6);
        assertEquals(OrderState.Working, unchanged.orderState());
        assertEquals(7, unchanged.accountId());
        assertEquals(OrderState.Canceled, accept(order.next().link(LinkType.Cancel)).orderState());
    }

    @Test
    void row07_cancelLinkCancelsWithUserModified()
    {
        final Commands order = Commands.newOrder(7);
        final OrderStateEventDecoder first = accept(order);
        final Commands fill = order.next().trade(units(6), units(100));
        accept(fill);

        final Commands cancel = fill.next().link(LinkType.Cancel);
        cancel.reason = "user asked";
        final OrderStateEventDecoder e = accept(cancel);
        assertEquals(OrderState.Canceled, e.orderState());
        assertEquals(ChangeReason.UserModified, e.changeReason());
        assertEquals(units(10), e.origQuantity(), "OrigQuantity kept");
        assertEquals(units(4), e.quantityExecuted(), "fills kept");
        assertEquals(units(400), e.grossValueExecuted());
        assertEquals(units(100), e.avgPrice());
        assertEquals(units(6), e.quantity());
        assertLaterEvent(first, e, cancel);
        assertCarriesRequest(cancel, event(7));
        assertEquals("user asked", readReason(event(7)), "the CancelReason");

        // Row 7 before row 8: a cancel that also reports a fill is a cancel; nothing is executed.
        final Commands order2 = Commands.newOrder(71);
        accept(order2);
        final OrderStateEventDecoder e2 = accept(order2.next().link(LinkType.Cancel).trade(units(3), units(100)));
        assertEquals(OrderState.Canceled, e2.orderState());
        assertEquals(ChangeReason.UserModified, e2.changeReason());
        assertEquals(0, e2.quantityExecuted());
        assertEquals(0, e2.grossValueExecuted());
    }

    @Test
    void row08_tradeThenWorking()
    {
        final Commands order = Commands.newOrder(8);
        order.clientOrderId = 800;
        final OrderStateEventDecoder first = accept(order);

        final Commands fill = order.next().trade(units(6), units(100));
        fill.clientOrderId = 801;
        final OrderStateEventDecoder e = accept(fill);
        assertEquals(OrderState.Working, e.orderState());
        assertEquals(ChangeReason.Trade, e.changeReason());
        assertEquals(units(6), e.quantity());
        assertEquals(units(10), e.origQuantity());
        assertEquals(units(4), e.quantityExecuted());
        assertEquals(units(400), e.grossValueExecuted());
        assertEquals(units(100), e.avgPrice());
        assertEquals(99, e.counterPartyId());
        assertEquals(units(100), e.lastTradePrice());
        assertLaterEvent(first, e, fill);
        assertCarriesRequest(fill, event(8));

        // A second fill at another price: the totals accumulate and the average is volume-weighted
        // ((4 * 100 + 2 * 103) / 6 = 101, where the plain mean of the two prices would be 101.5).
        final Commands fill2 = fill.next().trade(units(4), units(103));
        final OrderStateEventDecoder e2 = accept(fill2);
        assertEquals(OrderState.Working, e2.orderState());
        assertEquals(ChangeReason.Trade, e2.changeReason());
        assertEquals(units(6), e2.quantityExecuted());
        assertEquals(units(606), e2.grossValueExecuted());
        assertEquals(units(101), e2.avgPrice());
        assertEquals(units(10), e2.origQuantity());
        assertEquals(e.seqNum(), e2.prevSeqNum());
        assertEquals(order.receiveTimeNanos, e2.receiveTimeNanos());
        assertEquals(800, e2.origClOrdId());
    }

    @Test
    void row08_tradeToZeroIsFullyExecuted()
    {
        final Commands order = Commands.newOrder(81);
        accept(order);
        final Commands fill = order.next().trade(0, units(100));
        final OrderStateEventDecoder e = accept(fill);
        assertEquals(OrderState.FullyExecuted, e.orderState());
        assertEquals(ChangeReason.Trade, e.changeReason());
        assertEquals(0, e.quantity());
        assertEquals(units(10), e.quantityExecuted());
        assertEquals(units(1000), e.grossValueExecuted());
        assertEquals(units(100), e.avgPrice());

        // Quantity 0 wins over RemovedFromBook: the order is FullyExecuted, not Canceled.
        final Commands order2 = Commands.newOrder(82);
        accept(order2);
        final OrderStateEventDecoder e2 = accept(order2.next().trade(0, units(100)).removedFromBook(true));
        assertEquals(OrderState.FullyExecuted, e2.orderState());
        assertEquals(ChangeReason.Trade, e2.changeReason());
    }

    @Test
    void row08_tradeRemovedFromBookIsCanceled()
    {
        final Commands order = Commands.newOrder(83);
        accept(order);
        // An IOC remainder: part filled, the rest taken off the book in the same event.
        final Commands fill = order.next().trade(units(7), units(100)).removedFromBook(true);
        final OrderStateEventDecoder e = accept(fill);
        assertEquals(OrderState.Canceled, e.orderState());
        assertEquals(ChangeReason.Trade, e.changeReason());
        assertEquals(units(3), e.quantityExecuted());
        assertEquals(units(300), e.grossValueExecuted());
        assertEquals(units(7), e.quantity());

        // Row 8 before row 11: an expired GTD order that also trades is a Canceled trade, not Expired.
        final Commands gtd = Commands.newOrder(84);
        gtd.timeInForce = TimeInForce.GTD;
        gtd.orderExpirationDateTime = T0_MS;
        accept(gtd);
        final OrderStateEventDecoder e2 = accept(gtd.next().trade(units(9), units(100)).removedFromBook(true));
        assertEquals(OrderState.Canceled, e2.orderState());
        assertEquals(ChangeReason.Trade, e2.changeReason());
    }

    @Test
    void row08_avgPriceIsVolumeWeightedOverTwoFillsRoundedHalfEven()
    {
        // 1 @ 1, then 2 @ 2: 5 / 3 = 1.666666666... -> 1.66666667.
        final Commands a = Commands.newOrder(85);
        accept(a);
        final Commands a1 = a.next().trade(units(9), units(1));
        accept(a1);
        final OrderStateEventDecoder ea = accept(a1.next().trade(units(7), units(2)));
        assertEquals(units(3), ea.quantityExecuted());
        assertEquals(units(5), ea.grossValueExecuted());
        assertEquals(dec("1.66666667"), ea.avgPrice());

        // 1 @ 100.00000001, then 1 @ 100: the average 100.000000005 is a tie; half-even keeps the even 100.00000000
        // (half-up would give 100.00000001).
        final Commands b = Commands.newOrder(86);
        accept(b);
        final Commands b1 = b.next().trade(units(9), dec("100.00000001"));
        final OrderStateEventDecoder eb1 = accept(b1);
        assertEquals(dec("100.00000001"), eb1.avgPrice());
        final OrderStateEventDecoder eb2 = accept(b1.next().trade(units(8), units(100)));
        assertEquals(dec("200.00000001"), eb2.grossValueExecuted());
        assertEquals(units(100), eb2.avgPrice());

        // Products round half-even too: 0.5 @ 0.00000001 = 0.000000005 -> 0; 0.5 @ 0.00000003 = 0.000000015 ->
        // 0.00000002. Half-up would give 0.00000001 and then 0.00000003.
        final Commands c = Commands.newOrder(87).quantity(units(1));
        accept(c);
        final Commands c1 = c.next().trade(dec("0.5"), dec("0.00000001"));
        final OrderStateEventDecoder ec1 = accept(c1);
        assertEquals(0, ec1.grossValueExecuted());
        assertEquals(0, ec1.avgPrice());
        final OrderStateEventDecoder ec2 = accept(c1.next().trade(0, dec("0.00000003")));
        assertEquals(OrderState.FullyExecuted, ec2.orderState());
        assertEquals(units(1), ec2.quantityExecuted());
        assertEquals(dec("0.00000002"), ec2.grossValueExecuted());
        assertEquals(dec("0.00000002"), ec2.avgPrice());
    }

    @Test
    void row08_fillWhoseValueOverflowsIsRefused100()
    {
        // 10^6 units at 10^10: 10^16 does not fit a long at scale 8 (about 9.2 * 10^10 units).
        final Commands big = Commands.newOrder(88).quantity(units(1_000_000));
        accept(big);
        assertRefused(big.next().trade(units(1), units(10_000_000_000L)), ApexError.INVALID_REQUEST, "lastTradePrice");

        // Each fill fits, their sum does not.
        final Commands b = Commands.newOrder(89).quantity(units(300_000));
        accept(b);
        final Commands b1 = b.next().trade(units(200_000), units(500_000)); // 5 * 10^10 units
        accept(b1);
        assertRefused(b1.next().trade(units(100_000), units(500_000)), ApexError.INVALID_REQUEST, "lastTradePrice");
        final OrderStateEventDecoder after = event(89);
        assertEquals(units(100_000), after.quantityExecuted(), "the refused fill left the order as it was");
        assertEquals(units(200_000), after.quantity());
    }

    @Test
    void row08_averagePriceOrExecutedQuantityThatOverflowsIsRefused100()
    {
        // The largest price there is, for the smallest fill: the value rounds up to 92233720369 * 10^-8 and the
        // average, that value over 10^-8, no longer fits a long. It must be refused, not published as a negative.
        final Commands a = Commands.newOrder(90).quantity(units(1));
        accept(a);
        assertRefused(a.next().trade(units(1) - 1, Long.MAX_VALUE), ApexError.INVALID_REQUEST, "lastTradePrice");
        assertEquals(0, event(90).quantityExecuted());

        // Fills at price 0 cost nothing, so only the executed quantity can overflow.
        final long huge = 9_000_000_000_000_000_000L;
        final Commands b = Commands.newOrder(91).quantity(huge);
        accept(b);
        final Commands b1 = b.next().trade(1, 0);
        assertEquals(huge - 1, accept(b1).quantityExecuted());
        final Commands raised = b1.next().quantity(huge); // row 13: the quantity is raised without a trade
        accept(raised);
        assertRefused(raised.next().trade(0, 0), ApexError.INVALID_REQUEST, "quantity");
        assertEquals(huge - 1, event(91).quantityExecuted());
        assertTrue(event(91).quantityExecuted() > 0);
    }

    @Test
    void row10_updateWhoseOrigQuantityOverflowsIsRefused100()
    {
        final long huge = 9_000_000_000_000_000_000L;
        final Commands order = Commands.newOrder(92).quantity(huge);
        accept(order);
        final Commands fill = order.next().trade(1, 0);
        accept(fill);
        // OrigQuantity = QuantityExecuted (huge - 1) + quantity: does not fit a long.
        assertRefused(fill.next().link(LinkType.Update).quantity(huge), ApexError.INVALID_REQUEST, "quantity");
        assertEquals(huge, event(92).origQuantity());
        // The largest that fits is accepted.
        final OrderStateEventDecoder e =
            accept(fill.next().link(LinkType.Update).quantity(Long.MAX_VALUE - (huge - 1)));
        assertEquals(Long.MAX_VALUE, e.origQuantity());
    }

    @Test
    void row09_tradeRaisingQuantityIsRefused101()
    {
        final Commands order = Commands.newOrder(9);
        accept(order);
        assertRefused(order.next().trade(units(11), units(100)), ApexError.OPERATION_FAILED, "quantity");

        // Row 9 before row 10: an Update cannot raise the quantity while reporting a trade.
        assertRefused(order.next().trade(units(12), units(100)).link(LinkType.Update), ApexError.OPERATION_FAILED,
            "quantity");

        // Without a counterparty, a higher quantity is not a trade, so row 9 does not apply.
        final OrderStateEventDecoder e = accept(order.next().quantity(units(11)));
        assertEquals(OrderState.Working, e.orderState());
        assertEquals(ChangeReason.Unknown, e.changeReason());
    }

    @Test
    void row10_updateIsWorkingWithOrigQuantityExecutedPlusRemaining()
    {
        final Commands order = Commands.newOrder(10);
        accept(order);
        final Commands fill = order.next().trade(units(6), units(100));
        final OrderStateEventDecoder filled = accept(fill);

        final Commands update = fill.next().link(LinkType.Update).quantity(units(8));
        update.limitPrice = units(99);
        final OrderStateEventDecoder e = accept(update);
        assertEquals(OrderState.Working, e.orderState());
        assertEquals(ChangeReason.UserModified, e.changeReason());
        assertEquals(units(12), e.origQuantity(), "QuantityExecuted 4 + quantity 8");
        assertEquals(units(8), e.quantity());
        assertEquals(units(4), e.quantityExecuted());
        assertEquals(units(400), e.grossValueExecuted());
        assertEquals(units(100), e.avgPrice());
        assertLaterEvent(filled, e, update);
        assertCarriesRequest(update, event(10));

        // Row 8 before row 10: an Update that reports a fill is a trade.
        final OrderStateEventDecoder traded = accept(update.next().link(LinkType.Update).trade(units(5), units(100)));
        assertEquals(ChangeReason.Trade, traded.changeReason());
        assertEquals(units(7), traded.quantityExecuted());
        assertEquals(units(12), traded.origQuantity());

        // Row 10 before rows 11-12: an Update that is also RemovedFromBook stays Working.
        final OrderStateEventDecoder stays = accept(update.next().link(LinkType.Update).quantity(units(2))
            .removedFromBook(true));
        assertEquals(OrderState.Working, stays.orderState());
        assertEquals(ChangeReason.UserModified, stays.changeReason());
        assertEquals(units(9), stays.origQuantity());
    }

    @Test
    void row11_gtdRemovedAtExpiryIsExpired()
    {
        // Expiry exactly equal to the event time.
        final Commands order = gtdOrder(11, T0_MS + 1_000);
        accept(order);
        final Commands removal = order.next().removedFromBook(true);
        removal.receiveTimeNanos = (T0_MS + 1_000) * MS;
        final OrderStateEventDecoder e = accept(removal);
        assertEquals(OrderState.Expired, e.orderState());
        assertEquals(ChangeReason.Expired, e.changeReason());
        assertEquals(units(10), e.quantity());
        assertEquals(units(10), e.origQuantity());

        // Event time is compared in whole milliseconds: 999,999 ns into the expiry millisecond still expires.
        final Commands order2 = gtdOrder(111, T0_MS + 1_000);
        accept(order2);
        final Commands late = order2.next().removedFromBook(true);
        late.receiveTimeNanos = (T0_MS + 1_000) * MS + 999_999;
        assertEquals(OrderState.Expired, accept(late).orderState());

        // Long past expiry.
        final Commands order3 = gtdOrder(112, T0_MS - 60_000);
        accept(order3);
        assertEquals(OrderState.Expired, accept(order3.next().removedFromBook(true)).orderState());
    }

    @Test
    void row11vs12_expiryOneMsAfterEventTimeCancels()
    {
        final Commands order = gtdOrder(12, T0_MS + 1_001);
        accept(order);
        final Commands removal = order.next().removedFromBook(true);
        removal.receiveTimeNanos = (T0_MS + 1_000) * MS + 999_999;
        final OrderStateEventDecoder e = accept(removal);
        assertEquals(OrderState.Canceled, e.orderState());
        assertEquals(ChangeReason.SystemCanceled_NoMoreMarket, e.changeReason());
    }

    @Test
    void row12_removedFromBookIsSystemCanceled()
    {
        final Commands order = Commands.newOrder(120);
        final OrderStateEventDecoder first = accept(order);
        final Commands removal = order.next().removedFromBook(true);
        removal.reason = "no more market";
        final OrderStateEventDecoder e = accept(removal);
        assertEquals(OrderState.Canceled, e.orderState());
        assertEquals(ChangeReason.SystemCanceled_NoMoreMarket, e.changeReason());
        assertEquals(units(10), e.quantity());
        assertEquals(0, e.quantityExecuted());
        assertLaterEvent(first, e, removal);
        assertCarriesRequest(removal, event(120));

        // GTD with no expiry (0) is not expired.
        final Commands noExpiry = gtdOrder(121, 0);
        accept(noExpiry);
        assertEquals(OrderState.Canceled, accept(noExpiry.next().removedFromBook(true)).orderState());
    }

    @Test
    void row12_nonGtdRemovedFromBookCancelsEvenPastItsExpiryTime()
    {
        for (final TimeInForce tif : new TimeInForce[] {TimeInForce.GTC, TimeInForce.IOC, TimeInForce.OPG,
            TimeInForce.FOK, TimeInForce.GTX})
        {
            final Commands order = Commands.newOrder(1200 + tif.value());
            order.timeInForce = tif;
            order.orderExpirationDateTime = T0_MS - 1;
            accept(order);
            final OrderStateEventDecoder e = accept(order.next().removedFromBook(true));
            assertEquals(OrderState.Canceled, e.orderState(), tif.name());
            assertEquals(ChangeReason.SystemCanceled_NoMoreMarket, e.changeReason(), tif.name());
        }
    }

    @Test
    void row13_otherFieldChangesKeepWorkingWithTheNewValues()
    {
        final Commands order = richOrder(13);
        final OrderStateEventDecoder first = accept(order);

        final Commands modify = order.next();
        modify.clientOrderId = 556;
        modify.limitPrice = dec("101.5");
        modify.stopPrice = dec("99.75");
        modify.displayQuantity = dec("1");
        modify.referencePrice = dec("100.5");
        modify.orderExpirationDateTime += 1_000;
        modify.orderIdOCO = 78;
        modify.pegPriceType = PegPriceType.Midpoint;
        modify.orderType = OrderType.Limit;
        modify.bestSellPrice = dec("101.6");
        modify.bestSellQuantity = dec("7");
        modify.bestBuyPrice = dec("101.4");
        modify.bestBuyQuantity = dec("8");
        modify.lastTradePrice = dec("101.45");
        modify.enteredBy = 43;
        modify.exchangeId = 4;
        modify.exchangeServiceId = "svc-Z";
        modify.isQuote = false;
        modify.useMargin = false;
        modify.orderFlags = ADDED_TO_BOOK;
        modify.reason = "replaced";
        final OrderStateEventDecoder e = accept(modify);
        assertEquals(OrderState.Working, e.orderState());
        assertEquals(ChangeReason.Unknown, e.changeReason());
        assertEquals(dec("12.5"), e.origQuantity());
        assertEquals(0, e.quantityExecuted());
        assertEquals(555, e.origClOrdId(), "OrigClOrdId is the first event's ClientOrderId");
        assertLaterEvent(first, e, modify);
        assertCarriesRequest(modify, event(13));

        // A counterparty with no fill (quantity unchanged) is not a trade: row 13, nothing executed.
        final OrderStateEventDecoder noFill = accept(modify.next().trade(modify.quantity, dec("101.45")));
        assertEquals(OrderState.Working, noFill.orderState());
        assertEquals(ChangeReason.Unknown, noFill.changeReason());
        assertEquals(0, noFill.quantityExecuted());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Explicit orderState / changeReason.
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void explicit_noneToWorkingIsAllowed()
    {
        // Overrides row 2: a new order flagged RemovedFromBook is put to Working when asked.
        final Commands c = Commands.newOrder(20).removedFromBook(true).state(OrderState.Working);
        final OrderStateEventDecoder e = accept(c);
        assertEquals(OrderState.Working, e.orderState());
        // Only the state is replaced: the row's reason stays unless changeReason is given too.
        assertEquals(ChangeReason.NewInputRejected, e.changeReason());
        assertEquals(units(10), e.origQuantity());
        assertCarriesRequest(c, event(20));
        // And it really is open: a cancel is accepted.
        assertEquals(OrderState.Canceled, accept(c.next().removedFromBook(false).link(LinkType.Cancel)).orderState());
    }

    @Test
    void explicit_noneToRejectedIsAllowed()
    {
        final Commands c = Commands.newOrder(21).state(OrderState.Rejected);
        c.requestedChangeReason = ChangeReason.OtherRejected;
        c.reason = "risk";
        final OrderStateEventDecoder e = accept(c);
        assertEquals(OrderState.Rejected, e.orderState());
        assertEquals(ChangeReason.OtherRejected, e.changeReason());
        assertCarriesRequest(c, event(21));
        // Rejected is terminal.
        assertRefused(c.next().link(LinkType.Cancel), ApexError.OPERATION_FAILED, "orderState");
    }

    @Test
    void explicit_noneToCanceledExpiredFullyExecutedOrUnknownIsRefused101()
    {
        for (final OrderState to : new OrderState[] {OrderState.Canceled, OrderState.Expired, OrderState.FullyExecuted,
            OrderState.Unknown})
        {
            final Commands c = Commands.newOrder(22).state(to);
            if (to == OrderState.FullyExecuted)
            {
                c.quantity(0);
            }
            assertRefused(c, ApexError.OPERATION_FAILED, "orderState");
            assertTrue(machine.detail().toString().contains(to.name()), machine.detail()::toString);
        }
    }

    @Test
    void explicit_workingToWorkingIsAllowed()
    {
        final Commands order = Commands.newOrder(23);
        accept(order);
        // Overrides row 12: removed from the book, but the operator says it still works.
        final Commands c = order.next().removedFromBook(true).state(OrderState.Working);
        final OrderStateEventDecoder e = accept(c);
        assertEquals(OrderState.Working, e.orderState());
        assertEquals(ChangeReason.SystemCanceled_NoMoreMarket, e.changeReason(), "the row's reason");
        assertCarriesRequest(c, event(23));
    }

    @Test
    void explicit_workingToCanceledIsAllowed()
    {
        final Commands order = Commands.newOrder(24);
        accept(order);
        final Commands c = order.next().state(OrderState.Canceled);
        final OrderStateEventDecoder e = accept(c);
        assertEquals(OrderState.Canceled, e.orderState());
        assertEquals(ChangeReason.Unknown, e.changeReason(), "the row's (13) reason");
        assertCarriesRequest(c, event(24));

        // Fills still follow the table: a partial fill asked to be Canceled is a Canceled order with the fill.
        final Commands order2 = Commands.newOrder(241);
        accept(order2);
        final OrderStateEventDecoder e2 = accept(order2.next().trade(units(6), units(100)).state(OrderState.Canceled));
        assertEquals(OrderState.Canceled, e2.orderState());
        assertEquals(ChangeReason.Trade, e2.changeReason());
        assertEquals(units(4), e2.quantityExecuted());
        assertEquals(units(400), e2.grossValueExecuted());
    }

    @Test
    void explicit_workingToExpiredIsAllowed()
    {
        // A GTC order, so no row would ever expire it.
        final Commands order = Commands.newOrder(25);
        accept(order);
        final Commands c = order.next().state(OrderState.Expired);
        c.requestedChangeReason = ChangeReason.Expired;
        final OrderStateEventDecoder e = accept(c);
        assertEquals(OrderState.Expired, e.orderState());
        assertEquals(ChangeReason.Expired, e.changeReason());
    }

    @Test
    void explicit_workingToFullyExecutedOnlyWithQuantityZero()
    {
        final Commands order = Commands.newOrder(26);
        accept(order);
        assertRefused(order.next().state(OrderState.FullyExecuted), ApexError.OPERATION_FAILED, "orderState");
        assertTrue(machine.detail().toString().contains("quantity"), machine.detail()::toString);
        assertRefused(order.next().trade(units(1), units(100)).state(OrderState.FullyExecuted),
            ApexError.OPERATION_FAILED, "orderState");

        final OrderStateEventDecoder e = accept(order.next().quantity(0).state(OrderState.FullyExecuted));
        assertEquals(OrderState.FullyExecuted, e.orderState());
        assertEquals(0, e.quantity());
    }

    @Test
    void explicit_workingToRejectedOrUnknownIsRefused101()
    {
        final Commands order = Commands.newOrder(27);
        accept(order);
        assertRefused(order.next().state(OrderState.Rejected), ApexError.OPERATION_FAILED, "orderState");
        assertTrue(machine.detail().toString().contains("Working -> Rejected"), machine.detail()::toString);
        assertRefused(order.next().state(OrderState.Unknown), ApexError.OPERATION_FAILED, "orderState");
        assertEquals(OrderState.Working, event(27).orderState());
    }

    @Test
    void explicit_terminalToAnythingIsRefused101()
    {
        for (final Map.Entry<OrderState, Commands> entry : terminalOrders().entrySet())
        {
            for (final OrderState to : OrderState.values())
            {
                if (to == OrderState.NULL_VAL)
                {
                    continue;
                }
                final Commands c = entry.getValue().next().state(to);
                if (to == OrderState.FullyExecuted)
                {
                    c.quantity(0);
                }
                assertRefused(c, ApexError.OPERATION_FAILED, "orderState");
            }
            assertEquals(entry.getKey(), event(entry.getValue().orderId).orderState());
        }
    }

    @Test
    void explicit_changeReasonOverridesTheRows()
    {
        final Commands order = Commands.newOrder(28);
        order.requestedChangeReason = ChangeReason.UserModified;
        assertEquals(ChangeReason.UserModified, accept(order).changeReason(), "row 3");

        final Commands modify = order.next();
        modify.requestedChangeReason = ChangeReason.SystemCanceled_BelowMinimum;
        assertEquals(ChangeReason.SystemCanceled_BelowMinimum, accept(modify).changeReason(), "row 13");

        final Commands fill = modify.next().trade(units(5), units(100));
        fill.requestedChangeReason = ChangeReason.SystemCanceled_MarginFailed;
        final OrderStateEventDecoder filled = accept(fill);
        assertEquals(ChangeReason.SystemCanceled_MarginFailed, filled.changeReason(), "row 8");
        assertEquals(units(5), filled.quantityExecuted(), "the fill still counts");

        final Commands cancel = fill.next().link(LinkType.Cancel);
        cancel.requestedChangeReason = ChangeReason.SystemCanceled_PriceCollar;
        final OrderStateEventDecoder canceled = accept(cancel);
        assertEquals(OrderState.Canceled, canceled.orderState(), "row 7");
        assertEquals(ChangeReason.SystemCanceled_PriceCollar, canceled.changeReason());
        assertEquals(ChangeReason.SystemCanceled_PriceCollar, canceled.requestedChangeReason());

        // Both together.
        final Commands both = Commands.newOrder(281);
        accept(both);
        final Commands expire = both.next().state(OrderState.Expired);
        expire.requestedChangeReason = ChangeReason.Expired;
        final OrderStateEventDecoder expired = accept(expire);
        assertEquals(OrderState.Expired, expired.orderState());
        assertEquals(ChangeReason.Expired, expired.changeReason());
        assertEquals(OrderState.Expired, expired.requestedState());
    }

    @Test
    void orderTransitions_nextForEachState()
    {
        assertArrayEquals(new OrderState[] {OrderState.Working, OrderState.Rejected},
            OrderTransitions.next(OrderState.Unknown));
        assertArrayEquals(new OrderState[] {OrderState.Working, OrderState.Canceled, OrderState.Expired,
            OrderState.FullyExecuted}, OrderTransitions.next(OrderState.Working));
        for (final OrderState terminal : new OrderState[] {OrderState.Rejected, OrderState.Canceled,
            OrderState.Expired, OrderState.FullyExecuted})
        {
            assertEquals(0, OrderTransitions.next(terminal).length, terminal.name());
            assertTrue(OrderStateMachine.isTerminal(terminal), terminal.name());
        }
        assertFalse(OrderStateMachine.isTerminal(OrderState.Working));
        assertFalse(OrderStateMachine.isTerminal(OrderState.Unknown));

        // isLegal agrees with next() for every pair.
        for (final OrderState from : OrderState.values())
        {
            for (final OrderState to : OrderState.values())
            {
                assertEquals(Arrays.asList(OrderTransitions.next(from)).contains(to),
                    OrderTransitions.isLegal(from, to), from + " -> " + to);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Fixtures.
    // ---------------------------------------------------------------------------------------------------------------

    /** A new order with a distinctive non-default value in every field. */
    private static Commands richOrder(final long orderId)
    {
        final Commands c = Commands.newOrder(orderId);
        c.receiveTimeNanos = T0 + 123_456;
        c.exchangeId = 3;
        c.omsId = 1;
        c.clientOrderId = 555;
        c.accountId = 17;
        c.productPairId = 11;
        c.orderType = OrderType.StopLimit;
        c.side = Side.Sell;
        c.timeInForce = TimeInForce.GTD;
        c.pegPriceType = PegPriceType.Bid;
        c.quantity = dec("12.5");
        c.displayQuantity = dec("2.25");
        c.limitPrice = dec("101.125");
        c.stopPrice = dec("99.5");
        c.referencePrice = dec("100.01");
        c.orderExpirationDateTime = T0_MS + 86_400_000L;
        c.orderIdOCO = 77;
        c.orderFlags = ADDED_TO_BOOK | POST_ONLY | NO_ACCOUNT_RISK_CHECK;
        c.exchangeServiceId = "svc-A";
        c.enteredBy = 42;
        c.isQuote = true;
        c.useMargin = true;
        c.bestSellPrice = dec("101.2");
        c.bestSellQuantity = dec("3");
        c.bestBuyPrice = dec("101.1");
        c.bestBuyQuantity = dec("4.5");
        c.lastTradePrice = dec("101.15");
        c.reason = "first";
        return c;
    }

    private static Commands withReason(final Commands c)
    {
        c.reason = "once more";
        return c;
    }

    private static Commands gtdOrder(final long orderId, final long expiryMs)
    {
        final Commands c = Commands.newOrder(orderId);
        c.timeInForce = TimeInForce.GTD;
        c.orderExpirationDateTime = expiryMs;
        return c;
    }

    /** One order in each terminal state, by the rows; the value is the command that made it terminal. */
    private Map<OrderState, Commands> terminalOrders()
    {
        final Map<OrderState, Commands> terminal = new LinkedHashMap<>();
        final Commands rejected = Commands.newOrder(501).removedFromBook(true);
        accept(rejected);
        terminal.put(OrderState.Rejected, rejected);

        final Commands canceled = Commands.newOrder(502);
        accept(canceled);
        final Commands cancel = canceled.next().link(LinkType.Cancel);
        accept(cancel);
        terminal.put(OrderState.Canceled, cancel);

        final Commands expiring = gtdOrder(503, T0_MS);
        accept(expiring);
        final Commands expire = expiring.next().removedFromBook(true);
        accept(expire);
        terminal.put(OrderState.Expired, expire);

        final Commands filled = Commands.newOrder(504);
        accept(filled);
        final Commands fill = filled.next().trade(0, units(100));
        accept(fill);
        terminal.put(OrderState.FullyExecuted, fill);
        return terminal;
    }

    private OrderStateEventDecoder event(final long orderId)
    {
        final byte[] bytes = latest.get(orderId);
        return bytes == null ? null : wrap(bytes);
    }

    private static OrderStateEventDecoder wrap(final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        assertEquals(OrderStateEventDecoder.TEMPLATE_ID, header.templateId());
        assertEquals(OrderStateEventDecoder.SCHEMA_ID, header.schemaId());
        return new OrderStateEventDecoder().wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
            header.version());
    }

    /** Decide a command against the order's latest event, without keeping the result. */
    private int decide(final Commands c)
    {
        final byte[] prevBytes = latest.get(c.orderId);
        final OrderStateEventDecoder prev = prevBytes == null ? null : wrap(prevBytes);
        out.setMemory(0, out.capacity(), (byte)0);
        return machine.decide(c.decoder(), prev, lastSeqNum + 1, out);
    }

    /** Decide a command that must produce an event; keep the event as the order's latest and return it. */
    private OrderStateEventDecoder accept(final Commands c)
    {
        final int result = decide(c);
        assertEquals(OrderStateMachine.EVENT, result,
            () -> "expected an event, got " + result + " (" + machine.errorCode() + ": " + machine.detail() + ")");
        assertEquals(0, machine.errorCode());
        assertEquals(0, machine.detail().length());
        final byte[] bytes = new byte[machine.eventLength()];
        out.getBytes(0, bytes);
        lastSeqNum++;
        latest.put(c.orderId, bytes);
        final OrderStateEventDecoder event = wrap(bytes);
        assertEquals(lastSeqNum, event.seqNum());
        assertEquals(machine.decidedState(), event.orderState());
        return event;
    }

    private void assertRefused(final Commands c, final int errorCode, final String field)
    {
        final int result = decide(c);
        assertEquals(OrderStateMachine.REFUSED, result, () -> "expected a refusal (" + field + ")");
        assertEquals(errorCode, machine.errorCode(), machine.detail()::toString);
        final String detail = machine.detail().toString();
        assertTrue(detail.startsWith(field + ":"), () -> "the detail names " + field + ": " + detail);
        assertEquals(0, machine.eventLength(), "no event is written");
    }

    private void assertRepeat(final Commands c)
    {
        final int result = decide(c);
        assertEquals(OrderStateMachine.REPEAT, result,
            () -> "expected a repeat, got " + result + " (" + machine.errorCode() + ": " + machine.detail() + ")");
        assertEquals(0, machine.errorCode());
        assertEquals(0, machine.eventLength(), "no new event");
    }

    private void assertFirstEvent(final Commands c, final OrderStateEventDecoder e)
    {
        assertEquals(lastSeqNum, e.seqNum());
        assertEquals(0, e.prevSeqNum(), "an order's first event has no previous one");
        assertEquals(c.receiveTimeNanos, e.receiveTimeNanos(), "ReceiveTime");
        assertEquals(c.receiveTimeNanos, e.eventTimeNanos(), "LastUpdatedTime");
        assertEquals(c.clientOrderId, e.origClOrdId(), "OrigClOrdId");
    }

    private static void assertLaterEvent(
        final OrderStateEventDecoder first, final OrderStateEventDecoder e, final Commands c)
    {
        assertTrue(e.seqNum() > first.seqNum());
        assertTrue(e.prevSeqNum() >= first.seqNum() && e.prevSeqNum() < e.seqNum(), "prevSeqNum chain");
        assertEquals(first.receiveTimeNanos(), e.receiveTimeNanos(), "ReceiveTime is the order's first event's");
        assertEquals(c.receiveTimeNanos, e.eventTimeNanos(), "LastUpdatedTime is this event's");
        assertNotEquals(first.receiveTimeNanos(), e.eventTimeNanos());
        assertEquals(first.origClOrdId(), e.origClOrdId(), "OrigClOrdId is kept");
    }

    private static String readReason(final OrderStateEventDecoder e)
    {
        e.exchangeServiceId();
        return e.reason();
    }

    /** Every request field is in the event as given. Reads the var fields, so pass a fresh decoder. */
    private static void assertCarriesRequest(final Commands c, final OrderStateEventDecoder e)
    {
        assertAll("request fields carried into the event",
            () -> assertEquals(c.orderId, e.orderId(), "orderId"),
            () -> assertEquals(c.receiveTimeNanos, e.eventTimeNanos(), "eventTime"),
            () -> assertEquals(c.exchangeId, e.exchangeId(), "exchangeId"),
            () -> assertEquals(c.omsId, e.omsId(), "omsId"),
            () -> assertEquals(c.clientOrderId, e.clientOrderId(), "clientOrderId"),
            () -> assertEquals(c.accountId, e.accountId(), "accountId"),
            () -> assertEquals(c.productPairId, e.productPairId(), "productPairId"),
            () -> assertEquals(c.orderType, e.orderType(), "orderType"),
            () -> assertEquals(c.side, e.side(), "side"),
            () -> assertEquals(c.timeInForce, e.timeInForce(), "timeInForce"),
            () -> assertEquals(c.pegPriceType, e.pegPriceType(), "pegPriceType"),
            () -> assertEquals(c.quantity, e.quantity(), "quantity"),
            () -> assertEquals(c.displayQuantity, e.displayQuantity(), "displayQuantity"),
            () -> assertEquals(c.limitPrice, e.limitPrice(), "limitPrice"),
            () -> assertEquals(c.stopPrice, e.stopPrice(), "stopPrice"),
            () -> assertEquals(c.referencePrice, e.referencePrice(), "referencePrice"),
            () -> assertEquals(c.orderExpirationDateTime, e.orderExpirationDateTime(), "orderExpirationDateTime"),
            () -> assertEquals(c.orderIdOCO, e.orderIdOCO(), "orderIdOCO"),
            () -> assertEquals(c.orderFlags, e.orderFlags().getRaw(), "orderFlags"),
            () -> assertEquals(c.linkType, e.linkType(), "linkType"),
            () -> assertEquals(c.enteredBy, e.enteredBy(), "enteredBy"),
            () -> assertEquals(c.counterPartyId, e.counterPartyId(), "counterPartyId"),
            () -> assertEquals(c.isQuote ? BooleanType.T : BooleanType.F, e.isQuote(), "isQuote"),
            () -> assertEquals(c.useMargin ? BooleanType.T : BooleanType.F, e.useMargin(), "useMargin"),
            () -> assertEquals(c.bestSellPrice, e.bestSellPrice(), "bestSellPrice"),
            () -> assertEquals(c.bestSellQuantity, e.bestSellQuantity(), "bestSellQuantity"),
            () -> assertEquals(c.bestBuyPrice, e.bestBuyPrice(), "bestBuyPrice"),
            () -> assertEquals(c.bestBuyQuantity, e.bestBuyQuantity(), "bestBuyQuantity"),
            () -> assertEquals(c.lastTradePrice, e.lastTradePrice(), "lastTradePrice"),
            () -> assertEquals(c.requestedState, e.requestedState(), "requestedState"),
            () -> assertEquals(c.requestedChangeReason, e.requestedChangeReason(), "requestedChangeReason"),
            () -> assertEquals(SCALE, e.decimalScale(), "decimalScale"),
            () ->
            {
                assertEquals(c.exchangeServiceId, e.exchangeServiceId(), "exchangeServiceId");
                assertEquals(c.reason, e.reason(), "reason");
            });
    }
}
