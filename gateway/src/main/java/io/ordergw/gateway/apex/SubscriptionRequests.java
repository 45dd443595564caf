package io.ordergw.gateway.apex;

import io.ordergw.gateway.net.ClientSession;

/**
 * What the request processor asks of the thread that owns subscriptions. Calls may come from any thread; the
 * implementation hands them to its own thread without waiting: a change it has no room for is refused, and the
 * caller answers 102.
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
     * @return false if it was refused because the router's queue is full.
     */
    boolean subscribe(ClientSession session, int accountId, long sequence, long fromSeqNum);

    /**
     * End a session's subscription to an account.
     *
     * @param session   the session.
     * @param accountId the account.
     * @return false if it was refused because the router's queue is full.
     */
    boolean unsubscribe(ClientSession session, int accountId);

    /**
     * End every subscription of a session (log out, close, another user's login). Never refused: when the queue is
     * full the router finds the session's subscriptions by the session having ended.
     *
     * @param session the session.
     */
    void unsubscribeAll(ClientSession session);
}
