package io.asyncsidecar.controlplane.plugins.karpenter;

import io.asyncsidecar.controlplane.server.testing.FindingsJson;
import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.AMI_PINNED;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.BUDGETS;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.CONSOLIDATION;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.CPU_POOL_REJECTS_GPU;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.DEPRECATED_API;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.DURATIONS;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.GPU_POOL_LIMIT;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.GPU_POOL_TAINT;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.GPU_WORKLOAD_CAPACITY;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.GPU_WORKLOAD_POOL;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.LIMITS;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.NODECLASS_AMI;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.NODECLASS_ROLE;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.NODECLASS_SECURITY_GROUPS;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.NODECLASS_SUBNETS;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.NODECLASS_TAGS;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.NODE_CLASS_REF;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.REQUIREMENT_IN_VALUES;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.REQUIREMENT_MIN_VALUES;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.REQUIREMENT_NUMERIC;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.REQUIREMENT_OPERATOR;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.RESTRICTED_LABEL;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.STATIC_POOL;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.TAINT;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.WEIGHT;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.checksOf;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.finding;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.messages;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.named;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One refusal of Karpenter's CRD validation per rule, the old APIs, and the GPU cross-check, from
 * src/test/workspace/manifests/karpenter/validation-cases.yaml; and an unparsable file.
 */
@ServerTest
class KarpenterValidationCasesTest {

    private final Http1Client client;

    KarpenterValidationCasesTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", "src/test/workspace",
                "data-dir", "target/test-data/karpenter-validation",
                "plugins.karpenter.path", "manifests/karpenter/validation-cases.yaml",
                "plugins.karpenter.chart", ""));
    }

    @Test
    void nodePoolRulesFromTheCrd() {
        JsonObject body = get(null);
        assertThat(checksOf(body.getJsonArray("findings"), "invalid-requirements")).containsExactlyInAnyOrder(
                RESTRICTED_LABEL, RESTRICTED_LABEL, REQUIREMENT_IN_VALUES, REQUIREMENT_NUMERIC, REQUIREMENT_MIN_VALUES,
                REQUIREMENT_OPERATOR, TAINT, DURATIONS, LIMITS, CONSOLIDATION, BUDGETS, BUDGETS, WEIGHT);
        assertThat(messages(body.getJsonArray("findings"), "invalid-requirements", RESTRICTED_LABEL)).containsExactly(
                "NodePool/invalid-requirements: requirement karpenter.sh/nodepool: label \"karpenter.sh/nodepool\" is"
                        + " restricted",
                "NodePool/invalid-requirements: label kubernetes.io/hostname: label \"kubernetes.io/hostname\" is"
                        + " restricted");
        assertThat(messages(body.getJsonArray("findings"), "invalid-requirements", BUDGETS))
                .anyMatch(m -> m.contains("'schedule' must be set with 'duration'"))
                .anyMatch(m -> m.contains("'150%'"));
        // the disruption block sets no consolidateAfter: v1 defaults it to 0s, so only the policy is refused
        assertThat(messages(body.getJsonArray("findings"), "invalid-requirements", CONSOLIDATION))
                .singleElement().satisfies(m -> assertThat(m).contains("v1 renamed it WhenEmptyOrUnderutilized"));
        JsonObject minValues = finding(body.getJsonArray("findings"), "invalid-requirements", REQUIREMENT_MIN_VALUES);
        assertThat(minValues.getInt("line")).isEqualTo(27);
        assertThat(minValues.getString("file")).isEqualTo("manifests/karpenter/validation-cases.yaml");

        assertThat(checksOf(body.getJsonArray("findings"), "static-pool"))
                .containsExactlyInAnyOrder(STATIC_POOL, STATIC_POOL, NODE_CLASS_REF);
        assertThat(named(body.getJsonArray("nodepools"), "static-pool").getBoolean("node_class_resolves")).isFalse();
    }

    @Test
    void nodeClassRulesFromTheCrd() {
        JsonObject body = get(null);
        assertThat(checksOf(body.getJsonArray("findings"), "invalid-class")).containsExactlyInAnyOrder(
                NODECLASS_ROLE, NODECLASS_AMI, NODECLASS_AMI, NODECLASS_AMI, NODECLASS_AMI, NODECLASS_AMI,
                NODECLASS_SUBNETS, NODECLASS_SECURITY_GROUPS, NODECLASS_TAGS);
        assertThat(messages(body.getJsonArray("findings"), "invalid-class", NODECLASS_AMI))
                .anyMatch(m -> m.contains("family is not supported") && m.contains("ubuntu@1"))
                .anyMatch(m -> m.contains("amiFamily must be 'AL2023' or 'Custom'"));
        assertThat(checksOf(body.getJsonArray("findings"), "valid")).isEmpty();
    }

    @Test
    void oldApisAreFlaggedAndStillVerified() {
        JsonObject body = get(null);
        assertThat(checksOf(body.getJsonArray("findings"), "legacy"))
                .containsExactlyInAnyOrder(DEPRECATED_API, DEPRECATED_API, AMI_PINNED);
        JsonObject provisioner = named(body.getJsonArray("nodepools"), "legacy");
        assertThat(provisioner.getString("kind")).isEqualTo("Provisioner");
        assertThat(provisioner.getBoolean("deprecated_api")).isTrue();
        assertThat(provisioner.getBoolean("node_class_resolves")).isTrue();
        assertThat(provisioner.getJsonObject("limits").getString("cpu")).isEqualTo("100");
        assertThat(provisioner.getJsonObject("disruption").getBoolean("consolidation")).isTrue();
    }

    @Test
    void seedVerificationOfGpuAndCpuPools() {
        JsonObject body = get(null);
        assertThat(checksOf(body.getJsonArray("findings"), "gpu-untainted"))
                .containsExactlyInAnyOrder(GPU_POOL_TAINT, GPU_POOL_LIMIT);
        assertThat(named(body.getJsonArray("nodepools"), "gpu-a").getString("class")).isEqualTo("gpu");
        assertThat(named(body.getJsonArray("nodepools"), "static-pool").getString("class")).isEqualTo("cpu");
        assertThat(checksOf(body.getJsonArray("findings"), "open-cpu")).isEmpty();
        assertThat(finding(body.getJsonArray("ignored"), "open-cpu", CPU_POOL_REJECTS_GPU).getString("ignored_reason"))
                .isEqualTo("batch pool, GPU pods are blocked by policy");
        assertThat(body.getBoolean("gpu_pool")).isTrue();
        assertThat(body.getBoolean("cpu_pool")).isTrue();
    }

    @Test
    void gpuWorkloadsAgainstThePools() {
        JsonObject body = get(null);
        JsonObject capacity = finding(body.getJsonArray("findings"), "trainer", GPU_WORKLOAD_CAPACITY);
        assertThat(capacity.getString("message")).isEqualTo("Deployment/trainer at 3 replicas (ScaledObject/trainer"
                + " maxReplicaCount) needs 6 nvidia.com/gpu (2 per pod), over the limit 4 of NodePool gpu-a");
        JsonObject trainer = named(body.getJsonArray("gpu_workloads"), "trainer");
        assertThat(trainer.getBoolean("fits")).isFalse();
        assertThat(trainer.getInt("max_replicas")).isEqualTo(3);

        JsonObject anywhere = finding(body.getJsonArray("findings"), "anywhere", GPU_WORKLOAD_POOL);
        assertThat(anywhere.getString("severity")).isEqualTo("warning");
        assertThat(anywhere.getString("message")).contains("3 GPU pools (gpu-untainted, gpu-a, gpu-b)");

        JsonObject stranded = finding(body.getJsonArray("findings"), "stranded", GPU_WORKLOAD_POOL);
        assertThat(stranded.getString("severity")).isEqualTo("error");
        assertThat(stranded.getString("message"))
                .contains("gpu-b (taint nvidia.com/gpu=true:NoSchedule not tolerated)").contains("Pending");
    }

    @Test
    void unparsableYamlIsAFindingWithItsLine() {
        JsonObject body = get("manifests/karpenter/broken.yaml");
        JsonObject parse = body.getJsonArray("findings").getJsonObject(0);
        assertThat(parse.getString("check")).isEqualTo("yaml.parse");
        assertThat(parse.getInt("line")).isEqualTo(7);
        assertThat(body.getJsonArray("nodepools")).isEmpty();
        assertThat(body.getBoolean("cpu_pool")).isFalse();
        assertThat(checksOf(body.getJsonArray("findings"), "broken")).isEmpty();
    }

    private JsonObject get(String path) {
        var req = client.get("/api/karpenter/nodepools");
        if (path != null) {
            req.queryParam("path", path);
        }
        ClientResponseTyped<String> r = req.request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        return parse(r.entity());
    }
}
