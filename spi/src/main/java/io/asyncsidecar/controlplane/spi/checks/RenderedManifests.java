package io.asyncsidecar.controlplane.spi.checks;

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
}
