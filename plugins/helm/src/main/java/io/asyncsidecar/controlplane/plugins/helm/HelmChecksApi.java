package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.ConcurrencyLimit;
import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.kit.checks.ChartObjects;
import io.asyncsidecar.controlplane.kit.checks.CheckEndpoint;
import io.asyncsidecar.controlplane.kit.checks.CheckResponses;
import io.asyncsidecar.controlplane.kit.checks.CheckTool;
import io.asyncsidecar.controlplane.kit.checks.ConfigIgnores;
import io.asyncsidecar.controlplane.kit.checks.JunitReport;
import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.kit.checks.SarifLog;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.checks.CheckOutcome;
import io.asyncsidecar.controlplane.spi.checks.CheckParameters;
import io.asyncsidecar.controlplane.spi.checks.CheckReport;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/helm/checks}: renders a chart of the workspace and reports the findings as JSON (default),
 * SARIF 2.1.0 ({@code ?format=sarif}) or JUnit XML ({@code ?format=junit}), through the kit's
 * {@link CheckResponses} like every check plugin. It does not use the kit's single-report {@code CheckEndpoint}:
 * one request renders the chart once per values file and answers with a report (a SARIF run, a JUnit testsuite)
 * for each.
 *
 * <p>Query: {@code chart} (a folder in the workspace; default {@code plugins.helm.chart}), {@code values}
 * (repeatable; each file, relative to the workspace or the chart, gives its own result layered over the chart's
 * values.yaml), {@code kubeVersion}, {@code app} (render with that Argo CD Application's Helm values).
 *
 * <p>The ignores of {@code plugins.helm.ignore} ({@link ConfigIgnores}) apply to every result's findings, after
 * the objects' own ignore annotations.
 */
final class HelmChecksApi {

    private static final Set<String> PARAMETERS = Set.of("chart", "values", "kubeVersion", "app", "format");

    private final HelmSettings settings;
    private final Path workspace;
    private final Path tmpDir;
    private final RenderCache renders;
    private final ArgoCdApplications argocd;
    private final CheckTool tool;
    private final ConfigIgnores ignores;
    private final ConcurrencyLimit limit;

    /**
     * The API.
     *
     * @param settings    the plugin's settings
     * @param workspace   the workspace root
     * @param dataDir     the plugin's data directory (inline Argo CD values are written below it, briefly)
     * @param renderer    the renderer (its scratch folder holds inline Argo CD values)
     * @param renders     the render cache in front of the renderer
     * @param yaml        the YAML loader
     * @param tool        the tool the plugin reports as, for SARIF and JUnit XML
     * @param ignores     the config's ignores ({@code plugins.helm.ignore})
     * @param limit       how many checks run at once ({@code plugins.helm.checks})
     */
    HelmChecksApi(HelmSettings settings, Path workspace, Path dataDir, ChartRenderer renderer, RenderCache renders,
                  SafeYaml yaml, CheckTool tool, ConfigIgnores ignores, ConcurrencyLimit limit) {
        this.settings = settings;
        this.workspace = workspace;
        this.tmpDir = renderer.scratch();
        this.renders = renders;
        this.argocd = new ArgoCdApplications(workspace, settings.argocdManifest(), yaml);
        this.tool = tool;
        this.ignores = ignores;
        this.limit = limit;
    }

    /**
     * What one run of the check made: a report per values file (one for the chart's own values), the JSON of each
     * with its members, and the values files.
     */
    private record Run(Path chartDir, List<CheckReport> reports, List<Map<String, Object>> results,
                       List<Map<String, Object>> members, List<Path> values) {
    }

    /**
     * The handler.
     *
     * @param req the request
     * @param res the response
     */
    void checks(ServerRequest req, ServerResponse res) {
        CheckParameters query = CheckEndpoint.parameters(req);
        for (String name : query.values().keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw ProblemException.badRequest("unknown query parameter '" + name + "' (known: " + PARAMETERS
                        + ")").with("parameter", name);
            }
        }
        CheckResponses.Format format = CheckResponses.Format.of(single(query, CheckResponses.FORMAT_PARAMETER, null));
        Run run = limit.call(() -> run(query));
        switch (format) {
            case SARIF -> CheckResponses.sendSarif(res, sarif(run.reports(), run.values()));
            case JUNIT -> CheckResponses.sendJunit(res, junit(run.reports(), run.values()));
            case JSON -> CheckResponses.sendReportJson(res, run.results().size() == 1 ? run.results().getFirst()
                    : combined(run.chartDir(), run.results(), run.reports()), tool);
        }
    }

    /**
     * The check as {@code GET /api/checks} and {@code control-plane check} run it: the same parameters as the
     * route (other names ignored), one report of every values file's findings, and the route's JSON members as
     * details (with several values files, each file's members and summary under {@code results}).
     *
     * @param scopes the route's scopes
     * @return the workspace check
     */
    WorkspaceCheck workspaceCheck(RequiredScopes scopes) {
        return tool.workspaceCheck(scopes, parameters -> {
            Map<String, List<String>> known = new LinkedHashMap<>(parameters.values());
            known.keySet().retainAll(PARAMETERS);
            return outcome(limit.call(() -> run(new CheckParameters(known))));
        });
    }

    private CheckOutcome outcome(Run run) {
        if (run.reports().size() == 1) {
            return new CheckOutcome(run.reports().getFirst(), run.members().getFirst());
        }
        List<Finding> all = new ArrayList<>();
        Set<String> engines = new LinkedHashSet<>();
        long duration = 0;
        for (CheckReport r : run.reports()) {
            all.addAll(r.findings());
            engines.add(r.engine());
            duration += (Long) r.summary().get("duration_ms");
        }
        CheckReport merged = CheckReport.of(all, String.join(",", engines),
                run.reports().stream().anyMatch(CheckReport::degraded), duration);
        Map<String, Object> details = combined(run.chartDir(), run.results(), run.reports());
        details.remove("summary");
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < run.reports().size(); i++) {
            Map<String, Object> r = new LinkedHashMap<>(run.members().get(i));
            r.put("summary", run.reports().get(i).summary());
            results.add(r);
        }
        details.put("results", results);
        return new CheckOutcome(merged, details);
    }

    private Run run(CheckParameters query) {
        String kubeVersion = kubeVersion(single(query, "kubeVersion", settings.kubeVersion()));
        String appName = query.contains("app") ? single(query, "app", "") : null;
        if (appName != null && appName.isBlank()) {
            throw ProblemException.badRequest("'app' is empty").with("parameter", "app");
        }
        ArgoCdApplications.HelmSource app = appName == null ? null : argocd.find(appName, tmpDir);
        try {
            Path chartDir = chartDir(query, app);
            List<Path> extraValues = new ArrayList<>();
            for (String v : query.all("values")) {
                extraValues.add(valuesFile(v, chartDir));
            }
            List<Map<String, Object>> results = new ArrayList<>();
            List<Map<String, Object>> members = new ArrayList<>();
            List<CheckReport> reports = new ArrayList<>();
            // One result per values file; without any, one result with the chart's own values.
            List<Optional<Path>> runs = extraValues.isEmpty() ? List.of(Optional.empty())
                    : extraValues.stream().map(Optional::of).toList();
            for (Optional<Path> run : runs) {
                Path extra = run.orElse(null);
                long start = System.nanoTime();
                List<Path> layers = new ArrayList<>(app == null ? List.of() : app.valueFiles());
                if (extra != null) {
                    layers.add(extra);
                }
                ChartRenderer.Outcome outcome = renders.render(new ChartRenderer.Job(chartDir, layers,
                        app == null ? Map.of() : app.parameters(), kubeVersion,
                        app == null ? null : app.releaseName(), app == null ? null : app.namespace()));
                List<Finding> findings = new ArrayList<>(outcome.findings());
                if (app != null) {
                    findings.addAll(0, app.findings());
                }
                CheckReport report = CheckReport.of(ignores.apply(findings), outcome.engine(), outcome.degraded(),
                        (System.nanoTime() - start) / 1_000_000);
                Map<String, Object> m = members(outcome, kubeVersion, extra, app);
                reports.add(report);
                members.add(m);
                results.add(report.toJson(m));
            }
            return new Run(chartDir, reports, results, members, extraValues);
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    /**
     * Checks a Kubernetes version a caller gave.
     *
     * @param version e.g. {@code 1.31.0}
     * @return the version
     * @throws ProblemException 400 naming {@code kubeVersion} when it is not a Kubernetes version
     */
    static String kubeVersion(String version) {
        if (version == null || !HelmSettings.KUBE_VERSION.matcher(version).matches()) {
            throw ProblemException.badRequest("'kubeVersion' must be a Kubernetes version such as 1.31.0, got '"
                    + version + "'").with("parameter", "kubeVersion");
        }
        return version;
    }

    private Path chartDir(CheckParameters query, ArgoCdApplications.HelmSource app) {
        Path dir;
        if (app != null) {
            dir = app.chartDir();
            if (query.contains("chart")) {
                Path asked = WorkspacePaths.resolve(workspace, "chart", single(query, "chart", ""));
                if (!asked.equals(dir)) {
                    throw ProblemException.badRequest("'chart' (" + WorkspacePaths.display(workspace, asked)
                            + ") and 'app' (path " + WorkspacePaths.display(workspace, dir)
                            + ") name different charts; give one of them").with("parameter", "chart");
                }
            }
        } else {
            dir = WorkspacePaths.resolve(workspace, "chart", single(query, "chart", settings.chart()));
        }
        if (Files.isRegularFile(dir)) {
            throw ProblemException.badRequest("'chart' must name a chart folder, '" + WorkspacePaths.display(
                    workspace, dir) + "' is a file").with("parameter", "chart");
        }
        if (!Files.isDirectory(dir)) {
            throw ProblemException.notFound("'chart': no chart folder at '" + WorkspacePaths.display(workspace, dir)
                    + "' in the workspace").with("parameter", "chart");
        }
        return dir;
    }

    private Path valuesFile(String value, Path chartDir) {
        // A bare name such as values-prod.yaml means the chart's own file.
        Optional<Path> found = ChartObjects.valuesFile(workspace, "values", chartDir, value);
        if (found.isPresent()) {
            return found.get();
        }
        if (Files.isDirectory(WorkspacePaths.resolve(workspace, "values", value))) {
            throw ProblemException.badRequest("'values' must name a file, '" + value + "' is a folder")
                    .with("parameter", "values");
        }
        throw ProblemException.notFound("'values': no file '" + value + "' in the workspace or the chart folder")
                .with("parameter", "values");
    }

    private Map<String, Object> members(ChartRenderer.Outcome outcome, String kubeVersion, Path extra,
                                        ArgoCdApplications.HelmSource app) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chart_dir", outcome.chartDir());
        m.put("rendered", !outcome.degraded());
        m.put("kinds", outcome.kinds());
        m.put("engine", outcome.engine());
        m.put("chart", outcome.chart().toJson());
        m.put("kube_version", kubeVersion);
        m.put("release", outcome.release());
        m.put("values", extra == null ? null : WorkspacePaths.display(workspace, extra));
        if (app != null) {
            m.put("app", app.toJson(workspace));
        }
        m.put("engines", outcome.attempts());
        List<Map<String, Object>> objects = new ArrayList<>();
        for (RenderedObject o : outcome.objects()) {
            Map<String, Object> obj = new LinkedHashMap<>();
            obj.put("apiVersion", o.manifest().get("apiVersion"));
            obj.put("kind", o.kind());
            obj.put("namespace", o.namespace());
            obj.put("name", o.name());
            obj.put("file", o.document().file());
            objects.add(obj);
        }
        m.put("objects", objects);
        return m;
    }

    private Map<String, Object> combined(Path chartDir, List<Map<String, Object>> results, List<CheckReport> reports) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chart_dir", WorkspacePaths.display(workspace, chartDir));
        m.put("rendered", reports.stream().noneMatch(CheckReport::degraded));
        Map<String, Boolean> kinds = new LinkedHashMap<>();
        for (Map<String, Object> r : results) {
            @SuppressWarnings("unchecked")
            Map<String, Boolean> k = (Map<String, Boolean>) r.get("kinds");
            k.forEach((kind, present) -> kinds.merge(kind, present, Boolean::logicalOr));
        }
        m.put("kinds", kinds);
        m.put("values", results.stream().map(r -> r.get("values")).toList());
        Map<String, Object> summary = new LinkedHashMap<>();
        Set<String> engines = new LinkedHashSet<>();
        long duration = 0;
        for (CheckReport r : reports) {
            r.summary().forEach((k, v) -> {
                if (v instanceof Integer n) {
                    summary.merge(k, n, (a, b) -> (Integer) a + (Integer) b);
                }
            });
            engines.add(r.engine());
            duration += (Long) r.summary().get("duration_ms");
        }
        summary.put("engine", String.join(",", engines));
        summary.put("degraded", reports.stream().anyMatch(CheckReport::degraded));
        summary.put("duration_ms", duration);
        m.put("summary", summary);
        m.put("results", results);
        return m;
    }

    /** One run per values file, each naming its file in the run's properties. */
    private Map<String, Object> sarif(List<CheckReport> reports, List<Path> values) {
        List<Map<String, Object>> runs = new ArrayList<>(reports.size());
        for (int i = 0; i < reports.size(); i++) {
            Map<String, Object> properties = values.isEmpty() ? Map.of()
                    : Map.of("values", WorkspacePaths.display(workspace, values.get(i)));
            runs.add(SarifLog.run(tool, reports.get(i), properties));
        }
        return SarifLog.of(runs);
    }

    /** One testsuite per values file, named and propertied with its file, as the SARIF runs are. */
    private byte[] junit(List<CheckReport> reports, List<Path> values) {
        List<JunitReport.Suite> suites = new ArrayList<>(reports.size());
        for (int i = 0; i < reports.size(); i++) {
            String file = values.isEmpty() ? null : WorkspacePaths.display(workspace, values.get(i));
            suites.add(new JunitReport.Suite(file, reports.get(i), file == null ? Map.of() : Map.of("values", file)));
        }
        return JunitReport.of(tool, suites);
    }

    private static String single(CheckParameters query, String name, String fallback) {
        List<String> all = query.all(name);
        if (all.size() > 1) {
            throw ProblemException.badRequest("'" + name + "' may be given once, got " + all.size() + " values")
                    .with("parameter", name);
        }
        return all.isEmpty() ? fallback : all.getFirst();
    }
}
