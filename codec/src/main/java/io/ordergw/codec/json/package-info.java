/**
 * APEX JSON at the edge: the frame decoder and encoder, the streaming payload reader (jackson-core) that turns a
 * {@code SendExchangeOrderStateEvent} into an SBE command, and the writer that renders events and replies as JSON.
 * Decoding and encoding reuse their buffers: nothing here allocates per message.
 */
package io.ordergw.codec.json;
