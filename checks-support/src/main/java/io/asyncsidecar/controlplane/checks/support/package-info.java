/**
 * Helpers for plugins that check the workspace chart's workloads: a degraded reading of raw Helm templates
 * ({@link io.asyncsidecar.controlplane.checks.support.RawChartTemplates}) for when no Helm engine rendered the chart,
 * the choice between the helm plugin's published rendering and that reading
 * ({@link io.asyncsidecar.controlplane.checks.support.ChartObjects}), pod-spec navigation
 * ({@link io.asyncsidecar.controlplane.checks.support.Workloads}) and Kubernetes quantities
 * ({@link io.asyncsidecar.controlplane.checks.support.Quantities}).
 *
 * <p>A library, not part of the SPI: each plugin that uses it bundles its own copy in its plugin folder (loaded
 * child-first), so it can change without touching the API third parties compile against. It exchanges only SPI
 * types ({@code RenderedChart}, {@code YamlDocument}, {@code Finding}) with the server and other plugins.
 */
package io.asyncsidecar.controlplane.checks.support;
