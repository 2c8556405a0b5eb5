package io.asyncsidecar.controlplane.server;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;

import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.ServiceRegistry;

import io.helidon.config.Config;

/**
 * The context the server gives one plugin.
 *
 * @param config        the plugin's subtree {@code plugins.<id>}
 * @param workspace     the workspace root
 * @param dataDirectory the plugin's data directory
 * @param logger        the plugin's logger
 * @param executor      the plugin's virtual-thread executor
 * @param services      the plugin's view of the service registry
 * @param address       where the server listens, once known
 */
record DefaultPluginContext(Config config, Path workspace, Path dataDirectory, System.Logger logger,
                            ExecutorService executor, ServiceRegistry services, ServerAddress address)
        implements PluginContext {

    @Override
    public String serverBaseUrl() {
        return address.baseUrl();
    }
}
