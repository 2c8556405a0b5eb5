package io.asyncsidecar.controlplane.plugins.karpenter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.asyncsidecar.controlplane.spi.ServiceRegistry;
import io.asyncsidecar.controlplane.checks.support.ChartObjects;
import io.asyncsidecar.controlplane.spi.checks.CheckReport;
import io.asyncsidecar.controlplane.spi.checks.CheckResponses;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceManifests;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/karpenter/nodepools}: the node pools and node classes of the workspace, validated as
 * Karpenter would, verified for the hypergraph's CPU/GPU split, and cross-checked against the GPU workloads of
 * the chart. Query: {@code path} (pools file or folder), {@code chart} and {@code values} (the chart to
 * cross-check), {@code workloads} (raw workload manifests, repeatable), {@code format=json|sarif}.
 */
final class NodePoolsService {

    private final Path workspace;
    private final KarpenterSettings settings;
    private final Supplier<ServiceRegistry> services;
    private final String version;

    NodePoolsService(Path workspace, KarpenterSettings settings, Supplier<ServiceRegistry> services, String version) {
        this.workspace = workspace;
        this.settings = settings;
        this.services = services;
        this.version = version;
    }

    void nodePools(ServerRequest req, ServerResponse res) {
        CheckResponses.Format format = CheckResponses.format(req);
        long start = System.nanoTime();
        WorkspaceManifests pools = WorkspaceManifests.requested(req, workspace, "path", "plugins.karpenter.path",
                List.of(settings.path())).getFirst();
        List<Finding> findings = new ArrayList<>(pools.findings());
        List<YamlDocument> workloads = new ArrayList<>();
        for (WorkspaceManifests w : WorkspaceManifests.requested(req, workspace, "workloads",
                "plugins.karpenter.workloads", settings.workloads())) {
            workloads.addAll(w.objects());
            findings.addAll(w.findings());
        }
        RenderedChart chart = ChartObjects.requested(req, services.get(), workspace, "plugins.karpenter.chart",
                settings.chart(), settings.valuesFiles()).orElse(null);
        if (chart != null) {
            findings.addAll(chart.findings()); // render or reading problems (a missing values file) count too
        }

        KarpenterScan.Result result = new KarpenterScan(pools.objects(), pools.path(), chart, workloads,
                settings.cpuPool(), settings.gpuPool()).run();
        findings.addAll(result.findings());
        boolean degraded = chart != null && chart.degraded();
        String engine = chart == null ? "yaml" : chart.engine();
        CheckReport report = CheckReport.of(findings, engine, degraded, (System.nanoTime() - start) / 1_000_000);

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", pools.path());
        body.putAll(result.seed());
        body.put("degraded", degraded);
        body.put("engine", engine);
        if (chart != null) {
            body.put("chart", ChartObjects.describe(chart));
        }
        body.put("nodepools", result.pools());
        body.put("node_classes", result.nodeClasses());
        body.put("gpu_workloads", result.gpuWorkloads());
        CheckResponses.send(res, format, report, body, "control-plane-karpenter", version, KarpenterRules.RULES);
    }
}
