package io.asyncsidecar.controlplane.plugins.karpenter;

import java.util.List;

import io.asyncsidecar.controlplane.kit.ConfigLists;
import io.helidon.config.Config;

/**
 * The karpenter plugin's config ({@code plugins.karpenter}).
 *
 * @param path        the pools manifest, a file or folder (default {@value #DEFAULT_PATH})
 * @param chart       the chart whose GPU workloads are cross-checked (default {@value #DEFAULT_CHART}; empty: none)
 * @param valuesFiles values files of that chart (relative to it) layered over values.yaml
 * @param workloads   raw workload manifests cross-checked beside the chart (default none)
 * @param cpuPool     the CPU pool the layout fields prefer (default {@value #DEFAULT_CPU_POOL})
 * @param gpuPool     the GPU pool the layout fields prefer (default {@value #DEFAULT_GPU_POOL})
 * @param crds        files or folders of the NodePool / EC2NodeClass CRDs, relative to the workspace (default none):
 *                    their CEL rules then replace the restated ones ({@link CrdRules})
 */
record KarpenterSettings(String path, String chart, List<String> valuesFiles, List<String> workloads, String cpuPool,
                         String gpuPool, List<String> crds) {

    static final String DEFAULT_PATH = "manifests/karpenter/karpenter-provisioners.yaml";
    static final String DEFAULT_CHART = "manifests/helm/hypergraph";
    static final String DEFAULT_CPU_POOL = "hypergraph-cpu";
    static final String DEFAULT_GPU_POOL = "hypergraph-gpu";

    static KarpenterSettings from(Config config) {
        return new KarpenterSettings(config.get("path").asString().orElse(DEFAULT_PATH),
                config.get("chart").asString().orElse(DEFAULT_CHART),
                config.get("values-files").asList(String.class).orElse(List.of()),
                config.get("workloads").asList(String.class).orElse(List.of()),
                config.get("cpu-pool").asString().orElse(DEFAULT_CPU_POOL),
                config.get("gpu-pool").asString().orElse(DEFAULT_GPU_POOL),
                ConfigLists.strings(config.get("crds"), "plugins.karpenter.crds"));
    }
}
