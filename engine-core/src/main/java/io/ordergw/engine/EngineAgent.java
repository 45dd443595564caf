package io.ordergw.engine;

import io.ordergw.codec.ApexError;
import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateCommandDecoder;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.codec.sbe.QueryCommandDecoder;
import io.ordergw.engine.book.OrderBook;
import io.ordergw.engine.book.OrderRecord;
import io.ordergw.engine.journal.DiskSpaceGuard;
import io.ordergw.engine.journal.EventJournal;
import io.ordergw.engine.journal.JournalException;
import io.ordergw.engine.snapshot.SnapshotStore;
import io.ordergw.engine.state.OrderStateMachine;
import io.ordergw.engine.state.OrderTransitions;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the book. Each duty cycle its {@link EngineCommandAdapter} takes a batch of commands from
 * the ingress ring and, for each, this agent decides it with the {@link OrderStateMachine}, appends the new event to
 * the journal, applies it to the book, and has its {@link EngineResponsePublisher} write exactly one reply to the
 * egress ring. The reply to an event goes out only after the event is in the journal, so nothing acknowledged is lost
 * to a crash.
 * <p>
 * It never blocks: if the egress ring is full the reply waits in the publisher and no further command is read until
 * it has gone (the ingress ring then fills and the gateway answers 102). Refusals are counted, not logged.
 */
public final class EngineAgent implements Agent, EngineCommandAdapter.Listener
{
    private static final Logger LOG = LoggerFactory.getLogger(EngineAgent.class);

    private final EngineCommandAdapter commands;
    private final RingBuffer ingress;
    private final EngineResponsePublisher responses;
    private final EventJournal journal;
    private final SnapshotStore snapshotStore;
    private final DiskSpaceGuard diskSpaceGuard;
    private final EngineCounters counters;
    private final EngineLatency latency = new EngineLatency();
    private final OrderStateMachine stateMachine;
    private final int batchLimit;
    private final long snapshotIntervalNanos;
    private final boolean writesSnapshots;
    private final OrderBook book;

    private final OrderStateEventDecoder prevDecoder = new OrderStateEventDecoder();
    private final MutableDirectBuffer eventBuffer = new UnsafeBuffer(new byte[OrderRecord.MAX_EVENT_LENGTH]);
    private final StringBuilder detail = new StringBuilder(256);
    private final OrderRecord[] queryResults = new OrderRecord[EngineMessages.MAX_QUERY_RESULTS];
    private final OrderBook.OrderVisitor collectSeqNum = this::collectSeqNum;
    private int queryResultCount;
    private long nextSnapshotNanos;
    private long lastSnapshotSeqNum;
    private long nowNanos;
    private long stageStartNanos;
    private boolean journalFaultLogged;

    /**
     * An agent over a concluded context and a recovered book.
     *
     * @param context        the concluded context.
     * @param book           the book as recovery rebuilt it.
     * @param snapshotSeqNum the SeqNum of the newest snapshot on disk (0 if none): events replayed after it are
     *                       not in a snapshot yet, so the next interval (or a clean stop) takes one.
     * @param writesSnapshots whether this agent writes snapshots (on the interval and at a clean stop) from its own
     *                       book; false when a {@link SnapshotFollower} writes them.
     */
    public EngineAgent(
        final EngineContext context, final OrderBook book, final long snapshotSeqNum, final boolean writesSnapshots)
    {
        this.writesSnapshots = writesSnapshots;
        this.journal = context.journal();
        this.snapshotStore = context.snapshotStore();
        this.diskSpaceGuard = context.diskSpaceGuard();
        this.counters = new EngineCounters(context.countersManager());
        this.responses = new EngineResponsePublisher(context.egressRing(), counters.egressBackPressure);
        this.ingress = context.ingressRing();
        this.commands = new EngineCommandAdapter(ingress, this, responses, counters.unknownCommands);
        this.stateMachine = new OrderStateMachine(context.config().decimalScale);
        this.batchLimit = context.config().engine.batchLimit;
        this.snapshotIntervalNanos = context.snapshotIntervalNanos();
        this.book = book;
        if (book.lastSeqNum() != journal.lastSeqNum())
        {
            throw new IllegalStateException(
                "book at SeqNum " + book.lastSeqNum() + " but journal at " + journal.lastSeqNum());
        }
        this.lastSnapshotSeqNum = snapshotSeqNum;
        counters.journalSeqNum.setOrdered(book.lastSeqNum());
        counters.ingressRingCapacity.setOrdered(ingress.capacity());
        updateBookCounters();
    }

    @Override
    public String roleName()
    {
        return "ordergw-engine";
    }

    @Override
    public void onStart()
    {
        nextSnapshotNanos = System.nanoTime() + snapshotIntervalNanos;
    }

