package io.asyncsidecar.controlplane.plugins.karpenter;

import io.asyncsidecar.controlplane.server.testing.FindingsJson;
import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.AMI_PINNED;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.CPU_POOL_REJECTS_GPU;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.DEPRECATED_API;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.GPU_POOL;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.GPU_WORKLOAD_POOL;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.NODECLASS_AMI;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.NODE_CLASS_REF;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.checksOf;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.finding;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.messages;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.named;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Karpenter AWS provider's examples and the karpenter-blueprints (shared fixtures), with the fixtures folder
 * as the workspace, and the provider's GPU example workloads cross-checked against them.
 */
@ServerTest
class KarpenterFixturesTest {

    private static final String WORKLOADS = "karpenter/karpenter-provider-aws/examples/workloads";

    private final Http1Client client;

    KarpenterFixturesTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", SharedFixtures.root().toString(),
                "data-dir", "target/test-data/karpenter-fixtures",
                "plugins.karpenter.chart", ""));
    }

    @Test
    void providerV1ExamplesAreValidButFollowMovingAmis() {
        JsonObject body = get("karpenter/karpenter-provider-aws/examples/v1", null);
        assertThat(body.getJsonArray("nodepools")).hasSize(18);
        // Karpenter's own examples pass its validation: only the moving AMIs, one open pool and the missing GPU pool
        assertThat(body.getJsonArray("findings").getValuesAs(JsonObject.class))
                .extracting(f -> f.getString("check")).containsOnly(AMI_PINNED, CPU_POOL_REJECTS_GPU, GPU_POOL);
        assertThat(checksOf(body.getJsonArray("findings"), "large-instances")).containsExactly(CPU_POOL_REJECTS_GPU);
        assertThat(finding(body.getJsonArray("findings"), "windows2022", AMI_PINNED).getString("message"))
                .contains("windows2022@latest");
        // min-values-family: Exists with minValues is valid (the minValues rule is for In)
        assertThat(named(body.getJsonArray("nodepools"), "spot").getString("class")).isEqualTo("cpu");
        assertThat(body.getBoolean("gpu_pool")).isFalse();
        assertThat(body.getBoolean("cpu_class")).isTrue();
    }

    @Test
    void v1beta1IsDeprecatedButStillVerified() {
        JsonObject body = get("karpenter/karpenter-provider-aws/examples/v1beta1/multiple-ebs.yaml", null);
        JsonObject pool = named(body.getJsonArray("nodepools"), "default");
        assertThat(pool.getString("apiVersion")).isEqualTo("karpenter.sh/v1beta1");
        assertThat(pool.getBoolean("deprecated_api")).isTrue();
        assertThat(pool.getBoolean("node_class_resolves")).isTrue();
        assertThat(checksOf(body.getJsonArray("findings"), "default")).containsExactly(DEPRECATED_API);
        assertThat(checksOf(body.getJsonArray("findings"), "multiple-ebs"))
                .containsExactlyInAnyOrder(DEPRECATED_API, AMI_PINNED);
        assertThat(messages(body.getJsonArray("findings"), "multiple-ebs", AMI_PINNED).getFirst())
                .contains("latest EKS-optimised AL2 AMI");
    }

    @Test
    void blueprintsMissTheirDefaultClassAndOneAmiFamily() {
        JsonObject body = get("karpenter/karpenter-blueprints", null);
        assertThat(checksOf(body.getJsonArray("findings"), "node-od")).containsExactly(NODE_CLASS_REF);
        assertThat(checksOf(body.getJsonArray("findings"), "savings-plans")).containsExactly(NODE_CLASS_REF);
        assertThat(finding(body.getJsonArray("findings"), "latest-current-ami", NODECLASS_AMI).getString("message"))
                .endsWith("must specify amiFamily if amiSelectorTerms does not contain an alias");
        JsonObject gpu = named(body.getJsonArray("nodepools"), "gpu-slices");
        assertThat(gpu.getString("class")).isEqualTo("gpu");
        assertThat(checksOf(body.getJsonArray("findings"), "gpu-slices")).isEmpty();
        // the scheduled budget passes; the finding is its same-named EC2NodeClass's bottlerocket@latest
        assertThat(checksOf(body.getJsonArray("findings"), "disruption-budget")).containsExactly(AMI_PINNED);
        assertThat(finding(body.getJsonArray("findings"), "disruption-budget", AMI_PINNED).getJsonObject("object")
                .getString("kind")).isEqualTo("EC2NodeClass");
        assertThat(body.getString("gpu_pool_name")).isEqualTo("gpu-slices");
        assertThat(body.getBoolean("gpu_class")).isTrue();
    }

    @Test
    void providerGpuWorkloadsTolerateNoPoolOfTheBlueprint() {
        JsonObject body = get("karpenter/karpenter-blueprints/node-overlay", WORKLOADS);
        JsonObject nvidia = finding(body.getJsonArray("findings"), "gpu-nvidia", GPU_WORKLOAD_POOL);
        assertThat(nvidia.getString("message")).contains("asks for 1 nvidia.com/gpu per pod")
                .contains("gpu-slices (taint nvidia.com/gpu:NoSchedule not tolerated)");
        assertThat(nvidia.getString("file")).isEqualTo(WORKLOADS + "/gpu-nvidia.yaml");
        assertThat(finding(body.getJsonArray("findings"), "gpu-amd", GPU_WORKLOAD_POOL).getString("message"))
                .contains("1 amd.com/gpu");
        // the CPU-only spread-zone example is not a GPU workload
        assertThat(body.getJsonArray("gpu_workloads").getValuesAs(JsonObject.class))
                .extracting(w -> w.getString("name")).containsExactlyInAnyOrder("gpu-amd", "gpu-nvidia");
    }

    @Test
    void aPoolWithoutItsClassInTheFile() {
        JsonObject body = get("karpenter/karpenter-provider-aws/test/default_nodepool.yaml", null);
        assertThat(finding(body.getJsonArray("findings"), "default", NODE_CLASS_REF).getString("message"))
                .contains("EC2NodeClass 'default', which is not among the 0 node classes read");
        assertThat(body.getBoolean("cpu_pool")).isTrue();
        assertThat(body.getBoolean("cpu_class")).isFalse();
    }

    private JsonObject get(String path, String workloads) {
        Http1ClientRequest req = client.get("/api/karpenter/nodepools").queryParam("path", path);
        if (workloads != null) {
            req.queryParam("workloads", workloads);
        }
        ClientResponseTyped<String> r = req.request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        return parse(r.entity());
    }
}
