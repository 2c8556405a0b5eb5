package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to render: {@code helm template <releaseName> <chartDir> -n <namespace> --kube-version <v> -f <values>...
 * --set <k=v>...}.
 *
 * @param chartDir    the chart folder (absolute, inside the workspace)
 * @param releaseName the release name
 * @param namespace   the release namespace
 * @param kubeVersion the Kubernetes version to render for
 * @param valuesFiles values files layered over the chart's own values.yaml, in order
 * @param setValues   {@code --set} values, applied last
 */
record RenderRequest(Path chartDir, String releaseName, String namespace, String kubeVersion,
                     List<Path> valuesFiles, Map<String, String> setValues) {

    RenderRequest {
        valuesFiles = List.copyOf(valuesFiles);
        setValues = Map.copyOf(setValues);
    }
}
