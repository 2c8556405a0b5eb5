/**
 * Services the metrics plugin shares with other plugins: scraping an exposition endpoint and asking a Prometheus
 * HTTP API, both under the metrics plugin's SSRF rules (allow list, no link-local or metadata addresses, redirects
 * re-checked), so a consumer such as the KEDA plugin's trigger dry-run never opens a connection of its own.
 */
package io.asyncsidecar.controlplane.spi.metrics;
