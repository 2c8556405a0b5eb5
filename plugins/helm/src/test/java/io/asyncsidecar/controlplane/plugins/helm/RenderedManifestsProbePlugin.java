package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.checks.ChartObjects;

import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.ServiceRegistry;
import io.asyncsidecar.controlplane.spi.checks.CheckOutcome;
import io.asyncsidecar.controlplane.spi.checks.CheckParameters;
import io.asyncsidecar.controlplane.spi.checks.CheckReport;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.RenderedManifests;

/**
 * A test-only consumer of {@link RenderedManifests}, as the keda and karpenter plugins are: it looks the service
 * up in postInit through the server's registry and shows what it gets at {@code GET /api/rendered-probe/chart}, and
 * offers a workspace check that reads the demo chart through the kit's {@link ChartObjects} as they do (the
 * {@code values} and {@code kubeVersion} of the run included).
 */
public final class RenderedManifestsProbePlugin implements Plugin {

    private ServiceRegistry services;
    private Path workspace;

    @Override
    public String id() {
        return "rendered-probe";
    }

    @Override
    public void init(PluginContext context) {
        workspace = context.workspace();
    }

    @Override
    public Optional<WorkspaceCheck> workspaceCheck() {
        return Optional.of(new WorkspaceCheck() {
            @Override
            public RequiredScopes scopes() {
                return RequiredScopes.of("deployments.read");
            }

            @Override
            public CheckOutcome run(CheckParameters parameters) {
                RenderedChart chart = ChartObjects.requested(parameters, services, workspace,
                        "plugins.rendered-probe.chart", "manifests/helm/hypergraph", List.of()).orElseThrow();
                return new CheckOutcome(CheckReport.of(chart.findings(), chart.engine(), chart.degraded(), 0),
                        Map.of("objects", chart.objects().size()));
            }
        });
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
