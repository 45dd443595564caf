/**
 * The gateway's counters made visible to other processes: {@link io.ordergw.gateway.stat.CountersFile} maps them into
 * the data directory and {@link io.ordergw.gateway.stat.StatCommand} ({@code ordergw stat}) prints them.
 */
package io.ordergw.gateway.stat;
