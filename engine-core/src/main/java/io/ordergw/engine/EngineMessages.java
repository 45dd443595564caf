package io.ordergw.engine;

/**
 * Message type ids on the engine's rings. Every message is an SBE message with its header; the ring's type id says
 * which direction's family it belongs to, the SBE template id which message it is.
 */
public final class EngineMessages
{
    /** An SBE-encoded command on the ingress ring (OrderStateCommand, QueryCommand). */
    public static final int COMMAND = 1;
    /** An SBE-encoded response on the egress ring (Reply, QueryReply). */
    public static final int RESPONSE = 2;
    /** A leading piece of a response too large for one ring message; the last piece is a {@link #RESPONSE}. */
    public static final int RESPONSE_FRAGMENT = 3;

    /** Most order SeqNums in one QueryReply. */
    public static final int MAX_QUERY_RESULTS = 10_000;

    private EngineMessages()
    {
    }
}
