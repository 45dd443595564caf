package io.ordergw.engine;

import io.ordergw.codec.sbe.LinkType;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.Side;
import io.ordergw.codec.sbe.TimeInForce;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A reproducible stream of plausible commands from a seed: new orders, partial and full fills, updates, cancels,
 * removals, GTD expiries, exact repeats and some moves the table refuses. The same seed always gives the same
 * sequence, so a parent process and a child process can agree on command number N without talking.
 */
public final class RandomCommands
{
    private final SplittableRandom random;
    private final Map<Long, Commands> lastByOrder = new HashMap<>();
    private final int orderIdPool;
    private long time = Commands.T0;
    private long nextOrderId = 1;
    private long index;

    /**
     * A stream.
     *
     * @param seed        the seed.
     * @param orderIdPool how many live order ids to cycle through (smaller means more events per order).
     */
    public RandomCommands(final long seed, final int orderIdPool)
    {
        this.random = new SplittableRandom(seed);
        this.orderIdPool = orderIdPool;
    }

    /**
     * The next command.
     *
     * @return a fresh builder (the stream keeps its own copy).
     */
    public Commands next()
    {
        index++;
        time += 1_000_000L * (1 + random.nextInt(5));
        final Commands c;
        final int kind = random.nextInt(100);
        final long orderId = pickOrder();
        final Commands last = lastByOrder.get(orderId);
        if (last == null || kind < 20)
        {
            c = freshOrder(last == null ? orderId : nextOrderId++);
        }
        else if (kind < 25)
        {
            c = last.copy(); // an exact repeat (retry) of the order's last event
            c.correlationId = index;
        }
        else
        {
            c = last.next();
            if (kind < 55)
            {
                final long remaining = c.quantity == 0 ? 0 : random.nextLong(c.quantity);
                c.trade(random.nextInt(4) == 0 ? 0 : remaining, Commands.units(90 + random.nextInt(20)) + random.nextInt(1000));
                c.removedFromBook(c.quantity == 0 || random.nextInt(10) == 0);
            }
            else if (kind < 65)
            {
                c.link(LinkType.Update).quantity(Commands.units(1 + random.nextInt(50)));
            }
            else if (kind < 72)
            {
                c.link(LinkType.Cancel).removedFromBook(true);
            }
            else if (kind < 78)
            {
                c.removedFromBook(true);
                if (random.nextBoolean())
                {
                    c.timeInForce = TimeInForce.GTD;
                    c.orderExpirationDateTime = time / 1_000_000 - random.nextInt(3);
                }
            }
            else if (kind < 85)
            {
                c.bestBuyPrice = Commands.units(random.nextInt(200));
                c.bestSellPrice = Commands.units(random.nextInt(200));
            }
            else if (kind < 90)
            {
                c.state(random.nextBoolean() ? OrderState.Canceled : OrderState.Rejected);
            }
            else if (kind < 94)
            {
                c.side = c.side == Side.Buy ? Side.Sell : Side.Buy; // refused: an open order's side cannot change
            }
            else if (kind < 97)
            {
                c.trade(c.quantity + Commands.units(1), Commands.units(100)); // refused: a trade cannot add quantity
            }
            else
            {
                c.quantity(0).state(OrderState.FullyExecuted);
            }
            c.correlationId = index;
        }
        c.receiveTimeNanos = time;
        lastByOrder.put(c.orderId, c);
        return c.copy();
    }

    private long pickOrder()
    {
        if (nextOrderId <= orderIdPool)
        {
            return nextOrderId++;
        }
        return nextOrderId - 1 - random.nextInt(orderIdPool);
    }

    private Commands freshOrder(final long orderId)
    {
        final Commands c = Commands.newOrder(orderId);
        c.correlationId = index;
        c.accountId = 1 + random.nextInt(5);
        c.productPairId = 1 + random.nextInt(3);
        c.side = random.nextBoolean() ? Side.Buy : Side.Sell;
        c.quantity(Commands.units(1 + random.nextInt(100)));
        c.displayQuantity = c.quantity;
        c.limitPrice = Commands.units(95 + random.nextInt(10));
        c.clientOrderId = random.nextInt(1_000_000);
        c.exchangeServiceId = "svc-" + random.nextInt(10);
        if (random.nextInt(20) == 0)
        {
            c.removedFromBook(true); // rejected on entry
            c.reason = "price out of band";
        }
        return c;
    }

    /**
     * How many commands were made.
     *
     * @return count.
     */
    public long index()
    {
        return index;
    }
}
