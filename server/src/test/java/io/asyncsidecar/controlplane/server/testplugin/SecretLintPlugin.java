package io.asyncsidecar.controlplane.server.testplugin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.checks.CheckEndpoint;
import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;

/**
 * A class-path check plugin whose check needs the echo plugin's own scope {@code echo.custom}: callers without it
 * see it under {@code left_out}. It reports on the same Deployment as {@link LintPlugin}, so the combined report
 * lists that object once with both plugins.
 */
public final class SecretLintPlugin implements Plugin {

    private static final RequiredScopes SCOPES = RequiredScopes.of("echo.custom");

    private CheckEndpoint checks;

    @Override
    public String id() {
        return "secret-lint";
    }

    @Override
    public void init(PluginContext context) {
        checks = CheckEndpoint.of(this, context, List.of(new CheckRule("secret-lint.env", Severity.ERROR,
                "no secret is written into an environment variable")));
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
        run.add(Finding.of("secret-lint.env", Severity.ERROR, new ObjectRef("apps/v1", "Deployment", "default", "web"),
                "templates/web.yaml", 12, "web writes a token into TOKEN", "Use a secretKeyRef."));
        return Map.of();
    }
}
