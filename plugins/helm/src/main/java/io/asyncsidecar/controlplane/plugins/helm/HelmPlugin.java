package io.asyncsidecar.controlplane.plugins.helm;

import java.util.Optional;

import io.asyncsidecar.controlplane.kit.ConcurrencyLimit;
import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.kit.checks.CheckTool;
import io.asyncsidecar.controlplane.kit.checks.ConfigIgnores;
import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.checks.RenderedManifests;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;

/**
 * The helm plugin: {@code GET /api/helm/checks} renders a chart of the workspace (a helm binary, else the
 * embedded helm-java engine, else a textual reading of the templates) and checks its workloads. It publishes
 * the workspace's charts, rendered, as {@link RenderedManifests} for the keda and karpenter plugins (one render
 * cache behind both, so a combined check renders a chart once), and offers its check to {@code GET /api/checks}.
 *
 * <p>Config ({@code plugins.helm}): {@code chart}, {@code kube-version}, {@code binary}, {@code engines},
 * {@code render-timeout-seconds}, {@code release-name}, {@code namespace}, {@code argocd-manifest},
 * {@code max-concurrent-renders}, {@code ignore} (the kit's {@code ConfigIgnores}); see
 * {@code config/application.yaml}.
 */
public final class HelmPlugin implements Plugin {

    private static final RequiredScopes SCOPES = RequiredScopes.of("deployments.read");

    private ChartRenderer renderer;
    private HelmChecksApi checks;

    /** Creates the plugin; {@link #init} configures it. */
    public HelmPlugin() {
    }

    @Override
    public String id() {
        return "helm";
    }

    @Override
    public void init(PluginContext context) {
        HelmSettings settings = HelmSettings.from(context.config());
        ChartChecks chartChecks = ChartChecks.from(context.config());
        ConfigIgnores ignores = ConfigIgnores.of(this, context, chartChecks.rules());
        WorkspacePaths.warnIfMissing(context, "plugins.helm.chart", settings.chart());
        WorkspacePaths.warnIfMissing(context, "plugins.helm.argocd-manifest", settings.argocdManifest());
        SafeYaml yaml = SafeYaml.create();
        renderer = new ChartRenderer(settings, chartChecks, context.workspace(), context.dataDirectory(), yaml);
        RenderCache renders = new RenderCache(renderer, RenderCache.DEFAULT_CAPACITY);
        checks = new HelmChecksApi(settings, context.workspace(), context.dataDirectory(), renderer, renders, yaml,
                CheckTool.of(this, chartChecks.rules()), ignores,
                ConcurrencyLimit.from("helm checks", context.config().get("checks"), "plugins.helm.checks"));
        context.services().publish(RenderedManifests.class,
                new WorkspaceChart(renders, context.workspace(), settings.chart(), settings.kubeVersion()));
        context.logger().log(System.Logger.Level.INFO, "helm checks on " + settings.chart() + " (kube "
                + settings.kubeVersion() + "), engines " + settings.engines().stream().map(HelmSettings.Engine::id)
                .toList() + " then text");
    }

    @Override
    public void routes(PluginRoutes routes) {
        routes.get("/checks", SCOPES, checks::checks);
    }

    @Override
    public Optional<WorkspaceCheck> workspaceCheck() {
        return Optional.ofNullable(checks).map(c -> c.workspaceCheck(SCOPES));
    }

    @Override
    public void close() {
        if (renderer != null) {
            renderer.close();
        }
    }
}
