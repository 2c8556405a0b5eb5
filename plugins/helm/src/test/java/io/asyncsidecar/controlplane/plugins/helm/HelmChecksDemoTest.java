package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/helm/checks on the demo workspace's hypergraph chart, rendered by the embedded helm-java engine.
 */
@ServerTest
class HelmChecksDemoTest {

    private static final Path CHART = TestConfigs.demoWorkspace().resolve("manifests/helm/hypergraph");

    /**
     * What the pod-spec rules find on the demo gateway with the default values: the pod mounts the default
     * service account's token; the image is pulled IfNotPresent, by tag (no digest); no ephemeral-storage request
     * or limit; requests below limits (250m/1 CPU, 256Mi/512Mi); 2 replicas (below 3); no ndots option; the default
     * service account. No error among them.
     */
    static final List<String> GATEWAY_FINDINGS = List.of("helm.automount-service-account-token",
            "helm.image-pull-policy-always", "helm.ephemeral-storage-request", "helm.ephemeral-storage-limit",
            "helm.image-digest", "helm.cpu-requests-equal-limits", "helm.memory-requests-equal-limits",
            "helm.replicas-minimum", "helm.dns-config-options", "helm.default-service-account");

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "data-dir", "target/test-data/demo",
                "plugins.helm.engines", "helm-java"));
    }

    private static JsonObject get(Http1Client client, String uri) {
        return Reports.ok(client, uri);
    }

    @Test
    void demoChartRendersWithTheEmbeddedEngineAndKeepsTheSeedFields(Http1Client client) {
        JsonObject report = get(client, "/api/helm/checks");
        assertThat(report.getString("chart_dir")).isEqualTo("manifests/helm/hypergraph");
        assertThat(report.getBoolean("rendered")).isTrue();
        assertThat(report.getString("engine")).isEqualTo("helm-java");
        JsonObject kinds = report.getJsonObject("kinds");
        for (String kind : List.of("Deployment", "Service", "PodDisruptionBudget", "NetworkPolicy", "ScaledObject")) {
            assertThat(kinds.getBoolean(kind)).as(kind).isTrue();
        }
        JsonObject summary = report.getJsonObject("summary");
        assertThat(summary.getString("engine")).isEqualTo("helm-java");
        assertThat(summary.getBoolean("degraded")).isFalse();
        assertThat(summary.getInt("ignored")).isEqualTo(1);
        assertThat(report.getJsonObject("chart").getString("appVersion")).isEqualTo("1.8.2");
        List<String> objects = report.getJsonArray("objects").stream().map(JsonValue::asJsonObject)
                .map(o -> o.getString("kind") + "/" + o.getString("name")).toList();
        assertThat(objects).contains("Deployment/hypergraph-gateway", "Deployment/hypergraph-explainer",
                "Service/hypergraph-gateway", "Service/hypergraph-explainer", "ScaledObject/hypergraph-explainer",
                "TriggerAuthentication/hypergraph-explainer-prometheus");
    }

    @Test
    void deliberateFindingsPointAtTheTemplateLine(Http1Client client) throws Exception {
        JsonObject report = get(client, "/api/helm/checks");
        Path template = CHART.resolve("templates/explainer-deployment.yaml");

        List<JsonObject> image = Reports.findings(report, "helm.image-tag-pinned", "Deployment",
                "hypergraph-explainer");
        assertThat(image).hasSize(1);
        assertThat(image.getFirst().getString("message")).contains("hypergraph-explainer:latest");
        assertThat(image.getFirst().getString("file"))
                .isEqualTo("manifests/helm/hypergraph/templates/explainer-deployment.yaml");
        assertThat(image.getFirst().getInt("line")).isEqualTo(Reports.lineOf(template,
                "image: {{ include \"hypergraph.image\" .Values.explainer.image"));

        List<JsonObject> readiness = Reports.findings(report, "helm.readiness-probe", "Deployment",
                "hypergraph-explainer");
        assertThat(readiness).hasSize(1);
        assertThat(readiness.getFirst().getInt("line")).isEqualTo(Reports.lineOf(template, "- name: explainer"));

        List<JsonObject> pdb = Reports.findings(report, "helm.pdb", "Deployment", "hypergraph-explainer");
        assertThat(pdb).hasSize(1);
        assertThat(pdb.getFirst().getString("message")).contains("ScaledObject/hypergraph-explainer", "max 4");

        // The gateway is the clean one for every original check: probes, resources, security context, a PDB for its
        // 2 replicas; only the peers' stricter pod-spec rules find something (GATEWAY_FINDINGS).
        assertThat(Reports.about(report, "Deployment", "hypergraph-gateway")).extracting(f -> f.getString("check"))
                .containsExactlyInAnyOrderElementsOf(GATEWAY_FINDINGS);
        assertThat(Reports.findings(report, "helm.service-selector")).isEmpty();
        assertThat(Reports.findings(report, "helm.gpu-toleration")).isEmpty();
    }

    @Test
    void ignoreAnnotationListsTheFindingAsIgnoredWithItsReason(Http1Client client) {
        JsonObject report = get(client, "/api/helm/checks");
        assertThat(Reports.findings(report, "helm.read-only-root-filesystem", "Deployment", "hypergraph-explainer"))
                .isEmpty();
        List<JsonObject> ignored = Reports.ignored(report, "helm.read-only-root-filesystem", "Deployment",
                "hypergraph-explainer");
        assertThat(ignored).hasSize(1);
        assertThat(ignored.getFirst().getString("ignored_reason")).contains("HG-142", "/opt/models");
    }

    @Test
    void eachValuesFileGivesItsOwnResult(Http1Client client) {
        JsonObject report = get(client, "/api/helm/checks?values=values-prod.yaml"
                + "&values=manifests/helm/hypergraph/values.yaml");
        JsonArray results = report.getJsonArray("results");
        assertThat(results).hasSize(2);
        JsonObject prod = results.getJsonObject(0);
        JsonObject defaults = results.getJsonObject(1);
        assertThat(prod.getString("values")).isEqualTo("manifests/helm/hypergraph/values-prod.yaml");
        assertThat(defaults.getString("values")).isEqualTo("manifests/helm/hypergraph/values.yaml");
        // values-prod.yaml pins the explainer image: that finding goes away there and only there.
        assertThat(Reports.findings(prod, "helm.image-tag-pinned", "Deployment", "hypergraph-explainer")).isEmpty();
        assertThat(Reports.findings(defaults, "helm.image-tag-pinned", "Deployment", "hypergraph-explainer"))
                .hasSize(1);
        assertThat(Reports.findings(prod, "helm.pdb", "Deployment", "hypergraph-explainer").getFirst()
                .getString("message")).contains("max 8");
        assertThat(report.getBoolean("rendered")).isTrue();
        int warnings = prod.getJsonObject("summary").getInt("warning")
                + defaults.getJsonObject("summary").getInt("warning");
        assertThat(report.getJsonObject("summary").getInt("warning")).isEqualTo(warnings);
    }

    @Test
    void jsonAnswersListTheRulesEveryFindingLinksTo(Http1Client client) {
        for (String uri : List.of("/api/helm/checks", "/api/helm/checks?values=values.yaml&values=values-prod.yaml")) {
            JsonObject report = get(client, uri);
            List<String> rules = report.getJsonArray("rules").stream()
                    .map(r -> r.asJsonObject().getString("id")).toList();
            assertThat(rules).as(uri).contains("helm.image-tag-pinned", "helm.render-failed");
            assertThat(report.getJsonArray("rules").getJsonObject(0).getString("description")).as(uri).isNotBlank();
            List<JsonObject> parts = report.containsKey("results")
                    ? report.getJsonArray("results").getValuesAs(JsonObject.class) : List.of(report);
            List<String> checked = parts.stream().flatMap(p -> p.getJsonArray("findings").stream())
                    .map(f -> f.asJsonObject().getString("check")).distinct().toList();
            assertThat(checked).as(uri).isNotEmpty();
            assertThat(rules).as(uri).containsAll(checked);
        }
    }

    @Test
    void sarifOutputIsAValidSarifLog(Http1Client client) {
        JsonObject sarif = get(client, "/api/helm/checks?format=sarif");
        assertThat(sarif.getString("version")).isEqualTo("2.1.0");
        JsonObject run = sarif.getJsonArray("runs").getJsonObject(0);
        JsonObject driver = run.getJsonObject("tool").getJsonObject("driver");
        assertThat(driver.getString("name")).isEqualTo("control-plane-helm");
        List<String> rules = driver.getJsonArray("rules").stream()
                .map(r -> r.asJsonObject().getString("id")).toList();
        assertThat(rules).contains("helm.image-tag-pinned", "helm.pdb", "helm.gpu-toleration",
                "helm.keda-target-hpa", "helm.chart-metadata", "helm.render-failed");
        JsonArray results = run.getJsonArray("results");
        JsonObject image = results.stream().map(JsonValue::asJsonObject)
                .filter(r -> r.getString("ruleId").equals("helm.image-tag-pinned")).findFirst().orElseThrow();
        assertThat(image.getString("level")).isEqualTo("warning");
        assertThat(rules.get(image.getInt("ruleIndex"))).isEqualTo("helm.image-tag-pinned");
        JsonObject location = image.getJsonArray("locations").getJsonObject(0);
        assertThat(location.getJsonObject("physicalLocation").getJsonObject("artifactLocation").getString("uri"))
                .isEqualTo("manifests/helm/hypergraph/templates/explainer-deployment.yaml");
        assertThat(location.getJsonArray("logicalLocations").getJsonObject(0).getString("name"))
                .isEqualTo("Deployment/default/hypergraph-explainer");
        JsonObject suppressed = results.stream().map(JsonValue::asJsonObject)
                .filter(r -> r.getString("ruleId").equals("helm.read-only-root-filesystem")).findFirst()
                .orElseThrow();
        assertThat(suppressed.getJsonArray("suppressions").getJsonObject(0).getString("kind")).isEqualTo("external");
    }

    @Test
    void answersCarryTheirMediaTypeAndALength(Http1Client client) {
        try (HttpClientResponse res = Reports.get(client, "/api/helm/checks?format=SARIF", Reports.TOKEN)) {
            assertThat(res.status()).isEqualTo(Status.OK_200);
            assertThat(res.headers().contentType().orElseThrow().text()).isEqualTo("application/sarif+json");
            assertThat(res.headers().contentLength()).isPresent();
        }
        try (HttpClientResponse res = Reports.get(client, "/api/helm/checks", Reports.TOKEN)) {
            assertThat(res.headers().contentType().orElseThrow().text()).isEqualTo("application/json");
            assertThat(res.headers().contentLength()).isPresent();
        }
    }

    @Test
    void aKubeVersionTheChartRefusesIsARenderFindingAndTheTemplatesAreStillRead(Http1Client client)
            throws Exception {
        JsonObject report = get(client, "/api/helm/checks?kubeVersion=1.22.0");
        assertThat(report.getBoolean("rendered")).isFalse();
        assertThat(report.getString("engine")).isEqualTo("text");
        assertThat(report.getJsonObject("summary").getBoolean("degraded")).isTrue();
        List<JsonObject> failed = Reports.findings(report, "helm.render-failed");
        assertThat(failed).hasSize(1);
        assertThat(failed.getFirst().getString("message")).contains("kubeVersion", ">=1.25.0-0");
        assertThat(failed.getFirst().getString("file")).isEqualTo("manifests/helm/hypergraph/Chart.yaml");
        assertThat(failed.getFirst().getInt("line")).isEqualTo(Reports.lineOf(CHART.resolve("Chart.yaml"),
                "kubeVersion:"));
        // The textual reading still finds the objects.
        assertThat(report.getJsonObject("kinds").getBoolean("Deployment")).isTrue();
        assertThat(report.getJsonObject("kinds").getBoolean("ScaledObject")).isTrue();
    }

    @Test
    void badInputIsA4xxNamingTheParameter(Http1Client client) {
        assertProblem(client, "/api/helm/checks?chart=../../../etc", 400, "chart");
        assertProblem(client, "/api/helm/checks?chart=/etc", 400, "chart");
        assertProblem(client, "/api/helm/checks?values=../../../../etc/passwd", 400, "values");
        assertProblem(client, "/api/helm/checks?chart=manifests/helm/nope", 404, "chart");
        assertProblem(client, "/api/helm/checks?values=nope.yaml", 404, "values");
        assertProblem(client, "/api/helm/checks?chart=manifests/helm/hypergraph/Chart.yaml", 400, "chart");
        assertProblem(client, "/api/helm/checks?format=xml", 400, "format");
        assertProblem(client, "/api/helm/checks?kubeVersion=latest", 400, "kubeVersion");
        assertProblem(client, "/api/helm/checks?chart=a&chart=b", 400, "chart");
        assertProblem(client, "/api/helm/checks?valuse=x.yaml", 400, "valuse");
    }

    @Test
    void theScopeIsEnforced(Http1Client client) {
        try (HttpClientResponse res = Reports.get(client, "/api/helm/checks", null)) {
            assertThat(res.status()).isEqualTo(Status.UNAUTHORIZED_401);
        }
        try (HttpClientResponse res = Reports.get(client, "/api/helm/checks", "Bearer other")) {
            assertThat(res.status()).isEqualTo(Status.FORBIDDEN_403);
            assertThat(res.as(String.class)).contains("deployments.read");
        }
    }

    @Test
    void theWorkspaceChartIsPublishedForOtherPlugins(Http1Client client) {
        JsonObject probe = get(client, "/api/rendered-probe/chart");
        assertThat(probe.getBoolean("published")).isTrue();
        assertThat(probe.getString("engine")).isEqualTo("helm-java");
        assertThat(probe.getBoolean("rendered")).isTrue();
        assertThat(probe.getJsonArray("objects").stream().map(v -> ((jakarta.json.JsonString) v).getString()))
                .contains("Deployment/hypergraph-explainer@manifests/helm/hypergraph/templates/explainer-deployment.yaml",
                        "ScaledObject/hypergraph-explainer@manifests/helm/hypergraph/templates/keda-scalers.yaml");
        // Unchanged chart: the same rendering is handed out again.
        assertThat(get(client, "/api/rendered-probe/chart").getInt("identity")).isEqualTo(probe.getInt("identity"));
    }

    @Test
    void theArgoCdAppRendersWithItsValueFilesAndInlineValues(Http1Client client) {
        Path apps = TestConfigs.demoWorkspace().resolve("manifests/argocd/argocd-apps.yaml");
        Assumptions.assumeTrue(Files.isRegularFile(apps), "demo Argo CD apps not written yet: " + apps);
        JsonObject report = get(client, "/api/helm/checks?app=hypergraph");
        JsonObject app = report.getJsonObject("app");
        assertThat(app.getString("name")).isEqualTo("hypergraph");
        assertThat(app.getString("path")).isEqualTo("manifests/helm/hypergraph");
        assertThat(app.getJsonArray("value_files").getString(0)).isEqualTo("manifests/helm/hypergraph/values-prod.yaml");
        assertThat(app.getInt("inline_values")).isEqualTo(1);
        assertThat(report.getJsonObject("release").getString("namespace")).isEqualTo("hypergraph");
        assertThat(report.getBoolean("rendered")).isTrue();
        // What ships: values-prod.yaml pins the image and raises the KEDA maximum.
        assertThat(Reports.findings(report, "helm.image-tag-pinned", "Deployment", "hypergraph-explainer")).isEmpty();
        assertThat(Reports.findings(report, "helm.pdb", "Deployment", "hypergraph-explainer").getFirst()
                .getString("message")).contains("max 8");
        assertThat(Reports.findings(report, "helm.pdb", "Deployment", "hypergraph-explainer").getFirst()
                .getJsonObject("object").getString("namespace")).isEqualTo("hypergraph");
    }

    @Test
    void anAppWhoseValueFileIsMissingGetsAFindingAndItsValuesObjectApplies(Http1Client client) {
        Path apps = TestConfigs.demoWorkspace().resolve("manifests/argocd/argocd-apps.yaml");
        Assumptions.assumeTrue(Files.isRegularFile(apps), "demo Argo CD apps not written yet: " + apps);
        JsonObject report = get(client, "/api/helm/checks?app=hypergraph-canary");
        List<JsonObject> missing = Reports.findings(report, "helm.argocd-values", "Application", "hypergraph-canary");
        assertThat(missing).hasSize(1);
        assertThat(missing.getFirst().getString("message")).contains("values-canary.yaml");
        assertThat(missing.getFirst().getString("file")).isEqualTo("manifests/argocd/argocd-apps.yaml");
        assertThat(report.getBoolean("rendered")).isTrue();
        assertThat(Reports.findings(report, "helm.pdb", "Deployment", "hypergraph-explainer").getFirst()
                .getString("message")).contains("max 2");
    }

    @Test
    void anUnknownAppIsA404(Http1Client client) {
        JsonObject problem = Reports.problem(client, "/api/helm/checks?app=nope", 404, "app");
        assertThat(problem.getString("detail")).contains("hypergraph");
    }

    private static void assertProblem(Http1Client client, String uri, int status, String parameter) {
        Reports.problem(client, uri, status, parameter);
    }
}
