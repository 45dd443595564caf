/**
 * Shared pieces of the wire formats: fixed-point decimals ({@link io.ordergw.codec.FixedPoint}), UTF-8 helpers and
 * the APEX error codes. The SBE flyweights of every internal message are generated into {@code io.ordergw.codec.sbe}
 * from {@code ordergw-schema.xml}.
 */
package io.ordergw.codec;
