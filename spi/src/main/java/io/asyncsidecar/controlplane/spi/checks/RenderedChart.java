package io.asyncsidecar.controlplane.spi.checks;

import java.util.List;

/**
 * A chart rendered to Kubernetes objects.
 *
 * @param chartDir the chart folder, relative to the workspace
 * @param engine   {@code helm-binary}, {@code helm-java} or {@code text} (raw templates read without rendering)
 * @param degraded true when the chart could not be rendered and the objects come from a textual reading
 * @param objects  the rendered Kubernetes objects; each document's {@code file} is the template it came from
 * @param findings problems met while rendering (render failures with Helm's message, parse errors)
 */
public record RenderedChart(String chartDir, String engine, boolean degraded, List<YamlDocument> objects,
                            List<Finding> findings) {

    /**
     * Copies the lists.
     *
     * @param chartDir the chart folder
     * @param engine   the engine
     * @param degraded whether degraded
     * @param objects  the objects
     * @param findings the findings
     */
    public RenderedChart {
        objects = List.copyOf(objects);
        findings = List.copyOf(findings);
    }

    /** @return whether a real Helm engine rendered the chart */
    public boolean rendered() {
        return !degraded;
    }
}
