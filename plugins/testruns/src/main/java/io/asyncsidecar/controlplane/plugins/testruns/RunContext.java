package io.asyncsidecar.controlplane.plugins.testruns;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.json.JsonObject;

/**
 * What an {@link Orchestrator} sees of the run it executes.
 */
interface RunContext {

    /** @return the run id */
    String runId();

    /** @return the validated arguments, secrets included */
    RunArguments args();

    /** @return the workspace root */
    Path workspace();

    /** @return a directory for the orchestrator's artifacts, created */
    Path workDirectory();

    /** @return the per-request timeout of the built-in runner */
    Duration requestTimeout();

    /** @return whether a caller cancelled the run (or the server is stopping) */
    boolean cancelled();

    /**
     * Emits a log line (secrets are redacted here).
     *
     * @param stream {@code stdout}, {@code stderr} or {@code runner}
     * @param line   the line
     */
    void log(String stream, String line);

    /**
     * Emits an E2E step result.
     *
     * @param step the step's result
     */
    void step(JsonObject step);

    /**
     * Emits one second of load statistics.
     *
     * @param second the entry
     */
    void stats(JsonObject second);

    /**
     * Redacts secrets in a text bound for a report.
     *
     * @param text the text
     * @return the text without the run's secrets
     */
    String redact(String text);
}
