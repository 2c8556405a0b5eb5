package io.asyncsidecar.controlplane.plugins.helm;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.ConfigLists;
import io.helidon.config.Config;

/**
 * The helm plugin's configuration, {@code plugins.helm.*}, with its defaults.
 *
 * @param chart              the workspace chart, relative to the workspace ({@code chart})
 * @param kubeVersion        the Kubernetes version charts are rendered for ({@code kube-version})
 * @param binary             path of a helm binary; empty: look {@code helm} up on PATH ({@code binary})
 * @param engines            the rendering engines to try, in order ({@code engines}); text always comes last
 * @param renderTimeout      how long one render may take before it is abandoned ({@code render-timeout-seconds})
 * @param releaseName        release name; empty: the chart's name ({@code release-name})
 * @param namespace          release namespace ({@code namespace})
 * @param argocdManifest     Argo CD manifest file or folder for {@code ?app=} ({@code argocd-manifest})
 * @param maxConcurrentRenders embedded renders running at once ({@code max-concurrent-renders})
 */
record HelmSettings(String chart, String kubeVersion, String binary, List<Engine> engines, Duration renderTimeout,
                    String releaseName, String namespace, String argocdManifest, int maxConcurrentRenders) {

    /** Kubernetes versions as Helm's {@code --kube-version} takes them: 1.31, 1.31.0, v1.31.0-eks-1. */
    static final Pattern KUBE_VERSION = Pattern.compile("v?\\d+\\.\\d+(\\.\\d+)?([-+][0-9A-Za-z.-]+)?");

    /** A rendering engine that can be switched on or off. */
    enum Engine {
        /** A helm executable run as a process. */
        HELM_BINARY("helm-binary"),
        /** Helm's Go library embedded through helm-java. */
        HELM_JAVA("helm-java");

        private final String id;

        Engine(String id) {
            this.id = id;
        }

        String id() {
            return id;
        }

        static Engine of(String id) {
            for (Engine e : values()) {
                if (e.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
            throw new IllegalArgumentException("plugins.helm.engines: unknown engine '" + id
                    + "' (known: helm-binary, helm-java)");
        }
    }

    HelmSettings {
        if (!KUBE_VERSION.matcher(kubeVersion).matches()) {
            throw new IllegalArgumentException("plugins.helm.kube-version: '" + kubeVersion
                    + "' is not a Kubernetes version such as 1.31.0");
        }
        if (renderTimeout.isNegative() || renderTimeout.isZero()) {
            throw new IllegalArgumentException("plugins.helm.render-timeout-seconds must be positive, got "
                    + renderTimeout.toSeconds());
        }
        if (maxConcurrentRenders < 1) {
            throw new IllegalArgumentException("plugins.helm.max-concurrent-renders must be at least 1, got "
                    + maxConcurrentRenders);
        }
        engines = List.copyOf(engines);
    }

    /**
     * Reads the settings.
     *
     * @param config the {@code plugins.helm} subtree (may be missing)
     * @return the settings
     * @throws IllegalArgumentException naming the key of an invalid value
     */
    static HelmSettings from(Config config) {
        return new HelmSettings(
                config.get("chart").asString().orElse("manifests/helm/hypergraph"),
                config.get("kube-version").asString().orElse("1.31.0"),
                config.get("binary").asString().orElse(""),
                engines(config.get("engines")),
                Duration.ofSeconds(config.get("render-timeout-seconds").asInt().orElse(60)),
                config.get("release-name").asString().orElse(""),
                config.get("namespace").asString().orElse("default"),
                config.get("argocd-manifest").asString().orElse("manifests/argocd/argocd-apps.yaml"),
                config.get("max-concurrent-renders").asInt().orElse(2));
    }

    private static List<Engine> engines(Config node) {
        List<String> names = node.exists() ? ConfigLists.strings(node, "plugins.helm.engines")
                : List.of("helm-binary", "helm-java");
        return names.stream().map(Engine::of).toList();
    }
}
