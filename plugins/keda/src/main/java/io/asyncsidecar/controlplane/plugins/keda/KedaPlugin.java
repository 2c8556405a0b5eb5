package io.asyncsidecar.controlplane.plugins.keda;

import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.ServiceRegistry;

/**
 * The {@code keda} plugin: {@code GET /api/keda/scalers} (scope {@code autoscaling.read}) reports the KEDA
 * scalers of the workspace chart, as rendered by the helm plugin when it is present (degraded otherwise), and
 * of raw manifests, checked like KEDA's admission webhook would.
 */
public final class KedaPlugin implements Plugin {

    private volatile ServiceRegistry services;
    private KedaScalersService service;

    /** Creates the plugin; {@link #init} configures it. */
    public KedaPlugin() {
    }

    @Override
    public String id() {
        return "keda";
    }

    @Override
    public void init(PluginContext context) {
        services = context.services();
        service = new KedaScalersService(context.workspace(), KedaSettings.from(context.config()),
                () -> services, version());
    }

    @Override
    public void postInit(ServiceRegistry registry) {
        // looked up per request: the helm plugin's rendering follows the chart's files as they change
        services = registry;
    }

    @Override
    public void routes(PluginRoutes routes) {
        routes.get("/scalers", RequiredScopes.of("autoscaling.read"), service::scalers);
    }
}
