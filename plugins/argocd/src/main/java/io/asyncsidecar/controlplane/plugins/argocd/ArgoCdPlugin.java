package io.asyncsidecar.controlplane.plugins.argocd;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.RequiredScopes;

import io.helidon.config.Config;

/**
 * The {@code argocd} plugin: {@code GET /api/argocd/apps} (scope {@code deployments.read}) lists the Argo CD
 * Applications, ApplicationSets and AppProjects of the workspace and checks them.
 *
 * <p>Config ({@code plugins.argocd}): {@code path} (default {@value #DEFAULT_PATH}), {@code workspace-repos}
 * (repository URLs of which the workspace is a checkout; sources from them have their paths verified).
 */
public final class ArgoCdPlugin implements Plugin {

    /** The default manifest path, relative to the workspace. */
    public static final String DEFAULT_PATH = "manifests/argocd/argocd-apps.yaml";
    /** The repository the demo workspace stands for. */
    public static final String DEFAULT_WORKSPACE_REPO = "https://github.com/async-sidecar/hypergraph.git";

    private ArgoAppsService service;

    /** Creates the plugin; {@link #init} configures it. */
    public ArgoCdPlugin() {
    }

    @Override
    public String id() {
        return "argocd";
    }

    @Override
    public void init(PluginContext context) {
        Config config = context.config();
        String path = config.get("path").asString().orElse(DEFAULT_PATH);
        List<String> repos = config.get("workspace-repos").asList(String.class)
                .orElse(List.of(DEFAULT_WORKSPACE_REPO));
        Set<String> keys = new LinkedHashSet<>();
        repos.forEach(r -> keys.add(ArgoChecks.repoKey(r)));
        service = new ArgoAppsService(context.workspace(), path, keys, version());
    }

    @Override
    public void routes(PluginRoutes routes) {
        routes.get("/apps", RequiredScopes.of("deployments.read"), service::apps);
    }
}
