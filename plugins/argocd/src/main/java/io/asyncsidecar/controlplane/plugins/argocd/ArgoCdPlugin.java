package io.asyncsidecar.controlplane.plugins.argocd;

import java.util.Optional;

import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.kit.checks.CheckEndpoint;
import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;

/**
 * The {@code argocd} plugin: {@code GET /api/argocd/apps} (scope {@code deployments.read}) lists the Argo CD
 * Applications, ApplicationSets and AppProjects of the workspace and checks them.
 *
 * <p>Config ({@code plugins.argocd}, {@link ArgoCdSettings}): {@code path}, {@code workspace-repos}, and
 * {@code ignore}, read by the kit's {@code CheckEndpoint} ({@code ConfigIgnores}).
 */
public final class ArgoCdPlugin implements Plugin {

    /** The scopes of the plugin\'s check route and of its part of the workspace report. */
    static final RequiredScopes SCOPES = RequiredScopes.of("deployments.read");

    private ArgoAppsApi api;

    /** Creates the plugin; {@link #init} configures it. */
    public ArgoCdPlugin() {
    }

    @Override
    public String id() {
        return "argocd";
    }

    @Override
    public void init(PluginContext context) {
        ArgoCdSettings settings = ArgoCdSettings.from(context.config());
        WorkspacePaths.warnIfMissing(context, "plugins.argocd.path", settings.path());
        api = new ArgoAppsApi(CheckEndpoint.of(this, context, ArgoChecks.RULES), settings);
    }

    @Override
    public void routes(PluginRoutes routes) {
        routes.get("/apps", SCOPES, api::apps);
    }

    @Override
    public Optional<WorkspaceCheck> workspaceCheck() {
        return Optional.ofNullable(api).map(a -> a.workspaceCheck(SCOPES));
    }
}
