package io.asyncsidecar.controlplane.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dogfooding: the control plane checks its own Helm chart (deploy/helm/control-plane), the distribution started on
 * a workspace that is this repository, rendering with the embedded Helm only (helm-java). The helm, keda and
 * karpenter checks report no error and no warning, with the chart's own values and with every optional object on
 * (ci/all-features-values.yaml), through their own routes ({@code ?chart=}) and through {@code GET /api/checks}
 * (which takes the chart from {@code plugins.<id>.chart}). Karpenter needs node pools to place the pods on: the
 * demo workspace's, whose one warning (a GPU class on a moving AMI alias, not this chart's) is ignored by config.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlPlaneChartIT {

    private static final Path REPO = Path.of(System.getProperty("repo.dir", "..")).toAbsolutePath().normalize();
    private static final String CHART = "deploy/helm/control-plane";
    private static final List<String> CHECKS = List.of("helm", "keda", "karpenter");
    private static final Map<String, String> ROUTES = Map.of("helm", "/api/helm/checks", "keda", "/api/keda/scalers",
            "karpenter", "/api/karpenter/nodepools");

    private DistributionProcess server;
    private DistHttp http;

    @BeforeAll
    void start() throws Exception {
        assertThat(REPO.resolve(CHART).resolve("Chart.yaml")).isRegularFile();
        server = DistributionProcess.start(Map.ofEntries(
                Map.entry("CP_WORKSPACE", REPO.toString()),
                Map.entry("PLUGINS_HELM_ENGINES", "helm-java"),
                Map.entry("PLUGINS_HELM_ADMISSION__POLICIES", ""),
                Map.entry("PLUGINS_HELM_CHART", CHART),
                Map.entry("PLUGINS_KEDA_CHART", CHART),
                Map.entry("PLUGINS_KARPENTER_CHART", CHART),
                Map.entry("PLUGINS_KARPENTER_PATH", "config/workspace/manifests/karpenter"),
                Map.entry("PLUGINS_KARPENTER_IGNORE_0_CHECK", "karpenter.ami-pinned"),
                Map.entry("PLUGINS_KARPENTER_IGNORE_0_OBJECT", "EC2NodeClass//hypergraph-gpu"),
                Map.entry("PLUGINS_KARPENTER_IGNORE_0_REASON", "the demo workspace's node class, not this chart")));
        http = new DistHttp(server);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void eachCheckReportsNoErrorAndNoWarningOnItsOwnRoute() throws Exception {
        for (String values : List.of("", "&values=ci/all-features-values.yaml")) {
            for (String id : CHECKS) {
                assertClean(id, values);
            }
        }
    }

    private void assertClean(String id, String values) throws Exception {
        JsonObject answer = http.json(ROUTES.get(id) + "?chart=" + CHART + values, "demo-admin", 200);
        JsonObject summary = answer.getJsonObject("summary");
        assertThat(summary.getString("engine")).as(id).isEqualTo("helm-java");
        assertThat(summary.getBoolean("degraded")).as(id).isFalse();
        assertThat(summary.getInt("error") + summary.getInt("warning")).as(id + values + ": " + blocking(answer))
                .isZero();
    }

    @Test
    void theSameChecksCatchTheChartMadeInsecure() throws Exception {
        // the control: values undoing what the chart sets by default must be reported, or a clean answer means nothing
        Path insecure = REPO.resolve("dist/target/insecure-chart-values.yaml");
        Files.createDirectories(insecure.getParent());
        Files.writeString(insecure, """
                image: {pullPolicy: IfNotPresent}
                securityContext: {readOnlyRootFilesystem: false, allowPrivilegeEscalation: true, runAsNonRoot: true}
                podDisruptionBudget: {enabled: false}
                """);
        JsonObject answer = http.json("/api/helm/checks?chart=" + CHART + "&values=" + REPO.relativize(insecure),
                "demo-admin", 200);
        assertThat(blocking(answer)).anyMatch(f -> f.startsWith("helm.read-only-root-filesystem"))
                .anyMatch(f -> f.startsWith("helm.no-privilege-escalation"))
                .anyMatch(f -> f.startsWith("helm.image-pull-policy-always"))
                .anyMatch(f -> f.startsWith("helm.pdb "));
    }

    @Test
    void theChartRendersWithTheEmbeddedHelmIntoEveryObjectItDeclares() throws Exception {
        JsonObject plain = http.json("/api/helm/checks?chart=" + CHART, "demo-admin", 200);
        assertThat(kinds(plain)).containsExactlyInAnyOrder("ConfigMap", "Deployment", "NetworkPolicy",
                "PodDisruptionBudget", "Secret", "Service", "ServiceAccount");
        JsonObject all = http.json("/api/helm/checks?chart=" + CHART + "&values=ci/all-features-values.yaml",
                "demo-admin", 200);
        // an existing Secret replaces the chart's; the optional objects appear
        assertThat(kinds(all)).contains("Ingress", "ServiceMonitor", "PersistentVolumeClaim").doesNotContain("Secret");
        assertThat(Files.readString(REPO.resolve(CHART).resolve("values.yaml"))).contains("readOnlyRootFilesystem: true");
    }

    @Test
    void theCombinedChecksAgreeOnTheChartsOwnParts() throws Exception {
        JsonObject all = http.json("/api/checks", "demo-admin", 200);
        for (String id : CHECKS) {
            JsonObject part = all.getJsonArray("plugins").getValuesAs(JsonObject.class).stream()
                    .filter(p -> p.getString("id").equals(id)).findFirst().orElseThrow();
            assertThat(part.getBoolean("degraded")).as(id).isFalse();
            assertThat(part.getJsonObject("summary").getInt("error") + part.getJsonObject("summary").getInt("warning"))
                    .as(id + ": " + part.getJsonObject("summary")).isZero();
        }
        assertThat(all.getJsonArray("findings").getValuesAs(JsonObject.class).stream()
                .filter(f -> CHECKS.contains(f.getString("plugin")))
                .filter(f -> !f.getString("severity").equals("info")).toList()).isEmpty();
    }

    private static Set<String> kinds(JsonObject helmAnswer) {
        Set<String> kinds = new TreeSet<>();
        helmAnswer.getJsonArray("objects").getValuesAs(JsonObject.class).forEach(o -> kinds.add(o.getString("kind")));
        return kinds;
    }

    private static List<String> blocking(JsonObject answer) {
        return answer.getJsonArray("findings").getValuesAs(JsonObject.class).stream()
                .filter(f -> !f.getString("severity").equals("info"))
                .map(f -> f.getString("check") + " " + f.getString("message", "")).toList();
    }
}
