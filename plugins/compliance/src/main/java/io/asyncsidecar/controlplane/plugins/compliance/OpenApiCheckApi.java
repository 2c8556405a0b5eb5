package io.asyncsidecar.controlplane.plugins.compliance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.ConcurrencyLimit;
import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.kit.checks.CheckResponses;
import io.asyncsidecar.controlplane.kit.checks.CheckTool;
import io.asyncsidecar.controlplane.kit.checks.JunitReport;
import io.asyncsidecar.controlplane.kit.checks.SarifLog;
import io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiCheck;
import io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiResult;
import io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiRule;
import io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiSettings;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.checks.CheckOutcome;
import io.asyncsidecar.controlplane.spi.checks.CheckReport;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /api/compliance/openapi/check} (scope {@code compliance.read}): checks an OpenAPI 3.0/3.1 or Swagger
 * 2.0 spec. Without a body it checks the workspace spec ({@code plugins.compliance.openapi.path}, or the workspace
 * file {@code ?path=} names); with one, the spec in the body (JSON or YAML by content type, else sniffed), so a CI
 * job can post any spec. {@code ?prefix=} replaces the configured path prefix for this check;
 * {@code ?format=sarif} answers SARIF 2.1.0 and {@code ?format=junit} JUnit XML instead of JSON, as the
 * deployment checks do.
 */
final class OpenApiCheckApi {

    private static final String SCOPE = "compliance.read";

    private final OpenApiCheck check;
    private final CheckTool tool;
    private final ConcurrencyLimit limit;

    OpenApiCheckApi(PluginContext context) {
        OpenApiSettings settings = OpenApiSettings.from(context.config().get("openapi"));
        WorkspacePaths.warnIfMissing(context, "plugins.compliance.openapi.path", settings.path());
        this.check = new OpenApiCheck(context.workspace(), settings);
        String version = OpenApiCheckApi.class.getPackage().getImplementationVersion();
        this.tool = new CheckTool("control-plane-compliance", version == null ? "unknown" : version,
                OpenApiRule.checkRules());
        this.limit = ConcurrencyLimit.from("OpenAPI checks", context.config().get("openapi").get("checks"),
                "plugins.compliance.openapi.checks");
    }

    void routes(PluginRoutes routes) {
        routes.post("/openapi/check", RequiredScopes.of(SCOPE), this::check);
    }

    /**
     * The check of the workspace spec ({@code plugins.compliance.openapi.path} with the configured prefix), as
     * {@code POST /api/compliance/openapi/check} without a body answers it, for {@code GET /api/checks} and the
     * {@code control-plane check} command. The answer's own members (paths, verdict, the spec read) are the details.
     *
     * @return the workspace check
     */
    WorkspaceCheck workspaceCheck() {
        return tool.workspaceCheck(RequiredScopes.of(SCOPE), parameters -> {
            long start = System.nanoTime();
            OpenApiResult result = limit.call(() -> check.checkWorkspace(null, null));
            CheckReport report = CheckReport.of(result.findings(), OpenApiResult.ENGINE, false,
                    (System.nanoTime() - start) / 1_000_000);
            Map<String, Object> details = new LinkedHashMap<>(result.members());
            // the route's summary adds the verdict and counts to the report's: here they are details
            Map<String, Object> counts = result.summary(report);
            counts.keySet().removeAll(report.summary().keySet());
            counts.forEach(details::putIfAbsent);
            return new CheckOutcome(report, details);
        });
    }

    private void check(ServerRequest req, ServerResponse res) {
        long start = System.nanoTime();
        CheckResponses.Format format = CheckResponses.format(req);
        String prefix = req.query().first("prefix").orElse(null);
        String path = req.query().first("path").orElse(null);
        String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null);
        byte[] body = body(req);
        OpenApiResult result;
        if (body.length == 0) {
            if (contentType != null && !contentType.isBlank()) {
                throw ProblemException.badRequest("request body is empty although Content-Type is '" + contentType
                        + "': send the spec, or send no body and no Content-Type to check the workspace spec");
            }
            result = limit.call(() -> check.checkWorkspace(path, prefix));
        } else {
            if (path != null) {
                throw ProblemException.badRequest("send a spec in the body or name a workspace file with 'path', not"
                        + " both").with("parameter", "path");
            }
            result = limit.call(() -> check.checkBody(body, contentType, prefix));
        }
        CheckReport report = CheckReport.of(result.findings(), OpenApiResult.ENGINE, false,
                (System.nanoTime() - start) / 1_000_000);
        switch (format) {
            case SARIF -> CheckResponses.sendSarif(res, SarifLog.of(List.of(SarifLog.run(tool, report,
                    properties(result, report)))));
            case JUNIT -> CheckResponses.sendJunit(res, JunitReport.of(tool, List.of(new JunitReport.Suite(null,
                    report, properties(result, report)))));
            case JSON -> CheckResponses.sendReportJson(res, result.toJson(report), tool);
        }
    }

    /** What a SARIF run's and a JUnit suite's properties carry beside the report's summary. */
    private static Map<String, Object> properties(OpenApiResult result, CheckReport report) {
        Map<String, Object> properties = new LinkedHashMap<>(result.summary(report));
        properties.keySet().removeAll(report.summary().keySet());
        properties.put("prefix", result.members().get("prefix"));
        properties.put("non_v1_paths", result.members().get("non_v1_paths"));
        return properties;
    }

    private static byte[] body(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
