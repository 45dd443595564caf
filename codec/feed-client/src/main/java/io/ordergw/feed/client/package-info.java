/**
 * The Java client of ordergw's Aeron event feed, for in-house consumers: {@link io.ordergw.feed.client.FeedSubscriber}
 * delivers every {@code OrderStateEvent} once and in SeqNum order, replaying gaps from the gateway's journal;
 * {@link io.ordergw.feed.client.TailFeed} is a runnable example. The package depends only on the SBE flyweights of
 * {@code ordergw-codec}, Agrona and the Aeron client (the build refuses anything of the engine or the gateway).
 */
package io.ordergw.feed.client;
