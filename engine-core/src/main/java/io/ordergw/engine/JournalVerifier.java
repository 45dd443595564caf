package io.ordergw.engine;

import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderStateCommandDecoder;
import io.ordergw.codec.sbe.OrderStateCommandEncoder;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.engine.book.OrderBook;
import io.ordergw.engine.book.OrderRecord;
import io.ordergw.engine.journal.EventJournal;
import io.ordergw.engine.journal.JournalException;
import io.ordergw.engine.journal.JournalReader;
import io.ordergw.engine.state.OrderStateMachine;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.Supplier;

/**
 * Proves a journal is what the state machine makes of its own requests: every event carries the request that produced
 * it, so the verifier rebuilds each request, decides it again against a fresh book, and checks that the new event is
 * the journaled one byte for byte. It is the determinism check behind the promise that replay rebuilds the same book,
 * and a tool to audit a journal from another machine.
 */
public final class JournalVerifier
{
    /** What a verification found. */
    public static final class Result
    {
        /** Events checked. */
        public final long events;
        /** The rebuilt book's state hash. */
        public final long stateHash;
        /** The first SeqNum checked (after the snapshot verification started from). */
        public final long firstSeqNum;
        /** The last SeqNum checked, 0 if none. */
        public final long lastSeqNum;

        Result(final long events, final long stateHash, final long firstSeqNum, final long lastSeqNum)
        {
            this.events = events;
            this.stateHash = stateHash;
            this.firstSeqNum = firstSeqNum;
            this.lastSeqNum = lastSeqNum;
        }
    }

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final OrderStateEventDecoder event = new OrderStateEventDecoder();
    private final OrderStateEventDecoder prev = new OrderStateEventDecoder();
    private final MessageHeaderEncoder commandHeader = new MessageHeaderEncoder();
    private final OrderStateCommandEncoder commandEncoder = new OrderStateCommandEncoder();
    private final OrderStateCommandDecoder commandDecoder = new OrderStateCommandDecoder();
    private final UnsafeBuffer commandBuffer = new UnsafeBuffer(new byte[OrderRecord.MAX_EVENT_LENGTH]);
    private final UnsafeBuffer decided = new UnsafeBuffer(new byte[OrderRecord.MAX_EVENT_LENGTH]);

    /**
     * Verify a whole journal.
     *
     * @param journal the journal.
     * @param newBook makes the empty book to rebuild into (use the bounds the journal was written with).
     * @param scale   the decimal scale.
     * @return what was checked.
     * @throws JournalException at the first event that does not reproduce.
     */
    public Result verify(final EventJournal journal, final Supplier<OrderBook> newBook, final int scale)
    {
        return verifyFrom(journal, newBook.get(), scale);
    }

    /**
     * Verify the events after a book: an empty book verifies the whole journal; a snapshot's book verifies a journal
     * whose oldest cycles are archived, from the event after the snapshot. The SeqNums must follow each other from
     * there to the journal's end, every event must decode, and every event must be what its request decides.
     *
     * @param journal the journal.
     * @param book    the book to continue from (it is changed: the events are applied to it).
     * @param scale   the decimal scale.
     * @return what was checked.
     * @throws JournalException at the first event that is missing, does not decode or does not reproduce.
     */
    public Result verifyFrom(final EventJournal journal, final OrderBook book, final int scale)
    {
        final OrderStateMachine stateMachine = new OrderStateMachine(scale);
        final long from = book.lastSeqNum() + 1;
        final long last = journal.lastSeqNum();
        long count = 0;
        try (JournalReader reader = journal.newReader())
        {
            reader.seek(from);
            if (last >= from && reader.nextSeqNum() != from)
            {
                throw new JournalException("the journal starts at SeqNum " + reader.nextSeqNum() +
                    " but verification must start at " + from + (from == 1 ? "" : " (after the snapshot)") +
                    ": events " + from + ".." + (reader.nextSeqNum() - 1) + " are missing");
            }
            final long[] checked = {0};
            final JournalReader.EventHandler handler =
                (seqNum, buffer, offset, length) -> check(book, stateMachine, seqNum, buffer, offset, length, checked);
            while (reader.poll(handler, 4096) > 0)
            {
                count = checked[0];
            }
        }
        if (book.lastSeqNum() != last)
        {
            throw new JournalException("the journal ends at SeqNum " + last + " but its events stop at " +
                book.lastSeqNum());
        }
        return new Result(count, book.stateHash(), from, count == 0 ? 0 : last);
    }

