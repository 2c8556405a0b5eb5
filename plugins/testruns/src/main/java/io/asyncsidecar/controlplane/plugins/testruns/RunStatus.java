package io.asyncsidecar.controlplane.plugins.testruns;

import java.util.Locale;

/**
 * The life of a test run: {@code queued → running → passed | failed | error | cancelled}, and
 * {@code interrupted} for a run the server stopped (shutdown or crash) before it could finish.
 */
enum RunStatus {
    /** Waiting for a free slot. */
    QUEUED,
    /** Executing. */
    RUNNING,
    /** Every E2E step and every threshold held. */
    PASSED,
    /** A step or a threshold failed (the runner's exit code 1). */
    FAILED,
    /** The run could not be carried out (bad scenario, runner that did not start, crash). */
    ERROR,
    /** Cancelled by a caller. */
    CANCELLED,
    /** The server stopped while the run was queued or running. */
    INTERRUPTED;

    /**
     * The name used in JSON and query parameters.
     *
     * @return lower-case name
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the run can no longer change.
     *
     * @return true for the final states
     */
    public boolean isFinal() {
        return this != QUEUED && this != RUNNING;
    }

    /**
     * Whether the run reached a verdict (the report is complete).
     *
     * @return true for passed and failed
     */
    public boolean isCompleted() {
        return this == PASSED || this == FAILED;
    }

    /**
     * Parses a label.
     *
     * @param label e.g. {@code passed}
     * @return the status
     * @throws IllegalArgumentException for an unknown label
     */
    public static RunStatus fromLabel(String label) {
        for (RunStatus s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException(label);
    }
}
