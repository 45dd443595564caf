package io.ordergw.gateway.route;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.WriteBufferWaterMark;
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
import io.ordergw.engine.Audit;
import io.ordergw.engine.EngineResponseAdapter;
import io.ordergw.engine.journal.EventJournal;
import io.ordergw.engine.journal.JournalReader;
import io.ordergw.engine.journal.Retention;
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
 * A subscription with {@code FromSeqNum} first replays that account's events from the journal and goes live when it
 * has caught up with the last event routed live: events up to that point come from the journal, later ones from the
 * live feed, so there is no gap and no duplicate at the hand-over.
 * <p>
 * A replay goes at its reader's pace. It writes while its session's unsent data (Netty's count, which takes in the
 * replay's writes as soon as this thread hands them over) is at most the channel's low water mark, half of
 * {@code ordergw.gateway.session-outbound-limit}, and otherwise waits, looked at again each duty cycle, until the
 * reader has taken some. It hands over to live only with that room free, so live events start with half the limit
 * to spare. Only a live event that finds the session's unsent data over the limit (the channel not writable) closes
 * the session as a slow consumer; a replay whose reader takes nothing for {@code replay-stall-timeout} is closed
 * too, to free its slot. Both closes name the FromSeqNum to resume from.
 * <p>
 * Work per duty cycle is bounded: the engine's replies and the live events a batch each, and the replays
 * {@link #REPLAY_BUDGET} journal events in all, shared in turn: each replay with room takes at most
 * {@link #REPLAY_SLICE}, starting each cycle after the last one served, so many slow replays neither hold up live
 * routing nor one another.
 * <p>
 * Only this thread touches the subscriptions; I/O threads hand it requests through a queue.
 */
public final class ResponseRouter implements Agent, SubscriptionRequests, EngineResponseAdapter.Listener
{
    /** How long a closed slow consumer has to take its remaining data and the close frame. */
    static final long SLOW_CONSUMER_CLOSE_GRACE_SECONDS = 10;

    /** Journal events all replays together read per duty cycle. */
    static final int REPLAY_BUDGET = 256;
    /** Journal events one replay reads per turn. */
    static final int REPLAY_SLICE = 64;
    /** Replays looked at per duty cycle: waiting ones cost a check each, and there may be thousands. */
    private static final int REPLAY_VISITS = 64;
    private static final int LIVE_BATCH = 256;
    private static final byte[] EVENT_NAME = "OrderStateEvent".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final SessionRegistry sessions;
    private final EngineResponseAdapter responses;
    private final RingBuffer egress;
    private final EventJournal journal;
    private final LongFunction<LiveEvents> liveEventsFactory;
    private final java.util.function.LongSupplier journalSeqNum;
    private final GatewayCounters counters;
    private final int maxConcurrentReplays;
    private final long replayStallTimeoutNs;
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
    private boolean replayUnflushed;
    private final long[] history = new long[io.ordergw.engine.EngineMessages.MAX_QUERY_RESULTS];
    private final QueryEvents queryEvents = new QueryEvents();
    private final UnsafeBuffer eventCopy = new UnsafeBuffer(new byte[io.ordergw.engine.book.OrderRecord.MAX_EVENT_LENGTH]);
    private LiveEvents liveEvents;
    private JournalReader queryReader;
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
     * @param replayStallTimeoutNs how long a replay may find no room in its session's outbound buffer before the
     *                             session is closed.
     */
    public ResponseRouter(
        final SessionRegistry sessions,
        final RingBuffer egress,
        final EventJournal journal,
        final java.util.function.LongSupplier journalSeqNum,
        final LongFunction<LiveEvents> liveEventsFactory,
        final GatewayCounters counters,
        final int maxConcurrentReplays,
        final long replayStallTimeoutNs)
    {
        this.sessions = sessions;
        this.responses = new EngineResponseAdapter(egress, this);
        this.egress = egress;
        this.journal = journal;
        this.journalSeqNum = journalSeqNum;
        this.liveEventsFactory = liveEventsFactory;
        this.counters = counters;
        this.maxConcurrentReplays = maxConcurrentReplays;
        this.replayStallTimeoutNs = replayStallTimeoutNs;
        counters.egressRingCapacity.setOrdered(egress.capacity());
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
        // Sampled once a duty cycle by the ring's reader: two ordered stores, no write to the ring.
        counters.egressRingDepth.setOrdered(egress.size());
        counters.routerLag.setOrdered(Math.max(0, journalSeqNum.getAsLong() - lastRoutedSeqNum));
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
            // Never called from inside a replay's poll (a replay event closes nothing), so the reader is between
            // documents here.
            replaying.remove(s);
            s.replay.close();
            s.replay = null;
            startWaitingReplays();
        }
        else if (s.state == Subscription.State.WAITING)
        {
            waiting.remove(s);
        }
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
                sendLiveEvent(s, seqNum);
            }
        }
    }

    private int advanceReplays()
    {
        if (replaying.isEmpty())
        {
            return 0;
        }
        final long nowNs = System.nanoTime();
        int budget = REPLAY_BUDGET;
        int work = 0;
        final int visits = Math.min(replaying.size(), REPLAY_VISITS);
        for (int v = 0; v < visits && budget > 0 && !replaying.isEmpty(); v++)
        {
            if (replayCursor >= replaying.size())
            {
                replayCursor = 0;
            }
            final Subscription s = replaying.get(replayCursor);
            final int read = advanceReplay(s, Math.min(budget, REPLAY_SLICE), nowNs);
            budget -= read;
            work += read;
            // A replay that went live or was closed has left the list, and the next one has slid into its place.
            if (replayCursor < replaying.size() && replaying.get(replayCursor) == s)
            {
                replayCursor++;
            }
        }
        return work;
    }

    /** One replay's turn: up to limit journal events while its session has room, then hand-over or stall checks. */
    private int advanceReplay(final Subscription s, final int limit, final long nowNs)
    {
        final ClientSession session = s.session;
        if (session.isClosed())
        {
            return 0; // its connection has closed: the unsubscribe that follows removes it
        }
        final Channel channel = session.channel();
        final JournalReader reader = s.replay;
        int read = 0;
        replayTarget = s;
        while (read < limit && reader.nextSeqNum() <= lastRoutedSeqNum && hasReplayRoom(channel))
        {
            if (reader.poll(onReplayEvent, 1) == 0)
            {
                break;
            }
            read++;
        }
        replayTarget = null;
        if (replayUnflushed)
        {
            replayUnflushed = false;
            try
            {
                channel.flush();
            }
            catch (final RejectedExecutionException ex)
            {
                return read; // the I/O threads have stopped: the gateway is closing
            }
        }
        final boolean room = hasReplayRoom(channel);
        if (room)
        {
            s.stalled = false;
            if (reader.nextSeqNum() > lastRoutedSeqNum)
            {
                // Caught up: everything up to the last live event came from the journal; later ones come live.
                s.state = Subscription.State.LIVE;
                s.fromSeqNum = lastRoutedSeqNum + 1;
                replaying.remove(s);
                reader.close();
                s.replay = null;
                startWaitingReplays();
            }
        }
        else if (!s.stalled)
        {
            s.stalled = true;
            s.stalledSinceNs = nowNs;
        }
        else if (nowNs - s.stalledSinceNs >= replayStallTimeoutNs)
        {
            counters.slowConsumerCloses.incrementOrdered();
            closeSession(s, "replay stalled: nothing read for ordergw.gateway.replay-stall-timeout; " +
                "resubscribe with FromSeqNum=" + (s.lastSentSeqNum + 1));
        }
        return read;
    }

    /**
     * Whether a replay may write to a channel: its unsent data is at most the low water mark. The other half of the
     * limit is kept for live events, so a replay never makes a session a slow consumer, nor does the replay of one
     * account make the same session's live subscription to another one look slow.
     */
    private static boolean hasReplayRoom(final Channel channel)
    {
        final WriteBufferWaterMark marks = channel.config().getWriteBufferWaterMark();
        return channel.bytesBeforeUnwritable() > marks.high() - marks.low();
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
            sendReplayEvent(s, seqNum);
        }
    }

    private void startWaitingReplays()
    {
        while (replaying.size() < maxConcurrentReplays && !waiting.isEmpty())
        {
            final Subscription s = waiting.poll();
            s.replay = journal.newReader();
            s.replay.seek(s.fromSeqNum);
            if (s.replay.nextSeqNum() > s.fromSeqNum)
            {
                // The journal no longer starts there (cycles archived under a running gateway): never start later.
                final long oldest = s.replay.nextSeqNum();
                s.replay.close();
                s.replay = null;
                ReplayRefusal.close(s.session, s.fromSeqNum, oldest);
                removeAll(s.session);
                continue;
            }
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

    private void sendLiveEvent(final Subscription s, final long seqNum)
    {
        final ClientSession session = s.session;
        final Channel channel = session.channel();
        if (session.isClosed())
        {
            return;
        }
        if (!channel.isWritable())
        {
            counters.slowConsumerCloses.incrementOrdered();
            closeSession(s, "slow consumer: unsent data passed ordergw.gateway.session-outbound-limit; " +
                "resubscribe with FromSeqNum=" + (s.lastSentSeqNum + 1));
            return;
        }
        final TextWebSocketFrame message = eventFrame(s, channel);
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

    private void sendReplayEvent(final Subscription s, final long seqNum)
    {
        final ClientSession session = s.session;
        final Channel channel = session.channel();
        // Written from this thread, where Netty counts it as unsent data at once: the room check before the next
        // event sees it, so a batch cannot overshoot however far behind the I/O thread is. Flushed after the batch.
        // The I/O thread runs these writes and the live events' tasks in the order they were handed over.
        try
        {
            channel.write(eventFrame(s, channel), channel.voidPromise());
        }
        catch (final RejectedExecutionException ex)
        {
            return; // the I/O threads have stopped (Netty has released the frame): the gateway is closing
        }
        replayUnflushed = true;
        s.lastSentSeqNum = seqNum;
        counters.eventsSent.incrementOrdered();
    }

    /** The event encoded last, framed for a subscription: the payload spliced into the frame, copied once. */
    private TextWebSocketFrame eventFrame(final Subscription s, final Channel channel)
    {
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
        return new TextWebSocketFrame(buf);
    }

    /** End a session that cannot keep up: every subscription off, a close 1008 with the reason, the socket after. */
    private void closeSession(final Subscription s, final String reason)
    {
        final ClientSession session = s.session;
        Audit.slowConsumerClosed(session.auth() == null ? null : session.auth().user().name(), session.remoteAddress(),
            s.accountId, s.lastSentSeqNum);
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
            ApexFrameEncoder.beginStandardResponse(out.begin(session, 1, i, function.apexName), errorCode, detail).endObject();
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
                w.beginArray();
                for (int k = 0; k < count; k++)
                {
                    orderEncoder.encode(queryEvents.wrap(k, event), w);
                }
                w.endArray();
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
        final long orderId = latest.orderId();
        int count = 0;
        long seqNum = latest.prevSeqNum();
        while (seqNum > 0 && count < history.length - 1)
        {
            if (!readEvent(seqNum))
            {
                final String why = Retention.revisionsArchived(orderId, seqNum, journal.firstSeqNum());
                ApexFrameEncoder.beginStandardResponse(out.begin(session, 1, i, function.apexName),
                    Retention.ERROR_CODE, why).endObject();
                out.send(Retention.ERROR_CODE);
                return;
            }
            history[count++] = seqNum;
            seqNum = event.prevSeqNum();
        }
        final JsonWriter w = out.begin(session, 1, i, function.apexName);
        w.beginArray();
        for (int k = count - 1; k >= 0; k--)
        {
            if (readEvent(history[k]))
            {
                orderEncoder.encode(event, w);
            }
        }
        orderEncoder.encode(queryEvents.wrap(0, event), w);
        w.endArray();
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
            case OrderHistoryByOrderId:
                return ApexFunction.GET_ORDER_HISTORY_BY_ORDER_ID;
            default:
                return ApexFunction.GET_ORDER_STATE_TRANSITIONS;
        }
    }
}
