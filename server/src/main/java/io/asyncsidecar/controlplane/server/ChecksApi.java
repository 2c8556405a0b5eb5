package io.asyncsidecar.controlplane.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.checks.CheckResponses;
import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.checks.CheckParameters;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/checks}: every loaded plugin's workspace check run at once ({@link WorkspaceChecks}) and merged
 * into one report ({@link ChecksReport}). Any authenticated caller may ask; a plugin's part is in the answer only
 * when the caller holds its check's scopes, else it is named under {@code left_out} with them.
 *
 * <p>Query: {@code values} (repeatable), {@code kubeVersion}, {@code app}, passed to every check as their own routes
 * read them, and {@code format} ({@code json}, {@code sarif}, {@code junit}). Another name is a 400, and so is a
 * value a plugin refuses (its problem, naming the parameter and the plugin).
 */
final class ChecksApi {

    private static final List<String> ALLOWED = List.of("values", "kubeVersion", "app", "format");

    private final WorkspaceChecks checks;
    private final String version;

    /**
     * The route's handler.
     *
     * @param checks  the plugins' checks
     * @param version the control plane's version, named by JUnit XML
     */
    ChecksApi(WorkspaceChecks checks, String version) {
        this.checks = checks;
        this.version = version;
    }

    /**
     * The handler.
     *
     * @param req the request
     * @param res the response
     */
    void checks(ServerRequest req, ServerResponse res) {
        Caller caller = Caller.of(req);
        Map<String, List<String>> given = new LinkedHashMap<>();
        for (String name : req.query().names()) {
            given.put(name, req.query().all(name));
        }
        CheckResponses.Format format = format(given);
        ChecksReport report = checks.run(parameters(given), caller::hasScope);
        switch (format) {
            case SARIF -> CheckResponses.sendSarif(res, report.toSarif());
            case JUNIT -> CheckResponses.sendJunit(res, report.toJunit(version));
            case JSON -> CheckResponses.sendJson(res, report.toJson());
        }
    }

    /**
     * The format a run asks for, after checking every parameter name: read before any work, so a bad value costs
     * nothing.
     *
     * @param given the parameters with their values
     * @return the format
     * @throws ProblemException 400 naming an unknown parameter, a repeated single one, or a bad format
     */
    static CheckResponses.Format format(Map<String, List<String>> given) {
        for (Map.Entry<String, List<String>> e : given.entrySet()) {
            if (!ALLOWED.contains(e.getKey())) {
                throw ProblemException.badRequest("unknown query parameter '" + e.getKey() + "' (known: "
                        + String.join(", ", ALLOWED) + ")").with("parameter", e.getKey());
            }
            if (!e.getKey().equals("values") && e.getValue().size() > 1) {
                throw ProblemException.badRequest("'" + e.getKey() + "' may be given once, got " + e.getValue().size()
                        + " values").with("parameter", e.getKey());
            }
        }
        List<String> format = given.getOrDefault(CheckResponses.FORMAT_PARAMETER, List.of());
        return CheckResponses.Format.of(format.isEmpty() ? null : format.getFirst());
    }

    /**
     * What every plugin's check is asked with: the given parameters but the format.
     *
     * @param given the parameters with their values
     * @return the check parameters
     */
    static CheckParameters parameters(Map<String, List<String>> given) {
        Map<String, List<String>> passed = new LinkedHashMap<>(given);
        passed.keySet().retainAll(WorkspaceChecks.PARAMETERS);
        return new CheckParameters(passed);
    }
}
