package io.ordergw.engine;

import io.ordergw.codec.Utf8;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.QueryCommandDecoder;
import io.ordergw.codec.sbe.QueryReplyEncoder;
import io.ordergw.codec.sbe.ReplyEncoder;
import io.ordergw.engine.book.OrderRecord;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Encodes the engine's answers, a Reply per OrderStateCommand and a QueryReply per QueryCommand, onto the egress ring
 * with reused encoders and one buffer: nothing is allocated per answer.
 * <p>
 * It never blocks. An answer that finds the ring full waits here ({@link #hasPending()}), counted as back pressure,
 * and {@link #sendPending()} tries again; the engine reads no further command until it has gone. An answer larger
 * than the ring's largest message (a query answer carrying thousands of events) goes in pieces: every piece but the
 * last is a {@link EngineMessages#RESPONSE_FRAGMENT}, the last a {@link EngineMessages#RESPONSE}, and
 * {@link EngineResponseAdapter} puts them back together.
 */
public final class EngineResponsePublisher
{
    /** Longest detail text, in UTF-8 bytes; a longer one is cut. */
    static final int MAX_DETAIL_BYTES = 1024;

    private final RingBuffer egress;
    private final AtomicCounter backPressure;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ReplyEncoder replyEncoder = new ReplyEncoder();
    private final QueryReplyEncoder queryReplyEncoder = new QueryReplyEncoder();
    private final ExpandableArrayBuffer responseBuffer = new ExpandableArrayBuffer(4096);
    private int pendingLength;
    private int pendingOffset;

    /**
     * A publisher over a ring.
     *
     * @param egress       the engine's egress ring.
     * @param backPressure counts answers that found the ring full.
     */
    public EngineResponsePublisher(final RingBuffer egress, final AtomicCounter backPressure)
    {
        this.egress = egress;
        this.backPressure = backPressure;
    }

    /**
     * Send the answer to an OrderStateCommand.
     *
     * @param correlationId    the command's correlation id.
     * @param sessionId        the command's session.
     * @param errorCode        0, or the APEX code of the refusal.
     * @param seqNum           the event's SeqNum (0 for a refusal).
     * @param receiveTimeNanos the command's receive time, echoed for the round trip.
     * @param detail           why it was refused, or null.
     */
    public void reply(
        final long correlationId,
        final long sessionId,
        final int errorCode,
        final long seqNum,
        final long receiveTimeNanos,
        final CharSequence detail)
    {
        final ReplyEncoder reply = replyEncoder.wrapAndApplyHeader(responseBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .sessionId(sessionId)
            .seqNum(seqNum)
            .errorCode(errorCode)
            .receiveTimeNanos(receiveTimeNanos);
        reply.limit(putDetail(reply.limit(), detail));
        send(MessageHeaderEncoder.ENCODED_LENGTH + reply.encodedLength());
    }

    /**
     * Send the answer to a QueryCommand: the orders found with their latest events (the book is the truth about
     * current state, whatever happened to the journal's old files), and for OrderStateTransitions the order's
     * state and the states it may move to.
     *
     * @param query        the query answered (its ids and paging are echoed).
     * @param errorCode    0, or the APEX code of the refusal.
     * @param currentState the order's state for OrderStateTransitions, else {@link OrderState#NULL_VAL}.
     * @param transitions  the states it may move to, or null.
     * @param results      the orders found; the first count entries are read and cleared.
     * @param count        how many.
     * @param detail       why it was refused, or empty.
     */
    public void queryReply(
        final QueryCommandDecoder query,
        final int errorCode,
        final OrderState currentState,
        final OrderState[] transitions,
        final OrderRecord[] results,
        final int count,
        final CharSequence detail)
    {
        final QueryReplyEncoder reply = queryReplyEncoder.wrapAndApplyHeader(responseBuffer, 0, headerEncoder)
            .correlationId(query.correlationId())
            .sessionId(query.sessionId())
            .errorCode(errorCode)
            .orderState(currentState)
            .queryType(query.queryType())
            .instrumentId(query.instrumentId())
            .depth(query.depth())
            .startIndex(query.startIndex());
        final QueryReplyEncoder.SeqNumsEncoder seqNums = reply.seqNumsCount(count);
        for (int i = 0; i < count; i++)
        {
            seqNums.next().seqNum(results[i].seqNum());
        }
        final int transitionCount = transitions == null ? 0 : transitions.length;
        final QueryReplyEncoder.TransitionsEncoder states = reply.transitionsCount(transitionCount);
        for (int i = 0; i < transitionCount; i++)
        {
            states.next().state(transitions[i]);
        }
        final QueryReplyEncoder.EventsEncoder events = reply.eventsCount(count);
        for (int i = 0; i < count; i++)
        {
            final OrderRecord record = results[i];
            events.next().putOrderEvent(record.eventBuffer(), 0, record.eventLength());
            results[i] = null;
        }
        reply.limit(putDetail(reply.limit(), detail));
        send(MessageHeaderEncoder.ENCODED_LENGTH + reply.encodedLength());
    }

    /**
     * Whether an answer is waiting for room on the ring.
     *
     * @return true if one is.
     */
    public boolean hasPending()
    {
        return pendingLength > 0;
    }

    /**
     * Write the waiting answer, or as many of its pieces as fit.
     *
     * @return true if nothing is waiting any more.
     */
    public boolean sendPending()
    {
        final int maxLength = egress.maxMsgLength();
        while (pendingLength - pendingOffset > maxLength)
        {
            if (!egress.write(EngineMessages.RESPONSE_FRAGMENT, responseBuffer, pendingOffset, maxLength))
            {
                return false;
            }
            pendingOffset += maxLength;
        }
        if (egress.write(EngineMessages.RESPONSE, responseBuffer, pendingOffset, pendingLength - pendingOffset))
        {
            pendingLength = 0;
            pendingOffset = 0;
            return true;
        }
        return false;
    }

    private void send(final int length)
    {
        pendingLength = length;
        pendingOffset = 0;
        if (!sendPending())
        {
            backPressure.incrementOrdered();
        }
    }

    /**
     * Write the detail var field (uint16 length, then UTF-8, empty when there is none) of a Reply or a QueryReply
     * at their limit, encoding the text straight into the response buffer.
     */
    private int putDetail(final int limit, final CharSequence detail)
    {
        final int length = detail == null || detail.length() == 0 ? 0 :
            Utf8.encode(detail, responseBuffer, limit + 2, MAX_DETAIL_BYTES);
        responseBuffer.putShort(limit, (short)length, ReplyEncoder.BYTE_ORDER);
        return limit + 2 + length;
    }
}
