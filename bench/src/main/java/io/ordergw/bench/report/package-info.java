/**
 * The benchmark report: runs the JMH suite and the load sweeps, compares each figure with its floor and target, and
 * writes the tables and charts.
 */
package io.ordergw.bench.report;
