/**
 * The Aeron event feed (docs/feed.md): the {@link io.ordergw.engine.publish.EventPublisher} tails the journal and
 * offers every event to the IPC and UDP publications, each from its own
 * {@link io.ordergw.engine.publish.JournalCursor}, and the {@link io.ordergw.engine.publish.ReplayService} answers
 * consumers that ask for events by SeqNum, paced by each replay's publication. The core never waits for a consumer:
 * the journal is every consumer's buffer.
 */
package io.ordergw.engine.publish;
