package io.asyncsidecar.controlplane.spi.checks;

import java.util.List;

import io.asyncsidecar.controlplane.spi.RequiredScopes;

/**
 * A plugin's check of the workspace, offered through {@link io.asyncsidecar.controlplane.spi.Plugin#workspaceCheck()}
 * so that {@code GET /api/checks} and the {@code control-plane check} command run it beside every other plugin's and
 * merge the findings into one report. It must find the same as the plugin's own check route given the same
 * parameters.
 *
 * <p>Implementations are called from several threads at once and must not keep per-run state.
 */
public interface WorkspaceCheck {

    /**
     * The scopes a caller needs to see this plugin's part of the report: those of the plugin's own check route.
     * A caller without them gets the report without this plugin, which is named as left out.
     *
     * @return the scopes
     */
    RequiredScopes scopes();

    /**
     * The rules the check knows, as its own route lists them: a combined SARIF log names them in each plugin's run,
     * and a score counts the rules that passed beside the findings.
     *
     * @return the rules; empty (the default) when the plugin does not say
     */
    default List<CheckRule> rules() {
        return List.of();
    }

    /**
     * Runs the check.
     *
     * @param parameters the run's parameters (values files, Kubernetes version, ...); unknown names are ignored
     * @return the report and the plugin's own members
     * @throws io.asyncsidecar.controlplane.spi.ProblemException a 4xx naming a bad parameter
     */
    CheckOutcome run(CheckParameters parameters);
}
