/**
 * Helpers for plugins that check manifests of the workspace (helm, argocd, keda, karpenter, and third-party
 * check plugins), so that every check endpoint reads input, counts problems and answers the same way.
 *
 * <ul>
 *   <li>The endpoint: {@link io.asyncsidecar.controlplane.kit.checks.CheckEndpoint} reads the {@code format}
 *       parameter first, times the run and answers; the plugin's check reads its input through a
 *       {@link io.asyncsidecar.controlplane.kit.checks.CheckRun} and adds findings to it.</li>
 *   <li>Answers: {@link io.asyncsidecar.controlplane.kit.checks.CheckResponses} (JSON, SARIF or JUnit XML, sent
 *       with a Content-Length), {@link io.asyncsidecar.controlplane.kit.checks.SarifLog} (SARIF 2.1.0),
 *       {@link io.asyncsidecar.controlplane.kit.checks.JunitReport} (JUnit XML for CI test reports) and
 *       {@link io.asyncsidecar.controlplane.kit.checks.CheckTool} (the tool a plugin reports as).</li>
 *   <li>Input: untrusted YAML with line numbers and limits
 *       ({@link io.asyncsidecar.controlplane.kit.checks.SafeYaml}), a file or folder of the workspace
 *       ({@link io.asyncsidecar.controlplane.kit.checks.WorkspaceManifests}), navigation of parsed manifests
 *       ({@link io.asyncsidecar.controlplane.kit.checks.ManifestValues}), per-object (and per-container)
 *       ignore annotations ({@link io.asyncsidecar.controlplane.kit.checks.IgnoreAnnotations}) and the ignore
 *       lists of the plugins' config ({@link io.asyncsidecar.controlplane.kit.checks.ConfigIgnores}).</li>
 *   <li>The workspace chart: the helm plugin's published rendering or, when it is absent or could not render, a
 *       degraded reading of the raw templates ({@link io.asyncsidecar.controlplane.kit.checks.ChartObjects},
 *       {@link io.asyncsidecar.controlplane.kit.checks.RawChartTemplates}); pod-spec navigation
 *       ({@link io.asyncsidecar.controlplane.kit.checks.Workloads}) and Kubernetes quantities
 *       ({@link io.asyncsidecar.controlplane.kit.checks.Quantities}).</li>
 * </ul>
 *
 * <p>Only SPI types ({@code CheckReport}, {@code Finding}, {@code RenderedChart}, {@code YamlDocument}) cross to
 * the server and to other plugins; everything here stays inside the plugin that bundles it.
 */
package io.asyncsidecar.controlplane.kit.checks;
