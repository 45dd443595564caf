package io.ordergw.gateway.route;

import io.ordergw.codec.json.JsonWriter;
import io.ordergw.codec.json.OrderJsonEncoder;
import io.ordergw.codec.sbe.ChangeReason;
import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.engine.EngineMessages;
import io.ordergw.engine.book.OrderRecord;
import io.ordergw.engine.journal.JournalReader;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * An order's revisions and the fills they record, read from the journal by following each event's link to the
 * order's previous one (the router's thread only). A fill is a revision whose ChangeReason is Trade: its quantity is
 * QuantityExecuted minus the previous revision's, its value GrossValueExecuted minus the previous revision's, its
 * price the event's lastTradePrice (section 5, row 8). This is what GetOrderHistoryByOrderId shows per revision and
 * what GetTradesHistory lists (docs/api.md section 4.1).
 */
final class OrderFills
{
    /** Fills one GetTradesHistory collects at most. */
    static final int MAX_TRADES = EngineMessages.MAX_QUERY_RESULTS;
    /** Journal reads one GetTradesHistory makes at most, so one account with a long past cannot hold the router. */
    static final int MAX_READS = 200_000;

    private final JournalReader reader;
    private final OrderJsonEncoder encoder = new OrderJsonEncoder();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderStateEventDecoder event = new OrderStateEventDecoder();
    private final UnsafeBuffer copy = new UnsafeBuffer(new byte[OrderRecord.MAX_EVENT_LENGTH]);
    private final JournalReader.EventHandler copyEvent = this::copyEvent;
    private final long[] revisions = new long[EngineMessages.MAX_QUERY_RESULTS];
    private final long[] tradeSeqNums = new long[MAX_TRADES];
    private final Long2LongHashMap fillQuantity = new Long2LongHashMap(-1);
    private final Long2LongHashMap fillValue = new Long2LongHashMap(-1);
    private int reads;
    private int revisionCount;

    OrderFills(final JournalReader reader)
    {
        this.reader = reader;
    }

    /**
     * Collect the earlier revisions of an order from the journal, by each event's link to the order's previous one,
     * for {@link #writeRevisions}.
     *
     * @param latest the order's latest event, from the book (the query's answer): answerable whatever was archived.
     * @return 0 when every earlier revision was read, else the SeqNum of the first one the journal no longer holds.
     */
    long collectRevisions(final OrderStateEventDecoder latest)
    {
        revisionCount = 0;
        long seqNum = latest.prevSeqNum();
        while (seqNum > 0 && revisionCount < revisions.length - 1)
        {
            if (!read(seqNum))
            {
                return seqNum;
            }
            revisions[revisionCount++] = seqNum;
            seqNum = event.prevSeqNum();
        }
        return 0;
    }

    /**
     * Every revision of an order, oldest first (GetOrderHistoryByOrderId), each with its fill when it is one: the
     * revisions {@link #collectRevisions} found, then the latest.
     *
     * @param latest         the order's latest event, the one given to {@link #collectRevisions}.
     * @param fillAsQuantity whether a fill's Quantity and Price are the fill's (the user's trade-revisions setting).
     * @param w              the writer.
     */
    void writeRevisions(final OrderStateEventDecoder latest, final boolean fillAsQuantity, final JsonWriter w)
    {
        w.beginArray();
        long executed = 0;
        long value = 0;
        for (int k = revisionCount - 1; k >= 0; k--)
        {
            if (read(revisions[k]))
            {
                final long nowExecuted = event.quantityExecuted();
                final long nowValue = event.grossValueExecuted();
                encoder.encodeRevision(event, w, nowExecuted - executed, nowValue - value, fillAsQuantity);
                executed = nowExecuted;
                value = nowValue;
            }
        }
        encoder.encodeRevision(
            latest, w, latest.quantityExecuted() - executed, latest.grossValueExecuted() - value, fillAsQuantity);
        w.endArray();
    }

    /**
     * An account's fills, newest first (GetTradesHistory).
     *
     * @param orders       the account's orders' latest SeqNums, newest activity first (the engine's answer).
     * @param orderCount   how many.
     * @param instrumentId only this instrument's, or 0 for all.
     * @param startIndex   how many of the newest fills to skip.
     * @param depth        most fills to write, 0 for no limit.
     * @param w            the writer, untouched when the answer would be short of archived fills.
     * @return 0 when written, else the SeqNum of a revision the fills needed that the journal no longer holds: the
     *         caller refuses rather than answer a silently shorter list.
     */
    long writeTrades(
        final long[] orders, final int orderCount, final int instrumentId, final int startIndex, final int depth,
        final JsonWriter w)
    {
        final long wanted = Math.min(MAX_TRADES, (long)Math.max(0, startIndex) + (depth > 0 ? depth : MAX_TRADES));
        fillQuantity.clear();
        fillValue.clear();
        reads = 0;
        int count = 0;
        long oldestCollected = Long.MAX_VALUE;
        for (int k = 0; k < orderCount && count < MAX_TRADES && reads < MAX_READS; k++)
        {
            // An order's fills are no later than its latest event, and orders come newest activity first: once enough
            // fills are in hand and this order's latest event is older than all of them, no later order can add one.
            if (count >= wanted && orders[k] < oldestCollected)
            {
                break;
            }
            if (!read(orders[k]))
            {
                return orders[k];
            }
            if (instrumentId != 0 && event.productPairId() != instrumentId)
            {
                continue;
            }
            boolean haveCurrent = true;
            while (haveCurrent && count < MAX_TRADES && reads < MAX_READS)
            {
                final long seqNum = event.seqNum();
                final boolean trade = event.changeReason() == ChangeReason.Trade;
                final long executed = event.quantityExecuted();
                final long value = event.grossValueExecuted();
                final long prev = event.prevSeqNum();
                final boolean havePrev = prev > 0 && read(prev);
                if (prev > 0 && !havePrev)
                {
                    return prev;
                }
                if (trade)
                {
                    tradeSeqNums[count++] = seqNum;
                    fillQuantity.put(seqNum, executed - (havePrev ? event.quantityExecuted() : 0));
                    fillValue.put(seqNum, value - (havePrev ? event.grossValueExecuted() : 0));
                    oldestCollected = Math.min(oldestCollected, seqNum);
                }
                haveCurrent = havePrev;
            }
        }
        Arrays.sort(tradeSeqNums, 0, count);
        w.beginArray();
        final int end = depth > 0 ? Math.max(0, count - startIndex - depth) : 0;
        for (int k = count - 1 - Math.max(0, startIndex); k >= end; k--)
        {
            final long seqNum = tradeSeqNums[k];
            if (read(seqNum))
            {
                encoder.encodeTrade(event, w, fillQuantity.get(seqNum), fillValue.get(seqNum));
            }
        }
        w.endArray();
        return 0;
    }

    private boolean read(final long seqNum)
    {
        reads++;
        if (!reader.read(seqNum, copyEvent))
        {
            return false;
        }
        header.wrap(copy, 0);
        event.wrap(copy, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        return true;
    }

    private void copyEvent(final long seqNum, final DirectBuffer buffer, final int offset, final int length)
    {
        copy.putBytes(0, buffer, offset, length);
    }
}
