/**
 * The gateway's side of the Aeron feed: the embedded media driver and its directory, named from the data directory
 * ({@link io.ordergw.gateway.feed.EmbeddedDriver}), the feed's UDP ports ({@link io.ordergw.gateway.feed.FeedPorts}),
 * the feed client's contexts built from the settings ({@link io.ordergw.gateway.feed.FeedContexts}) and the
 * {@code ordergw tail-feed} command. The client itself is the separate {@code ordergw-feed-client} module.
 */
package io.ordergw.gateway.feed;
