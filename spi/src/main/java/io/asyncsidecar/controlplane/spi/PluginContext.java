package io.asyncsidecar.controlplane.spi;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;

import io.helidon.config.Config;

/**
 * What the server hands a plugin at {@link Plugin#init(PluginContext)}.
 */
public interface PluginContext {

    /**
     * The plugin's own config subtree, {@code plugins.<id>}. It may be empty (missing); use defaults then.
     *
     * @return the plugin's config
     */
    Config config();

    /**
     * The workspace root: a checkout laid out like the hypergraph repository. Plugins read it, never write it,
     * and confine user-supplied paths to it (the plugin kit's {@code WorkspacePaths} does).
     *
     * @return absolute, normalised path of the workspace
     */
    Path workspace();

    /**
     * A directory for the plugin's own durable data ({@code <data-dir>/<id>}), created before {@code init}.
     *
     * @return absolute path of the plugin's data directory
     */
    Path dataDirectory();

    /**
     * A logger named after the plugin. Never log tokens.
     *
     * @return the plugin's logger
     */
    System.Logger logger();

    /**
     * An executor that runs each task on a new virtual thread. The server shuts it down after {@link Plugin#close()}.
     *
     * @return the executor
     */
    ExecutorService executor();

    /**
     * The registry where plugins publish small services for each other.
     *
     * @return the registry
     */
    ServiceRegistry services();

    /**
     * The base URL the server listens on, e.g. {@code http://127.0.0.1:8088}, for plugins that call the
     * server itself (a test run against the control plane). Known once the server has started.
     *
     * @return the base URL, or an empty string before start-up
     */
    default String serverBaseUrl() {
        return "";
    }
}
