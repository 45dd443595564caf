package io.ordergw.engine.publish;

import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.codec.sbe.OrderStateEventEncoder;
import io.ordergw.engine.journal.EventJournal;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encoded OrderStateEvents for feed tests: SeqNum, an account, an order id and optional padding in the var fields
 * (to make events that do not fit one Aeron frame).
 */
public final class FeedEvents
{
    public final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final OrderStateEventEncoder encoder = new OrderStateEventEncoder();

    /**
     * Encode one event into {@link #buffer}.
     *
     * @param seqNum    its SeqNum.
     * @param accountId its account.
     * @param padding   characters in each var field.
     * @return its length.
     */
    public int encode(final long seqNum, final int accountId, final int padding)
    {
        encoder.wrapAndApplyHeader(buffer, 0, header)
            .seqNum(seqNum)
            .orderId(1_000_000 + seqNum)
            .accountId(accountId)
            .quantity(seqNum * 7)
            .orderState(OrderState.Working)
            .decimalScale((short)8);
        encoder.exchangeServiceId(padding == 0 ? "svc" : "s".repeat(padding));
        encoder.reason(padding == 0 ? "" : "r".repeat(padding));
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * Append events to a journal, continuing its SeqNums.
     *
     * @param journal  the journal.
     * @param count    how many.
     * @param accounts accounts cycle 1..accounts.
     * @param padding  characters in each var field.
     */
    public void append(final EventJournal journal, final int count, final int accounts, final int padding)
    {
        for (int i = 0; i < count; i++)
        {
            final long seqNum = journal.lastSeqNum() + 1;
            final int length = encode(seqNum, accountOf(seqNum, accounts), padding);
            journal.append(buffer, 0, length);
        }
    }

    /**
     * The account of a SeqNum in {@link #append}.
     *
     * @param seqNum   the SeqNum.
     * @param accounts number of accounts.
     * @return the account.
     */
    public static int accountOf(final long seqNum, final int accounts)
    {
        return 1 + (int)(seqNum % accounts);
    }

    /**
     * The SeqNum of an encoded event.
     *
     * @param buffer holding it.
     * @param offset of its header.
     * @return the SeqNum.
     */
    public static long seqNumOf(final DirectBuffer buffer, final int offset)
    {
        final int at = offset + MessageHeaderDecoder.ENCODED_LENGTH + OrderStateEventDecoder.seqNumEncodingOffset();
        return buffer.getLong(at, OrderStateEventDecoder.BYTE_ORDER);
    }
}
