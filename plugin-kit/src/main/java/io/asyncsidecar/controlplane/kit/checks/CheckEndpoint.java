package io.asyncsidecar.controlplane.kit.checks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.asyncsidecar.controlplane.kit.ConcurrencyLimit;
import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.ServiceRegistry;
import io.asyncsidecar.controlplane.spi.checks.CheckOutcome;
import io.asyncsidecar.controlplane.spi.checks.CheckParameters;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * What every check endpoint does around its check, done once: read the {@code format} parameter before any work
 * (a bad value is a 400 that costs nothing), time the run, gather the findings into one
 * {@link io.asyncsidecar.controlplane.spi.checks.CheckReport} and answer with it as JSON, SARIF or JUnit XML
 * through {@link CheckResponses}. The plugin supplies only the check, which reads the workspace through a
 * {@link CheckRun} and returns its own JSON members. The plugin's config ignores ({@code plugins.<id>.ignore},
 * {@link ConfigIgnores}) are applied to the run's findings before they are counted.
 *
 * <pre>{@code
 * CheckEndpoint checks = CheckEndpoint.of(this, context, RULES);   // in Plugin.init
 *
 * void pools(ServerRequest req, ServerResponse res) {                 // a route's handler
 *     checks.answer(req, res, run -> {
 *         WorkspaceManifests pools = run.manifest("path", "plugins.example.path", settings.path());
 *         pools.objects().forEach(doc -> run.addAll(PoolChecks.check(doc)));
 *         return Map.of("path", pools.path());
 *     });
 * }
 * }</pre>
 */
public final class CheckEndpoint {

    /**
     * A plugin's check of one request.
     */
    @FunctionalInterface
    public interface Check {

        /**
         * Runs the check: reads what the request names through the run, adds the findings to it.
         *
         * @param run the run
         * @return the plugin's own JSON members, in order, placed before summary and findings
         */
        Map<String, ?> run(CheckRun run);
    }

    private final CheckTool tool;
    private final Path workspace;
    private final ServiceRegistry services;
    private final ConfigIgnores ignores;
    private final ConcurrencyLimit limit;

    private CheckEndpoint(CheckTool tool, Path workspace, ServiceRegistry services, ConfigIgnores ignores,
                          ConcurrencyLimit limit) {
        this.tool = Objects.requireNonNull(tool, "tool");
        this.workspace = Objects.requireNonNull(workspace, "workspace");
        this.services = services;
        this.ignores = Objects.requireNonNull(ignores, "ignores");
        this.limit = Objects.requireNonNull(limit, "limit");
    }

    /**
     * The endpoint of a plugin, given at {@link Plugin#init(PluginContext)}. The context's service registry lasts
     * for the plugin's lifetime, so services other plugins publish are looked up per request through it. The
     * plugin's ignore list, {@code plugins.<id>.ignore}, is read here ({@link ConfigIgnores#of(Plugin,
     * PluginContext, Collection)}).
     *
     * @param plugin  the plugin (its id and version name the tool)
     * @param context the plugin's context
     * @param rules   the checks the plugin knows
     * @return the endpoint
     * @throws IllegalArgumentException for a bad ignore entry, naming its index and value: thrown from
     *                                  {@code init}, it fails the plugin
     */
    public static CheckEndpoint of(Plugin plugin, PluginContext context, Collection<CheckRule> rules) {
        String key = "plugins." + plugin.id() + ".checks";
        return new CheckEndpoint(CheckTool.of(plugin, rules), context.workspace(), context.services(),
                ConfigIgnores.of(plugin, context, rules),
                ConcurrencyLimit.from(plugin.id() + " checks", context.config().get("checks"), key));
    }

    /**
     * An endpoint from its parts.
     *
     * @param tool      the tool, for SARIF and JUnit XML
     * @param workspace the workspace root
     * @param services  the service registry; null when the check looks up no services
     * @return the endpoint
     */
    public static CheckEndpoint of(CheckTool tool, Path workspace, ServiceRegistry services) {
        return new CheckEndpoint(tool, workspace, services, ConfigIgnores.none(), unlimited(tool));
    }

    /**
     * An endpoint from its parts, with ignores.
     *
     * @param tool      the tool, for SARIF and JUnit XML
     * @param workspace the workspace root
     * @param services  the service registry; null when the check looks up no services
     * @param ignores   the ignores applied to every run's findings
     * @return the endpoint
     */
    public static CheckEndpoint of(CheckTool tool, Path workspace, ServiceRegistry services, ConfigIgnores ignores) {
        return new CheckEndpoint(tool, workspace, services, ignores, unlimited(tool));
    }

    /**
     * Answers a request with a check's report.
     *
     * @param request  the request
     * @param response the response
     * @param check    the check
     * @throws io.asyncsidecar.controlplane.spi.ProblemException 400 for an unknown format, 503 when the plugin's
     *         {@code plugins.<id>.checks} limit is full ({@link ConcurrencyLimit}), or what the check throws
     */
    public void answer(ServerRequest request, ServerResponse response, Check check) {
        CheckResponses.Format format = CheckResponses.format(request);
        CheckOutcome outcome = outcome(parameters(request), check);
        CheckResponses.send(response, format, outcome.report(), outcome.details(), tool);
    }

    /**
     * Runs a check outside a request, as a {@link WorkspaceCheck} does.
     *
     * @param parameters the run's parameters
     * @param check      the check
     * @return the report (config ignores applied) and the check's own members
     */
    public CheckOutcome outcome(CheckParameters parameters, Check check) {
        return limit.call(() -> {
            CheckRun run = new CheckRun(parameters, workspace, services);
            Map<String, ?> members = check.run(run);
            return new CheckOutcome(run.report(ignores), new LinkedHashMap<>(members));
        });
    }

    private static ConcurrencyLimit unlimited(CheckTool tool) {
        return ConcurrencyLimit.of(tool.name() + " checks", "checks", Integer.MAX_VALUE, 0, Duration.ZERO);
    }

    /**
     * The plugin's check as a {@link WorkspaceCheck}, for {@code Plugin.workspaceCheck()}: the same check its route
     * answers with, so the combined report and the route agree.
     *
     * @param scopes the scopes of the plugin's check route
     * @param check  the check
     * @return the workspace check
     */
    public WorkspaceCheck workspaceCheck(RequiredScopes scopes, Check check) {
        Objects.requireNonNull(check, "check");
        return tool.workspaceCheck(scopes, parameters -> outcome(parameters, check));
    }

    /**
     * A request's query as check parameters, every value of every name in order.
     *
     * @param request the request
     * @return the parameters
     */
    public static CheckParameters parameters(ServerRequest request) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String name : request.query().names()) {
            values.put(name, request.query().all(name));
        }
        return new CheckParameters(values);
    }

    /** @return the tool the endpoint reports as */
    public CheckTool tool() {
        return tool;
    }

    /** @return the ignores from the plugin's config */
    public ConfigIgnores ignores() {
        return ignores;
    }

    /** @return the workspace root */
    public Path workspace() {
        return workspace;
    }
}
