/**
 * The router: the one thread that sends the engine's replies to the sessions that asked, renders query answers, and
 * routes every event to the sessions subscribed to its account, in SeqNum order.
 * <ul>
 *     <li>{@link io.ordergw.gateway.route.RouterProxy} takes subscription changes from any thread onto a bounded ring
 *     (a full ring is counted and answered 102); {@link io.ordergw.gateway.route.RouterCommandAdapter} reads them on
 *     the router's thread.</li>
 *     <li>{@link io.ordergw.gateway.route.ReplyRenderer} writes replies and query answers, from the book's events that
 *     travel with each answer.</li>
 *     <li>{@link io.ordergw.gateway.route.EventFanOut} sends live events and paced replays from the journal
 *     ({@code FromSeqNum}), with no gap and no duplicate at the hand-over.</li>
 * </ul>
 */
package io.ordergw.gateway.route;
