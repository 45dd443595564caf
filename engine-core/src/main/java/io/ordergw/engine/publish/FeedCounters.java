package io.ordergw.engine.publish;

import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.List;

/**
 * The feed's window for operators: Agrona counters, updated on the hot path without locks or allocation and readable
 * from any thread or process. By default they are Aeron client counters, so {@code AeronStat} shows them beside the
 * driver's own; a {@link CountersManager} can be given instead.
 */
public final class FeedCounters implements AutoCloseable
{
    /** Counter type id of every feed counter (engine counters are 1001, Aeron's own are below 1000). */
    public static final int FEED_COUNTER_TYPE_ID = 1002;

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

        PublicationCounters(final FeedCounters owner, final String name)
        {
            publishedSeqNum = owner.counter("feed " + name + ": published seqnum");
            lag = owner.counter("feed " + name + ": lag");
            eventsPublished = owner.counter("feed " + name + ": events published");
            backPressured = owner.counter("feed " + name + ": back pressured");
            notConnected = owner.counter("feed " + name + ": not connected");
            adminActions = owner.counter("feed " + name + ": admin actions");
            recreated = owner.counter("feed " + name + ": publication recreated");
            consumers = owner.counter("feed " + name + ": consumers");
        }
    }

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
     * @param ipcName         name of the IPC publication in labels.
     * @param udpName         name of the UDP publication in labels; null when there is none.
     */
    public FeedCounters(
        final Aeron aeron, final CountersManager countersManager, final String ipcName, final String udpName)
    {
        this.aeron = aeron;
        this.countersManager = countersManager;
        try
        {
            ipc = new PublicationCounters(this, ipcName);
            udp = udpName == null ? null : new PublicationCounters(this, udpName);
            replayRequests = counter("feed replay: requests");
            replaysActive = counter("feed replay: active");
            replaysCompleted = counter("feed replay: completed");
            replaysFailed = counter("feed replay: failed");
            replaysRejected = counter("feed replay: rejected");
            replayEvents = counter("feed replay: events");
            replayBackPressured = counter("feed replay: back pressured");
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private AtomicCounter counter(final String label)
    {
        final AtomicCounter counter = countersManager != null ?
            countersManager.newCounter(label, FEED_COUNTER_TYPE_ID) : aeron.addCounter(FEED_COUNTER_TYPE_ID, label);
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
