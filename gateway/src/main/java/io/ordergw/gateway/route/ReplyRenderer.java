package io.ordergw.gateway.route;

import io.ordergw.codec.ApexError;
import io.ordergw.codec.json.ApexFrameEncoder;
import io.ordergw.codec.json.JsonWriter;
import io.ordergw.codec.json.OrderJsonEncoder;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.codec.sbe.QueryReplyDecoder;
import io.ordergw.codec.sbe.QueryType;
import io.ordergw.codec.sbe.ReplyDecoder;
import io.ordergw.engine.EngineMessages;
import io.ordergw.engine.EngineResponseAdapter;
import io.ordergw.engine.journal.EventJournal;
import io.ordergw.engine.journal.JournalReader;
import io.ordergw.engine.journal.Retention;
import io.ordergw.gateway.GatewayCounters;
import io.ordergw.gateway.apex.ApexFunction;
import io.ordergw.gateway.auth.AuthSession;
import io.ordergw.gateway.net.ClientSession;
import io.ordergw.gateway.net.Outbound;
import io.ordergw.gateway.net.SessionRegistry;

import java.util.ArrayList;

/**
 * Renders the engine's answers for the sessions that asked: the reply to each SendExchangeOrderStateEvent, and the
 * answers to queries (GetOrderStatus, GetOpenOrders, GetOrderHistory, GetOrdersHistory, GetOrderHistoryByOrderId,
 * GetTradesHistory, GetOrderStateTransitions) from the orders' latest events that travel with the answer
 * ({@link QueryEvents}) and, for revisions and fills, the journal ({@link OrderFills}). An answer whose session has
 * gone is counted as an orphan. Router thread only; {@link Outbound} writes the frames.
 */
final class ReplyRenderer implements EngineResponseAdapter.Listener
{
    private final SessionRegistry sessions;
    private final EventJournal journal;
    private final GatewayCounters counters;
    private final Outbound out = new Outbound();
    private final OrderJsonEncoder orderEncoder = new OrderJsonEncoder();
    private final OrderStateEventDecoder event = new OrderStateEventDecoder();
    private final long[] history = new long[EngineMessages.MAX_QUERY_RESULTS];
    private final QueryEvents queryEvents = new QueryEvents();
    private JournalReader queryReader;
    private OrderFills fills;

    ReplyRenderer(final SessionRegistry sessions, final EventJournal journal, final GatewayCounters counters)
    {
        this.sessions = sessions;
        this.journal = journal;
        this.counters = counters;
    }

    /** Open the journal reader queries use, on the router thread. */
    void start()
    {
        queryReader = journal.newReader();
        fills = new OrderFills(queryReader);
    }

    /**
     * Flush the connections answered since the last call: once at the end of each router duty cycle.
     *
     * @return connections flushed.
     */
    int flush()
    {
        return out.flush();
    }

    void close()
    {
        if (queryReader != null)
        {
            queryReader.close();
        }
    }

    @Override
    public void onReply(final ReplyDecoder reply)
    {
        final ClientSession session = sessions.get(reply.sessionId());
        if (session == null)
        {
            counters.orphanResponses.incrementOrdered();
            return;
        }
        session.inFlight().decrementAndGet();
        final int errorCode = reply.errorCode();
        final JsonWriter w = out.begin(session, 1, reply.correlationId(),
            ApexFunction.SEND_EXCHANGE_ORDER_STATE_EVENT.apexName);
        final long seqNum = reply.seqNum();
        final int detailLength = reply.detailLength();
        w.beginObject();
        w.key("result").value(errorCode == ApexError.NONE);
        w.key("errormsg").value(ApexError.message(errorCode));
        w.key("errorcode").value(errorCode);
        w.key("detail");
        if (detailLength == 0)
        {
            w.nullValue();
        }
        else
        {
            w.utf8Value(reply.buffer(), reply.limit() + ReplyDecoder.detailHeaderLength(), detailLength);
        }
        if (errorCode == ApexError.NONE)
        {
            w.key("SeqNum").value(seqNum);
        }
        w.endObject();
        out.send(errorCode);
        counters.recordRoundTrip(reply.receiveTimeNanos());
    }

