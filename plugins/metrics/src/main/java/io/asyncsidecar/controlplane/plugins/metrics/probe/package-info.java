/**
 * The metrics plugin's side of the SPI's {@link io.asyncsidecar.controlplane.spi.metrics.MetricsProbe}: the guarded
 * scraper and exposition parser reduced to the names an exposition offers, and a small client of the Prometheus HTTP
 * API (instant queries, metric names) that goes through the same request forgery guard and limits.
 */
package io.asyncsidecar.controlplane.plugins.metrics.probe;
