package io.ordergw.gateway.route;

import io.ordergw.engine.journal.JournalReader;
import io.ordergw.gateway.auth.User;
import io.ordergw.gateway.net.ClientSession;

/**
 * One session's subscription to one account's events. Router thread only.
 */
final class Subscription
{
    enum State
    {
        /** Waiting for a replay slot. */
        WAITING,
        /** Catching up from the journal. */
        REPLAYING,
        /** Receiving live events. */
        LIVE,
        /** Ended (unsubscribed, logged out, closed): receives nothing more, even mid-way through a replay batch. */
        REMOVED
    }

    final ClientSession session;
    /** Who subscribed: a session logged in as someone else since is no longer owed these events. */
    final User user;
    final int accountId;
    long sequence;
    long fromSeqNum;
    State state;
    JournalReader replay;
    long lastSentSeqNum;
    /** Replaying and found no room in its session's outbound buffer, since {@link #stalledSinceNs}. */
    boolean stalled;
    long stalledSinceNs;

    Subscription(
        final ClientSession session, final User user, final int accountId, final long sequence, final long fromSeqNum)
    {
        this.session = session;
        this.user = user;
        this.accountId = accountId;
        this.sequence = sequence;
        this.fromSeqNum = fromSeqNum;
        // Nothing before FromSeqNum is owed: a repeated Subscribe asking for earlier events must start over.
        this.lastSentSeqNum = fromSeqNum - 1;
    }
}
