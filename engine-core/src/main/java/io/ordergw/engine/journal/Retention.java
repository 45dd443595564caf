package io.ordergw.engine.journal;

import io.ordergw.codec.ApexError;

/**
 * How a request that reaches before the journal's oldest retained event is answered, in one place so that every
 * transport says it the same way: errorcode 101 (Operation Failed) with a detail naming the oldest SeqNum.
 * <p>
 * Why 101: the request is well formed (not 100) and names something that existed (not 104, which clients read as
 * "no such order", and which ccxt maps from HTTP 404 to an authentication error); retrying cannot help (not 102, a
 * transient "busy"). It is a valid request that the journal's state, its retention, forbids: APEX's 101.
 */
public final class Retention
{
    /** The APEX errorcode of a request reaching before the oldest retained event. */
    public static final int ERROR_CODE = ApexError.OPERATION_FAILED;

    private Retention()
    {
    }

    /**
     * The detail of a refused {@code FromSeqNum}.
     *
     * @param field        the request key, e.g. FromSeqNum.
     * @param asked        the SeqNum asked for.
     * @param oldestSeqNum the journal's oldest retained SeqNum.
     * @return e.g. {@code FromSeqNum: 1 is before the oldest retained event, SeqNum 89}.
     */
    public static String beforeOldest(final String field, final long asked, final long oldestSeqNum)
    {
        return field + ": " + asked + " is before the oldest retained event, SeqNum " + oldestSeqNum +
            " (older journal cycles are archived); ask from " + oldestSeqNum + " or later";
    }

    /**
     * The detail of a refused GetOrderHistoryByOrderId whose early revisions are archived.
     *
     * @param orderId       the order.
     * @param missingSeqNum the SeqNum of the newest revision that is no longer in the journal.
     * @param oldestSeqNum  the journal's oldest retained SeqNum.
     * @return the detail.
     */
    public static String revisionsArchived(final long orderId, final long missingSeqNum, final long oldestSeqNum)
    {
        return "OrderId: " + orderId + " has revisions before the oldest retained event, SeqNum " + oldestSeqNum +
            " (its revision at SeqNum " + missingSeqNum + " is in an archived journal cycle); GetOrderStatus " +
            "answers its current state";
    }

    /**
     * The detail of a refused GetTradesHistory that would need fills from archived journal cycles.
     *
     * @param accountId     the account asked for.
     * @param missingSeqNum the SeqNum of a revision it needed that is no longer in the journal.
     * @param oldestSeqNum  the journal's oldest retained SeqNum.
     * @return the detail.
     */
    public static String fillsArchived(final int accountId, final long missingSeqNum, final long oldestSeqNum)
    {
        return "AccountId: " + accountId + " has fills before the oldest retained event, SeqNum " + oldestSeqNum +
            " (its revision at SeqNum " + missingSeqNum + " is in an archived journal cycle); ask with a Depth " +
            "that stays within the retained events";
    }
}
