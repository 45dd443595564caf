package io.ordergw.engine;

import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.codec.sbe.QueryType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A query's answer carries the orders' latest events from the book, so that current state never depends on the
 * journal still holding them; an answer larger than the egress ring's largest message arrives whole, in pieces.
 */
@SystemTest
class QueryAnswerFromBookTest
{
    @TempDir
    Path dir;

    @Test
    void historyOfManyOrdersCarriesEveryLatestEventThroughASmallRing()
    {
        final int orders = 400;
        try (EngineHarness engine = new EngineHarness(dir))
        {
            for (int k = 0; k < orders; k++)
            {
                assertEquals(0, engine.send(Commands.newOrder(1_000 + k)).errorCode);
            }
            final Commands traded = Commands.newOrder(1_000);
            assertEquals(0, engine.send(traded.next().trade(Commands.units(4), Commands.units(101))).errorCode);

            final EngineHarness.QueryAnswer history = engine.query(QueryType.OrderHistory, 7, 0, 0, 0, 0);
            assertEquals(orders, history.events.size());
            assertEquals(orders, history.seqNums.size());
            int bytes = 0;
            for (final byte[] event : history.events)
            {
                bytes += event.length;
            }
            assertTrue(bytes > engine.engine().context().egressRing().maxMsgLength() * 4,
                "the answer (" + bytes + " bytes) is several ring messages long");
            for (int k = 0; k < orders; k++)
            {
                final OrderStateEventDecoder event = decode(history.events.get(k));
                assertEquals(history.seqNums.get(k).longValue(), event.seqNum(), "event " + k);
            }
            final OrderStateEventDecoder newest = decode(history.events.get(0));
            assertEquals(1_000, newest.orderId(), "newest activity first: the traded order");
            assertEquals(orders + 1, newest.seqNum());
            assertEquals(Commands.units(6), newest.quantityExecuted(), "its latest state, not an older revision");

            final EngineHarness.QueryAnswer status = engine.query(QueryType.OrderStatus, 7, 1_200, 0, 0, 0);
            assertEquals(1, status.events.size());
            assertEquals(1_200, decode(status.events.get(0)).orderId());
        }
    }

    private static OrderStateEventDecoder decode(final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        return new OrderStateEventDecoder().wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
            header.version());
    }
}
