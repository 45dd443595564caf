/**
 * The order state machine: which transitions an order state event may make from the state the book holds, and the
 * refusal, with its reason, of every other.
 */
package io.ordergw.engine.state;
