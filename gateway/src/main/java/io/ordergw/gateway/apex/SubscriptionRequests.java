package io.ordergw.gateway.apex;

import io.ordergw.gateway.net.ClientSession;

/**
 * What the request processor asks of the thread that owns subscriptions. Calls may come from any I/O thread; the
 * implementation hands them to its own thread.
 */
public interface SubscriptionRequests
{
    /**
     * Start (or restart) a session's subscription to an account's events.
     *
     * @param session    the session.
     * @param accountId  the account.
     * @param sequence   the Subscribe request's i, carried by every event frame.
     * @param fromSeqNum the first SeqNum to send; when the router has already routed it live, the subscription
     *                   replays from the journal until it catches up.
     */
    void subscribe(ClientSession session, int accountId, long sequence, long fromSeqNum);

    /**
     * End a session's subscription to an account.
     *
     * @param session   the session.
     * @param accountId the account.
     */
    void unsubscribe(ClientSession session, int accountId);

    /**
     * End every subscription of a session (log out, close).
     *
     * @param session the session.
     */
    void unsubscribeAll(ClientSession session);
}
