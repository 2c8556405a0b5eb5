/**
 * A streaming parser for the Prometheus text format 0.0.4 and OpenMetrics 1.0
 * ({@link io.asyncsidecar.controlplane.plugins.metrics.exposition.ExpositionParser}) that keeps families' metadata
 * and counts, never sample values or whole bodies.
 */
package io.asyncsidecar.controlplane.plugins.metrics.exposition;
