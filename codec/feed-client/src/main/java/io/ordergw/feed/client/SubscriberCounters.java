package io.ordergw.feed.client;

import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * The statistics of one {@link FeedSubscriber} as Agrona counters, so that they can be read from outside the
 * subscriber's thread and from another process ({@code AeronStat} on the consumer's media driver, or any
 * {@link CountersReader} over the buffer they are in).
 *
 * <h2>Type ids</h2>
 * The range 1100-1199 is reserved for the feed client; the ids below are used, the rest are free for it:
 * <table>
 *   <caption>counter type ids</caption>
 *   <tr><th>id</th><th>counter</th></tr>
 *   <tr><td>1100</td><td>{@link #EVENTS_DELIVERED_TYPE_ID events delivered}</td></tr>
 *   <tr><td>1101</td><td>{@link #EVENTS_FILTERED_TYPE_ID events of other accounts passed over}</td></tr>
 *   <tr><td>1102</td><td>{@link #EVENTS_REPLAYED_TYPE_ID events taken from replays}</td></tr>
 *   <tr><td>1103</td><td>{@link #DUPLICATES_DROPPED_TYPE_ID duplicates dropped}</td></tr>
 *   <tr><td>1104</td><td>{@link #GAPS_DETECTED_TYPE_ID gaps detected}</td></tr>
 *   <tr><td>1105</td><td>{@link #RECONNECTS_TYPE_ID live images that came or went}</td></tr>
 *   <tr><td>1106</td><td>{@link #REPLAYS_REQUESTED_TYPE_ID replay requests sent}</td></tr>
 *   <tr><td>1107</td><td>{@link #REPLAYS_COMPLETED_TYPE_ID replays completed}</td></tr>
 *   <tr><td>1108</td><td>{@link #REPLAYS_UNAVAILABLE_TYPE_ID replays answered not available}</td></tr>
 *   <tr><td>1109</td><td>{@link #REPLAY_TIMEOUTS_TYPE_ID replays that went quiet}</td></tr>
 *   <tr><td>1110</td><td>{@link #LISTENER_ERRORS_TYPE_ID exceptions thrown by the listener}</td></tr>
 *   <tr><td>1111</td><td>{@link #OLDEST_AVAILABLE_SEQ_NUM_TYPE_ID the journal's oldest SeqNum, as last told}</td></tr>
 *   <tr><td>1112</td><td>{@link #LAST_SEQ_NUM_TYPE_ID the SeqNum of the last event passed on}</td></tr>
 * </table>
 *
 * <h2>Key</h2>
 * Every counter's key is one long in native byte order (as Aeron writes its keys) at
 * {@link #SUBSCRIBER_ID_KEY_OFFSET}: the subscriber id, the registration id of its live subscription (unique per
 * Aeron driver). A reader finds one subscriber's counters by type id and key, without parsing labels. Labels read
 * {@code "feed-client <what>: subscriber=<id> <channel> stream <id>"}.
 * <p>
 * Only the subscriber's thread writes them (release stores, no lock, no allocation); any thread may read them.
 */
public final class SubscriberCounters implements AutoCloseable
{
    /** The first type id of the range reserved for the feed client. */
    public static final int TYPE_ID_RANGE_START = 1100;
    /** The last type id of the range reserved for the feed client. */
    public static final int TYPE_ID_RANGE_END = 1199;

    /** Events handed to the listener. */
    public static final int EVENTS_DELIVERED_TYPE_ID = 1100;
    /** Events of other accounts passed over by the account filter. */
    public static final int EVENTS_FILTERED_TYPE_ID = 1101;
    /** Events taken from replays rather than live. */
    public static final int EVENTS_REPLAYED_TYPE_ID = 1102;
    /** Events received again (live or replay) and dropped. */
    public static final int DUPLICATES_DROPPED_TYPE_ID = 1103;
    /** Gaps found in the SeqNums. */
    public static final int GAPS_DETECTED_TYPE_ID = 1104;
    /** Live images that came or went after the first event. */
    public static final int RECONNECTS_TYPE_ID = 1105;
    /** Replay requests sent. */
    public static final int REPLAYS_REQUESTED_TYPE_ID = 1106;
    /** Replays that ended complete. */
    public static final int REPLAYS_COMPLETED_TYPE_ID = 1107;
    /** Replays answered "not available, the oldest is M". */
    public static final int REPLAYS_UNAVAILABLE_TYPE_ID = 1108;
    /** Replays that went quiet and were asked for again. */
    public static final int REPLAY_TIMEOUTS_TYPE_ID = 1109;
    /** Exceptions thrown by the listener. */
    public static final int LISTENER_ERRORS_TYPE_ID = 1110;
    /** The oldest SeqNum the journal held when a replay was last answered not available (0 until then). */
    public static final int OLDEST_AVAILABLE_SEQ_NUM_TYPE_ID = 1111;
    /** The SeqNum of the last event delivered or passed over ({@link FeedSubscriber#lastSeqNum()}). */
    public static final int LAST_SEQ_NUM_TYPE_ID = 1112;

    /** Where the subscriber id is in each counter's key. */
    public static final int SUBSCRIBER_ID_KEY_OFFSET = 0;
    /** Length of each counter's key. */
    public static final int KEY_LENGTH = Long.BYTES;

    final AtomicCounter eventsDelivered;
    final AtomicCounter eventsFiltered;
    final AtomicCounter eventsReplayed;
    final AtomicCounter duplicatesDropped;
    final AtomicCounter gapsDetected;
    final AtomicCounter reconnects;
    final AtomicCounter replaysRequested;
    final AtomicCounter replaysCompleted;
    final AtomicCounter replaysUnavailable;
    final AtomicCounter replayTimeouts;
    final AtomicCounter listenerErrors;
    final AtomicCounter oldestAvailableSeqNum;
    final AtomicCounter lastSeqNum;

    private final long subscriberId;
    private final AtomicCounter[] all;

    /**
     * Allocate the counters in the Aeron client's driver (when {@code countersManager} is null) or in the given
     * manager. On failure the ones already allocated are freed.
     *
     * @param aeron           the client whose driver holds them, when no manager is given.
     * @param countersManager where to allocate them instead, or null.
     * @param subscriberId    the key of every counter.
     * @param channel         named in the labels.
     * @param streamId        named in the labels.
     */
    SubscriberCounters(
        final Aeron aeron,
        final CountersManager countersManager,
        final long subscriberId,
        final String channel,
        final int streamId)
    {
        this.subscriberId = subscriberId;
        final Allocator allocator = new Allocator(aeron, countersManager, subscriberId, channel, streamId);
        all = new AtomicCounter[LAST_SEQ_NUM_TYPE_ID - EVENTS_DELIVERED_TYPE_ID + 1];
        try
        {
            eventsDelivered = all[0] = allocator.allocate(EVENTS_DELIVERED_TYPE_ID, "events delivered");
            eventsFiltered = all[1] = allocator.allocate(EVENTS_FILTERED_TYPE_ID, "events filtered");
            eventsReplayed = all[2] = allocator.allocate(EVENTS_REPLAYED_TYPE_ID, "events replayed");
            duplicatesDropped = all[3] = allocator.allocate(DUPLICATES_DROPPED_TYPE_ID, "duplicates dropped");
            gapsDetected = all[4] = allocator.allocate(GAPS_DETECTED_TYPE_ID, "gaps detected");
            reconnects = all[5] = allocator.allocate(RECONNECTS_TYPE_ID, "reconnects");
            replaysRequested = all[6] = allocator.allocate(REPLAYS_REQUESTED_TYPE_ID, "replays requested");
            replaysCompleted = all[7] = allocator.allocate(REPLAYS_COMPLETED_TYPE_ID, "replays completed");
            replaysUnavailable = all[8] = allocator.allocate(REPLAYS_UNAVAILABLE_TYPE_ID, "replays unavailable");
            replayTimeouts = all[9] = allocator.allocate(REPLAY_TIMEOUTS_TYPE_ID, "replay timeouts");
            listenerErrors = all[10] = allocator.allocate(LISTENER_ERRORS_TYPE_ID, "listener errors");
            oldestAvailableSeqNum = all[11] =
                allocator.allocate(OLDEST_AVAILABLE_SEQ_NUM_TYPE_ID, "oldest available SeqNum");
            lastSeqNum = all[12] = allocator.allocate(LAST_SEQ_NUM_TYPE_ID, "last SeqNum");
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(all);
            throw ex;
        }
    }

    /**
     * The key of every counter of this subscriber: the registration id of its live subscription.
     *
     * @return the id.
     */
    public long subscriberId()
    {
        return subscriberId;
    }

    /**
     * The counter of a type id of the feed client's range, for reading (or for an agent that exports it).
     *
     * @param typeId one of the {@code *_TYPE_ID} constants.
     * @return the counter.
     * @throws IllegalArgumentException for a type id this class does not allocate.
     */
    public AtomicCounter counter(final int typeId)
    {
        if (typeId < EVENTS_DELIVERED_TYPE_ID || typeId > LAST_SEQ_NUM_TYPE_ID)
        {
            throw new IllegalArgumentException("typeId must be " + EVENTS_DELIVERED_TYPE_ID + ".." +
                LAST_SEQ_NUM_TYPE_ID + " (got " + typeId + ")");
        }
        return all[typeId - EVENTS_DELIVERED_TYPE_ID];
    }

    /**
     * Free the counters. Idempotent.
     */
    @Override
    public void close()
    {
        CloseHelper.quietCloseAll(all);
    }

    private static final class Allocator
    {
        private final Aeron aeron;
        private final CountersManager countersManager;
        private final String suffix;
        private final UnsafeBuffer key = new UnsafeBuffer(new byte[KEY_LENGTH]);
        private final UnsafeBuffer label = new UnsafeBuffer(new byte[CountersReader.MAX_LABEL_LENGTH]);

        Allocator(
            final Aeron aeron,
            final CountersManager countersManager,
            final long subscriberId,
            final String channel,
            final int streamId)
        {
            this.aeron = aeron;
            this.countersManager = countersManager;
            this.suffix = ": subscriber=" + subscriberId + " " + channel + " stream " + streamId;
            key.putLong(SUBSCRIBER_ID_KEY_OFFSET, subscriberId);
        }

        AtomicCounter allocate(final int typeId, final String what)
        {
            final String text = "feed-client " + what + suffix;
            final int labelLength = label.putStringWithoutLengthAscii(0, text, 0, label.capacity());
            if (null != countersManager)
            {
                return countersManager.newCounter(typeId, key, 0, KEY_LENGTH, label, 0, labelLength);
            }
            return aeron.addCounter(typeId, key, 0, KEY_LENGTH, label, 0, labelLength);
        }
    }
}
