package io.asyncsidecar.controlplane.plugins.keda;

import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KedaScan} fed a rendered chart directly (the non-degraded path, without a server), together with raw
 * manifests that target the chart's objects.
 */
class KedaScanTest {

    private static List<YamlDocument> parse(String file, String yaml) {
        return SafeYaml.create().parse(yaml, file, 1).documents();
    }

    @Test
    void rawScaledObjectFindsItsTargetInTheRenderedChartAndConflictsWithTheChartHpa() {
        RenderedChart chart = new RenderedChart("charts/app", "helm-java", false, parse("charts/app/templates/all.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: worker, namespace: jobs}
                spec:
                  template:
                    spec:
                      containers:
                        - name: worker
                          resources: {requests: {memory: 128Mi}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: worker, namespace: jobs}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: worker}
                  maxReplicas: 4
                """), List.of());
        List<YamlDocument> raw = parse("manifests/worker-so.yaml", """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: worker, namespace: jobs}
                spec:
                  scaleTargetRef: {name: worker}
                  minReplicaCount: 1
                  triggers:
                    - type: memory
                      metricType: Utilization
                      metadata: {value: "70"}
                """);
        KedaScan.Result result = new KedaScan(chart, raw).run();

        Map<String, Object> so = result.scaledObjects().getFirst();
        assertThat(so.get("origin")).isEqualTo("manifest");
        @SuppressWarnings("unchecked")
        Map<String, Object> target = (Map<String, Object>) so.get("target");
        assertThat(target).containsEntry("exists", true).containsEntry("file", "charts/app/templates/all.yaml");
        assertThat(result.findings()).extracting(Finding::checkId).containsExactly(KedaScan.SINGLE_SCALER);
        Finding hpa = result.findings().getFirst();
        assertThat(hpa.message()).isEqualTo("the workload 'worker' of type 'Deployment' is already managed by the"
                + " hpa 'worker' (charts/app/templates/all.yaml)");
        assertThat(hpa.file()).isEqualTo("manifests/worker-so.yaml");
        assertThat(hpa.line()).isEqualTo(5);
    }

    @Test
    void keptHpaOfKedaItselfIsNotAConflict() {
        List<YamlDocument> raw = parse("m.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: keda-hpa-web}
                spec:
                  scaleTargetRef: {kind: Deployment, name: web}
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: web}
                spec:
                  scaleTargetRef: {name: web}
                  triggers: [{type: cron, metadata: {timezone: UTC, start: 0 8 * * *, end: 0 18 * * *, desiredReplicas: "3"}}]
                """);
        assertThat(new KedaScan(null, raw).run().findings()).isEmpty();
    }
}