    @Override
    public void onQueryReply(final QueryReplyDecoder reply)
    {
        final ClientSession session = sessions.get(reply.sessionId());
        if (session == null)
        {
            counters.orphanResponses.incrementOrdered();
            return;
        }
        final QueryType type = reply.queryType();
        final ApexFunction function = functionOf(type);
        final long i = reply.correlationId();
        int errorCode = reply.errorCode();
        final OrderState current = reply.orderState();
        // SBE reads groups in order: step over the SeqNums (the events below carry them).
        final QueryReplyDecoder.SeqNumsDecoder seqNums = reply.seqNums();
        while (seqNums.hasNext())
        {
            seqNums.next();
        }
        final ArrayList<OrderState> transitions = new ArrayList<>(4);
        for (final QueryReplyDecoder.TransitionsDecoder t : reply.transitions())
        {
            transitions.add(t.state());
        }
        queryEvents.copy(reply.events());
        final int count = queryEvents.count();
        final String detail = reply.detail();

        if (errorCode != ApexError.NONE)
        {
            ApexFrameEncoder.beginStandardResponse(out.begin(session, 1, i, function.apexName), errorCode, detail)
                .endObject();
            out.send(errorCode);
            return;
        }
        // Queries by order id alone: the caller must be allowed the order's account.
        if ((type == QueryType.OrderHistoryByOrderId || type == QueryType.OrderStateTransitions) && count > 0 &&
            !mayRead(session, queryEvents.wrap(0, event).accountId()))
        {
            errorCode = ApexError.NOT_AUTHORIZED;
            ApexFrameEncoder.beginStandardResponse(out.begin(session, 1, i, function.apexName), errorCode,
                "OrderId: the order belongs to an account this user may not read").endObject();
            out.send(errorCode);
            return;
        }
        if (type == QueryType.OrderHistoryByOrderId)
        {
            writeRevisions(session, i, function);
            return;
        }

        final JsonWriter w = out.begin(session, 1, i, function.apexName);
        switch (type)
        {
            case OrderStatus:
                if (count == 1)
                {
                    orderEncoder.encode(queryEvents.wrap(0, event), w);
                }
                else
                {
                    w.nullValue();
                }
                break;
            case OpenOrders:
            case OrderHistory:
            case OrdersHistory:
                w.beginArray();
                for (int k = 0; k < count; k++)
                {
                    orderEncoder.encode(queryEvents.wrap(k, event), w);
                }
                w.endArray();
                break;
            case TradesHistory:
                for (int k = 0; k < count; k++)
                {
                    history[k] = queryEvents.wrap(k, event).seqNum();
                }
                final long missing =
                    fills.writeTrades(history, count, reply.instrumentId(), reply.startIndex(), reply.depth(), w);
                if (missing != 0)
                {
                    final String why = Retention.fillsArchived(
                        queryEvents.wrap(0, event).accountId(), missing, journal.firstSeqNum());
                    ApexFrameEncoder.beginStandardResponse(out.begin(session, 1, i, function.apexName),
                        Retention.ERROR_CODE, why).endObject();
                    out.send(Retention.ERROR_CODE);
                    return;
                }
                break;
            case OrderStateTransitions:
                w.beginObject();
                w.key("OrderId").value(count > 0 ? queryEvents.wrap(0, event).orderId() : 0);
                w.key("Current").value(current.name());
                w.key("Transitions").beginArray();
                for (final OrderState state : transitions)
                {
                    w.value(state.name());
                }
                w.endArray();
                w.endObject();
                break;
            default:
                w.nullValue();
        }
        out.send(ApexError.NONE);
    }

    /**
     * Every revision of an order, oldest first: the latest from the answer (the book), the earlier ones from the
     * journal by each event's link to the order's previous one. If a revision is in an archived cycle the answer is
     * an explicit refusal naming the oldest retained SeqNum, never a silently shorter list.
     */
    private void writeRevisions(final ClientSession session, final long i, final ApexFunction function)
    {
        if (queryEvents.count() == 0)
        {
            out.begin(session, 1, i, function.apexName).beginArray().endArray();
            out.send(ApexError.NONE);
            return;
        }
        final OrderStateEventDecoder latest = queryEvents.wrap(0, event);
        final long missing = fills.collectRevisions(latest);
        if (missing != 0)
        {
            final String why = Retention.revisionsArchived(latest.orderId(), missing, journal.firstSeqNum());
            ApexFrameEncoder.beginStandardResponse(out.begin(session, 1, i, function.apexName),
                Retention.ERROR_CODE, why).endObject();
            out.send(Retention.ERROR_CODE);
            return;
        }
        fills.writeRevisions(latest, fillsAsQuantity(session), out.begin(session, 1, i, function.apexName));
        out.send(ApexError.NONE);
    }

    private static boolean fillsAsQuantity(final ClientSession session)
    {
        final AuthSession auth = session.auth();
        return auth != null && auth.user().tradeRevisionsAsFills();
    }

    private static boolean mayRead(final ClientSession session, final int accountId)
    {
        final AuthSession auth = session.auth();
        return auth != null && auth.user().canAccess(accountId);
    }

    private static ApexFunction functionOf(final QueryType type)
    {
        switch (type)
        {
            case OrderStatus:
                return ApexFunction.GET_ORDER_STATUS;
            case OpenOrders:
                return ApexFunction.GET_OPEN_ORDERS;
            case OrderHistory:
                return ApexFunction.GET_ORDER_HISTORY;
            case OrdersHistory:
                return ApexFunction.GET_ORDERS_HISTORY;
            case TradesHistory:
                return ApexFunction.GET_TRADES_HISTORY;
            case OrderHistoryByOrderId:
                return ApexFunction.GET_ORDER_HISTORY_BY_ORDER_ID;
            default:
                return ApexFunction.GET_ORDER_STATE_TRANSITIONS;
        }
    }
}
