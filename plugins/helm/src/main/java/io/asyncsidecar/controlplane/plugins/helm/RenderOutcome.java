package io.asyncsidecar.controlplane.plugins.helm;

/**
 * What one engine made of a render request.
 */
sealed interface RenderOutcome {

    /**
     * Helm rendered the chart.
     *
     * @param yaml the rendered multi-document YAML with Helm's {@code # Source:} comments
     */
    record Rendered(String yaml) implements RenderOutcome {
    }

    /**
     * Helm refused the chart (missing dependencies, a {@code required} value, a template error...).
     *
     * @param message Helm's message
     */
    record Failed(String message) implements RenderOutcome {
    }

    /**
     * The engine ran longer than the configured timeout and was abandoned (a process is killed).
     *
     * @param seconds the timeout
     */
    record TimedOut(long seconds) implements RenderOutcome {
    }

    /**
     * The engine cannot run here (no binary, no native library); the next engine is tried.
     *
     * @param reason why, for the report
     */
    record Unavailable(String reason) implements RenderOutcome {
    }
}
