package io.asyncsidecar.controlplane.plugins.keda;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.asyncsidecar.controlplane.spi.ServiceRegistry;
import io.asyncsidecar.controlplane.spi.WorkspacePaths;
import io.asyncsidecar.controlplane.checks.support.ChartObjects;
import io.asyncsidecar.controlplane.spi.checks.CheckReport;
import io.asyncsidecar.controlplane.spi.checks.CheckResponses;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.SafeYaml;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceManifests;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;
import io.asyncsidecar.controlplane.spi.checks.YamlFile;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/keda/scalers}: the KEDA values of the workspace chart and its scalers template (the seed's
 * answer), plus every ScaledObject, ScaledJob and TriggerAuthentication of the rendered chart and the raw
 * manifests, checked. Query: {@code path} (raw manifests to check instead of the configured ones),
 * {@code chart} (a chart folder instead of the configured one), {@code values} (values files of that chart,
 * repeatable), {@code format=json|sarif}.
 */
final class KedaScalersService {

    static final int EXCERPT_CHARS = 2000;

    private final Path workspace;
    private final KedaSettings settings;
    private final Supplier<ServiceRegistry> services;
    private final String version;

    KedaScalersService(Path workspace, KedaSettings settings, Supplier<ServiceRegistry> services, String version) {
        this.workspace = workspace;
        this.settings = settings;
        this.services = services;
        this.version = version;
    }

    void scalers(ServerRequest req, ServerResponse res) {
        CheckResponses.Format format = CheckResponses.format(req);
        long start = System.nanoTime();
        List<Finding> findings = new ArrayList<>();

        List<YamlDocument> manifests = new ArrayList<>();
        List<String> manifestPaths = new ArrayList<>();
        for (WorkspaceManifests m : WorkspaceManifests.requested(req, workspace, "path", "plugins.keda.manifests",
                settings.manifests())) {
            manifests.addAll(m.objects());
            manifestPaths.add(m.path());
            findings.addAll(m.findings());
        }

        Map<String, Object> body = new LinkedHashMap<>();
        Optional<RenderedChart> rendered = ChartObjects.requested(req, services.get(), workspace, "plugins.keda.chart",
                settings.chart(), settings.valuesFiles());
        RenderedChart chart = rendered.orElse(null);
        if (chart != null) {
            body.putAll(seedFields(chart.chartDir()));
            findings.addAll(chart.findings()); // render or reading problems (a missing values file) count too
        }
        KedaScan.Result result = new KedaScan(chart, manifests).run();
        findings.addAll(result.findings());

        boolean degraded = chart != null && chart.degraded();
        String engine = chart == null ? "yaml" : chart.engine();
        CheckReport report = CheckReport.of(findings, engine, degraded, (System.nanoTime() - start) / 1_000_000);
        body.put("degraded", degraded);
        body.put("engine", engine);
        if (chart != null) {
            body.put("chart", ChartObjects.describe(chart));
        }
        body.put("manifests", manifestPaths);
        body.put("scaled_objects", result.scaledObjects());
        body.put("scaled_jobs", result.scaledJobs());
        body.put("trigger_authentications", result.triggerAuthentications());
        CheckResponses.send(res, format, report, body, "control-plane-keda", version, KedaScan.RULES);
    }

    /** The seed's fields: the explainer's KEDA values and the scalers template excerpt. */
    private Map<String, Object> seedFields(String chartPath) {
        Path chartDir = WorkspacePaths.resolve(workspace, "chart", chartPath);
        Path valuesFile = chartDir.resolve("values.yaml");
        String valuesPath = WorkspacePaths.display(workspace, valuesFile);
        YamlFile values = SafeYaml.create().load(valuesFile, valuesPath);
        Map<String, Object> root = values.documents().isEmpty() ? Map.of() : values.documents().getFirst().map();
        Map<String, Object> workload = ManifestValues.map(root, settings.valuesKey());
        Map<String, Object> keda = ManifestValues.map(workload, "keda");

        Map<String, Object> seed = new LinkedHashMap<>();
        seed.put("values_path", valuesPath);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("expl_replicas", workload.get("replicas"));
        v.put("minReplicaCount", keda.get("minReplicaCount"));
        v.put("maxReplicaCount", keda.get("maxReplicaCount"));
        v.put("backlogSecondsTarget", keda.get("backlogSecondsTarget"));
        seed.put("values", v);
        seed.put("keda_values", keda);
        Path template = WorkspacePaths.resolve(workspace, "plugins.keda.template",
                WorkspacePaths.display(workspace, chartDir.resolve(settings.template())));
        String excerpt = WorkspaceManifests.excerpt(template, EXCERPT_CHARS);
        seed.put("keda_template_excerpt", excerpt);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("file", WorkspacePaths.display(workspace, template));
        t.put("first_line", excerpt.isEmpty() ? 0 : 1);
        t.put("last_line", excerpt.isEmpty() ? 0 : excerpt.split("\n", -1).length - (excerpt.endsWith("\n") ? 1 : 0));
        t.put("truncated", excerpt.length() == EXCERPT_CHARS);
        seed.put("keda_template", t);
        if (!values.ok() || values.documents().isEmpty()) {
            seed.put("values_problem", values.ok() ? "values.yaml is missing or empty" : values.error().message());
        }
        return seed;
    }
}
