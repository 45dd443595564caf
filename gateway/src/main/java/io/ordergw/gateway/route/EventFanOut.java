package io.ordergw.gateway.route;

import io.ordergw.codec.json.ApexFrameEncoder;
import io.ordergw.codec.json.JsonWriter;
import io.ordergw.codec.json.OrderJsonEncoder;
import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.engine.Audit;
import io.ordergw.engine.journal.EventJournal;
import io.ordergw.engine.journal.JournalReader;
import io.ordergw.gateway.GatewayCounters;
import io.ordergw.gateway.auth.AuthSession;
import io.ordergw.gateway.auth.User;
import io.ordergw.gateway.net.ClientSession;
import io.ordergw.gateway.net.EventOutbound;
import io.ordergw.gateway.net.SessionRegistry;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * Routes every account event to the sessions subscribed to its account, each in SeqNum order: live events as they
 * come, and for a subscription with {@code FromSeqNum} first a replay from the journal. Router thread only.
 * <p>
 * A replay goes live when it has caught up with the last event routed live: events up to that point come from the
 * journal, later ones from the live feed, so there is no gap and no duplicate at the hand-over.
 * <p>
 * A replay goes at its reader's pace. It writes while its session's unsent data (Netty's count, which takes in the
 * replay's writes as soon as this thread hands them over) is at most the channel's low water mark, half of
 * {@code ordergw.gateway.session-outbound-limit}, and otherwise waits, looked at again each duty cycle, until the
 * reader has taken some. It hands over to live only with that room free, so live events start with half the limit
 * to spare. Only a live event that finds the session's unsent data over the limit (the channel not writable) closes
 * the session as a slow consumer; a replay whose reader takes nothing for {@code replay-stall-timeout} is closed
 * too, to free its slot. Both closes name the FromSeqNum to resume from.
 * <p>
 * Replays read {@link #REPLAY_BUDGET} journal events per duty cycle in all, shared in turn: each replay with room
 * takes at most {@link #REPLAY_SLICE}, starting each cycle after the last one served, so many slow replays neither
 * hold up live routing nor one another. The connections are written by {@link EventOutbound}.
 */
final class EventFanOut
{
    /** Journal events all replays together read per duty cycle. */
    static final int REPLAY_BUDGET = 256;
    /** Journal events one replay reads per turn. */
    static final int REPLAY_SLICE = 64;
    /** Replays looked at per duty cycle: waiting ones cost a check each, and there may be thousands. */
    private static final int REPLAY_VISITS = 64;
    private static final byte[] EVENT_NAME = "OrderStateEvent".getBytes(StandardCharsets.US_ASCII);

    private final SessionRegistry sessions;
    private final EventJournal journal;
    private final GatewayCounters counters;
    private final EventOutbound out;
    private final int maxConcurrentReplays;
    private final long replayStallTimeoutNs;
    private final Int2ObjectHashMap<ArrayList<Subscription>> byAccount = new Int2ObjectHashMap<>();
    private final Long2ObjectHashMap<ArrayList<Subscription>> bySession = new Long2ObjectHashMap<>();
    private final ArrayList<Subscription> replaying = new ArrayList<>();
    private final ArrayDeque<Subscription> waiting = new ArrayDeque<>();
    private final ArrayList<ClientSession> swept = new ArrayList<>();

    private final OrderJsonEncoder orderEncoder = new OrderJsonEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final OrderStateEventDecoder event = new OrderStateEventDecoder();
    private final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(2048);
    private final JsonWriter payloadWriter = new JsonWriter();
    private final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(2048);
    private final JournalReader.EventHandler onLiveEvent = this::onLiveEvent;
    private final JournalReader.EventHandler onReplayEvent = this::onReplayEvent;
    private Subscription replayTarget;
    private boolean replayUnflushed;
    private long lastRoutedSeqNum;
    private int replayCursor;
    private int eventLength;

    EventFanOut(
        final SessionRegistry sessions,
        final EventJournal journal,
        final GatewayCounters counters,
        final EventOutbound out,
        final int maxConcurrentReplays,
        final long replayStallTimeoutNs)
    {
        this.sessions = sessions;
        this.journal = journal;
        this.counters = counters;
        this.out = out;
        this.maxConcurrentReplays = maxConcurrentReplays;
        this.replayStallTimeoutNs = replayStallTimeoutNs;
    }

    /** Events up to this SeqNum are in the journal (subscriptions replay them); later ones come live. */
    void start(final long lastRoutedSeqNum)
    {
        this.lastRoutedSeqNum = lastRoutedSeqNum;
    }

    long lastRoutedSeqNum()
    {
        return lastRoutedSeqNum;
    }

    /** The handler the live event source calls per event. */
    JournalReader.EventHandler liveEventHandler()
    {
        return onLiveEvent;
    }

    void close()
    {
        for (final Subscription s : replaying)
        {
            s.replay.close();
        }
        replaying.clear();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Subscription changes (from the router's command queue).
    // ---------------------------------------------------------------------------------------------------------------

    void subscribe(final long sessionId, final int accountId, final long sequence, final long fromSeqNum)
    {
        final ClientSession session = sessions.get(sessionId);
        if (session == null || session.isClosed())
        {
            return; // closed since it asked
        }
        final AuthSession auth = session.auth();
        ArrayList<Subscription> mine = bySession.get(sessionId);
        if (mine == null)
        {
            mine = new ArrayList<>(2);
            bySession.put(sessionId, mine);
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
        final Subscription subscription = new Subscription(
            session, auth == null ? null : auth.user(), accountId, sequence, fromSeqNum);
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

    void unsubscribe(final long sessionId, final int accountId)
    {
        final ArrayList<Subscription> mine = bySession.get(sessionId);
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
            bySession.remove(sessionId);
        }
    }

    void unsubscribeAll(final long sessionId)
    {
        final ArrayList<Subscription> mine = bySession.remove(sessionId);
        if (mine != null)
        {
            for (final Subscription s : mine)
            {
                remove(s);
            }
        }
    }

    /**
     * End the subscriptions of every session that closed, logged out or logged in as another user: the ends whose
     * request found the router's queue full. Not a hot path: it runs only after such a refusal.
     */
    void sweepEndedSessions()
    {
        bySession.forEach((sessionId, mine) ->
        {
            final Subscription first = mine.get(0);
            final ClientSession session = first.session;
            final AuthSession auth = session.auth();
            if (session.isClosed() || auth == null || auth.user() != first.user)
            {
                swept.add(session);
            }
        });
        for (final ClientSession session : swept)
        {
            unsubscribeAll(session.id());
        }
        swept.clear();
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

    /**
     * Give the replays their turns for this duty cycle.
     *
     * @return journal events read.
     */
    int advanceReplays()
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
        final JournalReader reader = s.replay;
        int read = 0;
        replayTarget = s;
        while (read < limit && reader.nextSeqNum() <= lastRoutedSeqNum && out.hasReplayRoom(session))
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
            if (!out.flush(session))
            {
                return read; // the I/O threads have stopped: the gateway is closing
            }
        }
        if (out.hasReplayRoom(session))
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
                // The journal no longer starts there: its oldest cycles were archived after the Subscribe was
                // answered (the Subscribe itself refuses a FromSeqNum before the oldest retained event). The
                // connection is closed naming the oldest SeqNum, so the client never receives a stream that
                // silently starts later.
                final long oldest = s.replay.nextSeqNum();
                s.replay.close();
                s.replay = null;
                out.closeRefused(s.session, "FromSeqNum: " + s.fromSeqNum +
                    " is before the oldest retained event, SeqNum " + oldest);
                unsubscribeAll(s.session.id());
                continue;
            }
            s.state = Subscription.State.REPLAYING;
            replaying.add(s);
        }
    }

    private void wrapEvent(final DirectBuffer buffer, final int offset)
    {
        headerDecoder.wrap(buffer, offset);
        event.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
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
        if (session.isClosed())
        {
            return;
        }
        if (!out.isWritable(session))
        {
            counters.slowConsumerCloses.incrementOrdered();
            closeSession(s, "slow consumer: unsent data passed ordergw.gateway.session-outbound-limit; " +
                "resubscribe with FromSeqNum=" + (s.lastSentSeqNum + 1));
            return;
        }
        final int length = frameEvent(s);
        if (!out.sendLive(session, frame.byteArray(), length))
        {
            return; // the I/O threads have stopped: the gateway is closing
        }
        s.lastSentSeqNum = seqNum;
        counters.eventsSent.incrementOrdered();
    }

    private void sendReplayEvent(final Subscription s, final long seqNum)
    {
        final int length = frameEvent(s);
        if (!out.writeReplay(s.session, frame.byteArray(), length))
        {
            return; // the I/O threads have stopped: the gateway is closing
        }
        replayUnflushed = true;
        s.lastSentSeqNum = seqNum;
        counters.eventsSent.incrementOrdered();
    }

    /** The event encoded last, framed for a subscription: the payload spliced into the frame, copied once. */
    private int frameEvent(final Subscription s)
    {
        return ApexFrameEncoder.putEventFrame(frame, 0, s.sequence, EVENT_NAME, payload, 0, eventLength);
    }

    /** End a session that cannot keep up: every subscription off, a close 1008 with the reason, the socket after. */
    private void closeSession(final Subscription s, final String reason)
    {
        final ClientSession session = s.session;
        final User user = session.auth() == null ? null : session.auth().user();
        Audit.slowConsumerClosed(user == null ? null : user.name(), session.remoteAddress(), s.accountId,
            s.lastSentSeqNum, reason);
        unsubscribeAll(session.id());
        out.closeSlowConsumer(session, reason);
    }
}
