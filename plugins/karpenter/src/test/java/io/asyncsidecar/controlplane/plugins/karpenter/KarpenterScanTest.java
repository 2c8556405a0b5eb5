package io.asyncsidecar.controlplane.plugins.karpenter;

import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KarpenterScan} fed a rendered chart directly: the cross-check on what Helm rendered (the non-degraded
 * path the helm plugin enables), without a server.
 */
class KarpenterScanTest {

    private static final String POOLS = """
            apiVersion: karpenter.sh/v1
            kind: NodePool
            metadata: {name: cpu}
            spec:
              template:
                spec:
                  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: nodes}
                  requirements:
                    - {key: karpenter.k8s.aws/instance-category, operator: In, values: [c, m]}
            ---
            apiVersion: karpenter.sh/v1
            kind: NodePool
            metadata: {name: gpu}
            spec:
              template:
                spec:
                  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: nodes}
                  requirements:
                    - {key: karpenter.k8s.aws/instance-family, operator: In, values: [g6]}
                  taints:
                    - {key: nvidia.com/gpu, effect: NoSchedule}
              limits:
                cpu: "32"
                nvidia.com/gpu: "8"
            ---
            apiVersion: karpenter.k8s.aws/v1
            kind: EC2NodeClass
            metadata: {name: nodes}
            spec:
              role: NodeRole
              amiSelectorTerms: [{alias: al2023@v20250715}]
              subnetSelectorTerms: [{tags: {discovery: c}}]
              securityGroupSelectorTerms: [{tags: {discovery: c}}]
            """;

    private static List<YamlDocument> parse(String file, String yaml) {
        return SafeYaml.create().parse(yaml, file, 1).documents();
    }

    @Test
    void renderedWorkloadOverrunsTheCpuLimitOfItsGpuPool() {
        RenderedChart rendered = new RenderedChart("charts/ml", "helm-java", false, parse("charts/ml/templates/x.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: infer}
                spec:
                  template:
                    spec:
                      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
                      containers:
                        - name: infer
                          resources:
                            requests: {cpu: "6", nvidia.com/gpu: 1}
                            limits: {nvidia.com/gpu: 1}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: infer}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: infer}
                  maxReplicas: 6
                """), List.of());
        KarpenterScan.Result result = new KarpenterScan(parse("pools.yaml", POOLS), "pools.yaml", rendered, List.of(),
                "cpu", "gpu", new CrdRules(List.of())).run();

        assertThat(result.findings()).extracting(Finding::checkId).containsExactly(KarpenterRules.GPU_WORKLOAD_CAPACITY);
        assertThat(result.findings().getFirst().message()).isEqualTo("Deployment/infer at 6 replicas"
                + " (HorizontalPodAutoscaler/infer maxReplicas) needs 36 cpu (6 per pod), over the limit 32 of NodePool gpu");
        Map<String, Object> workload = result.gpuWorkloads().getFirst();
        assertThat(workload).containsEntry("origin", "chart").containsEntry("pool", "gpu").containsEntry("fits", false);
        assertThat(result.layout()).containsEntry("cpu_pool", true).containsEntry("gpu_pool", true)
                .containsEntry("cpu_class", true).containsEntry("gpu_class", true);
    }

    @Test
    void withinLimitsNothingIsReported() {
        RenderedChart rendered = new RenderedChart("charts/ml", "helm-java", false, parse("charts/ml/templates/x.yaml", """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: infer}
                spec:
                  replicas: 2
                  template:
                    spec:
                      tolerations: [{key: nvidia.com/gpu, operator: Exists}]
                      containers:
                        - name: infer
                          resources: {limits: {cpu: "4", nvidia.com/gpu: 2}}
                """), List.of());
        KarpenterScan.Result result = new KarpenterScan(parse("pools.yaml", POOLS), "pools.yaml", rendered, List.of(),
                "cpu", "gpu", new CrdRules(List.of())).run();
        assertThat(result.findings()).isEmpty();
        assertThat(result.gpuWorkloads().getFirst()).containsEntry("max_replicas", 2L).containsEntry("fits", true);
    }
}
