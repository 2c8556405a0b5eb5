package io.asyncsidecar.controlplane.plugins.karpenter;

import io.asyncsidecar.controlplane.server.testing.FindingsJson;
import java.nio.file.Files;
import java.util.List;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.asyncsidecar.controlplane.server.testing.FindingsJson.named;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/karpenter/nodepools} on the demo workspace: hypergraph-cpu and hypergraph-gpu with their node
 * classes, the deliberate AMI finding, and the explainer placed on the GPU pool at its KEDA maximum (chart read
 * from its templates: no helm plugin here, so degraded).
 */
@ServerTest
class KarpenterDemoWorkspaceTest {

    private static final String TOKENS = "{\"ops\":{\"tenant_id\":\"tA\",\"subject\":\"ops\","
            + "\"scopes\":\"autoscaling.read\"},\"dev\":{\"tenant_id\":\"tA\",\"subject\":\"dev\","
            + "\"scopes\":[\"deployments.read\"]}}";

    private final Http1Client client;

    KarpenterDemoWorkspaceTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", TOKENS,
                "data-dir", "target/test-data/karpenter-demo"));
    }

    @Test
    void seedFieldsNameTheHypergraphPools() {
        JsonObject body = get();
        assertThat(body.getString("path")).isEqualTo("manifests/karpenter/karpenter-provisioners.yaml");
        assertThat(body.getBoolean("cpu_pool")).isTrue();
        assertThat(body.getBoolean("gpu_pool")).isTrue();
        assertThat(body.getBoolean("cpu_class")).isTrue();
        assertThat(body.getBoolean("gpu_class")).isTrue();
        assertThat(body.getString("cpu_pool_name")).isEqualTo("hypergraph-cpu");
        assertThat(body.getString("gpu_pool_name")).isEqualTo("hypergraph-gpu");
    }

    @Test
    void poolsAreClassifiedAndDescribed() {
        JsonObject body = get();
        JsonObject cpu = named(body.getJsonArray("nodepools"), "hypergraph-cpu");
        assertThat(cpu.getString("class")).isEqualTo("cpu");
        assertThat(cpu.getBoolean("excludes_gpu_instances")).isTrue();
        assertThat(cpu.getJsonObject("disruption").getString("consolidationPolicy")).isEqualTo("WhenEmptyOrUnderutilized");
        JsonObject gpu = named(body.getJsonArray("nodepools"), "hypergraph-gpu");
        assertThat(gpu.getString("class")).isEqualTo("gpu");
        assertThat(gpu.getJsonArray("gpu_taints").getJsonObject(0).getString("key")).isEqualTo("nvidia.com/gpu");
        assertThat(gpu.getJsonObject("limits").getString("nvidia.com/gpu")).isEqualTo("4");
        assertThat(gpu.getInt("weight")).isEqualTo(50);
        assertThat(gpu.getJsonObject("nodeClassRef").getString("name")).isEqualTo("hypergraph-gpu");
        assertThat(named(body.getJsonArray("node_classes"), "hypergraph-gpu").getJsonArray("used_by").getString(0))
                .isEqualTo("hypergraph-gpu");
    }

    @Test
    void theOnlyFindingIsTheDeliberateMovingAmi() throws Exception {
        JsonObject body = get();
        assertThat(body.getJsonArray("findings")).hasSize(1);
        JsonObject f = body.getJsonArray("findings").getJsonObject(0);
        assertThat(f.getString("check")).isEqualTo(KarpenterRules.AMI_PINNED);
        assertThat(f.getJsonObject("object").getString("kind")).isEqualTo("EC2NodeClass");
        assertThat(f.getJsonObject("object").getString("name")).isEqualTo("hypergraph-gpu");
        List<String> lines = Files.readAllLines(TestConfigs.demoWorkspace()
                .resolve("manifests/karpenter/karpenter-provisioners.yaml"));
        assertThat(lines.get(f.getInt("line") - 1)).contains("alias: al2023@latest");
    }

    @Test
    void theExplainerFitsOnTheGpuPoolAtItsKedaMaximum() {
        JsonObject body = get();
        assertThat(body.getBoolean("degraded")).isTrue();
        assertThat(body.getJsonObject("summary").getBoolean("degraded")).isTrue();
        assertThat(body.getJsonObject("chart").getString("dir")).isEqualTo("manifests/helm/hypergraph");
        assertThat(body.getJsonArray("gpu_workloads")).hasSize(1);
        JsonObject explainer = named(body.getJsonArray("gpu_workloads"), "hypergraph-explainer");
        assertThat(explainer.getString("origin")).isEqualTo("chart");
        assertThat(explainer.getJsonArray("pools").getValuesAs(jakarta.json.JsonString.class))
                .extracting(jakarta.json.JsonString::getString).containsExactly("hypergraph-gpu");
        assertThat(explainer.getInt("max_replicas")).isEqualTo(4);
        assertThat(explainer.getString("max_replicas_source")).contains("ScaledObject").contains("maxReplicaCount");
        JsonObject gpus = explainer.getJsonObject("needs").getJsonObject("nvidia.com/gpu");
        assertThat(gpus.getString("need")).isEqualTo("4");
        assertThat(gpus.getString("limit")).isEqualTo("4");
        assertThat(explainer.getJsonObject("needs").getJsonObject("cpu").getString("need")).isEqualTo("8");
        assertThat(explainer.getBoolean("fits")).isTrue();
    }

    @Test
    void prodValuesWouldOverrunTheGpuLimit() {
        ClientResponseTyped<String> r = client.get("/api/karpenter/nodepools").queryParam("values", "values-prod.yaml")
                .header(HeaderNames.AUTHORIZATION, "Bearer ops").request(String.class);
        JsonObject body = parse(r.entity());
        JsonObject capacity = FindingsJson.finding(body.getJsonArray("findings"), "hypergraph-explainer",
                KarpenterRules.GPU_WORKLOAD_CAPACITY);
        assertThat(capacity.getString("message")).contains("at 8 replicas").contains("needs 8 nvidia.com/gpu")
                .contains("over the limit 4 of NodePool hypergraph-gpu");
        assertThat(capacity.getString("file")).isEqualTo("manifests/helm/hypergraph/templates/explainer-deployment.yaml");
    }

    @Test
    void answersSarif() {
        ClientResponseTyped<String> r = client.get("/api/karpenter/nodepools").queryParam("format", "sarif")
                .header(HeaderNames.AUTHORIZATION, "Bearer ops").request(String.class);
        assertThat(r.status()).isEqualTo(Status.OK_200);
        JsonObject run = parse(r.entity()).getJsonArray("runs").getJsonObject(0);
        JsonObject result = run.getJsonArray("results").getJsonObject(0);
        assertThat(result.getString("ruleId")).isEqualTo(KarpenterRules.AMI_PINNED);
        assertThat(result.getString("level")).isEqualTo("warning");
        assertThat(result.getJsonObject("message").getString("text")).contains("Remediation: Pin a version");
        assertThat(result.getJsonArray("locations").getJsonObject(0).getJsonArray("logicalLocations").getJsonObject(0)
                .getString("name")).isEqualTo("EC2NodeClass/hypergraph-gpu");
    }

    @Test
    void badInputIsAProblemNeverA500() {
        assertProblem("format", "csv", 400, "'format' must be json, sarif or junit, got 'csv'");
        assertProblem("path", "../../../../../etc/hosts", 400, "inside the workspace");
        assertProblem("workloads", "/etc", 400, "inside the workspace");
        assertProblem("path", "manifests/karpenter/other.yaml", 404, "manifests/karpenter/other.yaml");
        assertProblem("chart", "manifests/helm/none", 404, "manifests/helm/none");
        ClientResponseTyped<String> r = client.get("/api/karpenter/nodepools")
                .header(HeaderNames.AUTHORIZATION, "Bearer dev").request(String.class);
        assertThat(r.status()).isEqualTo(Status.FORBIDDEN_403);
    }

    private void assertProblem(String parameter, String value, int status, String detail) {
        ClientResponseTyped<String> r = client.get("/api/karpenter/nodepools").queryParam(parameter, value)
                .header(HeaderNames.AUTHORIZATION, "Bearer ops").request(String.class);
        assertThat(r.status().code()).as(parameter + "=" + value + ": " + r.entity()).isEqualTo(status);
        assertThat(r.headers().contentType().orElseThrow().text()).startsWith("application/problem+json");
        assertThat(parse(r.entity()).getString("detail")).contains(detail);
    }

    private JsonObject get() {
        ClientResponseTyped<String> r = client.get("/api/karpenter/nodepools")
                .header(HeaderNames.AUTHORIZATION, "Bearer ops").request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        return parse(r.entity());
    }
}
