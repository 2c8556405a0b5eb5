package io.asyncsidecar.controlplane.spi.checks;

import java.util.List;

/**
 * Published by the helm plugin through the {@link io.asyncsidecar.controlplane.spi.ServiceRegistry}: the
 * workspace chart rendered with its default values, so the keda and karpenter plugins check what ships rather
 * than raw templates. Consumers that find no publisher parse the raw files and report {@code "degraded": true}.
 */
public interface RenderedManifests {

    /**
     * The workspace chart (the helm plugin's configured default chart), rendered with its own values.
     * Implementations cache the result while the chart's files are unchanged.
     *
     * @return the rendered chart; never null (a chart that does not render yields findings and degraded objects)
     */
    RenderedChart workspaceChart();

    /**
     * A chart of the workspace rendered with values files layered over its {@code values.yaml} (as
     * {@code helm template -f a.yaml -f b.yaml}) for a Kubernetes version, so that every plugin of one check run
     * reads one render. Implementations cache recent renders while the chart's files are unchanged.
     *
     * @param chartDir    the chart folder, relative to the workspace
     * @param valuesFiles values files relative to the chart folder, later ones winning; empty for the defaults
     * @param kubeVersion the Kubernetes version to render for, e.g. {@code 1.31}; null for the configured one
     * @return the rendered chart
     * @throws UnsupportedOperationException when the publisher renders only the workspace chart with its defaults
     *                                       (consumers then read the raw templates, degraded)
     */
    default RenderedChart chart(String chartDir, List<String> valuesFiles, String kubeVersion) {
        throw new UnsupportedOperationException("this publisher renders the workspace chart with its defaults only");
    }
}
