/**
 * The order-state engine: one agent that takes SBE commands from its ingress ring, decides each against the book,
 * journals it and replies on its egress ring; the proxy and adapter the gateway uses to talk to it, recovery from
 * snapshot and journal, the snapshot follower, latency recording and the audit log.
 */
package io.ordergw.engine;
