package io.asyncsidecar.controlplane.plugins.keda;

import java.util.List;

import io.helidon.config.Config;

/**
 * The keda plugin's config ({@code plugins.keda}).
 *
 * @param chart     the workspace chart whose objects are checked (default {@value #DEFAULT_CHART}; empty: none)
 * @param template  the ScaledObject template inside the chart, shown as {@code keda_template_excerpt}
 *                  (default {@value #DEFAULT_TEMPLATE})
 * @param valuesKey the values subtree of the scaled workload; its {@code keda} child feeds the template and its
 *                  {@code replicas} is answered as {@code expl_replicas} (default {@value #DEFAULT_VALUES_KEY})
 * @param valuesFiles values files (relative to the chart) layered over values.yaml, as {@code helm -f}; with any,
 *                  the chart is read from its templates since the helm plugin renders the defaults only
 * @param manifests raw manifest files or folders checked beside the chart (default none)
 * @param dryRun    where the prometheus triggers' dry run finds real metrics (default nowhere: skipped)
 */
record KedaSettings(String chart, String template, String valuesKey, List<String> valuesFiles,
                    List<String> manifests, DryRunSettings dryRun) {

    static final String DEFAULT_CHART = "manifests/helm/hypergraph";
    static final String DEFAULT_TEMPLATE = "templates/keda-scalers.yaml";
    static final String DEFAULT_VALUES_KEY = "explainer";

    static KedaSettings from(Config config) {
        return new KedaSettings(config.get("chart").asString().orElse(DEFAULT_CHART),
                config.get("template").asString().orElse(DEFAULT_TEMPLATE),
                config.get("values-key").asString().orElse(DEFAULT_VALUES_KEY),
                config.get("values-files").asList(String.class).orElse(List.of()),
                config.get("manifests").asList(String.class).orElse(List.of()),
                DryRunSettings.from(config));
    }
}
