package io.asyncsidecar.controlplane.plugins.reports;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.ServiceRegistry;
import io.asyncsidecar.controlplane.spi.testruns.TestRunArchive;
import io.asyncsidecar.controlplane.spi.testruns.TestRunReport;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * The consolidated report of one test run of the caller's tenant: by default the latest that completed
 * ({@code passed} or {@code failed}), or the one named by {@code run}. JSON wraps the run record and its
 * report.json; Markdown puts a header over its report.md.
 *
 * <p>Errors: 400 for a bad {@code format}; 404 when the tenant has no completed run or the named run is
 * unknown (or another tenant's); 409 when the named run has not finished; 503 when the {@code testruns}
 * plugin is not active, because then there is nothing to export, which is not the same as an empty history.
 */
final class ReportExport {

    private final Supplier<ServiceRegistry> services;

    ReportExport(Supplier<ServiceRegistry> services) {
        this.services = services;
    }

    void export(ServerRequest req, ServerResponse res) {
        String format = req.query().contains("format") ? req.query().get("format").toLowerCase(Locale.ROOT) : "json";
        if (!format.equals("json") && !format.equals("md")) {
            throw ProblemException.badRequest("'format' must be json or md, got '" + req.query().get("format") + "'")
                    .with("field", "format");
        }
        TestRunArchive archive = services.get() == null ? null
                : services.get().lookup(TestRunArchive.class).orElse(null);
        if (archive == null) {
            throw ProblemException.of(503, "Service Unavailable", "reports need the testruns plugin, which is not "
                    + "active on this server (see GET /api/plugins)");
        }
        String tenant = Caller.of(req).tenantId();
        TestRunReport run;
        if (req.query().contains("run") && !req.query().get("run").isBlank()) {
            String id = req.query().get("run").trim();
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
        Instant now = Instant.now();
        if (format.equals("json")) {
            JsonObject body = Json.createObjectBuilder()
                    .add("tenant_id", tenant)
                    .add("generated_at", now.toString())
                    .add("run", run.record())
                    .add("report", run.report())
                    .build();
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.header(HeaderNames.CONTENT_DISPOSITION, "inline; filename=\"testrun-" + run.id() + ".json\"");
            res.send(body.toString().getBytes(StandardCharsets.UTF_8));
        } else {
            String md = "<!-- test report for tenant " + tenant + ", generated " + now + " -->\n"
                    + "# Test report — tenant " + tenant + "\n\n"
                    + "Run `" + run.id() + "`: **" + run.status() + "**, generated " + now + ".\n\n"
                    + demoteHeadings(run.markdown());
            res.header(HeaderNames.CONTENT_TYPE, "text/markdown; charset=UTF-8");
            res.header(HeaderNames.CONTENT_DISPOSITION, "inline; filename=\"testrun-" + run.id() + ".md\"");
            res.send(md.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Nests the run's own headings under the export's title. */
    private static String demoteHeadings(String markdown) {
        return markdown.replaceAll("(?m)^(#{1,5}) ", "#$1 ");
    }
}
