package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Path;
import java.util.List;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pod-spec rules on the demo workspace's hypergraph chart: its GPU explainer, autoscaled by KEDA, neither
 * spreads its replicas nor has a priority class; its gateway, with two replicas and a zone spread, does both.
 */
@ServerTest
class PodSpecDemoTest {

    private static final Path TEMPLATES = TestConfigs.demoWorkspace().resolve("manifests/helm/hypergraph/templates");

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "data-dir", "target/test-data/podspec-demo",
                "plugins.helm.engines", "helm-java"));
    }

    @Test
    void theAutoscaledGpuExplainerWantsASpreadAndAPriorityClass(Http1Client client) throws Exception {
        JsonObject report = Reports.ok(client, "/api/helm/checks");
        JsonObject spread = Reports.findings(report, PodSpecScheduling.ANTI_AFFINITY.id(), "Deployment",
                "hypergraph-explainer").getFirst();
        assertThat(spread.getString("message")).contains("is autoscaled");
        assertThat(spread.getString("field")).isEqualTo("spec.template.spec.affinity.podAntiAffinity");
        assertThat(spread.containsKey("container")).isFalse();
        // One finding for one fix: the Polaris-style "no topologySpreadConstraints" is not added to it.
        assertThat(Reports.findings(report, PodSpecScheduling.TOPOLOGY_SPREAD.id(), "Deployment",
                "hypergraph-explainer")).isEmpty();
        JsonObject priority = Reports.findings(report, PodSpecScheduling.PRIORITY_CLASS.id(), "Deployment",
                "hypergraph-explainer").getFirst();
        assertThat(priority.getString("message")).contains("nvidia.com/gpu");
        assertThat(priority.getString("file"))
                .isEqualTo("manifests/helm/hypergraph/templates/explainer-deployment.yaml");
        // The pod spec starts at its securityContext: the line a priorityClassName would go near.
        assertThat(priority.getInt("line")).isEqualTo(Reports.lineOf(TEMPLATES.resolve("explainer-deployment.yaml"),
                "securityContext:"));
        // pullPolicy Always: nothing to say; the tag, though, is no digest.
        assertThat(Reports.findings(report, PodSpecImages.PULL_POLICY.id(), "Deployment", "hypergraph-explainer"))
                .isEmpty();
        assertThat(Reports.findings(report, PodSpecImages.DIGEST.id(), "Deployment", "hypergraph-explainer"))
                .hasSize(1);
    }

    @Test
    void theGatewaySpreadsItsTwoReplicasOverZonesAndAsksForNoGpu(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks");
        for (String id : List.of(PodSpecScheduling.ANTI_AFFINITY.id(), PodSpecScheduling.TOPOLOGY_SPREAD.id(),
                PodSpecScheduling.TOPOLOGY_SPREAD_VALID.id(), PodSpecScheduling.PRIORITY_CLASS.id())) {
            assertThat(Reports.findings(report, id, "Deployment", "hypergraph-gateway")).as(id).isEmpty();
        }
        // values-prod.yaml runs 3 gateways: the minimum-replicas note goes away there.
        JsonObject prod = Reports.ok(client, "/api/helm/checks?values=values-prod.yaml");
        assertThat(Reports.findings(report, PodSpecScheduling.REPLICAS.id(), "Deployment", "hypergraph-gateway"))
                .hasSize(1);
        assertThat(Reports.findings(prod, PodSpecScheduling.REPLICAS.id(), "Deployment", "hypergraph-gateway"))
                .isEmpty();
    }
}
