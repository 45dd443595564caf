/**
 * The network edge on Netty: the WebSocket and HTTP server, its channel pipelines, client sessions and their
 * registry, the writer of each answer (an APEX frame or an HTTP response), and the status, health and metrics pages.
 */
package io.ordergw.gateway.net;
