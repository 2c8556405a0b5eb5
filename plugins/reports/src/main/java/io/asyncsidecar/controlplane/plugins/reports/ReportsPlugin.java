package io.asyncsidecar.controlplane.plugins.reports;

import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.ServiceRegistry;

/**
 * The {@code reports} plugin: {@code GET /api/reports/export?format=json|md[&run=<id>]}. It owns no data: the
 * runs come from the {@code testruns} plugin through the SPI's
 * {@link io.asyncsidecar.controlplane.spi.testruns.TestRunArchive}, looked up on every request so that the
 * export works whenever that plugin is active and answers 503 when it is not.
 */
public final class ReportsPlugin implements Plugin {

    /** The registry of the context, valid for the plugin's lifetime: no need to take postInit's as well. */
    private ServiceRegistry services;

    /** Creates the plugin. */
    public ReportsPlugin() {
    }

    @Override
    public String id() {
        return "reports";
    }

    @Override
    public void init(PluginContext context) {
        services = context.services();
    }

    @Override
    public void routes(PluginRoutes routes) {
        new ReportsApi(services).routes(routes);
    }
}
