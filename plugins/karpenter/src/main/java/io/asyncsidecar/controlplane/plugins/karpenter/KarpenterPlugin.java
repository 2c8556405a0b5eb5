package io.asyncsidecar.controlplane.plugins.karpenter;

import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.ServiceRegistry;

/**
 * The {@code karpenter} plugin: {@code GET /api/karpenter/nodepools} (scope {@code autoscaling.read}) checks the
 * workspace's Karpenter node pools and node classes with Karpenter's own validation rules, the hypergraph's
 * CPU/GPU pool layout, and whether the chart's GPU workloads can be placed on them (using the helm plugin's
 * rendering when present, the raw templates otherwise).
 */
public final class KarpenterPlugin implements Plugin {

    private volatile ServiceRegistry services;
    private NodePoolsService service;

    /** Creates the plugin; {@link #init} configures it. */
    public KarpenterPlugin() {
    }

    @Override
    public String id() {
        return "karpenter";
    }

    @Override
    public void init(PluginContext context) {
        services = context.services();
        service = new NodePoolsService(context.workspace(), KarpenterSettings.from(context.config()),
                () -> services, version());
    }

    @Override
    public void postInit(ServiceRegistry registry) {
        // looked up per request: the helm plugin's rendering follows the chart's files as they change
        services = registry;
    }

    @Override
    public void routes(PluginRoutes routes) {
        routes.get("/nodepools", RequiredScopes.of("autoscaling.read"), service::nodePools);
    }
}
