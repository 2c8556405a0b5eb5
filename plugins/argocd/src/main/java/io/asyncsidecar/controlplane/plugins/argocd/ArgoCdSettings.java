package io.asyncsidecar.controlplane.plugins.argocd;

import java.util.List;

import io.helidon.config.Config;

/**
 * The argocd plugin's config ({@code plugins.argocd}).
 *
 * @param path           the Argo CD manifests, a file or folder of the workspace (default {@value #DEFAULT_PATH})
 * @param workspaceRepos repository URLs of which the workspace is a checkout; sources from them have their paths
 *                       verified in the workspace (default {@value #DEFAULT_WORKSPACE_REPO})
 * @param preview        whether answers carry {@code preview}, the first characters of the manifests as they are
 *                       (default false: a raw file excerpt shows whatever the workspace holds, comments and
 *                       values included, to every caller of the route)
 */
record ArgoCdSettings(String path, List<String> workspaceRepos, boolean preview) {

    static final String DEFAULT_PATH = "manifests/argocd/argocd-apps.yaml";
    /** The repository the demo workspace stands for. */
    static final String DEFAULT_WORKSPACE_REPO = "https://github.com/async-sidecar/hypergraph.git";

    ArgoCdSettings {
        workspaceRepos = List.copyOf(workspaceRepos);
    }

    static ArgoCdSettings from(Config config) {
        return new ArgoCdSettings(config.get("path").asString().orElse(DEFAULT_PATH),
                config.get("workspace-repos").asList(String.class).orElse(List.of(DEFAULT_WORKSPACE_REPO)),
                flag(config.get("preview").asString().orElse("false")));
    }

    private static boolean flag(String value) {
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("plugins.argocd.preview must be true or false, got '"
                    + value + "'");
        };
    }
}
