/**
 * The benchmark launcher ({@code ./bench/run-report}): its settings, working directories and the JVM flags it hands
 * to every fork.
 */
package io.ordergw.bench;
