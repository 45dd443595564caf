/**
 * JMH benchmarks of each stage alone: decode, encode, state machine, ring, journal, Aeron and the whole pipeline.
 */
package io.ordergw.bench.jmh;
