package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Charts that break Helm the ways charts in the wild do, values only an Argo CD Application supplies, and bad
 * values files: each is a finding with its file and line (never a 500), and the textual checks still run. The
 * workspace is built under target/ for the test: a copy of the demo chart plus small broken charts and Argo CD
 * apps in a folder (read whole).
 */
@ServerTest
class HelmChecksBrokenChartsTest {

    private static final Path WORKSPACE = Path.of("target/test-workspaces/broken-charts").toAbsolutePath();

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        buildWorkspace();
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "workspace", WORKSPACE.toString(),
                "data-dir", "target/test-data/broken-charts",
                "plugins.helm.engines", "helm-java",
                "plugins.helm.chart", "charts/hypergraph",
                "plugins.helm.argocd-manifest", "manifests/argocd"));
    }

    private static JsonObject check(Http1Client client, String query) {
        return Reports.ok(client, "/api/helm/checks?" + query);
    }

    @Test
    void aTemplatedChartYamlIsAFindingAtItsLineAndTheTemplatesAreStillChecked(Http1Client client) {
        JsonObject report = check(client, "chart=charts/templated-chart-yaml");
        assertThat(report.getBoolean("rendered")).isFalse();
        assertThat(report.getString("engine")).isEqualTo("text");
        JsonObject failed = Reports.findings(report, "helm.render-failed").getFirst();
        assertThat(failed.getString("message")).contains("Chart.yaml");
        assertThat(failed.getString("file")).isEqualTo("charts/templated-chart-yaml/Chart.yaml");
        assertThat(failed.getInt("line")).isEqualTo(4);
        assertThat(Reports.findings(report, "helm.chart-metadata").stream().map(f -> f.getString("message")))
                .anyMatch(m -> m.contains("Chart.yaml is templated"));
        // The textual reading found the Deployment and its literal :latest image.
        JsonObject image = Reports.findings(report, "helm.image-tag-pinned", "Deployment", "web").getFirst();
        assertThat(image.getString("file")).isEqualTo("charts/templated-chart-yaml/templates/deployment.yaml");
        assertThat(image.getInt("line")).isEqualTo(16);
    }

    @Test
    void anIncludeOfAnUndefinedHelperIsAFindingAtTheInclude(Http1Client client) {
        JsonObject report = check(client, "chart=charts/undefined-helper");
        JsonObject failed = Reports.findings(report, "helm.render-failed").getFirst();
        assertThat(failed.getString("message")).contains("no template \"undefined-helper.labels\"");
        assertThat(failed.getString("file")).isEqualTo("charts/undefined-helper/templates/configmap.yaml");
        assertThat(failed.getInt("line")).isEqualTo(6);
        assertThat(failed.getString("remediation")).contains("_helpers.tpl");
        assertThat(report.getJsonObject("kinds").getBoolean("Deployment")).isFalse();
    }

    @Test
    void aMissingDependencyIsAFindingOnChartYaml(Http1Client client) {
        JsonObject report = check(client, "chart=charts/missing-dependency");
        JsonObject failed = Reports.findings(report, "helm.render-failed").getFirst();
        assertThat(failed.getString("message")).contains("redis");
        assertThat(failed.getString("file")).isEqualTo("charts/missing-dependency/Chart.yaml");
        assertThat(failed.getInt("line")).isEqualTo(5);
        assertThat(failed.getString("remediation")).contains("helm dependency build");
    }

    @Test
    void aFolderWithoutChartYamlIsReportedNotA500(Http1Client client) {
        JsonObject report = check(client, "chart=charts/no-chart-yaml");
        assertThat(Reports.findings(report, "helm.chart-metadata").getFirst().getString("message"))
                .contains("no Chart.yaml");
        assertThat(Reports.findings(report, "helm.render-failed")).hasSize(1);
        assertThat(report.getBoolean("rendered")).isFalse();
    }

    @Test
    void valuesOnlyTheArgoCdAppSuppliesFailWithoutItAndRenderWithIt(Http1Client client) {
        JsonObject alone = check(client, "chart=charts/needs-app");
        JsonObject failed = Reports.findings(alone, "helm.render-failed").getFirst();
        assertThat(failed.getString("message")).contains("image.repository is set by the Argo CD app");
        assertThat(failed.getString("file")).isEqualTo("charts/needs-app/templates/deployment.yaml");
        assertThat(failed.getInt("line")).isEqualTo(17);
        assertThat(failed.getString("remediation")).contains("?app=");

        JsonObject withApp = check(client, "app=needs-app");
        assertThat(withApp.getBoolean("rendered")).isTrue();
        assertThat(Reports.findings(withApp, "helm.render-failed")).isEmpty();
        assertThat(withApp.getJsonObject("app").getString("manifest")).isEqualTo("manifests/argocd/apps-a.yaml");
        assertThat(withApp.getJsonObject("release").getString("name")).isEqualTo("needs-app");
        assertThat(withApp.getJsonObject("release").getString("namespace")).isEqualTo("web");
        // parameters set the repository, valuesObject the tag: the rendered image is pinned.
        assertThat(Reports.findings(withApp, "helm.image-tag-pinned")).isEmpty();
        assertThat(withApp.getJsonArray("objects").getJsonObject(0).getString("namespace")).isEqualTo("web");
    }

    @Test
    void theAppInTheSecondFileOfTheFolderRendersWithItsValueFilesAndInlineValues(Http1Client client) {
        JsonObject report = check(client, "app=hypergraph");
        assertThat(report.getJsonObject("app").getString("manifest")).isEqualTo("manifests/argocd/apps-b.yaml");
        assertThat(report.getBoolean("rendered")).isTrue();
        // values-prod.yaml pins the image; the inline values set the KEDA maximum to 6 over values-prod's 8.
        assertThat(Reports.findings(report, "helm.image-tag-pinned")).isEmpty();
        assertThat(Reports.findings(report, "helm.pdb", "Deployment", "hypergraph-explainer").getFirst()
                .getString("message")).contains("max 6");
    }

    @Test
    void brokenInlineValuesOfAnAppAreAFindingInTheArgoCdManifest(Http1Client client) {
        JsonObject report = check(client, "app=bad-inline");
        JsonObject bad = Reports.findings(report, "helm.argocd-values", "Application", "bad-inline").getFirst();
        assertThat(bad.getString("file")).isEqualTo("manifests/argocd/apps-b.yaml");
        assertThat(bad.getInt("line")).isEqualTo(33);
        // The chart still renders, without the broken layer.
        assertThat(report.getBoolean("rendered")).isTrue();
    }

    @Test
    void appsThatDeployNoWorkspaceFolderAreA4xx(Http1Client client) {
        assertThat(Reports.problem(client, "/api/helm/checks?app=remote-chart", 400, "app").getString("detail"))
                .contains("chart 'redis'");
        Reports.problem(client, "/api/helm/checks?app=escapes", 400, "app");
        assertThat(Reports.problem(client, "/api/helm/checks?app=nope", 404, "app").getString("detail"))
                .contains("needs-app", "hypergraph");
        Reports.problem(client, "/api/helm/checks?app=hypergraph&chart=charts/needs-app", 400, "chart");
    }

    @Test
    void anUnparsableValuesFileIsAFindingAtItsLine(Http1Client client) {
        JsonObject report = check(client, "values=values/broken.yaml");
        JsonObject parse = Reports.findings(report, "yaml.parse").getFirst();
        assertThat(parse.getString("file")).isEqualTo("values/broken.yaml");
        assertThat(parse.getInt("line")).isEqualTo(3);
        assertThat(report.getBoolean("rendered")).isFalse();
        assertThat(report.getJsonObject("kinds").getBoolean("Deployment")).isTrue();
    }

    @Test
    void thePublishedChartIsRenderedAgainOnlyWhenAChartFileChanges(Http1Client client) throws IOException {
        JsonObject first = Reports.ok(client, "/api/rendered-probe/chart");
        assertThat(first.getString("chart_dir")).isEqualTo("charts/hypergraph");
        assertThat(first.getBoolean("rendered")).isTrue();
        assertThat(Reports.ok(client, "/api/rendered-probe/chart").getInt("identity"))
                .isEqualTo(first.getInt("identity"));
        Path service = WORKSPACE.resolve("charts/hypergraph/templates/gateway-service.yaml");
        Files.writeString(service, Files.readString(service) + "\n# touched by the test\n");
        Files.setLastModifiedTime(service, FileTime.from(Instant.now().plusSeconds(5)));
        JsonObject second = Reports.ok(client, "/api/rendered-probe/chart");
        assertThat(second.getInt("identity")).isNotEqualTo(first.getInt("identity"));
        assertThat(second.getJsonArray("objects")).hasSameSizeAs(first.getJsonArray("objects"));
    }

    private static void buildWorkspace() throws IOException {
        if (Files.exists(WORKSPACE)) {
            try (Stream<Path> walk = Files.walk(WORKSPACE)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        TestTrees.copyTree(TestConfigs.demoWorkspace().resolve("manifests/helm/hypergraph"), WORKSPACE.resolve("charts/hypergraph"));
        TestTrees.write(WORKSPACE, "charts/templated-chart-yaml/Chart.yaml", """
                apiVersion: v2
                name: templated
                version: 0.1.0
                appVersion: {{ .Values.global.appVersion | quote }}
                """);
        TestTrees.write(WORKSPACE, "charts/templated-chart-yaml/values.yaml", "global:\n  appVersion: \"1.0\"\n");
        TestTrees.write(WORKSPACE, "charts/templated-chart-yaml/templates/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
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
                          image: nginx:latest
                """);
        TestTrees.write(WORKSPACE, "charts/undefined-helper/Chart.yaml", "apiVersion: v2\nname: undefined-helper\nversion: 0.1.0\n"
                + "appVersion: \"1.0\"\n");
        TestTrees.write(WORKSPACE, "charts/undefined-helper/templates/configmap.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  labels:
                    {{- include "undefined-helper.labels" . | nindent 4 }}
                data:
                  a: b
                """);
        TestTrees.write(WORKSPACE, "charts/missing-dependency/Chart.yaml", """
                apiVersion: v2
                name: missing-dependency
                version: 0.1.0
                appVersion: "1.0"
                dependencies:
                  - name: redis
                    version: 17.0.0
                    repository: https://charts.bitnami.com/bitnami
                """);
        TestTrees.write(WORKSPACE, "charts/missing-dependency/templates/configmap.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        TestTrees.write(WORKSPACE, "charts/no-chart-yaml/templates/configmap.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        TestTrees.write(WORKSPACE, "charts/needs-app/Chart.yaml", "apiVersion: v2\nname: needs-app\nversion: 1.0.0\nappVersion: \"2.0.1\"\n");
        TestTrees.write(WORKSPACE, "charts/needs-app/values.yaml", "image:\n  repository: \"\"\n  tag: latest\n");
        TestTrees.write(WORKSPACE, "charts/needs-app/templates/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: {{ .Release.Namespace }}
                spec:
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
                          image: "{{ required "image.repository is set by the Argo CD app" .Values.image.repository }}:{{ .Values.image.tag }}"
                """);
        TestTrees.write(WORKSPACE, "values/broken.yaml", "gateway:\n  replicas: 2\n  image: : bad\nexplainer: {}\n");
        TestTrees.write(WORKSPACE, "manifests/argocd/apps-a.yaml", """
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata:
                  name: needs-app
                  namespace: argocd
                spec:
                  project: web
                  source:
                    repoURL: https://example.invalid/web.git
                    targetRevision: v1.0.0
                    path: charts/needs-app
                    helm:
                      parameters:
                        - name: image.repository
                          value: ghcr.io/acme/web
                      valuesObject:
                        image:
                          tag: "2.0.1"
                  destination:
                    server: https://kubernetes.default.svc
                    namespace: web
                """);
        TestTrees.write(WORKSPACE, "manifests/argocd/apps-b.yaml", """
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata:
                  name: hypergraph
                spec:
                  source:
                    repoURL: https://example.invalid/hypergraph.git
                    path: charts/hypergraph
                    helm:
                      valueFiles:
                        - values-prod.yaml
                      values: |
                        explainer:
                          keda:
                            maxReplicaCount: 6
                  destination:
                    namespace: hypergraph
                ---
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata:
                  name: bad-inline
                spec:
                  source:
                    repoURL: https://example.invalid/hypergraph.git
                    path: charts/hypergraph
                    helm:
                      values: |
                        explainer:
                          keda:
                            maxReplicaCount: 6
                        gateway:
                          replicas: 2: 3
                  destination:
                    namespace: hypergraph
                ---
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata:
                  name: remote-chart
                spec:
                  source:
                    repoURL: https://charts.bitnami.com/bitnami
                    chart: redis
                    targetRevision: 17.0.0
                ---
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata:
                  name: escapes
                spec:
                  source:
                    repoURL: https://example.invalid/x.git
                    path: ../../../etc
                """);
    }


}
