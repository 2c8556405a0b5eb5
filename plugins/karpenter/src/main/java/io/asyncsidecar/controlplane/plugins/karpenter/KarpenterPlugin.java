package io.asyncsidecar.controlplane.plugins.karpenter;

import java.util.Optional;

import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.kit.checks.CheckEndpoint;
import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;

/**
 * The {@code karpenter} plugin: {@code GET /api/karpenter/nodepools} (scope {@code autoscaling.read}) checks the
 * workspace's Karpenter node pools and node classes with Karpenter's own validation rules, the hypergraph's
 * CPU/GPU pool layout, and whether the chart's GPU workloads can be placed on them (using the helm plugin's
 * rendering when present, the raw templates otherwise). The rendering is looked up per request, so it follows
 * the chart's files as they change.
 */
public final class KarpenterPlugin implements Plugin {

    /** The scopes of the plugin\'s check route and of its part of the workspace report. */
    static final RequiredScopes SCOPES = RequiredScopes.of("autoscaling.read");

    private NodePoolsApi api;

    /** Creates the plugin; {@link #init} configures it. */
    public KarpenterPlugin() {
    }

    @Override
    public String id() {
        return "karpenter";
    }

    @Override
    public void init(PluginContext context) {
        KarpenterSettings settings = KarpenterSettings.from(context.config());
        WorkspacePaths.warnIfMissing(context, "plugins.karpenter.path", settings.path());
        WorkspacePaths.warnIfMissing(context, "plugins.karpenter.chart", settings.chart());
        WorkspacePaths.warnIfMissing(context, "plugins.karpenter.workloads", settings.workloads());
        WorkspacePaths.warnIfMissing(context, "plugins.karpenter.crds", settings.crds());
        api = new NodePoolsApi(CheckEndpoint.of(this, context, KarpenterRules.RULES), settings);
    }

    @Override
    public void routes(PluginRoutes routes) {
        routes.get("/nodepools", SCOPES, api::nodePools);
    }

    @Override
    public Optional<WorkspaceCheck> workspaceCheck() {
        return Optional.ofNullable(api).map(a -> a.workspaceCheck(SCOPES));
    }
}