    @Override
    public int doWork()
    {
        nowNanos = System.nanoTime();
        int work = 0;
        if (responses.hasPending())
        {
            if (!responses.sendPending())
            {
                return 0;
            }
            work++;
        }
        work += commands.poll(batchLimit);
        // What is left after the batch: one ordered store a duty cycle (head and tail are read, nothing is written).
        counters.ingressRingDepth.setOrdered(ingress.size());
        if (writesSnapshots && snapshotIntervalNanos > 0 && nowNanos - nextSnapshotNanos >= 0)
        {
            nextSnapshotNanos = nowNanos + snapshotIntervalNanos;
            if (book.lastSeqNum() != lastSnapshotSeqNum)
            {
                takeSnapshot();
                work++;
            }
        }
        return work;
    }

    @Override
    public void onClose()
    {
        if (writesSnapshots && book.lastSeqNum() != lastSnapshotSeqNum)
        {
            takeSnapshot();
        }
    }

    /**
     * Write a snapshot of the book now (on the engine thread).
     */
    public void takeSnapshot()
    {
        final long start = System.nanoTime();
        journal.forceToStorage(); // the journal reaches storage before a snapshot that covers it
        snapshotStore.write(book);
        lastSnapshotSeqNum = book.lastSeqNum();
        counters.snapshots.incrementOrdered();
        LOG.info("snapshot at SeqNum {} with {} orders took {} ms", lastSnapshotSeqNum, book.size(),
            (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The book, for tests and tools running on the engine thread (or after it stopped).
     *
     * @return the book.
     */
    public OrderBook book()
    {
        return book;
    }

    /**
     * The engine's counters.
     *
     * @return counters.
     */
    public EngineCounters counters()
    {
        return counters;
    }

    /**
     * The engine's latency by stage, recorded on this agent's thread.
     *
     * @return the recorders.
     */
    public EngineLatency latency()
    {
        return latency;
    }

    /**
     * Decide a command, journal and apply its event, and reply (see the class comment).
     *
     * @param command the command, valid during the call.
     */
    @Override
    public void onOrderStateCommand(final OrderStateCommandDecoder command)
    {
        counters.commandsReceived.incrementOrdered();
        stageStartNanos = System.nanoTime();
        final OrderRecord record = book.find(command.orderId());
        final OrderStateEventDecoder prev = record == null ? null :
            prevDecoder.wrap(record.eventBuffer(), MessageHeaderDecoder.ENCODED_LENGTH,
                OrderStateEventDecoder.BLOCK_LENGTH, OrderStateEventDecoder.SCHEMA_VERSION);
        final long seqNum = journal.lastSeqNum() + 1;

        switch (stateMachine.decide(command, prev, seqNum, eventBuffer))
        {
            case OrderStateMachine.REPEAT:
                endStage(latency.decide);
                counters.repeatsAcknowledged.incrementOrdered();
                reply(command, ApexError.NONE, record.seqNum(), null);
                return;
            case OrderStateMachine.REFUSED:
                endStage(latency.decide);
                refuse(command, stateMachine.errorCode(), stateMachine.detail());
                return;
            default:
                break;
        }

        if (record == null && stateMachine.decidedState() == OrderState.Working && !hasRoomForNewOrder(command))
        {
            endStage(latency.decide);
            refuse(command, ApexError.SERVER_ERROR, detail);
            return;
        }
        if (!diskSpaceGuard.hasRoom(nowNanos))
        {
            endStage(latency.decide);
            detail.setLength(0);
            detail.append("journal: ").append(diskSpaceGuard.lastUsableBytes() >> 20).append(" MiB free on ")
                .append(diskSpaceGuard.location()).append(", below ordergw.journal.min-free-space (")
                .append(diskSpaceGuard.minFreeBytes() >> 20).append(" MiB); nothing was applied");
            refuse(command, ApexError.SERVER_ERROR, detail);
            return;
        }
        final int eventLength = stateMachine.eventLength();
        endStage(latency.decide);
        try
        {
            journal.append(eventBuffer, 0, eventLength);
            endStage(latency.journal);
        }
        catch (final JournalException ex)
        {
            endStage(latency.journal);
            counters.journalFaults.incrementOrdered();
            if (!journalFaultLogged)
            {
                journalFaultLogged = true; // once: a broken disk would otherwise log on every command
                LOG.error("journal append failed (further faults are only counted)", ex);
            }
            if (journal.lastSeqNum() != seqNum)
            {
                detail.setLength(0);
                detail.append("journal: unavailable (").append(ex.getMessage()).append("); nothing was applied");
                refuse(command, ApexError.SERVER_ERROR, detail);
                return;
            }
            // Written but not synced (or its excerpt failed to close after the commit): the event is in the journal
            // and a restart will apply it, so the book must too, and the operator gets its acknowledgement.
        }
        book.apply(eventBuffer, 0, eventLength);
        counters.eventsApplied.incrementOrdered();
        counters.journalSeqNum.setOrdered(seqNum);
        updateBookCounters();
        reply(command, ApexError.NONE, seqNum, null);
    }

    private boolean hasRoomForNewOrder(final OrderStateCommandDecoder command)
    {
        switch (book.openOrderRoom(command.accountId()))
        {
            case OrderBook.BOOK_FULL:
                detail.setLength(0);
                detail.append("book: ").append(book.openOrders())
                    .append(" open orders, the maximum (ordergw.book.max-open-orders); nothing was applied");
                return false;
            case OrderBook.ACCOUNT_FULL:
                detail.setLength(0);
                detail.append("book: account ").append(command.accountId()).append(" has ")
                    .append(book.maxOpenOrdersPerAccount())
                    .append(" open orders, the maximum (ordergw.book.max-open-orders-per-account); ")
                    .append("nothing was applied");
                return false;
            default:
                return true;
        }
    }

    private void refuse(final OrderStateCommandDecoder command, final int errorCode, final CharSequence why)
    {
        counters.refused(errorCode).incrementOrdered();
        reply(command, errorCode, 0, why);
    }

    private void reply(
        final OrderStateCommandDecoder command, final int errorCode, final long seqNum, final CharSequence why)
    {
        responses.reply(
            command.correlationId(), command.sessionId(), errorCode, seqNum, command.receiveTimeNanos(), why);
        endStage(latency.reply);
    }

    /** Record the stage that ends now and start the next one: one clock read per stage. */
    private void endStage(final LatencyRecorder stage)
    {
        final long now = System.nanoTime();
        stage.record(now - stageStartNanos);
        stageStartNanos = now;
    }

    /**
     * Answer a query from the book.
     *
     * @param query the query, valid during the call.
     */
    @Override
    public void onQuery(final QueryCommandDecoder query)
    {
        counters.queries.incrementOrdered();
        queryResultCount = 0;
        int errorCode = ApexError.NONE;
        OrderState currentState = OrderState.NULL_VAL;
        OrderState[] transitions = null;
        detail.setLength(0);

        final int limit = Math.min(Math.max(query.depth(), 0) == 0 ? EngineMessages.MAX_QUERY_RESULTS : query.depth(),
            EngineMessages.MAX_QUERY_RESULTS);
        switch (query.queryType())
        {
            case OrderStatus:
            case OrderHistoryByOrderId:
            {
                final OrderRecord record = book.find(query.orderId());
                if (record == null || (query.accountId() != 0 && record.accountId() != query.accountId()))
                {
                    errorCode = notFound(query);
                }
                else
                {
                    collectSeqNum(record);
                }
                break;
            }
            case OrderStateTransitions:
            {
                final OrderRecord record = book.find(query.orderId());
                if (record == null || (query.accountId() != 0 && record.accountId() != query.accountId()))
                {
                    errorCode = notFound(query);
                }
                else
                {
                    collectSeqNum(record);
                    prevDecoder.wrap(record.eventBuffer(), MessageHeaderDecoder.ENCODED_LENGTH,
                        OrderStateEventDecoder.BLOCK_LENGTH, OrderStateEventDecoder.SCHEMA_VERSION);
                    currentState = prevDecoder.orderState();
                    transitions = OrderTransitions.next(currentState);
                }
                break;
            }
            case OpenOrders:
                book.forEachOpenOrder(query.accountId(), query.instrumentId(), limit, collectSeqNum);
                break;
            case OrderHistory:
            case OrdersHistory:
                book.forEachAccountOrder(query.accountId(), Math.max(0, query.startIndex()), limit, collectSeqNum);
                break;
            case TradesHistory:
                // Every order of the account, newest activity first: the caller walks their revisions for fills,
                // so depth and start index count fills, not orders, and are applied there.
                book.forEachAccountOrder(query.accountId(), 0, EngineMessages.MAX_QUERY_RESULTS, collectSeqNum);
                break;
            default:
                errorCode = ApexError.NOT_SUPPORTED;
                detail.append("query type ").append(query.queryTypeRaw()).append(" is not supported");
        }

        responses.queryReply(query, errorCode, currentState, transitions, queryResults, queryResultCount, detail);
    }

    private int notFound(final QueryCommandDecoder query)
    {
        detail.append("orderId: ").append(query.orderId()).append(" is not a known order");
        if (query.accountId() != 0)
        {
            detail.append(" of account ").append(query.accountId());
        }
        return ApexError.NOT_FOUND;
    }

    private void collectSeqNum(final OrderRecord record)
    {
        if (queryResultCount < queryResults.length)
        {
            queryResults[queryResultCount++] = record;
        }
    }

    private void updateBookCounters()
    {
        counters.openOrders.setOrdered(book.openOrders());
        counters.retainedOrders.setOrdered(book.retainedTerminalOrders());
    }
}
