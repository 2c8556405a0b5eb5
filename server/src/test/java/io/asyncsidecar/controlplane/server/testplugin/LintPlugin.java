package io.asyncsidecar.controlplane.server.testplugin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.checks.CheckEndpoint;
import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;

/**
 * A class-path check plugin for the server's tests of {@code GET /api/checks}: {@code GET /api/lint/report} and its
 * workspace check answer the same findings through the kit's {@link CheckEndpoint}, as the real check plugins do.
 * The findings depend on the parameters, so a test can tell that they were passed on: one per values file, one
 * more for a {@code kubeVersion}; {@code kubeVersion=bad} is refused with a 400 naming the parameter.
 */
public final class LintPlugin implements Plugin {

    static final List<CheckRule> RULES = List.of(
            new CheckRule("lint.replicas", Severity.ERROR, "a workload runs more than one replica"),
            new CheckRule("lint.labels", Severity.WARNING, "an object carries the app label"),
            new CheckRule("lint.values", Severity.INFO, "a values file was read"),
            new CheckRule("lint.version", Severity.WARNING, "the Kubernetes version is supported"));

    private static final RequiredScopes SCOPES = RequiredScopes.of("tests.read");

    private CheckEndpoint checks;

    @Override
    public String id() {
        return "lint";
    }

    @Override
    public void init(PluginContext context) {
        checks = CheckEndpoint.of(this, context, RULES);
    }

    @Override
    public void routes(PluginRoutes routes) {
        routes.get("/report", SCOPES, (req, res) -> checks.answer(req, res, this::check));
    }

    @Override
    public Optional<WorkspaceCheck> workspaceCheck() {
        return Optional.of(checks.workspaceCheck(SCOPES, this::check));
    }

    private Map<String, ?> check(io.asyncsidecar.controlplane.kit.checks.CheckRun run) {
        ObjectRef web = new ObjectRef("apps/v1", "Deployment", "default", "web");
        ObjectRef db = new ObjectRef("apps/v1", "StatefulSet", "default", "db");
        run.add(Finding.of("lint.replicas", Severity.ERROR, web, "templates/web.yaml", 7, "web runs 1 replica",
                "Run 2 or more."));
        run.add(Finding.of("lint.labels", Severity.WARNING, web, "templates/web.yaml", 3, "web has no app label",
                "Add app."));
        run.add(Finding.of("lint.labels", Severity.WARNING, db, "templates/db.yaml", 3, "db has no app label",
                "Add app.").ignore("a vendor chart", "config"));
        for (String v : run.parameters().all("values")) {
            run.add(Finding.of("lint.values", Severity.INFO, null, v, 0, "read " + v, null));
        }
        run.parameters().first("kubeVersion").ifPresent(v -> {
            if (v.equals("bad")) {
                throw ProblemException.badRequest("'kubeVersion' must be a version, got 'bad'")
                        .with("parameter", "kubeVersion");
            }
            run.add(Finding.of("lint.version", Severity.WARNING, db, "templates/db.yaml", 1, "judged at " + v, null));
        });
        return Map.of("objects", List.of(Map.of("kind", "ConfigMap", "namespace", "default", "name", "settings",
                "file", "templates/cm.yaml")));
    }
}
