/**
 * The in-memory book of order states, touched only by the engine thread: each order's latest event, indexed by order
 * id and by account, with the limits on open and retained orders and the state hash that recovery and the tests
 * compare.
 */
package io.ordergw.engine.book;
