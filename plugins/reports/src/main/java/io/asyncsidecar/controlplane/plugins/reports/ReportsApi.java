package io.asyncsidecar.controlplane.plugins.reports;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.ServiceRegistry;
import io.asyncsidecar.controlplane.spi.testruns.TestRunArchive;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The HTTP surface of {@code /api/reports}: {@code GET /export?format=json|md[&run=<id>]}, a
 * {@link ConsolidatedReport} of the caller's tenant.
 *
 * <p>Errors besides the report's own: 400 for a bad {@code format}; 503 when the {@code testruns} plugin is not
 * active, because then there is nothing to export, which is not the same as an empty history. The archive is
 * looked up on every request, so the export follows that plugin's state.
 */
final class ReportsApi {

    private final ServiceRegistry services;

    ReportsApi(ServiceRegistry services) {
        this.services = services;
    }

    void routes(PluginRoutes routes) {
        routes.get("/export", RequiredScopes.of("tests.read"), this::export);
    }

    private void export(ServerRequest req, ServerResponse res) {
        String format = req.query().contains("format") ? req.query().get("format").toLowerCase(Locale.ROOT) : "json";
        if (!format.equals("json") && !format.equals("md")) {
            throw ProblemException.badRequest("'format' must be json or md, got '" + req.query().get("format") + "'")
                    .with("field", "format");
        }
        TestRunArchive archive = services.lookup(TestRunArchive.class).orElseThrow(() -> ProblemException.of(503,
                "Service Unavailable", "reports need the testruns plugin, which is not active on this server (see "
                        + "GET /api/plugins)"));
        Optional<String> runId = req.query().contains("run") && !req.query().get("run").isBlank()
                ? Optional.of(req.query().get("run").trim()) : Optional.empty();
        ConsolidatedReport report = ConsolidatedReport.of(archive, Caller.of(req).tenantId(), runId);
        if (format.equals("json")) {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.header(HeaderNames.CONTENT_DISPOSITION, "inline; filename=\"testrun-" + report.runId() + ".json\"");
            res.send(report.json());
        } else {
            res.header(HeaderNames.CONTENT_TYPE, "text/markdown; charset=UTF-8");
            res.header(HeaderNames.CONTENT_DISPOSITION, "inline; filename=\"testrun-" + report.runId() + ".md\"");
            res.send(report.markdown().getBytes(StandardCharsets.UTF_8));
        }
    }
}
