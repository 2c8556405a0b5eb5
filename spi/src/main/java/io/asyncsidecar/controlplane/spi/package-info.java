/**
 * The control plane's plugin API.
 *
 * <p>A capability (test runs, metrics, Helm checks, ...) is a {@link io.asyncsidecar.controlplane.spi.Plugin}
 * found with {@link java.util.ServiceLoader}. The server gives each plugin a
 * {@link io.asyncsidecar.controlplane.spi.PluginContext} (its own config subtree, the workspace, a data
 * directory, a logger, a virtual-thread executor and a {@link io.asyncsidecar.controlplane.spi.ServiceRegistry}),
 * mounts its routes under {@code /api/<id>} and its WebSocket endpoints under {@code /ws/<id>}, and enforces
 * the {@link io.asyncsidecar.controlplane.spi.RequiredScopes} each route declares before the handler runs.
 * Handlers read the authenticated {@link io.asyncsidecar.controlplane.spi.Caller} and throw
 * {@link io.asyncsidecar.controlplane.spi.ProblemException} for errors, which the server turns into
 * RFC 9457 {@code application/problem+json} responses.
 *
 * <p>Plugins depend on this module with {@code provided} scope: the server supplies it, Helidon, JSON-P and
 * JSON-B at run time; everything else a plugin needs it bundles in its own folder of the plugins directory.
 * Methods added to these interfaces later are defaults, so a plugin built against an older SPI keeps working.
 */
package io.asyncsidecar.controlplane.spi;
