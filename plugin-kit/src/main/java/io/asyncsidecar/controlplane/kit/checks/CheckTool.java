package io.asyncsidecar.controlplane.kit.checks;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.checks.CheckOutcome;
import io.asyncsidecar.controlplane.spi.checks.CheckParameters;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;

/**
 * The tool a check plugin reports its findings as: SARIF's {@code tool.driver} name and version, and the rules it
 * knows (SARIF lists them so that a viewer can describe a result's rule even when no finding of it was made).
 *
 * @param name    the tool name, e.g. {@code control-plane-keda}
 * @param version the tool version
 * @param rules   the checks the tool knows
 */
public record CheckTool(String name, String version, List<CheckRule> rules) {

    /**
     * Checks the parts.
     *
     * @param name    the name
     * @param version the version
     * @param rules   the rules
     */
    public CheckTool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        rules = List.copyOf(rules);
    }

    /**
     * The tool of a plugin: named {@code control-plane-<id>}, with the plugin's version.
     *
     * @param plugin the plugin
     * @param rules  the checks it knows
     * @return the tool
     */
    public static CheckTool of(Plugin plugin, Collection<CheckRule> rules) {
        return new CheckTool("control-plane-" + plugin.id(), plugin.version(), List.copyOf(rules));
    }

    /**
     * A {@link WorkspaceCheck} reporting as this tool: its scopes, this tool's rules, and a run.
     *
     * @param scopes the scopes of the plugin's check route
     * @param run    what one run does
     * @return the workspace check
     */
    public WorkspaceCheck workspaceCheck(RequiredScopes scopes, Function<CheckParameters, CheckOutcome> run) {
        Objects.requireNonNull(scopes, "scopes");
        Objects.requireNonNull(run, "run");
        List<CheckRule> known = rules;
        return new WorkspaceCheck() {
            @Override
            public RequiredScopes scopes() {
                return scopes;
            }

            @Override
            public List<CheckRule> rules() {
                return known;
            }

            @Override
            public CheckOutcome run(CheckParameters parameters) {
                return run.apply(parameters);
            }
        };
    }
}
