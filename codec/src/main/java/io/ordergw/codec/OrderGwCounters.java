package io.ordergw.codec;

import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * Every counter type id ordergw allocates, in one place (as Aeron's {@code AeronCounters}): a counter is found by its
 * type id and its key, never by its label, so labels may be reworded freely. Aeron keeps the ids below 1000 for
 * itself; ordergw's are 1001-1199:
 * <pre>
 *   1001-1039  engine: commands, refusals, the book, the journal, the rings, journal lag
 *   1040-1049  agent runners (error counters)
 *   1050-1079  gateway edge and router
 *   1080-1099  feed publisher and replay service
 *   1100-1199  reserved for the standalone feed client (subscriber statistics), allocated by that module
 * </pre>
 * Most kinds have one counter per process and an empty key. The others carry a key whose layout is given beside their
 * id: an int or two at the start of the key buffer, little-endian as Agrona writes them.
 * <p>
 * The registry lives in the codec module because every other module depends on it, the standalone feed client
 * included, which must not import the engine.
 */
public final class OrderGwCounters
{
    /** Lowest type id ordergw uses. */
    public static final int MIN_TYPE_ID = 1001;
    /** Highest type id ordergw uses. */
    public static final int MAX_TYPE_ID = 1199;

    /** Order commands the engine took from its ingress ring. */
    public static final int ENGINE_COMMANDS_RECEIVED_TYPE_ID = 1001;
    /** Events journaled and applied to the book. */
    public static final int ENGINE_EVENTS_APPLIED_TYPE_ID = 1002;
    /** Exact repeats acknowledged again. */
    public static final int ENGINE_REPEATS_ACKNOWLEDGED_TYPE_ID = 1003;
    /** Order commands refused. Key: int APEX error code (100, 101, 102, 104). */
    public static final int ENGINE_REFUSED_TYPE_ID = 1004;
    /** Queries answered. */
    public static final int ENGINE_QUERIES_TYPE_ID = 1005;
    /** SeqNum of the last journaled event. */
    public static final int ENGINE_JOURNAL_SEQNUM_TYPE_ID = 1006;
    /** Open orders in the book. */
    public static final int ENGINE_OPEN_ORDERS_TYPE_ID = 1007;
    /** Terminal orders the book still holds. */
    public static final int ENGINE_RETAINED_ORDERS_TYPE_ID = 1008;
    /** Replies that waited for room in the egress ring. */
    public static final int ENGINE_EGRESS_BACK_PRESSURE_TYPE_ID = 1009;
    /** Snapshots written. */
    public static final int ENGINE_SNAPSHOTS_TYPE_ID = 1010;
    /** Journal append failures. */
    public static final int ENGINE_JOURNAL_FAULTS_TYPE_ID = 1011;
    /** SeqNum the snapshot follower's book is at. */
    public static final int SNAPSHOT_FOLLOWER_SEQNUM_TYPE_ID = 1012;
    /** Bytes waiting in a ring, sampled once per duty cycle by the agent that reads it. Key: int ring id. */
    public static final int RING_DEPTH_TYPE_ID = 1013;
    /** A ring's capacity in bytes, set once. Key: int ring id. */
    public static final int RING_CAPACITY_TYPE_ID = 1014;
    /** Journal SeqNum minus what a consumer of the journal has taken. Key: int consumer id. */
    public static final int JOURNAL_LAG_TYPE_ID = 1015;
    /** Messages on the ingress ring that are not a command the engine knows (skipped). */
    public static final int ENGINE_UNKNOWN_COMMANDS_TYPE_ID = 1016;
    /** The journal's oldest retained SeqNum. */
    public static final int JOURNAL_OLDEST_SEQNUM_TYPE_ID = 1020;
    /** The last SeqNum {@code ordergw archive} may move out now (0 when none). */
    public static final int JOURNAL_ARCHIVABLE_SEQNUM_TYPE_ID = 1021;
    /** Cycle files {@code ordergw archive} may move out now. */
    public static final int JOURNAL_ARCHIVABLE_CYCLES_TYPE_ID = 1022;

    /** Errors an agent runner caught. Key: the agent's role name, ASCII, as long as the key allows. */
    public static final int AGENT_ERRORS_TYPE_ID = 1040;

    /** Requests received (frames and HTTP requests). */
    public static final int GATEWAY_REQUESTS_TYPE_ID = 1050;
    /** Frames that could not be read as APEX frames. */
    public static final int GATEWAY_BAD_FRAMES_TYPE_ID = 1051;
    /** SendExchangeOrderStateEvent refused at the edge. */
    public static final int GATEWAY_EDGE_REFUSALS_TYPE_ID = 1052;
    /** Requests refused because the ingress ring was full. */
    public static final int GATEWAY_INGRESS_FULL_TYPE_ID = 1053;
    /** Successful logins. */
    public static final int GATEWAY_LOGINS_TYPE_ID = 1054;
    /** Failed logins. */
    public static final int GATEWAY_LOGIN_FAILURES_TYPE_ID = 1055;
    /** Open sessions. */
    public static final int GATEWAY_SESSIONS_TYPE_ID = 1056;
    /** Active subscriptions. */
    public static final int GATEWAY_SUBSCRIPTIONS_TYPE_ID = 1057;
    /** Events sent to subscribers. */
    public static final int GATEWAY_EVENTS_SENT_TYPE_ID = 1058;
    /** Sessions closed as slow consumers. */
    public static final int GATEWAY_SLOW_CONSUMER_CLOSES_TYPE_ID = 1059;
    /** Replies and events dropped because their session had gone. */
    public static final int GATEWAY_ORPHAN_RESPONSES_TYPE_ID = 1060;
    /** SeqNum of the last event routed to sessions. */
    public static final int GATEWAY_ROUTED_SEQNUM_TYPE_ID = 1061;
    /** Times the feed was rebuilt on a new Aeron client. */
    public static final int GATEWAY_FEED_RECONNECTS_TYPE_ID = 1062;
    /** Subscription changes refused because the router's command queue was full. */
    public static final int GATEWAY_ROUTER_QUEUE_FULL_TYPE_ID = 1063;

    /** SeqNum of the last event a publication took. Key: int stream id, int transport. */
    public static final int FEED_PUBLISHED_SEQNUM_TYPE_ID = 1080;
    /** Journal SeqNum minus the publication's published SeqNum. Key: int stream id, int transport. */
    public static final int FEED_LAG_TYPE_ID = 1081;
    /** Events a publication took. Key: int stream id, int transport. */
    public static final int FEED_EVENTS_PUBLISHED_TYPE_ID = 1082;
    /** Publisher duty cycles that ended on back pressure. Key: int stream id, int transport. */
    public static final int FEED_BACK_PRESSURED_TYPE_ID = 1083;
    /** Publisher duty cycles that found no subscriber. Key: int stream id, int transport. */
    public static final int FEED_NOT_CONNECTED_TYPE_ID = 1084;
    /** Publisher duty cycles that ended on a term rotation. Key: int stream id, int transport. */
    public static final int FEED_ADMIN_ACTIONS_TYPE_ID = 1085;
    /** Publications recreated. Key: int stream id, int transport. */
    public static final int FEED_PUBLICATIONS_RECREATED_TYPE_ID = 1086;
    /** Consumers connected to a publication. Key: int stream id, int transport. */
    public static final int FEED_CONSUMERS_TYPE_ID = 1087;
    /** Replay requests received. */
    public static final int FEED_REPLAY_REQUESTS_TYPE_ID = 1090;
    /** Replays being served now. */
    public static final int FEED_REPLAYS_ACTIVE_TYPE_ID = 1091;
    /** Replays that ended with a ReplayEnd. */
    public static final int FEED_REPLAYS_COMPLETED_TYPE_ID = 1092;
    /** Replays abandoned. */
    public static final int FEED_REPLAYS_FAILED_TYPE_ID = 1093;
    /** Replay requests dropped. */
    public static final int FEED_REPLAYS_REJECTED_TYPE_ID = 1094;
    /** Events sent by replays. */
    public static final int FEED_REPLAY_EVENTS_TYPE_ID = 1095;
    /** Replay duty cycles that ended on back pressure. */
    public static final int FEED_REPLAY_BACK_PRESSURED_TYPE_ID = 1096;

    /** First type id of the range the standalone feed client allocates its own counters in. */
    public static final int FEED_CLIENT_MIN_TYPE_ID = 1100;
    /** Last type id of the feed client's range. */
    public static final int FEED_CLIENT_MAX_TYPE_ID = 1199;

    /** Ring id in a {@link #RING_DEPTH_TYPE_ID} key: the engine's ingress ring (edge to engine). */
    public static final int RING_INGRESS = 1;
    /** Ring id in a {@link #RING_DEPTH_TYPE_ID} key: the engine's egress ring (engine to router). */
    public static final int RING_EGRESS = 2;

    /** Consumer id in a {@link #JOURNAL_LAG_TYPE_ID} key: the router, which sends events on to sessions. */
    public static final int CONSUMER_ROUTER = 1;
    /** Consumer id in a {@link #JOURNAL_LAG_TYPE_ID} key: the snapshot follower. */
    public static final int CONSUMER_SNAPSHOT_FOLLOWER = 2;

    /** Transport in a feed publication's key: Aeron IPC. */
    public static final int TRANSPORT_IPC = 1;
    /** Transport in a feed publication's key: Aeron UDP. */
    public static final int TRANSPORT_UDP = 2;

    /** Offset of the first int of a key. */
    public static final int KEY_FIRST_OFFSET = 0;
    /** Offset of the second int of a key. */
    public static final int KEY_SECOND_OFFSET = 4;

    private static final Int2ObjectHashMap<String> NAMES = new Int2ObjectHashMap<>();

    static
    {
        name(ENGINE_COMMANDS_RECEIVED_TYPE_ID, "engine commands received");
        name(ENGINE_EVENTS_APPLIED_TYPE_ID, "engine events applied");
        name(ENGINE_REPEATS_ACKNOWLEDGED_TYPE_ID, "engine repeats acknowledged");
        name(ENGINE_REFUSED_TYPE_ID, "engine refused [code]");
        name(ENGINE_QUERIES_TYPE_ID, "engine queries");
        name(ENGINE_JOURNAL_SEQNUM_TYPE_ID, "engine journal seqnum");
        name(ENGINE_OPEN_ORDERS_TYPE_ID, "engine open orders");
        name(ENGINE_RETAINED_ORDERS_TYPE_ID, "engine retained orders");
        name(ENGINE_EGRESS_BACK_PRESSURE_TYPE_ID, "engine egress back pressure");
        name(ENGINE_SNAPSHOTS_TYPE_ID, "engine snapshots");
        name(ENGINE_JOURNAL_FAULTS_TYPE_ID, "engine journal faults");
        name(SNAPSHOT_FOLLOWER_SEQNUM_TYPE_ID, "snapshot follower seqnum");
        name(RING_DEPTH_TYPE_ID, "ring depth bytes [ring]");
        name(RING_CAPACITY_TYPE_ID, "ring capacity bytes [ring]");
        name(JOURNAL_LAG_TYPE_ID, "journal lag [consumer]");
        name(ENGINE_UNKNOWN_COMMANDS_TYPE_ID, "engine unknown commands");
        name(JOURNAL_OLDEST_SEQNUM_TYPE_ID, "journal oldest seqnum");
        name(JOURNAL_ARCHIVABLE_SEQNUM_TYPE_ID, "journal archivable seqnum");
        name(JOURNAL_ARCHIVABLE_CYCLES_TYPE_ID, "journal archivable cycles");
        name(AGENT_ERRORS_TYPE_ID, "agent errors [role name]");
        name(GATEWAY_REQUESTS_TYPE_ID, "gateway requests");
        name(GATEWAY_BAD_FRAMES_TYPE_ID, "gateway bad frames");
        name(GATEWAY_EDGE_REFUSALS_TYPE_ID, "gateway edge refusals");
        name(GATEWAY_INGRESS_FULL_TYPE_ID, "gateway ingress full");
        name(GATEWAY_LOGINS_TYPE_ID, "gateway logins");
        name(GATEWAY_LOGIN_FAILURES_TYPE_ID, "gateway login failures");
        name(GATEWAY_SESSIONS_TYPE_ID, "gateway sessions");
        name(GATEWAY_SUBSCRIPTIONS_TYPE_ID, "gateway subscriptions");
        name(GATEWAY_EVENTS_SENT_TYPE_ID, "gateway events sent");
        name(GATEWAY_SLOW_CONSUMER_CLOSES_TYPE_ID, "gateway slow consumer closes");
        name(GATEWAY_ORPHAN_RESPONSES_TYPE_ID, "gateway orphan responses");
        name(GATEWAY_ROUTED_SEQNUM_TYPE_ID, "gateway routed seqnum");
        name(GATEWAY_FEED_RECONNECTS_TYPE_ID, "gateway feed reconnects");
        name(GATEWAY_ROUTER_QUEUE_FULL_TYPE_ID, "gateway router queue full");
        name(FEED_PUBLISHED_SEQNUM_TYPE_ID, "feed published seqnum [stream, transport]");
        name(FEED_LAG_TYPE_ID, "feed lag [stream, transport]");
        name(FEED_EVENTS_PUBLISHED_TYPE_ID, "feed events published [stream, transport]");
        name(FEED_BACK_PRESSURED_TYPE_ID, "feed back pressured [stream, transport]");
        name(FEED_NOT_CONNECTED_TYPE_ID, "feed not connected [stream, transport]");
        name(FEED_ADMIN_ACTIONS_TYPE_ID, "feed admin actions [stream, transport]");
        name(FEED_PUBLICATIONS_RECREATED_TYPE_ID, "feed publications recreated [stream, transport]");
        name(FEED_CONSUMERS_TYPE_ID, "feed consumers [stream, transport]");
        name(FEED_REPLAY_REQUESTS_TYPE_ID, "feed replay requests");
        name(FEED_REPLAYS_ACTIVE_TYPE_ID, "feed replays active");
        name(FEED_REPLAYS_COMPLETED_TYPE_ID, "feed replays completed");
        name(FEED_REPLAYS_FAILED_TYPE_ID, "feed replays failed");
        name(FEED_REPLAYS_REJECTED_TYPE_ID, "feed replays rejected");
        name(FEED_REPLAY_EVENTS_TYPE_ID, "feed replay events");
        name(FEED_REPLAY_BACK_PRESSURED_TYPE_ID, "feed replay back pressured");
    }

    private OrderGwCounters()
    {
    }

    private static void name(final int typeId, final String name)
    {
        if (null != NAMES.put(typeId, name))
        {
            throw new IllegalStateException("counter type id registered twice: " + typeId);
        }
    }

    /**
     * Whether a type id is ordergw's: registered here, or in the range reserved for the feed client.
     *
     * @param typeId the type id.
     * @return true when it is.
     */
    public static boolean isRegistered(final int typeId)
    {
        return NAMES.containsKey(typeId) || isFeedClient(typeId);
    }

    /**
     * Whether a type id is in the range reserved for the standalone feed client.
     *
     * @param typeId the type id.
     * @return true when it is.
     */
    public static boolean isFeedClient(final int typeId)
    {
        return typeId >= FEED_CLIENT_MIN_TYPE_ID && typeId <= FEED_CLIENT_MAX_TYPE_ID;
    }

    /**
     * The kind of counter a type id stands for, with the parts of its key in brackets.
     *
     * @param typeId the type id.
     * @return the name, "feed client" in the feed client's range, null when it is not ordergw's.
     */
    public static String typeName(final int typeId)
    {
        final String name = NAMES.get(typeId);
        return null == name && isFeedClient(typeId) ? "feed client" : name;
    }

    /**
     * Allocate a counter with an empty key.
     *
     * @param countersManager where.
     * @param typeId          a registered type id.
     * @param label           what operators read.
     * @return the counter.
     */
    public static AtomicCounter allocate(final CountersManager countersManager, final int typeId, final String label)
    {
        return countersManager.newCounter(label, checked(typeId));
    }

    /**
     * Allocate a counter whose key is one int.
     *
     * @param countersManager where.
     * @param typeId          a registered type id.
     * @param key             the key's int.
     * @param label           what operators read.
     * @return the counter.
     */
    public static AtomicCounter allocate(
        final CountersManager countersManager, final int typeId, final int key, final String label)
    {
        return countersManager.newCounter(
            label, checked(typeId), (keyBuffer) -> keyBuffer.putInt(KEY_FIRST_OFFSET, key));
    }

    /**
     * Allocate a counter whose key is two ints.
     *
     * @param countersManager where.
     * @param typeId          a registered type id.
     * @param first           the key's first int.
     * @param second          the key's second int.
     * @param label           what operators read.
     * @return the counter.
     */
    public static AtomicCounter allocate(
        final CountersManager countersManager, final int typeId, final int first, final int second, final String label)
    {
        return countersManager.newCounter(label, checked(typeId), (keyBuffer) ->
        {
            keyBuffer.putInt(KEY_FIRST_OFFSET, first);
            keyBuffer.putInt(KEY_SECOND_OFFSET, second);
        });
    }

    /**
     * Allocate the error counter of an agent runner: type {@link #AGENT_ERRORS_TYPE_ID}, keyed by the agent's role name
     * up to its first space (ASCII, cut to the key's length), so that each runner's counter is found by its name.
     *
     * @param countersManager where.
     * @param roleName        the agent's {@code roleName()}.
     * @return the counter, for {@code AgentRunner}'s error counter.
     */
    public static AtomicCounter allocateAgentErrors(final CountersManager countersManager, final String roleName)
    {
        // A composite's role name lists its agents after a space ("ordergw-shared [a,b]"): the key is the name before
        // it, one word, so that tools can print it as one column; the label keeps the whole role name.
        final int space = roleName.indexOf(' ');
        final int length = Math.min(space < 0 ? roleName.length() : space, CountersReader.MAX_KEY_LENGTH);
        return countersManager.newCounter("agent errors: " + roleName, AGENT_ERRORS_TYPE_ID, (keyBuffer) ->
        {
            for (int i = 0; i < length; i++)
            {
                final char c = roleName.charAt(i);
                keyBuffer.putByte(i, (byte)(c < 128 ? c : '?'));
            }
        });
    }

    /**
     * A type id that may be allocated: registered here, or in the feed client's range (which that module manages).
     */
    private static int checked(final int typeId)
    {
        if (!isRegistered(typeId))
        {
            throw new IllegalArgumentException("counter type id " + typeId + " is not in OrderGwCounters");
        }
        return typeId;
    }

    /**
     * The first allocated counter of a type, whatever its key.
     *
     * @param reader the counters.
     * @param typeId the type id.
     * @return its counter id, or {@link CountersReader#NULL_COUNTER_ID}.
     */
    public static int find(final CountersReader reader, final int typeId)
    {
        return find(reader, typeId, false, 0, false, 0);
    }

    /**
     * The allocated counter of a type whose key starts with an int.
     *
     * @param reader the counters.
     * @param typeId the type id.
     * @param key    the key's first int.
     * @return its counter id, or {@link CountersReader#NULL_COUNTER_ID}.
     */
    public static int find(final CountersReader reader, final int typeId, final int key)
    {
        return find(reader, typeId, true, key, false, 0);
    }

    /**
     * The allocated counter of a type whose key starts with two ints.
     *
     * @param reader the counters.
     * @param typeId the type id.
     * @param first  the key's first int.
     * @param second the key's second int.
     * @return its counter id, or {@link CountersReader#NULL_COUNTER_ID}.
     */
    public static int find(final CountersReader reader, final int typeId, final int first, final int second)
    {
        return find(reader, typeId, true, first, true, second);
    }

    private static int find(
        final CountersReader reader,
        final int typeId,
        final boolean matchFirst,
        final int first,
        final boolean matchSecond,
        final int second)
    {
        final DirectBuffer metaData = reader.metaDataBuffer();
        final int maxCounterId = reader.maxCounterId();
        for (int id = 0; id < maxCounterId; id++)
        {
            final int state = reader.getCounterState(id);
            if (CountersReader.RECORD_UNUSED == state)
            {
                break; // records are allocated in order: nothing after the first that was never used
            }
            if (CountersReader.RECORD_ALLOCATED == state && reader.getCounterTypeId(id) == typeId)
            {
                final int keyOffset = CountersReader.metaDataOffset(id) + CountersReader.KEY_OFFSET;
                if ((!matchFirst || metaData.getInt(keyOffset + KEY_FIRST_OFFSET) == first) &&
                    (!matchSecond || metaData.getInt(keyOffset + KEY_SECOND_OFFSET) == second))
                {
                    return id;
                }
            }
        }
        return CountersReader.NULL_COUNTER_ID;
    }

    /**
     * The first int of a counter's key.
     *
     * @param reader    the counters.
     * @param counterId the counter.
     * @return the int.
     */
    public static int keyFirst(final CountersReader reader, final int counterId)
    {
        return reader.metaDataBuffer().getInt(
            CountersReader.metaDataOffset(counterId) + CountersReader.KEY_OFFSET + KEY_FIRST_OFFSET);
    }

    /**
     * The second int of a counter's key.
     *
     * @param reader    the counters.
     * @param counterId the counter.
     * @return the int.
     */
    public static int keySecond(final CountersReader reader, final int counterId)
    {
        return reader.metaDataBuffer().getInt(
            CountersReader.metaDataOffset(counterId) + CountersReader.KEY_OFFSET + KEY_SECOND_OFFSET);
    }

    /**
     * A counter's key as text, read by the layout its type id gives: {@code code=100}, {@code ring=ingress},
     * {@code consumer=router}, {@code stream=1001 transport=ipc}, an agent's role name; empty for an empty key.
     *
     * @param reader    the counters.
     * @param counterId the counter.
     * @return the text.
     */
    public static String describeKey(final CountersReader reader, final int counterId)
    {
        final int typeId = reader.getCounterTypeId(counterId);
        final int first = keyFirst(reader, counterId);
        switch (typeId)
        {
            case ENGINE_REFUSED_TYPE_ID:
                return "code=" + first;
            case RING_DEPTH_TYPE_ID:
            case RING_CAPACITY_TYPE_ID:
                return "ring=" + (RING_INGRESS == first ? "ingress" : RING_EGRESS == first ? "egress" : first);
            case JOURNAL_LAG_TYPE_ID:
                return "consumer=" + (CONSUMER_ROUTER == first ? "router" :
                    CONSUMER_SNAPSHOT_FOLLOWER == first ? "snapshot-follower" : first);
            case AGENT_ERRORS_TYPE_ID:
                return "agent=" + asciiKey(reader, counterId);
            default:
                if (typeId >= FEED_PUBLISHED_SEQNUM_TYPE_ID && typeId <= FEED_CONSUMERS_TYPE_ID)
                {
                    return "stream=" + first + " transport=" + transportName(keySecond(reader, counterId));
                }
                final int second = keySecond(reader, counterId);
                return 0 == first && 0 == second ? "" : "key=" + first + "," + second;
        }
    }

    private static String asciiKey(final CountersReader reader, final int counterId)
    {
        final DirectBuffer metaData = reader.metaDataBuffer();
        final int offset = CountersReader.metaDataOffset(counterId) + CountersReader.KEY_OFFSET;
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < CountersReader.MAX_KEY_LENGTH; i++)
        {
            final byte b = metaData.getByte(offset + i);
            if (0 == b)
            {
                break;
            }
            text.append((char)b);
        }
        return text.toString();
    }

    /**
     * The name of a transport in a feed publication's key.
     *
     * @param transport {@link #TRANSPORT_IPC} or {@link #TRANSPORT_UDP}.
     * @return "ipc", "udp" or the number.
     */
    public static String transportName(final int transport)
    {
        return TRANSPORT_IPC == transport ? "ipc" : TRANSPORT_UDP == transport ? "udp" : Integer.toString(transport);
    }
}
