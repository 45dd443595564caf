/**
 * The gateway process: {@link io.ordergw.gateway.Main} and the command line, {@link io.ordergw.gateway.OrderGateway}
 * that wires engine, journal, feed and network together, the data-directory lock, log settings, the offline journal
 * commands and the one-line startup failures.
 */
package io.ordergw.gateway;
