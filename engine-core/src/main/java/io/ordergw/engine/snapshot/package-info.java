/**
 * Snapshots of the book on disk: the latest event of every order, in SeqNum order, read back at start so that
 * recovery replays only the journal after the newest snapshot.
 */
package io.ordergw.engine.snapshot;
