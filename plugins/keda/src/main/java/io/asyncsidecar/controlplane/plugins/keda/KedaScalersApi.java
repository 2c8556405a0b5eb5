package io.asyncsidecar.controlplane.plugins.keda;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.kit.checks.CheckEndpoint;
import io.asyncsidecar.controlplane.kit.checks.CheckRun;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.kit.checks.WorkspaceManifests;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.ServiceRegistry;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;
import io.asyncsidecar.controlplane.spi.checks.YamlFile;
import io.asyncsidecar.controlplane.spi.metrics.MetricsProbe;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/keda/scalers}: the KEDA values of the workspace chart and an excerpt of its scalers template,
 * plus every ScaledObject, ScaledJob and TriggerAuthentication of the rendered chart and the raw manifests,
 * checked, each prometheus trigger with its dry run against real metrics ({@link TriggerDryRun}). Query:
 * {@code path} (raw manifests to check instead of the configured ones), {@code chart} (a chart
 * folder instead of the configured one), {@code values} (values files of that chart, repeatable),
 * {@code format=json|sarif}.
 */
final class KedaScalersApi {

    static final int EXCERPT_CHARS = 2000;

    private final CheckEndpoint checks;
    private final Path workspace;
    private final WorkspaceFiles files;
    private final KedaSettings settings;
    private final ServiceRegistry services;

    KedaScalersApi(CheckEndpoint checks, KedaSettings settings, ServiceRegistry services) {
        this.checks = checks;
        this.workspace = checks.workspace();
        this.files = WorkspaceFiles.of(workspace);
        this.settings = settings;
        this.services = services;
    }

    void scalers(ServerRequest req, ServerResponse res) {
        checks.answer(req, res, this::scan);
    }

    /** @return the same check as the route's, for the combined workspace report */
    WorkspaceCheck workspaceCheck(RequiredScopes scopes) {
        return checks.workspaceCheck(scopes, this::scan);
    }

    private Map<String, Object> scan(CheckRun run) {
        List<YamlDocument> manifests = new ArrayList<>();
        List<String> manifestPaths = new ArrayList<>();
        for (WorkspaceManifests m : run.manifests("path", "plugins.keda.manifests", settings.manifests())) {
            manifests.addAll(m.objects());
            manifestPaths.add(m.path());
        }

        Map<String, Object> body = new LinkedHashMap<>();
        RenderedChart chart = run.chart("plugins.keda.chart", settings.chart(), settings.valuesFiles()).orElse(null);
        if (chart != null) {
            body.putAll(valuesFields(chart.chartDir()));
        }
        // Looked up per run: the metrics plugin may have failed or been disabled, and the dry run says so.
        Optional<MetricsProbe> metrics = services.lookup(MetricsProbe.class);
        DryRunSettings dryRun = settings.dryRun();
        TriggerDryRun probe = new TriggerDryRun(metrics, dryRun,
                new WorkloadMetrics(metrics, dryRun, workspace, files));
        KedaScan.Result result = new KedaScan(chart, manifests, probe).run();
        run.addAll(result.findings());

        body.putAll(run.engineMembers());
        body.put("manifests", manifestPaths);
        body.put("dry_run", dryRunMembers(metrics.isPresent(), dryRun));
        body.put("scaled_objects", result.scaledObjects());
        body.put("scaled_jobs", result.scaledJobs());
        body.put("trigger_authentications", result.triggerAuthentications());
        return body;
    }

    /** The scaled workload's KEDA values and the scalers template excerpt, read from the chart folder. */
    private Map<String, Object> valuesFields(String chartPath) {
        Path chartDir = WorkspacePaths.resolve(workspace, "chart", chartPath);
        // Bounded by the chart folder, as Helm reads it: a values.yaml or template linking out is not read.
        WorkspaceFiles chart = files.within(chartDir);
        Path valuesFile = chartDir.resolve("values.yaml");
        String valuesPath = chart.display(valuesFile);
        YamlFile values = SafeYaml.create().load(chart, valuesFile);
        Map<String, Object> root = values.documents().isEmpty() ? Map.of() : values.documents().getFirst().map();
        Map<String, Object> workload = ManifestValues.map(root, settings.valuesKey());
        Map<String, Object> keda = ManifestValues.map(workload, "keda");

        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("values_path", valuesPath);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("expl_replicas", workload.get("replicas"));
        v.put("minReplicaCount", keda.get("minReplicaCount"));
        v.put("maxReplicaCount", keda.get("maxReplicaCount"));
        v.put("backlogSecondsTarget", keda.get("backlogSecondsTarget"));
        fields.put("values", v);
        fields.put("keda_values", keda);
        Path template = chartDir.resolve(settings.template()).normalize();
        if (!template.startsWith(chartDir)) {
            throw ProblemException.badRequest("plugins.keda.template must name a file inside the chart folder, got '"
                    + settings.template() + "'");
        }
        String excerpt = chart.excerpt(template, EXCERPT_CHARS);
        fields.put("keda_template_excerpt", excerpt);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("file", chart.display(template));
        refusal(chart, template).ifPresent(problem -> t.put("problem", problem));
        t.put("first_line", excerpt.isEmpty() ? 0 : 1);
        t.put("last_line", excerpt.isEmpty() ? 0 : excerpt.split("\n", -1).length - (excerpt.endsWith("\n") ? 1 : 0));
        t.put("truncated", excerpt.length() == EXCERPT_CHARS);
        fields.put("keda_template", t);
        if (!values.ok() || values.documents().isEmpty()) {
            fields.put("values_problem", values.ok() ? "values.yaml is missing or empty" : values.error().message());
        }
        return fields;
    }

    /** What the trigger dry runs had to work with, for the answer. */
    private static Map<String, Object> dryRunMembers(boolean metricsPlugin, DryRunSettings dryRun) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metrics_plugin", metricsPlugin);
        m.put("prometheus", dryRun.prometheusUrl().map(Object::toString).orElse(null));
        m.put("servers", dryRun.servers().size());
        m.put("targets", List.copyOf(dryRun.targets().keySet()));
        return m;
    }

    /** Why a file that exists was not read (a link out of the chart), for the answer; empty when it was. */
    private static Optional<String> refusal(WorkspaceFiles chart, Path file) {
        try {
            chart.realPath(file);
            return Optional.empty();
        } catch (WorkspaceFiles.Refused r) {
            return r.reason() == WorkspaceFiles.Reason.MISSING ? Optional.empty() : Optional.of(r.getMessage());
        }
    }
}
