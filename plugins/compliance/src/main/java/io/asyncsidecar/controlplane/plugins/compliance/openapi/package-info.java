/**
 * The compliance plugin's OpenAPI check: {@link io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiCheck}
 * reads a spec within {@link io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiLimits}, resolves its
 * references inside the workspace, and runs the rules of
 * {@link io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiRule} over it: the path prefix rule and the
 * Spectral {@code spectral:oas} rules teams rely on. docs/CHECKS.md maps the rules to Spectral's.
 */
package io.asyncsidecar.controlplane.plugins.compliance.openapi;
