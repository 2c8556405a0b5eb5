/**
 * Shapes shared by plugins that check manifests (helm, argocd, keda, karpenter, and third-party check plugins).
 *
 * <ul>
 *   <li>Results: {@link io.asyncsidecar.controlplane.spi.checks.Finding findings} with stable check ids,
 *       {@link io.asyncsidecar.controlplane.spi.checks.CheckRule rules} for SARIF, and
 *       {@link io.asyncsidecar.controlplane.spi.checks.CheckReport reports} rendered as JSON or SARIF 2.1.0,
 *       answered by {@link io.asyncsidecar.controlplane.spi.checks.CheckResponses} per the {@code format} parameter.</li>
 *   <li>Input: safe multi-document YAML with line numbers ({@link io.asyncsidecar.controlplane.spi.checks.SafeYaml},
 *       {@link io.asyncsidecar.controlplane.spi.checks.YamlFile}, {@link io.asyncsidecar.controlplane.spi.checks.YamlDocument}),
 *       a file or folder of the workspace ({@link io.asyncsidecar.controlplane.spi.checks.WorkspaceManifests}), and
 *       navigation of parsed manifests ({@link io.asyncsidecar.controlplane.spi.checks.ManifestValues}).</li>
 *   <li>Per-object ignores through the annotation {@code ignore-check.controlplane.asyncsidecar.io/<check-id>}
 *       ({@link io.asyncsidecar.controlplane.spi.checks.IgnoreAnnotations}).</li>
 *   <li>The workspace chart: rendered by the helm plugin and published as
 *       {@link io.asyncsidecar.controlplane.spi.checks.RenderedManifests}; consumers pick it or, when the helm plugin
 *       is absent or could not render, a degraded reading of the raw templates (the control-plane-checks-support
 *       library offers one, outside the SPI).</li>
 * </ul>
 */
package io.asyncsidecar.controlplane.spi.checks;
