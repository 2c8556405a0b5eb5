package io.asyncsidecar.controlplane.plugins.helm;

import java.util.LinkedHashMap;
import java.util.Map;

import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.ServiceRegistry;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.RenderedManifests;

/**
 * A test-only consumer of {@link RenderedManifests}, as the keda and karpenter plugins are: it looks the service
 * up in postInit through the server's registry and shows what it gets at {@code GET /api/rendered-probe/chart}.
 */
public final class RenderedManifestsProbePlugin implements Plugin {

    private ServiceRegistry services;

    @Override
    public String id() {
        return "rendered-probe";
    }

    @Override
    public void init(PluginContext context) {
    }

    @Override
    public void postInit(ServiceRegistry services) {
        this.services = services;
    }

    @Override
    public void routes(PluginRoutes routes) {
        routes.get("/chart", RequiredScopes.of("deployments.read"), (req, res) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            RenderedManifests manifests = services.lookup(RenderedManifests.class).orElse(null);
            m.put("published", manifests != null);
            if (manifests != null) {
                RenderedChart chart = manifests.workspaceChart();
                m.put("identity", System.identityHashCode(chart));
                m.put("chart_dir", chart.chartDir());
                m.put("engine", chart.engine());
                m.put("rendered", chart.rendered());
                m.put("objects", chart.objects().stream()
                        .map(d -> d.ref().kind() + "/" + d.ref().name() + "@" + d.file()).toList());
                m.put("findings", chart.findings().stream().map(f -> f.checkId()).toList());
            }
            res.send(m);
        });
    }
}
