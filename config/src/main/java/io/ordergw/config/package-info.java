/**
 * The gateway's settings: {@code reference.conf} and the operator's HOCON file parsed once at start into immutable
 * {@link io.ordergw.config.OrderGwConfig} sections, the instrument table, and the idle strategies by name. A bad
 * setting is a {@link io.ordergw.config.ConfigError} naming its path and the rule it breaks.
 */
package io.ordergw.config;
