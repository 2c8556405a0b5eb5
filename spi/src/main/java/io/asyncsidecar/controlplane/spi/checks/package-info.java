/**
 * Shapes shared by plugins that check manifests (helm, argocd, keda, karpenter, and third-party check plugins):
 * the types that cross between plugins, and nothing that only helps write one.
 *
 * <ul>
 *   <li>Results: {@link io.asyncsidecar.controlplane.spi.checks.Finding findings} with stable check ids,
 *       {@link io.asyncsidecar.controlplane.spi.checks.CheckRule rules} and
 *       {@link io.asyncsidecar.controlplane.spi.checks.CheckReport reports}.</li>
 *   <li>Parsed manifests with line numbers: {@link io.asyncsidecar.controlplane.spi.checks.YamlFile} and
 *       {@link io.asyncsidecar.controlplane.spi.checks.YamlDocument}, and
 *       {@link io.asyncsidecar.controlplane.spi.checks.ObjectRef object references}.</li>
 *   <li>The workspace chart: rendered by the helm plugin and published as
 *       {@link io.asyncsidecar.controlplane.spi.checks.RenderedManifests}; consumers pick it or, when the helm plugin
 *       is absent or could not render, a degraded reading of the raw templates.</li>
 * </ul>
 *
 * <p>Helpers for writing a check plugin (safe YAML reading, workspace files, manifest navigation, ignore
 * annotations, JSON and SARIF responses) are in the plugin kit, which each plugin bundles.
 */
package io.asyncsidecar.controlplane.spi.checks;
