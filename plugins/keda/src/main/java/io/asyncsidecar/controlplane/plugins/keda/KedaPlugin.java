package io.asyncsidecar.controlplane.plugins.keda;

import java.util.Optional;

import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.kit.checks.CheckEndpoint;
import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;

/**
 * The {@code keda} plugin: {@code GET /api/keda/scalers} (scope {@code autoscaling.read}) reports the KEDA
 * scalers of the workspace chart, as rendered by the helm plugin when it is present (degraded otherwise), and
 * of raw manifests, checked like KEDA's admission webhook would. The helm plugin's rendering is looked up per
 * request, so it follows the chart's files as they change. Each prometheus trigger is tried against real metrics
 * (a Prometheus standing in for its serverAddress, the scale target's own metrics) through the metrics plugin's
 * {@link io.asyncsidecar.controlplane.spi.metrics.MetricsProbe}, also looked up per request.
 */
public final class KedaPlugin implements Plugin {

    /** The scopes of the plugin\'s check route and of its part of the workspace report. */
    static final RequiredScopes SCOPES = RequiredScopes.of("autoscaling.read");

    private KedaScalersApi api;

    /** Creates the plugin; {@link #init} configures it. */
    public KedaPlugin() {
    }

    @Override
    public String id() {
        return "keda";
    }

    @Override
    public void init(PluginContext context) {
        KedaSettings settings = KedaSettings.from(context.config());
        WorkspacePaths.warnIfMissing(context, "plugins.keda.chart", settings.chart());
        WorkspacePaths.warnIfMissing(context, "plugins.keda.manifests", settings.manifests());
        settings.dryRun().targets().forEach((name, target) -> target.exposition().ifPresent(path -> {
            String key = "plugins.keda.targets." + name + ".exposition";
            try {
                WorkspacePaths.resolve(context.workspace(), key, path);
            } catch (ProblemException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            WorkspacePaths.warnIfMissing(context, key, path);
        }));
        // The registry lasts for the plugin's lifetime: the metrics plugin's probe is looked up per request.
        api = new KedaScalersApi(CheckEndpoint.of(this, context, KedaScan.RULES), settings, context.services());
    }

    @Override
    public void routes(PluginRoutes routes) {
        routes.get("/scalers", SCOPES, api::scalers);
    }

    @Override
    public Optional<WorkspaceCheck> workspaceCheck() {
        return Optional.ofNullable(api).map(a -> a.workspaceCheck(SCOPES));
    }
}
