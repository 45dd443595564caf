/**
 * Open-loop load: a generator on a fixed schedule that records latency from the intended send time, and the targets
 * it drives (the in-process pipeline, a gateway over WebSocket, and the floors: a bare ring echo and a WebSocket echo).
 */
package io.ordergw.bench.load;
