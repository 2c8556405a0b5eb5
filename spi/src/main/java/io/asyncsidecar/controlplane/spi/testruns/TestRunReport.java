package io.asyncsidecar.controlplane.spi.testruns;

import java.util.Objects;

import jakarta.json.JsonObject;

/**
 * A test run and, once it has finished, its report.
 *
 * @param id       the run id
 * @param tenantId the tenant that owns the run
 * @param status   {@code queued}, {@code running}, {@code passed}, {@code failed}, {@code error},
 *                 {@code cancelled} or {@code interrupted}
 * @param finished whether the run reached a final state; only then are the reports complete
 * @param record   the run record as {@code GET /api/testruns/{id}} shows it (secrets redacted)
 * @param report   the run's {@code report.json}; an empty object while the run has none
 * @param markdown the run's {@code report.md}; empty while the run has none
 */
public record TestRunReport(String id, String tenantId, String status, boolean finished, JsonObject record,
                            JsonObject report, String markdown) {

    /**
     * Checks the components.
     *
     * @param id       the run id
     * @param tenantId the tenant
     * @param status   the status
     * @param finished whether final
     * @param record   the record
     * @param report   the JSON report
     * @param markdown the Markdown report
     */
    public TestRunReport {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(markdown, "markdown");
    }
}