    private void check(
        final OrderBook book,
        final OrderStateMachine stateMachine,
        final long seqNum,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long[] checked)
    {
        if (seqNum != book.lastSeqNum() + 1)
        {
            throw new JournalException("SeqNum gap: after SeqNum " + book.lastSeqNum() + " comes " + seqNum);
        }
        try
        {
            reproduce(book, stateMachine, seqNum, buffer, offset, length);
        }
        catch (final JournalException ex)
        {
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            throw new JournalException("SeqNum " + seqNum + " does not decode as an OrderStateEvent (" + length +
                " bytes): " + ex, ex);
        }
        checked[0]++;
    }

    private void reproduce(
        final OrderBook book,
        final OrderStateMachine stateMachine,
        final long seqNum,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.templateId() != OrderStateEventDecoder.TEMPLATE_ID ||
            headerDecoder.schemaId() != OrderStateEventDecoder.SCHEMA_ID)
        {
            throw new JournalException("SeqNum " + seqNum + " is not an OrderStateEvent (template " +
                headerDecoder.templateId() + ", schema " + headerDecoder.schemaId() + ")");
        }
        event.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
        final OrderStateCommandDecoder command = requestOf(event);
        final OrderRecord record = book.find(command.orderId());
        final OrderStateEventDecoder before = record == null ? null : prev.wrap(record.eventBuffer(),
            MessageHeaderDecoder.ENCODED_LENGTH, OrderStateEventDecoder.BLOCK_LENGTH,
            OrderStateEventDecoder.SCHEMA_VERSION);
        final int outcome = stateMachine.decide(command, before, seqNum, decided);
        if (outcome != OrderStateMachine.EVENT)
        {
            throw new JournalException("SeqNum " + seqNum + ": its request no longer makes an event (" +
                (outcome == OrderStateMachine.REPEAT ? "repeat" : stateMachine.detail()) + ")");
        }
        if (stateMachine.eventLength() != length || !sameBytes(decided, buffer, offset, length))
        {
            throw new JournalException("SeqNum " + seqNum + ": deciding its request again gives a different event");
        }
        book.apply(buffer, offset, length);
    }

    private static boolean sameBytes(final DirectBuffer a, final DirectBuffer b, final int bOffset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (a.getByte(i) != b.getByte(bOffset + i))
            {
                return false;
            }
        }
        return true;
    }

    /** Rebuild the request an event came from: every request field is in the event. */
    private OrderStateCommandDecoder requestOf(final OrderStateEventDecoder e)
    {
        final OrderStateCommandEncoder c = commandEncoder.wrapAndApplyHeader(commandBuffer, 0, commandHeader)
            .correlationId(0)
            .sessionId(0)
            .receiveTimeNanos(e.eventTimeNanos())
            .clientOrderId(e.clientOrderId())
            .orderId(e.orderId())
            .quantity(e.quantity())
            .displayQuantity(e.displayQuantity())
            .limitPrice(e.limitPrice())
            .stopPrice(e.stopPrice())
            .referencePrice(e.referencePrice())
            .orderExpirationDateTime(e.orderExpirationDateTime())
            .orderIdOCO(e.orderIdOCO())
            .bestSellPrice(e.bestSellPrice())
            .bestSellQuantity(e.bestSellQuantity())
            .bestBuyPrice(e.bestBuyPrice())
            .bestBuyQuantity(e.bestBuyQuantity())
            .lastTradePrice(e.lastTradePrice())
            .exchangeId(e.exchangeId())
            .omsId(e.omsId())
            .accountId(e.accountId())
            .productPairId(e.productPairId())
            .enteredBy(e.enteredBy())
            .counterPartyId(e.counterPartyId())
            .orderType(e.orderType())
            .side(e.side())
            .timeInForce(e.timeInForce())
            .pegPriceType(e.pegPriceType())
            .linkType(e.linkType())
            .isQuote(e.isQuote())
            .useMargin(e.useMargin())
            .requestedState(e.requestedState())
            .requestedChangeReason(e.requestedChangeReason());
        commandBuffer.putByte(MessageHeaderEncoder.ENCODED_LENGTH + OrderStateCommandEncoder.orderFlagsEncodingOffset(),
            (byte)e.orderFlags().getRaw());
        final DirectBuffer src = e.buffer();
        int pos = e.limit();
        final int serviceLength = src.getShort(pos, OrderStateEventDecoder.BYTE_ORDER) & 0xFFFF;
        c.putExchangeServiceId(src, pos + 2, serviceLength);
        pos += 2 + serviceLength;
        final int reasonLength = src.getShort(pos, OrderStateEventDecoder.BYTE_ORDER) & 0xFFFF;
        c.putReason(src, pos + 2, reasonLength);
        return commandDecoder.wrap(commandBuffer, MessageHeaderEncoder.ENCODED_LENGTH,
            OrderStateCommandEncoder.BLOCK_LENGTH, OrderStateCommandEncoder.SCHEMA_VERSION);
    }
}
