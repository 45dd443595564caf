package io.ordergw.gateway.route;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.ordergw.codec.ApexError;
import io.ordergw.codec.json.ApexFrameEncoder;
import io.ordergw.codec.json.JsonWriter;
import io.ordergw.codec.json.OrderJsonEncoder;
import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.codec.sbe.QueryReplyDecoder;
import io.ordergw.codec.sbe.QueryType;
import io.ordergw.codec.sbe.ReplyDecoder;
import io.ordergw.engine.EngineResponseAdapter;
import io.ordergw.engine.journal.EventJournal;
import io.ordergw.engine.journal.JournalReader;
import io.ordergw.gateway.GatewayCounters;
import io.ordergw.gateway.apex.ApexFunction;
import io.ordergw.gateway.apex.SubscriptionRequests;
import io.ordergw.gateway.auth.AuthSession;
import io.ordergw.gateway.net.ClientSession;
import io.ordergw.gateway.net.Outbound;
import io.ordergw.gateway.net.SessionRegistry;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * The gateway's one outbound thread: it sends the engine's replies to the sessions that asked, answers queries from
 * the journal, and routes every live event to the sessions subscribed to its account, each in SeqNum order.
 * <p>
 * A subscription with {@code FromSeqNum} first replays that account's events from the journal, a batch per duty
 * cycle, and goes live when it has caught up with the last event routed live: events up to that point come from the
 * journal, later ones from the live feed, so there is no gap and no duplicate at the hand-over. A session whose
 * unsent data passes the configured bound is closed as a slow consumer and can come back with FromSeqNum.
 * <p>
 * Only this thread touches the subscriptions; I/O threads hand it requests through a queue.
 */
public final class ResponseRouter implements Agent, SubscriptionRequests, EngineResponseAdapter.Listener
{
    /** How long a closed slow consumer has to take its remaining data and the close frame. */
    static final long SLOW_CONSUMER_CLOSE_GRACE_SECONDS = 10;

    private static final int REPLAY_BATCH = 256;
    private static final int LIVE_BATCH = 256;
    private static final byte[] EVENT_NAME = "OrderStateEvent".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final SessionRegistry sessions;
    private final EngineResponseAdapter responses;
    private final EventJournal journal;
    private final LongFunction<LiveEvents> liveEventsFactory;
    private final java.util.function.LongSupplier journalSeqNum;
    private final GatewayCounters counters;
    private final int maxConcurrentReplays;
    private final ManyToOneConcurrentArrayQueue<Runnable> requests = new ManyToOneConcurrentArrayQueue<>(4096);
    private final Int2ObjectHashMap<ArrayList<Subscription>> byAccount = new Int2ObjectHashMap<>();
    private final Long2ObjectHashMap<ArrayList<Subscription>> bySession = new Long2ObjectHashMap<>();
    private final ArrayList<Subscription> replaying = new ArrayList<>();
    private final ArrayDeque<Subscription> waiting = new ArrayDeque<>();

    private final Outbound out = new Outbound();
    private final OrderJsonEncoder orderEncoder = new OrderJsonEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final OrderStateEventDecoder event = new OrderStateEventDecoder();
    private final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(2048);
    private final JsonWriter payloadWriter = new JsonWriter();
    private final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(2048);
    private final JournalReader.EventHandler onLiveEvent = this::onLiveEvent;
    private final JournalReader.EventHandler onReplayEvent = this::onReplayEvent;
    private final JournalReader.EventHandler copyEvent = this::copyEvent;
    private Subscription replayTarget;
    private final long[] history = new long[io.ordergw.engine.EngineMessages.MAX_QUERY_RESULTS];
    private final UnsafeBuffer eventCopy = new UnsafeBuffer(new byte[io.ordergw.engine.book.OrderRecord.MAX_EVENT_LENGTH]);
    private LiveEvents liveEvents;
    private JournalReader queryReader;
    private OrderFills fills;
    private long lastRoutedSeqNum;
    private int replayCursor;
    private int eventLength;

    /**
     * A router.
     *
     * @param sessions             sessions by id.
     * @param egress               the engine's egress ring.
     * @param journal              the journal (replays and queries read it).
     * @param journalSeqNum        the engine's last journaled SeqNum, readable from any thread.
     * @param liveEventsFactory    makes the live event source from a SeqNum, on the router's thread.
     * @param counters             the gateway's counters.
     * @param maxConcurrentReplays replays running at once.
     */
    public ResponseRouter(
        final SessionRegistry sessions,
        final RingBuffer egress,
        final EventJournal journal,
        final java.util.function.LongSupplier journalSeqNum,
        final LongFunction<LiveEvents> liveEventsFactory,
        final GatewayCounters counters,
        final int maxConcurrentReplays)
    {
        this.sessions = sessions;
        this.responses = new EngineResponseAdapter(egress, this);
        this.journal = journal;
        this.journalSeqNum = journalSeqNum;
        this.liveEventsFactory = liveEventsFactory;
        this.counters = counters;
        this.maxConcurrentReplays = maxConcurrentReplays;
    }

