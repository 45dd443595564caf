/**
 * The {@code --demo-feed} operator: plays order lifecycles (accepted, partly filled, modified, filled, canceled,
 * expired, rejected) through the gateway so that a demo shows live events.
 */
package io.ordergw.gateway.demo;
