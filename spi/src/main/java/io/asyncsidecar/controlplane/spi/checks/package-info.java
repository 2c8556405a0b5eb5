/**
 * Shapes shared by plugins that check manifests (helm, argocd, keda, karpenter, and third-party check plugins):
 * {@link io.asyncsidecar.controlplane.spi.checks.Finding findings} with stable check ids, safe multi-document
 * YAML loading with line numbers ({@link io.asyncsidecar.controlplane.spi.checks.SafeYaml}), per-object ignores
 * through the annotation {@code ignore-check.controlplane.asyncsidecar.io/<check-id>}, reports rendered as JSON
 * or SARIF 2.1.0 ({@link io.asyncsidecar.controlplane.spi.checks.CheckReport}), and the rendered workspace chart
 * that the helm plugin publishes for the others ({@link io.asyncsidecar.controlplane.spi.checks.RenderedManifests}).
 */
package io.asyncsidecar.controlplane.spi.checks;