    @Override
    public String roleName()
    {
        return "ordergw-router";
    }

    @Override
    public void onStart()
    {
        // Events up to here are in the journal (subscriptions replay them); later ones come live.
        lastRoutedSeqNum = journalSeqNum.getAsLong();
        liveEvents = liveEventsFactory.apply(lastRoutedSeqNum + 1);
        queryReader = journal.newReader();
        fills = new OrderFills(queryReader);
    }

    @Override
    public int doWork()
    {
        int work = 0;
        Runnable request;
        while ((request = requests.poll()) != null)
        {
            request.run();
            work++;
        }
        work += responses.poll(LIVE_BATCH);
        work += liveEvents.poll(onLiveEvent, LIVE_BATCH);
        work += advanceReplays();
        return work;
    }

    @Override
    public void onClose()
    {
        for (final Subscription s : replaying)
        {
            s.replay.close();
        }
        replaying.clear();
        if (liveEvents != null)
        {
            liveEvents.close();
        }
        if (queryReader != null)
        {
            queryReader.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Requests from I/O threads.
    // ---------------------------------------------------------------------------------------------------------------

    @Override
    public void subscribe(final ClientSession session, final int accountId, final long sequence, final long fromSeqNum)
    {
        enqueue(() -> onSubscribe(session, accountId, sequence, fromSeqNum));
    }

    @Override
    public void unsubscribe(final ClientSession session, final int accountId)
    {
        enqueue(() -> onUnsubscribe(session, accountId));
    }

    @Override
    public void unsubscribeAll(final ClientSession session)
    {
        enqueue(() -> removeAll(session));
    }

    /**
     * Replace the live event source with a new one from the last event routed (after the feed was rebuilt on a new
     * Aeron client): the gap is replayed, so subscribers see every event once.
     */
    public void restartLiveEvents()
    {
        enqueue(() ->
        {
            try
            {
                liveEvents.close();
            }
            catch (final RuntimeException ignore)
            {
                // its Aeron client is already closed
            }
            liveEvents = liveEventsFactory.apply(lastRoutedSeqNum + 1);
        });
    }

    private void enqueue(final Runnable request)
    {
        while (!requests.offer(request))
        {
            Thread.onSpinWait(); // 4096 pending subscription changes: a burst of connects; wait for the router
        }
    }

    private void onSubscribe(final ClientSession session, final int accountId, final long sequence, final long fromSeqNum)
    {
        if (session.isClosed())
        {
            return;
        }
        ArrayList<Subscription> mine = bySession.get(session.id());
        if (mine == null)
        {
            mine = new ArrayList<>(2);
            bySession.put(session.id(), mine);
        }
        for (int k = 0; k < mine.size(); k++)
        {
            final Subscription existing = mine.get(k);
            if (existing.accountId == accountId)
            {
                if (fromSeqNum > existing.lastSentSeqNum)
                {
                    existing.sequence = sequence; // a repeated Subscribe keeps the stream and takes the new i
                    return;
                }
                mine.remove(k); // a repeated Subscribe with FromSeqNum starts over from there
                remove(existing);
                break;
            }
        }
        final Subscription subscription = new Subscription(session, accountId, sequence, fromSeqNum);
        mine.add(subscription);
        byAccount.computeIfAbsent(accountId, id -> new ArrayList<>()).add(subscription);
        counters.subscriptions.incrementOrdered();
        if (fromSeqNum <= lastRoutedSeqNum)
        {
            subscription.state = Subscription.State.WAITING;
            waiting.add(subscription);
            startWaitingReplays();
        }
        else
        {
            subscription.state = Subscription.State.LIVE;
        }
    }

    private void onUnsubscribe(final ClientSession session, final int accountId)
    {
        final ArrayList<Subscription> mine = bySession.get(session.id());
        if (mine == null)
        {
            return;
        }
        for (int i = mine.size() - 1; i >= 0; i--)
        {
            final Subscription s = mine.get(i);
            if (s.accountId == accountId)
            {
                mine.remove(i);
                remove(s);
            }
        }
        if (mine.isEmpty())
        {
            bySession.remove(session.id());
        }
    }

    private void removeAll(final ClientSession session)
    {
        final ArrayList<Subscription> mine = bySession.remove(session.id());
        if (mine != null)
        {
            for (final Subscription s : mine)
            {
                remove(s);
            }
        }
    }

    private void remove(final Subscription s)
    {
        final ArrayList<Subscription> list = byAccount.get(s.accountId);
        if (list != null)
        {
            list.remove(s);
            if (list.isEmpty())
            {
                byAccount.remove(s.accountId);
            }
        }
        if (s.state == Subscription.State.REPLAYING)
        {
            replaying.remove(s);
            if (s != replayTarget)
            {
                s.replay.close();
                s.replay = null;
            }
            // else: removed from inside its own replay batch (a slow consumer); the batch closes the reader once
            // its poll has returned, never while the reader is inside a document.
            startWaitingReplays();
        }
        else if (s.state == Subscription.State.WAITING)
        {
            waiting.remove(s);
        }
        // A slow consumer is removed from inside its own replay batch: this stops the batch before it polls the
        // reader just closed.
        s.state = Subscription.State.REMOVED;
        counters.subscriptions.decrementOrdered();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Live events and replays.
    // ---------------------------------------------------------------------------------------------------------------

    private void onLiveEvent(final long seqNum, final DirectBuffer buffer, final int offset, final int length)
    {
        if (seqNum <= lastRoutedSeqNum)
        {
            return;
        }
        lastRoutedSeqNum = seqNum;
        counters.routedSeqNum.setOrdered(seqNum);
        wrapEvent(buffer, offset);
        final ArrayList<Subscription> subscribers = byAccount.get(event.accountId());
        if (subscribers == null)
        {
            return;
        }
        boolean encoded = false;
        // Backwards: a subscriber closed as a slow consumer leaves this list during the loop, and going forwards the
        // one after it would slide into its place and miss this event.
        for (int i = subscribers.size() - 1; i >= 0; i--)
        {
            final Subscription s = subscribers.get(i);
            if (s.state == Subscription.State.LIVE && seqNum >= s.fromSeqNum)
            {
                if (!encoded)
                {
                    encodeEventPayload();
                    encoded = true;
                }
                sendEvent(s, seqNum);
            }
        }
    }

    private int advanceReplays()
    {
        if (replaying.isEmpty())
        {
            return 0;
        }
        if (replayCursor >= replaying.size())
        {
            replayCursor = 0;
        }
        final Subscription s = replaying.get(replayCursor++);
        int work = 0;
        final JournalReader reader = s.replay;
        replayTarget = s;
        while (work < REPLAY_BATCH && reader.nextSeqNum() <= lastRoutedSeqNum && s.state == Subscription.State.REPLAYING)
        {
            final int read = reader.poll(onReplayEvent, 1);
            if (read == 0)
            {
                break;
            }
            work++;
        }
        replayTarget = null;
        if (s.state == Subscription.State.REMOVED)
        {
            reader.close();
            s.replay = null;
            return work;
        }
        if (s.state == Subscription.State.REPLAYING && reader.nextSeqNum() > lastRoutedSeqNum)
        {
            // Caught up: everything up to the last live event came from the journal; later ones come live.
            s.state = Subscription.State.LIVE;
            s.fromSeqNum = lastRoutedSeqNum + 1;
            replaying.remove(s);
            reader.close();
            s.replay = null;
            startWaitingReplays();
        }
        return work;
    }

    private void onReplayEvent(final long seqNum, final DirectBuffer buffer, final int offset, final int length)
    {
        final Subscription s = replayTarget;
        if (seqNum > lastRoutedSeqNum)
        {
            return;
        }
        wrapEvent(buffer, offset);
        if (event.accountId() == s.accountId && seqNum >= s.fromSeqNum)
        {
            encodeEventPayload();
            sendEvent(s, seqNum);
        }
    }

    private void startWaitingReplays()
    {
        while (replaying.size() < maxConcurrentReplays && !waiting.isEmpty())
        {
            final Subscription s = waiting.poll();
            s.replay = journal.newReader();
            s.replay.seek(s.fromSeqNum);
            s.state = Subscription.State.REPLAYING;
            replaying.add(s);
        }
    }

    private void wrapEvent(final DirectBuffer buffer, final int offset)
    {
        headerDecoder.wrap(buffer, offset);
        event.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
    }

    /** The order object, already escaped as the value of "o": encoded once per event, spliced into each frame. */
    private void encodeEventPayload()
    {
        payloadWriter.wrap(payload, 0);
        payloadWriter.beginEmbeddedDocument();
        orderEncoder.encode(event, payloadWriter);
        payloadWriter.endEmbeddedDocument();
        eventLength = payloadWriter.position();
        // The encoder read the var fields: rewind for other readers of this event.
        event.sbeRewind();
    }

    private void sendEvent(final Subscription s, final long seqNum)
    {
        final ClientSession session = s.session;
        final Channel channel = session.channel();
        if (session.isClosed())
        {
            return;
        }
        if (!channel.isWritable())
        {
            closeSlowConsumer(s);
            return;
        }
        int pos = 0;
        pos += frame.putStringWithoutLengthAscii(pos, "{\"m\":3,\"i\":");
        pos += frame.putLongAscii(pos, s.sequence);
        pos += frame.putStringWithoutLengthAscii(pos, ",\"n\":\"");
        frame.putBytes(pos, EVENT_NAME);
        pos += EVENT_NAME.length;
        pos += frame.putStringWithoutLengthAscii(pos, "\",\"o\":");
        frame.putBytes(pos, payload, 0, eventLength);
        pos += eventLength;
        frame.putByte(pos++, (byte)'}');
        final ByteBuf buf = channel.alloc().buffer(pos);
        buf.writeBytes(frame.byteArray(), 0, pos);
        final TextWebSocketFrame message = new TextWebSocketFrame(buf);
        // Handed to the channel's I/O thread as a plain task, which Netty does not count as unsent data: a write
        // submitted from this thread would count (Netty estimates queued writes) before the I/O thread had a chance
        // to send it, so a burst of events to a consumer that reads promptly would fail the writability check above.
        try
        {
            channel.eventLoop().execute(() -> channel.writeAndFlush(message, channel.voidPromise()));
        }
        catch (final RejectedExecutionException ex)
        {
            message.release(); // the I/O threads have stopped: the gateway is closing
            return;
        }
        s.lastSentSeqNum = seqNum;
        counters.eventsSent.incrementOrdered();
    }

    private void closeSlowConsumer(final Subscription s)
    {
        final ClientSession session = s.session;
        counters.slowConsumerCloses.incrementOrdered();
        final String reason = "slow consumer: unsent data passed ordergw.gateway.session-outbound-limit; " +
            "resubscribe with FromSeqNum=" + (s.lastSentSeqNum + 1);
        removeAll(session);
        final Channel channel = session.channel();
        channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION.code(),
            reason.length() > 120 ? reason.substring(0, 120) : reason))
            .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        try
        {
            // A peer that never reads never lets the close frame out: take its connection back anyway.
            channel.eventLoop().schedule(() -> channel.close(), SLOW_CONSUMER_CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
        }
        catch (final RejectedExecutionException ex)
        {
            channel.close(); // the I/O threads are stopping
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The engine's answers.
    // ---------------------------------------------------------------------------------------------------------------

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
        int count = 0;
        for (final QueryReplyDecoder.SeqNumsDecoder s : reply.seqNums())
        {
            history[count++] = s.seqNum();
        }
        final ArrayList<OrderState> transitions = new ArrayList<>(4);
        for (final QueryReplyDecoder.TransitionsDecoder t : reply.transitions())
        {
            transitions.add(t.state());
        }
        final String detail = reply.detail();

        if (errorCode != ApexError.NONE)
        {
            ApexFrameEncoder.beginStandardResponse(out.begin(session, 1, i, function.apexName), errorCode, detail).endObject();
            out.send(errorCode);
            return;
        }
        // Queries by order id alone: the caller must be allowed the order's account.
        if ((type == QueryType.OrderHistoryByOrderId || type == QueryType.OrderStateTransitions) && count > 0 &&
            readEvent(history[0]) && !mayRead(session, event.accountId()))
        {
            errorCode = ApexError.NOT_AUTHORIZED;
            ApexFrameEncoder.beginStandardResponse(out.begin(session, 1, i, function.apexName), errorCode,
                "OrderId: the order belongs to an account this user may not read").endObject();
            out.send(errorCode);
            return;
        }

        final JsonWriter w = out.begin(session, 1, i, function.apexName);
        switch (type)
        {
            case OrderStatus:
                if (count == 1 && readEvent(history[0]))
                {
                    orderEncoder.encode(event, w);
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
                    if (readEvent(history[k]))
                    {
                        orderEncoder.encode(event, w);
                    }
                }
                w.endArray();
                break;
            case OrderHistoryByOrderId:
                fills.writeRevisions(count == 0 ? 0 : history[0], fillsAsQuantity(session), w);
                break;
            case TradesHistory:
                fills.writeTrades(history, count, reply.instrumentId(), reply.startIndex(), reply.depth(), w);
                break;
            case OrderStateTransitions:
                w.beginObject();
                w.key("OrderId").value(count > 0 && readEvent(history[0]) ? event.orderId() : 0);
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

    private boolean readEvent(final long seqNum)
    {
        final boolean found = queryReader.read(seqNum, copyEvent);
        if (found)
        {
            wrapEvent(eventCopy, 0);
        }
        return found;
    }

    private void copyEvent(final long seqNum, final DirectBuffer buffer, final int offset, final int length)
    {
        eventCopy.putBytes(0, buffer, offset, length);
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
