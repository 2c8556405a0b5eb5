package io.asyncsidecar.controlplane.plugins.reports;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.testruns.TestRunArchive;
import io.asyncsidecar.controlplane.spi.testruns.TestRunReport;

/**
 * The consolidated report of one test run of a tenant: by default the latest that completed ({@code passed}
 * or {@code failed}), or a named one that has finished. JSON wraps the run record and its report.json;
 * Markdown puts a title over its report.md.
 */
final class ConsolidatedReport {

    private final String tenant;
    private final TestRunReport run;
    private final Instant generatedAt;

    private ConsolidatedReport(String tenant, TestRunReport run, Instant generatedAt) {
        this.tenant = tenant;
        this.run = run;
        this.generatedAt = generatedAt;
    }

    /**
     * Picks the run to export.
     *
     * @param archive the runs
     * @param tenant  the caller's tenant
     * @param runId   the run asked for, or empty for the latest completed one
     * @return the report, generated now
     * @throws ProblemException 404 when the tenant has no completed run or the named run is unknown (or another
     *                          tenant's), 409 when the named run has not finished
     */
    static ConsolidatedReport of(TestRunArchive archive, String tenant, Optional<String> runId) {
        TestRunReport run;
        if (runId.isPresent()) {
            String id = runId.get();
            run = archive.find(tenant, id).orElseThrow(() ->
                    ProblemException.notFound("no test run '" + id + "' in tenant " + tenant).with("field", "run"));
            if (!run.finished()) {
                throw ProblemException.conflict("test run " + id + " is " + run.status()
                        + "; export it once it has finished").with("status", run.status());
            }
        } else {
            run = archive.latestCompleted(tenant).orElseThrow(() -> ProblemException.notFound(
                    "tenant " + tenant + " has no completed test run yet; start one with POST /api/testruns"));
        }
        return new ConsolidatedReport(tenant, run, Instant.now());
    }

    /** @return the run's id */
    String runId() {
        return run.id();
    }

    /** @return {@code {tenant_id, generated_at, run, report}} as UTF-8 JSON */
    byte[] json() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant_id", tenant);
        body.put("generated_at", generatedAt.toString());
        body.put("run", run.record());
        body.put("report", run.report());
        return JsonCodec.writeBytes(body);
    }

    /** @return the run's report.md under a title naming the tenant */
    String markdown() {
        return "<!-- test report for tenant " + tenant + ", generated " + generatedAt + " -->\n"
                + "# Test report — tenant " + tenant + "\n\n"
                + "Run `" + run.id() + "`: **" + run.status() + "**, generated " + generatedAt + ".\n\n"
                + demoteHeadings(run.markdown());
    }

    /** Nests the run's own headings under the export's title. */
    private static String demoteHeadings(String markdown) {
        return markdown.replaceAll("(?m)^(#{1,5}) ", "#$1 ");
    }
}
