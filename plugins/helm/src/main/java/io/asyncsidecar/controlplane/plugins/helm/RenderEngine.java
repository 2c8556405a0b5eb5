package io.asyncsidecar.controlplane.plugins.helm;

/**
 * A way to run {@code helm template}.
 */
interface RenderEngine {

    /** @return the engine's name as reported in {@code summary.engine}: {@code helm-binary} or {@code helm-java} */
    String name();

    /**
     * Renders a chart. Never throws for a chart problem: Helm's refusal is a {@link RenderOutcome.Failed}.
     *
     * @param request what to render
     * @return the outcome
     */
    RenderOutcome render(RenderRequest request);
}
