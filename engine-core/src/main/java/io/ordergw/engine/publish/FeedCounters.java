package io.ordergw.engine.publish;

import io.aeron.Aeron;
import io.ordergw.codec.OrderGwCounters;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.List;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * The feed's window for operators: Agrona counters, updated on the hot path without locks or allocation and readable
 * from any thread or process. By default they are Aeron client counters, so {@code AeronStat} shows them beside the
 * driver's own; a {@link CountersManager} can be given instead. Each kind has its own type id in
 * {@link OrderGwCounters}; a publication's counters carry its stream id and transport in the key.
 */
public final class FeedCounters implements AutoCloseable
{

    /** The counters of one live publication. */
    public static final class PublicationCounters
    {
        /** SeqNum of the last event the publication took. */
        public final AtomicCounter publishedSeqNum;
        /** Journal SeqNum minus published SeqNum: events journaled but not yet on this publication. */
        public final AtomicCounter lag;
        /** Events the publication took. */
        public final AtomicCounter eventsPublished;
        /** Duty cycles that ended on BACK_PRESSURED: a subscriber is a window behind. */
        public final AtomicCounter backPressured;
        /** Duty cycles that ended on NOT_CONNECTED: no subscriber. */
        public final AtomicCounter notConnected;
        /** Duty cycles that ended on ADMIN_ACTION (term rotation). */
        public final AtomicCounter adminActions;
        /** Publications recreated after CLOSED or MAX_POSITION_EXCEEDED. */
        public final AtomicCounter recreated;
        /**
         * Consumers connected now: the media driver's destination count of a dynamic multi-destination (UDP) channel,
         * otherwise 1 while the publication is connected; 0 when no one listens.
         */
        public final AtomicCounter consumers;

        PublicationCounters(final FeedCounters owner, final int streamId, final int transport)
        {
            final String name = OrderGwCounters.transportName(transport) + " " + streamId;
            final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
            key.putInt(OrderGwCounters.KEY_FIRST_OFFSET, streamId);
            key.putInt(OrderGwCounters.KEY_SECOND_OFFSET, transport);
            publishedSeqNum = owner.counter(
                OrderGwCounters.FEED_PUBLISHED_SEQNUM_TYPE_ID, key, "feed " + name + ": published seqnum");
            lag = owner.counter(OrderGwCounters.FEED_LAG_TYPE_ID, key, "feed " + name + ": lag");
            eventsPublished = owner.counter(
                OrderGwCounters.FEED_EVENTS_PUBLISHED_TYPE_ID, key, "feed " + name + ": events published");
            backPressured = owner.counter(
                OrderGwCounters.FEED_BACK_PRESSURED_TYPE_ID, key, "feed " + name + ": back pressured");
            notConnected = owner.counter(
                OrderGwCounters.FEED_NOT_CONNECTED_TYPE_ID, key, "feed " + name + ": not connected");
            adminActions = owner.counter(
                OrderGwCounters.FEED_ADMIN_ACTIONS_TYPE_ID, key, "feed " + name + ": admin actions");
            recreated = owner.counter(
                OrderGwCounters.FEED_PUBLICATIONS_RECREATED_TYPE_ID, key, "feed " + name + ": publication recreated");
            consumers = owner.counter(OrderGwCounters.FEED_CONSUMERS_TYPE_ID, key, "feed " + name + ": consumers");
        }
    }

    /** The UDP stream id when there is no UDP publication. */
    public static final int NO_UDP = Integer.MIN_VALUE;

    private final Aeron aeron;
    private final CountersManager countersManager;
    private final List<AtomicCounter> all = new ArrayList<>();

    /** The IPC publication's counters. */
    public final PublicationCounters ipc;
    /** The UDP publication's counters; null when there is no UDP feed. */
    public final PublicationCounters udp;
    /** Replay requests received. */
    public final AtomicCounter replayRequests;
    /** Replays being served now. */
    public final AtomicCounter replaysActive;
    /** Replays that ended with a ReplayEnd. */
    public final AtomicCounter replaysCompleted;
    /** Replays abandoned: the consumer went away, never connected, or its channel was refused by the driver. */
    public final AtomicCounter replaysFailed;
    /** Requests dropped: too many replays at once, or not a usable request. */
    public final AtomicCounter replaysRejected;
    /** Events sent by replays. */
    public final AtomicCounter replayEvents;
    /** Replay duty cycles that ended on back pressure. */
    public final AtomicCounter replayBackPressured;

    /**
     * Allocate the counters.
     *
     * @param aeron           the client that allocates them when no counters manager is given.
     * @param countersManager where they live instead; null for the Aeron client's counters.
     * @param ipcStreamId     stream id of the IPC publication.
     * @param udpStreamId     stream id of the UDP publication; {@link #NO_UDP} when there is none.
     */
    public FeedCounters(
        final Aeron aeron, final CountersManager countersManager, final int ipcStreamId, final int udpStreamId)
    {
        this.aeron = aeron;
        this.countersManager = countersManager;
        try
        {
            ipc = new PublicationCounters(this, ipcStreamId, OrderGwCounters.TRANSPORT_IPC);
            udp = NO_UDP == udpStreamId ? null :
                new PublicationCounters(this, udpStreamId, OrderGwCounters.TRANSPORT_UDP);
            replayRequests = counter(OrderGwCounters.FEED_REPLAY_REQUESTS_TYPE_ID, null, "feed replay: requests");
            replaysActive = counter(OrderGwCounters.FEED_REPLAYS_ACTIVE_TYPE_ID, null, "feed replay: active");
            replaysCompleted = counter(OrderGwCounters.FEED_REPLAYS_COMPLETED_TYPE_ID, null, "feed replay: completed");
            replaysFailed = counter(OrderGwCounters.FEED_REPLAYS_FAILED_TYPE_ID, null, "feed replay: failed");
            replaysRejected = counter(OrderGwCounters.FEED_REPLAYS_REJECTED_TYPE_ID, null, "feed replay: rejected");
            replayEvents = counter(OrderGwCounters.FEED_REPLAY_EVENTS_TYPE_ID, null, "feed replay: events");
            replayBackPressured = counter(
                OrderGwCounters.FEED_REPLAY_BACK_PRESSURED_TYPE_ID, null, "feed replay: back pressured");
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private AtomicCounter counter(final int typeId, final UnsafeBuffer key, final String label)
    {
        final AtomicCounter counter;
        if (null != countersManager)
        {
            counter = null == key ? OrderGwCounters.allocate(countersManager, typeId, label) :
                OrderGwCounters.allocate(countersManager, typeId, key.getInt(OrderGwCounters.KEY_FIRST_OFFSET),
                key.getInt(OrderGwCounters.KEY_SECOND_OFFSET), label);
        }
        else
        {
            counter = null == key ? aeron.addCounter(typeId, label) :
                aeron.addCounter(typeId, key, 0, key.capacity(), new UnsafeBuffer(label.getBytes(US_ASCII)), 0,
                label.length());
        }
        all.add(counter);
        return counter;
    }

    @Override
    public void close()
    {
        CloseHelper.quietCloseAll(all);
        all.clear();
    }
}
