package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Files;
import java.nio.file.Path;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "helm on PATH or configured" engine with a real helm binary: {@code -Dhelm.binary=...} or
 * {@code HELM_BINARY}, else the one {@code .ci/install-helm.sh} puts in {@code target/tools/helm/helm} of the
 * repository. Skipped, saying so, when there is none.
 */
@ServerTest
class HelmBinaryEngineTest {

    private static final Path BINARY = binary();

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "data-dir", "target/test-data/helm-binary",
                "plugins.helm.engines", "helm-binary,helm-java",
                "plugins.helm.binary", BINARY.toString()));
    }

    static Path binary() {
        String configured = System.getProperty("helm.binary", System.getenv("HELM_BINARY"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        return TestConfigs.demoWorkspace().getParent().getParent().resolve("target/tools/helm/helm");
    }

    @BeforeEach
    void needsHelm() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), "no helm binary at " + BINARY
                + ": run .ci/install-helm.sh or pass -Dhelm.binary=/path/to/helm (HELM_BINARY)");
    }

    @Test
    void theDemoChartRendersWithTheBinaryAndGivesTheSameFindings(Http1Client client) throws Exception {
        JsonObject report = Reports.ok(client, "/api/helm/checks");
        assertThat(report.getString("engine")).isEqualTo("helm-binary");
        assertThat(report.getBoolean("rendered")).isTrue();
        assertThat(report.getJsonArray("engines")).hasSize(1);
        JsonObject image = Reports.findings(report, "helm.image-tag-pinned", "Deployment", "hypergraph-explainer")
                .getFirst();
        assertThat(image.getInt("line")).isEqualTo(Reports.lineOf(TestConfigs.demoWorkspace()
                        .resolve("manifests/helm/hypergraph/templates/explainer-deployment.yaml"),
                "image: {{ include \"hypergraph.image\" .Values.explainer.image"));
        assertThat(Reports.findings(report, "helm.readiness-probe", "Deployment", "hypergraph-explainer")).hasSize(1);
        assertThat(Reports.ignored(report, "helm.read-only-root-filesystem", "Deployment", "hypergraph-explainer"))
                .hasSize(1);
        assertThat(Reports.about(report, "Deployment", "hypergraph-gateway")).extracting(f -> f.getString("check"))
                .containsExactlyInAnyOrderElementsOf(HelmChecksDemoTest.GATEWAY_FINDINGS);
    }

    @Test
    void helmsCliErrorBecomesAFindingWithoutItsDecoration(Http1Client client) throws Exception {
        JsonObject report = Reports.ok(client, "/api/helm/checks?kubeVersion=1.22.0");
        JsonObject failed = Reports.findings(report, "helm.render-failed").getFirst();
        assertThat(failed.getString("message")).startsWith("Helm cannot render the chart: chart requires kubeVersion")
                .doesNotContain("Error:");
        assertThat(failed.getInt("line")).isEqualTo(Reports.lineOf(TestConfigs.demoWorkspace()
                .resolve("manifests/helm/hypergraph/Chart.yaml"), "kubeVersion:"));
        // Helm's verdict does not depend on the engine: helm-java is not asked again.
        assertThat(report.getJsonArray("engines").getJsonObject(0).getString("engine")).isEqualTo("helm-binary");
        assertThat(report.getJsonArray("engines").getJsonObject(1).getString("engine")).isEqualTo("text");
    }

    @Test
    void valuesFilesArePassedToTheBinary(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?values=values-prod.yaml");
        assertThat(report.getString("engine")).isEqualTo("helm-binary");
        assertThat(Reports.findings(report, "helm.image-tag-pinned")).isEmpty();
        assertThat(Reports.findings(report, "helm.pdb", "Deployment", "hypergraph-explainer").getFirst()
                .getString("message")).contains("max 8");
    }
}
