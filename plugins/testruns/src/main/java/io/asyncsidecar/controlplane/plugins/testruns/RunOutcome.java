package io.asyncsidecar.controlplane.plugins.testruns;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * How an orchestrator finished a run.
 *
 * @param status   the final status
 * @param exitCode 0 passed, 1 failed, the external runner's own code, or null when none applies
 * @param error    what went wrong, for {@code error} (and a note for others), or null
 * @param results  report sections (e.g. {@code e2e}, {@code load}, {@code external}) merged into report.json
 * @param markdown extra Markdown appended to report.md (an external runner's own report), may be empty
 */
record RunOutcome(RunStatus status, Integer exitCode, String error, JsonObject results, String markdown) {

    /** An end without results or message: cancelled before it started, or stopped by a shutdown. */
    static RunOutcome of(RunStatus status) {
        return new RunOutcome(status, null, null, JsonValue.EMPTY_JSON_OBJECT, "");
    }

    static RunOutcome error(String message, JsonObject results) {
        return new RunOutcome(RunStatus.ERROR, 2, message, results, "");
    }
}
