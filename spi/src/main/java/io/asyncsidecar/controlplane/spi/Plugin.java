package io.asyncsidecar.controlplane.spi;

import java.util.Optional;

import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;

/**
 * A capability of the control plane, found with {@link java.util.ServiceLoader} and mounted by the server.
 *
 * <p>Lifecycle, as in Keycloak's provider factories: {@link #init(PluginContext)} once with the plugin's own
 * config; {@link #routes(PluginRoutes)} and {@link #sockets(PluginSockets)} to declare what it serves;
 * {@link #postInit(ServiceRegistry)} after every plugin was initialised, to look up services that others
 * published; {@link #close()} at shutdown. A plugin that throws from any of these steps is reported as
 * {@code failed} by {@code GET /api/plugins} and the others keep serving.
 *
 * <p>Implementations need a public no-argument constructor and a
 * {@code META-INF/services/io.asyncsidecar.controlplane.spi.Plugin} entry.
 */
public interface Plugin extends AutoCloseable {

    /**
     * The plugin's id: lower case letters, digits and dashes, e.g. {@code helm}. It names the route prefix
     * {@code /api/<id>}, the WebSocket prefix {@code /ws/<id>}, the config subtree {@code plugins.<id>} and
     * the data directory.
     *
     * @return the id, unique among loaded plugins
     */
    String id();

    /**
     * The plugin's version as shown by {@code GET /api/plugins}. Defaults to the jar manifest's
     * {@code Implementation-Version}, or {@code "unknown"}.
     *
     * @return a version string
     */
    default String version() {
        String v = getClass().getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /**
     * Initialises the plugin. Publish services for other plugins here with {@code context.services()}.
     *
     * @param context the plugin's context
     * @throws Exception when the plugin cannot work; it is then reported as failed and not mounted
     */
    void init(PluginContext context) throws Exception;

    /**
     * Declares the plugin's HTTP routes, relative to {@code /api/<id>}. Called once after {@link #init}.
     *
     * @param routes where to declare them
     */
    void routes(PluginRoutes routes);

    /**
     * Declares WebSocket endpoints, relative to {@code /ws/<id>}. Called once after {@link #init}.
     *
     * @param sockets where to declare them
     */
    default void sockets(PluginSockets sockets) {
    }

    /**
     * Called after every plugin's {@link #init}: the place to look up services other plugins published.
     * The registry stays valid for the plugin's lifetime, so it may also be kept and asked later.
     *
     * @param services the shared service registry
     * @throws Exception when the plugin cannot work
     */
    default void postInit(ServiceRegistry services) throws Exception {
    }

    /**
     * The plugin's check of the workspace, for {@code GET /api/checks} and the {@code control-plane check} command,
     * which merge every plugin's findings into one report. Asked once, after {@link #postInit}.
     *
     * @return the check; empty (the default) for a plugin that checks nothing
     */
    default Optional<WorkspaceCheck> workspaceCheck() {
        return Optional.empty();
    }

    /**
     * Releases what the plugin holds. Called once at shutdown; must not throw for a plugin that was only
     * partly initialised.
     */
    @Override
    default void close() {
    }
}
