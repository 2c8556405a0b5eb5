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

    private static List<String> checks(String yaml) {
        return new KedaScan(null, parse("m.yaml", yaml)).run().findings().stream().map(Finding::checkId).toList();
    }

    private static final String WORKER = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: worker, namespace: jobs}
            spec:
              template:
                spec:
                  containers:
                    - name: worker
                      resources: {limits: {cpu: "2"}}
                    - name: log-shipper
                      resources: {requests: {memory: 32Mi}}
            ---
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: worker, namespace: jobs}
            spec:
              scaleTargetRef: {name: worker}
              minReplicaCount: 1
              triggers:
                - {type: cpu, metricType: Utilization, metadata: {value: "60"}}
            """;

    @Test
    void cpuTriggerAcceptsALimitButWantsItOnEveryContainer() {
        List<Finding> findings = new KedaScan(null, parse("m.yaml", WORKER)).run().findings();
        assertThat(findings).extracting(Finding::checkId).containsExactly(KedaScan.RESOURCE_REQUESTS);
        assertThat(findings.getFirst().message()).isEqualTo("the scaledobject has a cpu trigger but the container"
                + " log-shipper of Deployment/jobs/worker doesn't have the cpu request defined (resources.requests.cpu:"
                + " unset, resources.limits.cpu: unset; no LimitRange of type Container in namespace jobs defaults"
                + " cpu)");
        assertThat(findings.getFirst().remediation()).contains("resources.requests.cpu", "container log-shipper",
                "LimitRange");

        // naming the container narrows the check to it, and its limit is enough
        assertThat(checks(WORKER.replace("metadata: {value: \"60\"}",
                "metadata: {value: \"60\", containerName: worker}"))).isEmpty();
        // a zero request or limit is not set, as KEDA reads it (AsApproximateFloat64() > 0)
        assertThat(checks(WORKER.replace("limits: {cpu: \"2\"}", "requests: {cpu: \"0\"}, limits: {cpu: 0m}")
                .replace("metadata: {value: \"60\"}", "metadata: {value: \"60\", containerName: worker}")))
                .containsExactly(KedaScan.RESOURCE_REQUESTS);
    }

    @Test
    void aContainerLimitRangeDefaultInTheNamespaceSatisfiesTheCpuTrigger() {
        String limitRange = """
                ---
                apiVersion: v1
                kind: LimitRange
                metadata: {name: defaults, namespace: %s}
                spec:
                  limits:
                    - type: %s
                      %s: {cpu: 500m}
                """;
        assertThat(checks(WORKER + limitRange.formatted("jobs", "Container", "default"))).isEmpty();
        assertThat(checks(WORKER + limitRange.formatted("jobs", "Container", "defaultRequest"))).isEmpty();
        // another namespace's LimitRange, a Pod-level item, or a max (not a default) do not count
        assertThat(checks(WORKER + limitRange.formatted("web", "Container", "default")))
                .containsExactly(KedaScan.RESOURCE_REQUESTS);
        assertThat(checks(WORKER + limitRange.formatted("jobs", "Pod", "default")))
                .containsExactly(KedaScan.RESOURCE_REQUESTS);
        assertThat(checks(WORKER + limitRange.formatted("jobs", "Container", "max")))
                .containsExactly(KedaScan.RESOURCE_REQUESTS);
        // a memory default does not cover a cpu trigger
        assertThat(checks(WORKER + limitRange.formatted("jobs", "Container", "default").replace("cpu: 500m",
                "memory: 256Mi"))).containsExactly(KedaScan.RESOURCE_REQUESTS);
    }

    @Test
    void resourcesOfTargetsOtherThanDeploymentsAndStatefulSetsAreNotChecked() {
        String rollout = WORKER.replace("apiVersion: apps/v1\nkind: Deployment", "apiVersion: argoproj.io/v1alpha1\n"
                + "kind: Rollout").replace("scaleTargetRef: {name: worker}",
                "scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: worker}");
        assertThat(checks(rollout)).isEmpty();
        assertThat(checks(WORKER.replace("kind: Deployment", "kind: StatefulSet")
                .replace("scaleTargetRef: {name: worker}", "scaleTargetRef: {kind: StatefulSet, name: worker}")))
                .containsExactly(KedaScan.RESOURCE_REQUESTS);
    }

    private static String fallback(String triggers, String extra) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api}
                spec:
                  template:
                    spec:
                      containers: [{name: api, resources: {requests: {cpu: 250m, memory: 256Mi}}}]
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: api}
                spec:
                  scaleTargetRef: {name: api}
                  minReplicaCount: 1
                  fallback: {failureThreshold: 3, replicas: 4%s}
                  triggers:
                %s
                """.formatted(extra, triggers);
    }

    private static final String PROMETHEUS_VALUE = "    - {type: prometheus, metricType: Value, metadata:"
            + " {serverAddress: \"http://prometheus:9090\", query: up, threshold: \"5\"}}";

    @Test
    void fallbackNeedsOneTriggerThatIsNotCpuOrMemory() {
        String onlyResources = "    - {type: cpu, metricType: Utilization, metadata: {value: \"60\"}}\n"
                + "    - {type: memory, metricType: Utilization, metadata: {value: \"70\"}}";
        List<Finding> findings = new KedaScan(null, parse("m.yaml", fallback(onlyResources, ""))).run().findings();
        assertThat(findings).extracting(Finding::checkId).containsExactly(KedaScan.FALLBACK);
        assertThat(findings.getFirst().message()).isEqualTo("fallback is set but the triggers of ScaledObject/api are"
                + " only cpu, memory; KEDA needs at least one trigger that is not cpu or memory for the fallback to be"
                + " enabled");
        assertThat(findings.getFirst().line()).isEqualTo(15);

        // since KEDA 2.18 one other trigger is enough, of any metricType, beside cpu/memory ones
        assertThat(checks(fallback(onlyResources + "\n" + PROMETHEUS_VALUE, ""))).isEmpty();
        // with scalingModifiers the triggers are not looked at
        assertThat(checks(fallback(onlyResources, "").replace("  triggers:",
                "  advanced: {scalingModifiers: {formula: \"cpu\", target: \"2\"}}\n  triggers:"))).isEmpty();
    }

    @Test
    void scalingModifiersFallbackBehaviorNeedsAFormula() {
        List<Finding> findings = new KedaScan(null, parse("m.yaml", fallback(PROMETHEUS_VALUE,
                ", behavior: scalingModifiers"))).run().findings();
        assertThat(findings).extracting(Finding::checkId).containsExactly(KedaScan.FALLBACK);
        assertThat(findings.getFirst().message()).contains("fallback behavior is scalingModifiers")
                .contains("no spec.advanced.scalingModifiers.formula");
        assertThat(checks(fallback(PROMETHEUS_VALUE, ", behavior: currentReplicas"))).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPrometheusTriggerSaysWhichMetricsItsQueryReadsAndAQueryThatIsNotPromQlIsAFinding() {
        String trigger = "    - {type: prometheus, metadata: {serverAddress: \"http://prometheus:9090\", threshold: \"5\","
                + " query: 'max by (namespace) (hypergraph_backlog_seconds{app=\"explainer\"}) # backlog'}}";
        KedaScan.Result ok = new KedaScan(null, parse("m.yaml", fallback(trigger, ""))).run();
        List<Map<String, Object>> triggers = (List<Map<String, Object>>) ok.scaledObjects().getFirst().get("triggers");
        assertThat(triggers.getFirst().get("query_metrics")).isEqualTo(List.of("hypergraph_backlog_seconds"));
        assertThat(ok.findings()).isEmpty();

        KedaScan.Result broken = new KedaScan(null, parse("m.yaml", fallback(trigger.replace("}) #", ") #"), "")))
                .run();
        assertThat(broken.findings()).extracting(Finding::checkId).containsExactly(KedaScan.PROMETHEUS);
        assertThat(broken.findings().getFirst().message()).endsWith("the query does not read as PromQL"
                + " ('}' missing at the end of the query)");
    }
}
