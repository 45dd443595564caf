/**
 * What {@code /metrics}, {@code /health} and {@code /ready} serve (docs/metrics.md):
 * {@link io.ordergw.gateway.metrics.GatewayMetrics} exports the Agrona counters, found by type id and key, and the
 * latency histograms with the Prometheus client library at scrape time, so the hot path never touches a Prometheus
 * object; {@link io.ordergw.gateway.metrics.Readiness} says whether the engine, journal and feed run.
 */
package io.ordergw.gateway.metrics;
