package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Path;
import java.util.List;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
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
 * GET /api/helm/checks on every chart of the shared fixtures (real public charts), with the workspace pointed at
 * the fixtures folder and the embedded helm-java engine.
 */
@ServerTest
class HelmChecksFixturesTest {

    private static final String KEDA = "helm/kedacore-charts/keda";
    private static final String HTTP_ADD_ON = "helm/kedacore-charts/http-add-on";
    private static final String COSMOS = "helm/kedacore-charts/external-scaler-azure-cosmos-db";
    private static final String SERVICEBUS = "helm/sample-dotnet-worker-servicebus-queue/keda-servicebus-connection-string";
    private static final String STAKATER = "helm/stakater-application/application-keda-pr342";
    /** What helm.resources checked, one rule each. */
    private static final List<String> RESOURCES = List.of("helm.cpu-request", "helm.cpu-limit",
            "helm.memory-request", "helm.memory-limit");

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "workspace", SharedFixtures.root().toString(),
                "data-dir", "target/test-data/fixtures",
                "plugins.helm.engines", "helm-java",
                "plugins.helm.chart", KEDA));
    }

    private static JsonObject check(Http1Client client, String query) {
        return Reports.ok(client, "/api/helm/checks?" + query);
    }

    @ParameterizedTest
    @ValueSource(strings = {KEDA, HTTP_ADD_ON, COSMOS, SERVICEBUS, STAKATER})
    void everyFixtureChartRendersWithTheEmbeddedEngine(String chart, Http1Client client) {
        JsonObject report = check(client, "chart=" + chart);
        assertThat(report.getString("chart_dir")).isEqualTo(chart);
        assertThat(report.getBoolean("rendered")).isTrue();
        assertThat(report.getString("engine")).isEqualTo("helm-java");
        assertThat(Reports.findings(report, "helm.render-failed")).isEmpty();
        assertThat(report.getJsonArray("objects")).isNotEmpty();
        // Every object is attributed to a template file of the chart.
        assertThat(report.getJsonArray("objects").stream().map(o -> o.asJsonObject().getString("file")))
                .allMatch(f -> f.startsWith(chart + "/templates/"));
    }

    @Test
    void kedaOperatorChartIsCleanAndItsOperatorHasResources(Http1Client client) {
        JsonObject report = check(client, "chart=" + KEDA);
        assertThat(report.getJsonArray("objects")).hasSize(29);
        List<String> deployments = report.getJsonArray("objects").stream().map(JsonValue::asJsonObject)
                .filter(o -> o.getString("kind").equals("Deployment")).map(o -> o.getString("name")).toList();
        assertThat(deployments).containsExactlyInAnyOrder("keda-operator", "keda-operator-metrics-apiserver",
                "keda-admission-webhooks");
        // keda-operator sets requests and limits, probes, runAsNonRoot at pod level and a locked-down container
        // (capabilities dropped, seccomp RuntimeDefault): no error and none of the original container checks fire.
        // What is left is that no NetworkPolicy isolates it (the chart's are off by default: networkPolicy.enabled),
        // and what the peers' stricter pod-spec rules ask beyond that: one replica without a spread constraint, no
        // ndots option, the API token the operator needs mounted (serviceAccount.automountServiceAccountToken),
        // runAsUser left unset (the uid 1000 lines are comments), requests below limits (100m/1, 100Mi/1000Mi), no
        // ephemeral-storage, probes on port 8081 that ports[] (9666 only, metrics are off) does not declare, a
        // tag but no digest.
        assertThat(Reports.about(report, "Deployment", "keda-operator")).extracting(f -> f.getString("check"))
                .containsExactlyInAnyOrder("helm.network-policy-coverage", "helm.topology-spread",
                        "helm.replicas-minimum", "helm.dns-config-options", "helm.automount-service-account-token",
                        "helm.run-as-high-uid-gid", "helm.cpu-requests-equal-limits",
                        "helm.memory-requests-equal-limits", "helm.ephemeral-storage-request",
                        "helm.ephemeral-storage-limit", "helm.liveness-probe-port", "helm.readiness-probe-port",
                        "helm.image-digest");
        for (String resource : RESOURCES) {
            assertThat(Reports.findings(report, resource)).as(resource).isEmpty();
        }
        assertThat(report.getJsonObject("summary").getInt("error")).isZero();
        assertThat(report.getJsonObject("kinds").getBoolean("Deployment")).isTrue();
        assertThat(report.getJsonObject("kinds").getBoolean("ScaledObject")).isFalse();
    }

    @Test
    void kedaChartRefusesAnOldKubernetesWithItsKubeVersionLine(Http1Client client) throws Exception {
        JsonObject report = check(client, "chart=" + KEDA + "&kubeVersion=1.22.0");
        List<JsonObject> failed = Reports.findings(report, "helm.render-failed");
        assertThat(failed).hasSize(1);
        assertThat(failed.getFirst().getString("message")).contains(">=v1.23.0-0");
        assertThat(failed.getFirst().getString("file")).isEqualTo(KEDA + "/Chart.yaml");
        assertThat(failed.getFirst().getInt("line")).isEqualTo(Reports.lineOf(
                SharedFixtures.path(KEDA).resolve("Chart.yaml"), "kubeVersion:"));
        assertThat(report.getString("engine")).isEqualTo("text");
        // The textual reading still finds the three Deployments.
        assertThat(report.getJsonArray("objects").stream().map(JsonValue::asJsonObject)
                .filter(o -> o.getString("kind").equals("Deployment"))).hasSize(3);
    }

    @Test
    void httpAddOnInterceptorMayRunAsRootAndTheScalerHasNoBudget(Http1Client client) throws Exception {
        JsonObject report = check(client, "chart=" + HTTP_ADD_ON);
        List<JsonObject> root = Reports.findings(report, "helm.run-as-non-root", "Deployment",
                "keda-add-ons-http-interceptor");
        assertThat(root).hasSize(1);
        assertThat(root.getFirst().getString("file")).isEqualTo(HTTP_ADD_ON + "/templates/interceptor/deployment.yaml");
        // The container's securityContext of the branch that rendered (values set securityContext.interceptor).
        assertThat(root.getFirst().getInt("line")).isEqualTo(Reports.lineOf(
                SharedFixtures.path(HTTP_ADD_ON).resolve("templates/interceptor/deployment.yaml"),
                "{{- toYaml .Values.securityContext.interceptor") - 1);
        List<JsonObject> pdb = Reports.findings(report, "helm.pdb", "Deployment", "keda-add-ons-http-external-scaler");
        assertThat(pdb).hasSize(1);
        assertThat(pdb.getFirst().getString("message")).contains("runs 3 replicas");
        // The interceptor is autoscaled by its ScaledObject and has its PodDisruptionBudget.
        assertThat(Reports.findings(report, "helm.pdb", "Deployment", "keda-add-ons-http-interceptor")).isEmpty();
        assertThat(report.getJsonObject("kinds").getBoolean("ScaledObject")).isTrue();
        assertThat(report.getJsonObject("kinds").getBoolean("PodDisruptionBudget")).isTrue();
    }

    @Test
    void cosmosDbScalerHasNoProbesAndNoSecurityContext(Http1Client client) {
        JsonObject report = check(client, "chart=" + COSMOS);
        String name = "external-scaler-azure-cosmos-db";
        for (String check : List.of("helm.liveness-probe", "helm.readiness-probe", "helm.run-as-non-root",
                "helm.read-only-root-filesystem", "helm.no-privilege-escalation")) {
            assertThat(Reports.findings(report, check, "Deployment", name)).as(check).hasSize(1);
        }
        for (String resource : RESOURCES) {
            assertThat(Reports.findings(report, resource, "Deployment", name)).as(resource).isEmpty();
        }
        assertThat(Reports.findings(report, "helm.service-selector")).isEmpty();
    }

    @Test
    void serviceBusSampleUsesLatestImagesWithoutResourcesAndIsScaledWithoutABudget(Http1Client client) {
        JsonObject report = check(client, "chart=" + SERVICEBUS);
        assertThat(Reports.findings(report, "helm.image-tag-pinned", "Deployment", "order-processor").getFirst()
                .getString("message")).contains("sample-dotnet-worker-servicebus-queue:latest");
        // values.yaml sets no resources: each of the four is missing, each under its own rule.
        for (String resource : RESOURCES) {
            assertThat(Reports.findings(report, resource, "Deployment", "order-processor")).as(resource)
                    .singleElement().satisfies(f -> assertThat(f.getString("container")).isEqualTo("order-processor"));
        }
        assertThat(Reports.findings(report, "helm.pdb", "Deployment", "order-processor").getFirst()
                .getString("message")).contains("ScaledObject/order-processor-scaler", "max 50");
        // The Job's name carries a random suffix (randAlphaNum); its image is :latest too, and Jobs need no probes.
        List<JsonObject> job = Reports.findings(report, "helm.image-tag-pinned").stream()
                .filter(f -> f.getJsonObject("object").getString("kind").equals("Job")).toList();
        assertThat(job).hasSize(1);
        assertThat(job.getFirst().getJsonObject("object").getString("name")).startsWith("order-generator-");
        assertThat(Reports.findings(report, "helm.readiness-probe").stream()
                .filter(f -> f.getJsonObject("object").getString("kind").equals("Job"))).isEmpty();
    }

    @Test
    void stakaterChartLacksAppVersionAndPinsNoImageTag(Http1Client client) throws Exception {
        JsonObject report = check(client, "chart=" + STAKATER);
        List<JsonObject> meta = Reports.findings(report, "helm.chart-metadata");
        assertThat(meta).hasSize(1);
        assertThat(meta.getFirst().getString("message")).contains("no appVersion");
        assertThat(meta.getFirst().getString("file")).isEqualTo(STAKATER + "/Chart.yaml");
        List<JsonObject> image = Reports.findings(report, "helm.image-tag-pinned", "Deployment", "application");
        assertThat(image).hasSize(1);
        assertThat(image.getFirst().getString("message")).contains("'repository/image-name' without a tag");
        assertThat(image.getFirst().getInt("line")).isEqualTo(Reports.lineOf(
                SharedFixtures.path(STAKATER).resolve("templates/deployment.yaml"), "image: {{ $image }}"));
    }

    @Test
    void stakaterValuesFilesEachGiveAResultAndAFailingTemplateIsAFindingAtItsLine(Http1Client client)
            throws Exception {
        JsonObject report = check(client, "chart=" + STAKATER + "&values=" + STAKATER + "/values-sb.yaml&values="
                + STAKATER + "/values-test.yaml");
        var results = report.getJsonArray("results");
        assertThat(results).hasSize(2);
        JsonObject sb = results.getJsonObject(0);
        assertThat(sb.getBoolean("rendered")).isTrue();
        assertThat(sb.getJsonObject("kinds").getBoolean("ScaledObject")).isTrue();
        assertThat(Reports.findings(sb, "helm.pdb", "Deployment", "application").getFirst().getString("message"))
                .contains("ScaledObject/application", "max 5");

        // values-test.yaml turns on the VPA template, which `fail`s without the VPA CRD in the cluster.
        JsonObject test = results.getJsonObject(1);
        assertThat(test.getBoolean("rendered")).isFalse();
        assertThat(test.getString("engine")).isEqualTo("text");
        List<JsonObject> failed = Reports.findings(test, "helm.render-failed");
        assertThat(failed).hasSize(1);
        assertThat(failed.getFirst().getString("message")).contains("There is no VerticalPodAutoscaler");
        assertThat(failed.getFirst().getString("file")).isEqualTo(STAKATER + "/templates/vpa.yaml");
        assertThat(failed.getFirst().getInt("line")).isEqualTo(3);
        assertThat(report.getBoolean("rendered")).isFalse();
    }
}
