package io.asyncsidecar.controlplane.plugins.karpenter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.checks.CheckEndpoint;
import io.asyncsidecar.controlplane.kit.checks.CheckRun;
import io.asyncsidecar.controlplane.kit.checks.WorkspaceManifests;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/karpenter/nodepools}: the node pools and node classes of the workspace, validated as
 * Karpenter would, verified for the hypergraph's CPU/GPU split, and cross-checked against the GPU workloads of
 * the chart. Query: {@code path} (pools file or folder), {@code chart} and {@code values} (the chart to
 * cross-check), {@code workloads} (raw workload manifests, repeatable), {@code crds} (the NodePool / EC2NodeClass
 * CRDs whose own CEL rules then run, repeatable), {@code format=json|sarif}. The answer's {@code validation} says
 * which rules ran: {@value CrdRules#CRD_RULES} or {@value CrdRules#BUILT_IN}.
 */
final class NodePoolsApi {

    private final CheckEndpoint checks;
    private final KarpenterSettings settings;

    NodePoolsApi(CheckEndpoint checks, KarpenterSettings settings) {
        this.checks = checks;
        this.settings = settings;
    }

    void nodePools(ServerRequest req, ServerResponse res) {
        checks.answer(req, res, this::scan);
    }

    /** @return the same check as the route's, for the combined workspace report */
    WorkspaceCheck workspaceCheck(RequiredScopes scopes) {
        return checks.workspaceCheck(scopes, this::scan);
    }

    private Map<String, Object> scan(CheckRun run) {
        WorkspaceManifests pools = run.manifest("path", "plugins.karpenter.path", settings.path());
        List<YamlDocument> workloads = new ArrayList<>();
        for (WorkspaceManifests w : run.manifests("workloads", "plugins.karpenter.workloads", settings.workloads())) {
            workloads.addAll(w.objects());
        }
        List<YamlDocument> crds = new ArrayList<>();
        for (WorkspaceManifests c : run.manifests("crds", "plugins.karpenter.crds", settings.crds())) {
            crds.addAll(c.objects());
        }
        RenderedChart chart = run.chart("plugins.karpenter.chart", settings.chart(), settings.valuesFiles())
                .orElse(null);

        KarpenterScan.Result result = new KarpenterScan(pools.objects(), pools.path(), chart, workloads,
                settings.cpuPool(), settings.gpuPool(), new CrdRules(crds)).run();
        run.addAll(result.findings());

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", pools.path());
        body.put("validation", result.validation());
        body.putAll(result.layout());
        body.putAll(run.engineMembers());
        body.put("nodepools", result.pools());
        body.put("node_classes", result.nodeClasses());
        body.put("gpu_workloads", result.gpuWorkloads());
        return body;
    }
}
