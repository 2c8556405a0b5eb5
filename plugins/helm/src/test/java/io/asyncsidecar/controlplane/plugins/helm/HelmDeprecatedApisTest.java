package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * helm.api-removed and helm.api-deprecated through GET /api/helm/checks: a small chart of old APIs, rendered by
 * the embedded engine for several Kubernetes versions; a chart Helm cannot render, read textually; and a copy of
 * the demo chart, which must stay clean. The workspace is built under target/ for the test.
 */
@ServerTest
class HelmDeprecatedApisTest {

    private static final Path WORKSPACE = Path.of("target/test-workspaces/deprecated-apis").toAbsolutePath();
    private static final String OLD = "charts/old-apis";
    private static final String TEXT = "charts/old-apis-unrenderable";
    private static final String REMOVED = "helm.api-removed";
    private static final String DEPRECATED = "helm.api-deprecated";

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        buildWorkspace();
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "workspace", WORKSPACE.toString(),
                "data-dir", "target/test-data/deprecated-apis",
                "plugins.helm.engines", "helm-java",
                "plugins.helm.chart", OLD,
                "plugins.helm.kube-version", "1.24.0"));
    }

    private static JsonObject check(Http1Client client, String query) {
        return Reports.ok(client, "/api/helm/checks?" + query);
    }

    private static JsonObject one(List<JsonObject> findings) {
        assertThat(findings).hasSize(1);
        return findings.getFirst();
    }

    @Test
    void at124ThePdbAndTheV2beta2HpaAreDeprecatedAndTheOldIngressIsRemoved(Http1Client client) throws IOException {
        JsonObject report = check(client, "chart=" + OLD + "&kubeVersion=1.24");
        assertThat(report.getBoolean("rendered")).isTrue();
        assertThat(report.getString("engine")).isEqualTo("helm-java");
        assertThat(report.getString("kube_version")).isEqualTo("1.24");

        JsonObject pdb = one(Reports.findings(report, DEPRECATED, "PodDisruptionBudget", "web"));
        assertThat(pdb.getString("severity")).isEqualTo("warning");
        assertThat(pdb.getString("message")).contains("policy/v1beta1 PodDisruptionBudget", "deprecated since v1.21",
                "removed in v1.25", "still applies at v1.24", "use policy/v1 PodDisruptionBudget");
        assertThat(pdb.getString("remediation")).contains("apiVersion policy/v1", "empty spec.selector",
                "deprecation-guide/#poddisruptionbudget-v125");
        assertThat(pdb.getString("file")).isEqualTo(OLD + "/templates/pdb.yaml");
        assertThat(pdb.getInt("line")).isEqualTo(Reports.lineOf(WORKSPACE.resolve(OLD + "/templates/pdb.yaml"),
                "apiVersion: policy/v1beta1"));
        assertThat(pdb.getJsonObject("object").getString("apiVersion")).isEqualTo("policy/v1beta1");
        assertThat(Reports.findings(report, REMOVED, "PodDisruptionBudget", "web")).isEmpty();

        JsonObject hpa = one(Reports.findings(report, DEPRECATED, "HorizontalPodAutoscaler", "web"));
        assertThat(hpa.getString("message")).contains("autoscaling/v2beta2", "deprecated since v1.23",
                "removed in v1.26", "use autoscaling/v2");
        assertThat(hpa.getString("remediation")).contains("apiVersion autoscaling/v2", "target.averageUtilization");

        // extensions/v1beta1 Ingress went in v1.22: an error, with the field renames v1 needs.
        JsonObject ingress = one(Reports.findings(report, REMOVED, "Ingress", "web"));
        assertThat(ingress.getString("severity")).isEqualTo("error");
        assertThat(ingress.getString("message")).contains("extensions/v1beta1 Ingress", "removed in v1.22",
                "deprecated since v1.14", "will not apply", "use networking.k8s.io/v1 Ingress");
        assertThat(ingress.getString("remediation")).contains("networking.k8s.io/v1", "spec.defaultBackend",
                "service.name", "service.port.number", "pathType");

        // The current APIs are never flagged, nor is the PDB the chart picks by .Capabilities (policy/v1).
        for (String kind : List.of("Deployment", "Service")) {
            assertThat(Reports.about(report, kind, "web").stream().map(f -> f.getString("check")))
                    .as(kind).doesNotContain(REMOVED, DEPRECATED);
        }
        assertThat(Reports.about(report, "PodDisruptionBudget", "api")).isEmpty();
        // Nor the HPA whose helper asks the cluster for autoscaling/v2 (rendered offline as v2beta2).
        assertThat(report.getJsonArray("objects").stream().map(JsonValue::asJsonObject)
                .filter(o -> o.getString("name").equals("api") && o.getString("kind").equals("HorizontalPodAutoscaler"))
                .map(o -> o.getString("apiVersion"))).containsExactly("autoscaling/v2beta2");
        assertThat(Reports.about(report, "HorizontalPodAutoscaler", "api").stream().map(f -> f.getString("check")))
                .doesNotContain(REMOVED, DEPRECATED);
        // Besides: batch/v1beta1 CronJob (deprecated 1.21), flowcontrol v1beta1 FlowSchema (deprecated 1.23) and
        // the HPA whose helper picks v2beta2 below Kubernetes 1.26, which Helm decides with ?kubeVersion=.
        assertThat(apiFindings(report).stream().map(f -> f.getString("check") + " "
                + f.getJsonObject("object").getString("kind") + "/" + f.getJsonObject("object").getString("name")))
                .containsExactlyInAnyOrder(DEPRECATED + " PodDisruptionBudget/web",
                        DEPRECATED + " HorizontalPodAutoscaler/web", DEPRECATED + " HorizontalPodAutoscaler/worker",
                        REMOVED + " Ingress/web", DEPRECATED + " CronJob/cleanup", DEPRECATED + " FlowSchema/web");
        assertThat(one(Reports.findings(report, DEPRECATED, "HorizontalPodAutoscaler", "worker")).getString("file"))
                .isEqualTo(OLD + "/templates/hpa-helpers.yaml");
        assertThat(report.getJsonObject("summary").getInt("error")).isEqualTo(1);
    }

    @Test
    void at125ThePdbIsRemovedAndTheHpaStillDeprecated(Http1Client client) {
        JsonObject report = check(client, "chart=" + OLD + "&kubeVersion=1.25.0");
        JsonObject pdb = one(Reports.findings(report, REMOVED, "PodDisruptionBudget", "web"));
        assertThat(pdb.getString("severity")).isEqualTo("error");
        assertThat(pdb.getString("message")).contains("policy/v1beta1 PodDisruptionBudget", "removed in v1.25",
                "a v1.25 API server does not serve it", "use policy/v1");
        assertThat(Reports.findings(report, DEPRECATED, "PodDisruptionBudget", "web")).isEmpty();
        assertThat(one(Reports.findings(report, DEPRECATED, "HorizontalPodAutoscaler", "web")).getString("message"))
                .contains("still applies at v1.25");
    }

    @Test
    void kubeVersion124Versus126ChangesTheVerdict(Http1Client client) {
        JsonObject at124 = check(client, "chart=" + OLD + "&kubeVersion=1.24");
        JsonObject at126 = check(client, "chart=" + OLD + "&kubeVersion=1.26");
        assertThat(at124.getString("kube_version")).isEqualTo("1.24");
        assertThat(at126.getString("kube_version")).isEqualTo("1.26");
        assertThat(Reports.findings(at124, DEPRECATED, "HorizontalPodAutoscaler", "web")).hasSize(1);
        assertThat(Reports.findings(at124, REMOVED, "HorizontalPodAutoscaler", "web")).isEmpty();
        JsonObject hpa = one(Reports.findings(at126, REMOVED, "HorizontalPodAutoscaler", "web"));
        assertThat(hpa.getString("message")).contains("autoscaling/v2beta2", "removed in v1.26",
                "deprecated since v1.23", "use autoscaling/v2");
        // At 1.26 the version-picking helper renders autoscaling/v2: nothing left to warn about.
        assertThat(Reports.findings(at124, DEPRECATED, "HorizontalPodAutoscaler", "worker")).hasSize(1);
        assertThat(Reports.about(at126, "HorizontalPodAutoscaler", "worker").stream().map(f -> f.getString("check")))
                .doesNotContain(REMOVED, DEPRECATED);
        assertThat(Reports.findings(at126, DEPRECATED)).isEmpty();
        assertThat(at126.getJsonObject("summary").getInt("error"))
                .isGreaterThan(at124.getJsonObject("summary").getInt("error"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.22", "1.23.0", "v1.23.17-eks-1234", "1.24.3+k3s1", "1.25", "1.26.0"})
    void theHpaIsJudgedByMajorAndMinorOnly(String version, Http1Client client) {
        JsonObject report = check(client, "chart=" + OLD + "&kubeVersion=" + version);
        int minor = DeprecatedApis.Version.parse(version).minor();
        List<String> hpa = apiFindings(report).stream()
                .filter(f -> f.getJsonObject("object").getString("kind").equals("HorizontalPodAutoscaler"))
                .filter(f -> f.getJsonObject("object").getString("name").equals("web"))
                .map(f -> f.getString("check")).toList();
        assertThat(hpa).as(version).isEqualTo(minor < 23 ? List.of() : minor < 26 ? List.of(DEPRECATED)
                : List.of(REMOVED));
    }

    @Test
    void theDefaultKubeVersionComesFromTheConfig(Http1Client client) {
        JsonObject report = check(client, "chart=" + OLD);
        assertThat(report.getString("kube_version")).isEqualTo("1.24.0");
        assertThat(Reports.findings(report, DEPRECATED, "PodDisruptionBudget", "web")).hasSize(1);
    }

    @Test
    void theIgnoreAnnotationListsTheFindingAsIgnored(Http1Client client) {
        JsonObject report = check(client, "chart=" + OLD + "&kubeVersion=1.26");
        assertThat(Reports.findings(report, REMOVED, "CronJob", "cleanup")).isEmpty();
        JsonObject ignored = one(Reports.ignored(report, REMOVED, "CronJob", "cleanup"));
        assertThat(ignored.getString("ignored_reason")).contains("OPS-7");
        assertThat(ignored.getString("message")).contains("batch/v1beta1 CronJob", "removed in v1.25");
        // The annotation names helm.api-removed only: at 1.24 the deprecation warning is not silenced.
        JsonObject at124 = check(client, "chart=" + OLD + "&kubeVersion=1.24");
        assertThat(Reports.findings(at124, REMOVED, "CronJob", "cleanup")).isEmpty();
        assertThat(Reports.ignored(at124, REMOVED, "CronJob", "cleanup")).isEmpty();
        assertThat(Reports.findings(at124, DEPRECATED, "CronJob", "cleanup")).hasSize(1);
    }

    @Test
    void flowControlIsToldTheNewestReplacementTheTargetServes(Http1Client client) {
        JsonObject at124 = check(client, "chart=" + OLD + "&kubeVersion=1.24");
        assertThat(one(Reports.findings(at124, DEPRECATED, "FlowSchema", "web")).getString("message"))
                .contains("flowcontrol.apiserver.k8s.io/v1beta1", "use flowcontrol.apiserver.k8s.io/v1beta2");
        JsonObject at126 = check(client, "chart=" + OLD + "&kubeVersion=1.26");
        JsonObject v126 = one(Reports.findings(at126, REMOVED, "FlowSchema", "web"));
        assertThat(v126.getString("message")).contains("use flowcontrol.apiserver.k8s.io/v1beta3");
        assertThat(v126.getString("remediation")).contains("v1beta3 is itself removed in v1.32",
                "flowcontrol.apiserver.k8s.io/v1 is served from v1.29");
        JsonObject at131 = check(client, "chart=" + OLD + "&kubeVersion=1.31");
        assertThat(one(Reports.findings(at131, REMOVED, "FlowSchema", "web")).getString("message"))
                .contains("use flowcontrol.apiserver.k8s.io/v1 FlowSchema");
    }

    @Test
    void theRulesAreListedInJsonAndSarif(Http1Client client) {
        JsonObject report = check(client, "chart=" + OLD);
        List<JsonObject> rules = report.getJsonArray("rules").getValuesAs(JsonObject.class);
        JsonObject removed = rules.stream().filter(r -> r.getString("id").equals(REMOVED)).findFirst().orElseThrow();
        JsonObject deprecated = rules.stream().filter(r -> r.getString("id").equals(DEPRECATED)).findFirst()
                .orElseThrow();
        assertThat(removed.getString("severity")).isEqualTo("error");
        assertThat(deprecated.getString("severity")).isEqualTo("warning");

        JsonObject run = Reports.ok(client, "/api/helm/checks?chart=" + OLD + "&kubeVersion=1.26&format=sarif")
                .getJsonArray("runs").getJsonObject(0);
        List<String> ids = run.getJsonObject("tool").getJsonObject("driver").getJsonArray("rules").stream()
                .map(r -> r.asJsonObject().getString("id")).toList();
        assertThat(ids).contains(REMOVED, DEPRECATED);
        JsonObject pdb = run.getJsonArray("results").stream().map(JsonValue::asJsonObject)
                .filter(r -> r.getString("ruleId").equals(REMOVED))
                .filter(r -> r.getJsonObject("message").getString("text").contains("PodDisruptionBudget/web"))
                .findFirst().orElseThrow();
        assertThat(pdb.getString("level")).isEqualTo("error");
        assertThat(ids.get(pdb.getInt("ruleIndex"))).isEqualTo(REMOVED);
    }

    @Test
    void aTextualReadingJudgesLiteralApisButNotOnesTheTemplatePicksByCapabilities(Http1Client client) {
        JsonObject report = check(client, "chart=" + TEXT + "&kubeVersion=1.26");
        assertThat(report.getBoolean("rendered")).isFalse();
        assertThat(report.getString("engine")).isEqualTo("text");
        assertThat(Reports.findings(report, "helm.render-failed")).hasSize(1);
        // batch/v1beta1 is written as is: removed at 1.25, whatever Helm would render.
        JsonObject cron = one(Reports.findings(report, REMOVED, "CronJob", "nightly"));
        assertThat(cron.getString("file")).isEqualTo(TEXT + "/templates/cronjob.yaml");
        assertThat(cron.getInt("line")).isEqualTo(2);
        // Both branches of the .Capabilities if survive the reading (the last apiVersion wins): not judged.
        assertThat(Reports.about(report, "PodDisruptionBudget", "picked")).isEmpty();
        assertThat(report.getJsonArray("objects").stream().map(JsonValue::asJsonObject)
                .filter(o -> o.getString("name").equals("picked")).map(o -> o.getString("apiVersion")))
                .containsExactly("policy/v1beta1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "&kubeVersion=1.24", "&kubeVersion=1.26", "&kubeVersion=1.32.1",
            "&values=values-prod.yaml"})
    void theDemoChartGetsNoApiFinding(String query, Http1Client client) {
        JsonObject report = check(client, "chart=charts/hypergraph" + query);
        assertThat(report.getJsonObject("kinds").getBoolean("Deployment")).isTrue();
        assertThat(apiFindings(report)).as(query).isEmpty();
        assertThat(report.getJsonArray("ignored").stream().map(f -> f.asJsonObject().getString("check")))
                .doesNotContain(REMOVED, DEPRECATED);
    }

    private static List<JsonObject> apiFindings(JsonObject report) {
        return report.getJsonArray("findings").stream().map(JsonValue::asJsonObject)
                .filter(f -> f.getString("check").equals(REMOVED) || f.getString("check").equals(DEPRECATED))
                .toList();
    }

    private static void buildWorkspace() throws IOException {
        if (Files.exists(WORKSPACE)) {
            try (Stream<Path> walk = Files.walk(WORKSPACE)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        TestTrees.copyTree(TestConfigs.demoWorkspace().resolve("manifests/helm/hypergraph"), WORKSPACE.resolve("charts/hypergraph"));
        // No kubeVersion constraint: Helm renders it for any ?kubeVersion=.
        TestTrees.write(WORKSPACE, OLD + "/Chart.yaml", "apiVersion: v2\nname: old-apis\nversion: 0.1.0\nappVersion: \"1.0\"\n");
        TestTrees.write(WORKSPACE, OLD + "/values.yaml", "replicas: 2\n");
        TestTrees.write(WORKSPACE, OLD + "/templates/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: {{ .Values.replicas }}
                  selector:
                    matchLabels:
                      app: web
                  template:
                    metadata:
                      labels:
                        app: web
                    spec:
                      containers:
                        - name: web
                          image: nginx:1.27.0
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector:
                    app: web
                  ports:
                    - port: 80
                """);
        TestTrees.write(WORKSPACE, OLD + "/templates/pdb.yaml", """
                # PodDisruptionBudget of the old API
                apiVersion: policy/v1beta1
                kind: PodDisruptionBudget
                metadata:
                  name: web
                spec:
                  minAvailable: 1
                  selector:
                    matchLabels:
                      app: web
                ---
                {{- if .Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget" }}
                apiVersion: policy/v1
                {{- else }}
                apiVersion: policy/v1beta1
                {{- end }}
                kind: PodDisruptionBudget
                metadata:
                  name: api
                spec:
                  maxUnavailable: 1
                  selector:
                    matchLabels:
                      app: web
                """);
        TestTrees.write(WORKSPACE, OLD + "/templates/hpa.yaml", """
                apiVersion: autoscaling/v2beta2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: web
                spec:
                  scaleTargetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: web
                  minReplicas: 2
                  maxReplicas: 5
                  metrics:
                    - type: Resource
                      resource:
                        name: cpu
                        target:
                          type: Utilization
                          averageUtilization: 70
                """);
        // Helpers as charts write them: one picks the HPA API by what the cluster serves (an offline render always
        // takes the v2beta2 branch: Helm's default API set has no group/version/Kind), one by the Kubernetes version.
        TestTrees.write(WORKSPACE, OLD + "/templates/_helpers.tpl", """
                {{- define "old-apis.hpa.served" -}}
                {{- if .Capabilities.APIVersions.Has "autoscaling/v2/HorizontalPodAutoscaler" -}}
                autoscaling/v2
                {{- else -}}
                autoscaling/v2beta2
                {{- end -}}
                {{- end -}}

                {{- define "old-apis.hpa.byVersion" -}}
                {{- if semverCompare ">=1.26-0" .Capabilities.KubeVersion.Version -}}
                autoscaling/v2
                {{- else -}}
                autoscaling/v2beta2
                {{- end -}}
                {{- end -}}
                """);
        TestTrees.write(WORKSPACE, OLD + "/templates/hpa-helpers.yaml", """
                apiVersion: {{ include "old-apis.hpa.served" . }}
                kind: HorizontalPodAutoscaler
                metadata:
                  name: api
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 2
                  maxReplicas: 5
                ---
                apiVersion: {{ include "old-apis.hpa.byVersion" . }}
                kind: HorizontalPodAutoscaler
                metadata:
                  name: worker
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 2
                  maxReplicas: 5
                """);
        TestTrees.write(WORKSPACE, OLD + "/templates/ingress.yaml", """
                apiVersion: extensions/v1beta1
                kind: Ingress
                metadata:
                  name: web
                spec:
                  rules:
                    - http:
                        paths:
                          - path: /
                            backend:
                              serviceName: web
                              servicePort: 80
                """);
        TestTrees.write(WORKSPACE, OLD + "/templates/cronjob.yaml", """
                apiVersion: batch/v1beta1
                kind: CronJob
                metadata:
                  name: cleanup
                  annotations:
                    ignore-check.controlplane.asyncsidecar.io/helm.api-removed: "OPS-7: the legacy cluster stays on 1.24"
                spec:
                  schedule: "0 3 * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: OnFailure
                          containers:
                            - name: cleanup
                              image: busybox:1.36.1
                              resources:
                                requests: {cpu: 10m, memory: 16Mi}
                                limits: {cpu: 100m, memory: 32Mi}
                              securityContext:
                                runAsNonRoot: true
                                readOnlyRootFilesystem: true
                                allowPrivilegeEscalation: false
                """);
        TestTrees.write(WORKSPACE, OLD + "/templates/flowschema.yaml", """
                apiVersion: flowcontrol.apiserver.k8s.io/v1beta1
                kind: FlowSchema
                metadata:
                  name: web
                spec:
                  priorityLevelConfiguration:
                    name: workload-low
                  matchingPrecedence: 1000
                """);

        // Helm refuses this chart (a required value is missing), so its templates are read as text.
        TestTrees.write(WORKSPACE, TEXT + "/Chart.yaml", "apiVersion: v2\nname: old-apis-unrenderable\nversion: 0.1.0\n"
                + "appVersion: \"1.0\"\n");
        TestTrees.write(WORKSPACE, TEXT + "/templates/cronjob.yaml", """
                {{- $image := required "image is set by the deployer" .Values.image }}
                apiVersion: batch/v1beta1
                kind: CronJob
                metadata:
                  name: nightly
                spec:
                  schedule: "0 1 * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: OnFailure
                          containers:
                            - name: nightly
                              image: {{ $image }}
                """);
        TestTrees.write(WORKSPACE, TEXT + "/templates/pdb.yaml", """
                {{- if .Values.pdb.enabled }}
                {{- if .Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget" }}
                apiVersion: policy/v1
                {{- else }}
                apiVersion: policy/v1beta1
                {{- end }}
                kind: PodDisruptionBudget
                metadata:
                  name: picked
                spec:
                  minAvailable: 1
                  selector:
                    matchLabels:
                      app: nightly
                {{- end }}
                """);
    }


}
