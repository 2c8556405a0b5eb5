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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ignores through GET /api/helm/checks: {@code plugins.helm.ignore} silencing a real finding of the demo chart
 * (the explainer's moving image tag), and an ignore annotation limited to one container on a small chart of two
 * containers and an init container. The workspace is built under target/ for the test: a copy of the demo chart
 * and that chart.
 */
@ServerTest
class HelmIgnoresTest {

    private static final Path WORKSPACE = Path.of("target/test-workspaces/ignores").toAbsolutePath();
    private static final String DEMO = "charts/hypergraph";
    private static final String TWO = "charts/two-containers";
    private static final String IMAGE = "helm.image-tag-pinned";
    private static final String CONFIG_REASON = "HG-200: the explainer follows its model's nightly build until 2.0";
    private static final String ANNOTATION_REASON = "vendor image, pinned by the mesh operator";

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        buildWorkspace();
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "workspace", WORKSPACE.toString(),
                "data-dir", "target/test-data/ignores",
                "plugins.helm.engines", "helm-java",
                "plugins.helm.chart", DEMO,
                "plugins.helm.ignore.0.check", IMAGE,
                "plugins.helm.ignore.0.object", "Deployment/default/hypergraph-explainer",
                "plugins.helm.ignore.0.container", "explainer",
                "plugins.helm.ignore.0.reason", CONFIG_REASON,
                // A pattern that matches nothing in these charts changes nothing.
                "plugins.helm.ignore.1.check", "helm.*",
                "plugins.helm.ignore.1.object", "StatefulSet/*/*",
                "plugins.helm.ignore.1.reason", "no StatefulSet here"));
    }

    @Test
    void aConfigIgnoreMovesTheDemoExplainersImageFindingToIgnored(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks");
        assertThat(Reports.findings(report, IMAGE, "Deployment", "hypergraph-explainer")).isEmpty();
        List<JsonObject> ignored = Reports.ignored(report, IMAGE, "Deployment", "hypergraph-explainer");
        assertThat(ignored).hasSize(1);
        JsonObject f = ignored.getFirst();
        assertThat(f.getString("message")).contains("hypergraph-explainer:latest");
        assertThat(f.getString("container")).isEqualTo("explainer");
        assertThat(f.getString("ignored_reason")).isEqualTo(CONFIG_REASON);
        assertThat(f.getString("ignored_source")).isEqualTo("config");
        assertThat(f.getString("file")).isEqualTo(DEMO + "/templates/explainer-deployment.yaml");

        // The chart's own annotation still ignores the read-only root file system finding, saying so.
        JsonObject annotated = Reports.ignored(report, "helm.read-only-root-filesystem", "Deployment",
                "hypergraph-explainer").getFirst();
        assertThat(annotated.getString("ignored_source")).isEqualTo("annotation");
        assertThat(annotated.getString("container")).isEqualTo("explainer");
        assertThat(report.getJsonObject("summary").getInt("ignored")).isEqualTo(2);
        // Other findings of the explainer stay active; pod-level ones name no container.
        assertThat(Reports.findings(report, "helm.readiness-probe", "Deployment", "hypergraph-explainer"))
                .singleElement().satisfies(r -> assertThat(r.getString("container")).isEqualTo("explainer"));
        assertThat(Reports.findings(report, "helm.pdb", "Deployment", "hypergraph-explainer"))
                .singleElement().satisfies(p -> assertThat(p.containsKey("container")).isFalse());
    }

    @Test
    void aConfigIgnoreAppliesToEveryValuesFilesResult(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?values=values.yaml&values=values.yaml");
        for (JsonValue r : report.getJsonArray("results")) {
            assertThat(Reports.ignored(r.asJsonObject(), IMAGE, "Deployment", "hypergraph-explainer")).hasSize(1);
        }
        assertThat(report.getJsonObject("summary").getInt("ignored")).isEqualTo(4);
    }

    @Test
    void anAnnotationNamingAContainerIgnoresOnlyThatContainersFinding(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + TWO);
        assertThat(report.getBoolean("rendered")).isTrue();

        List<JsonObject> active = Reports.findings(report, IMAGE, "Deployment", "web");
        assertThat(active).extracting(f -> f.getString("container")).containsExactlyInAnyOrder("app", "init-db");
        assertThat(active).allSatisfy(f -> assertThat(f.containsKey("ignored_reason")).isFalse());

        List<JsonObject> ignored = Reports.ignored(report, IMAGE, "Deployment", "web");
        assertThat(ignored).hasSize(1);
        JsonObject sidecar = ignored.getFirst();
        assertThat(sidecar.getString("container")).isEqualTo("sidecar");
        assertThat(sidecar.getString("message")).contains("container 'sidecar'", "envoyproxy/envoy:latest");
        assertThat(sidecar.getString("ignored_reason")).isEqualTo(ANNOTATION_REASON);
        assertThat(sidecar.getString("ignored_source")).isEqualTo("annotation");

        // The same kind of annotation on a check about the whole Deployment covers none of its findings.
        assertThat(Reports.findings(report, "helm.pdb", "Deployment", "web")).hasSize(1);
        assertThat(Reports.ignored(report, "helm.pdb", "Deployment", "web")).isEmpty();
        assertThat(report.getJsonObject("summary").getInt("ignored")).isEqualTo(1);
    }

    @Test
    void sarifSuppressesTheIgnoredContainerOnly(Http1Client client) {
        JsonObject sarif = Reports.ok(client, "/api/helm/checks?chart=" + TWO + "&format=sarif");
        List<JsonObject> images = sarif.getJsonArray("runs").getJsonObject(0).getJsonArray("results")
                .getValuesAs(JsonObject.class).stream().filter(r -> r.getString("ruleId").equals(IMAGE)).toList();
        assertThat(images).hasSize(3);
        assertThat(images.stream().filter(r -> r.containsKey("suppressions")).toList()).singleElement()
                .satisfies(r -> assertThat(r.getJsonArray("suppressions").getJsonObject(0).getString("justification"))
                        .isEqualTo(ANNOTATION_REASON));
    }

    private static void buildWorkspace() throws IOException {
        if (Files.exists(WORKSPACE)) {
            try (Stream<Path> walk = Files.walk(WORKSPACE)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        TestTrees.copyTree(TestConfigs.demoWorkspace().resolve("manifests/helm/hypergraph"), WORKSPACE.resolve(DEMO));
        TestTrees.write(WORKSPACE, TWO + "/Chart.yaml", "apiVersion: v2\nname: two-containers\nversion: 0.1.0\nappVersion: \"1.0\"\n");
        TestTrees.write(WORKSPACE, TWO + "/values.yaml", "replicas: 2\n");
        TestTrees.write(WORKSPACE, TWO + "/templates/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: {{ .Release.Namespace }}
                  annotations:
                    ignore-check.controlplane.asyncsidecar.io/helm.image-tag-pinned: "containers=sidecar; reason: %s"
                    ignore-check.controlplane.asyncsidecar.io/helm.pdb: "containers=app; a pod-level check"
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
                      securityContext:
                        runAsNonRoot: true
                      initContainers:
                        - name: init-db
                          image: postgres:latest
                          resources:
                            requests: {cpu: 10m, memory: 16Mi}
                            limits: {cpu: 100m, memory: 64Mi}
                          securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false}
                      containers:
                        - name: app
                          image: nginx:latest
                          resources:
                            requests: {cpu: 10m, memory: 16Mi}
                            limits: {cpu: 100m, memory: 64Mi}
                          livenessProbe: {httpGet: {path: /, port: 80}}
                          readinessProbe: {httpGet: {path: /, port: 80}}
                          securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false}
                        - name: sidecar
                          image: envoyproxy/envoy:latest
                          resources:
                            requests: {cpu: 10m, memory: 16Mi}
                            limits: {cpu: 100m, memory: 64Mi}
                          livenessProbe: {tcpSocket: {port: 9901}}
                          readinessProbe: {tcpSocket: {port: 9901}}
                          securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false}
                """.formatted(ANNOTATION_REASON));
    }


}
