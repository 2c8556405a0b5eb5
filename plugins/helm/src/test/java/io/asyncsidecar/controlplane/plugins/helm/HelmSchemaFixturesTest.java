package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The KEDA fixture chart end to end through GET /api/helm/checks with schema validation configured: the
 * workspace is the fixtures folder, and its Kubernetes v1.24 OpenAPI documents are the schema folder (relative to
 * the workspace, so read through the workspace's file reader).
 */
@ServerTest
class HelmSchemaFixturesTest {

    private static final String KEDA = "helm/kedacore-charts/keda";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "workspace", SharedFixtures.root().toString(),
                "data-dir", "target/test-data/schema-fixtures",
                "plugins.helm.engines", "helm-java",
                "plugins.helm.chart", KEDA,
                "plugins.helm.schemas.dir", "openapi/kube-openapi"));
    }

    @Test
    void theKedaChartsOwnObjectsHaveNoSchemaErrors(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + KEDA + "&kubeVersion=1.24.0");
        assertThat(report.getBoolean("rendered")).isTrue();
        assertThat(Reports.findings(report, "helm.schema")).isEmpty();
        assertThat(report.getJsonObject("summary").getInt("error")).isZero();
        List<String> unknown = Reports.findings(report, "helm.schema-unknown").stream()
                .map(f -> f.getString("message")).toList();
        // Its three Deployments were validated; the kinds the fixture documents lack are said once each.
        assertThat(unknown).noneMatch(m -> m.startsWith("apps/v1 "));
        assertThat(unknown).anyMatch(m -> m.startsWith("v1 ServiceAccount: "))
                .anyMatch(m -> m.startsWith("apiextensions.k8s.io/v1 CustomResourceDefinition: 6 objects not"
                        + " validated"));
    }

    @Test
    void atAnotherKubernetesVersionTheV124DocumentsAreNotUsed(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + KEDA + "&kubeVersion=1.31.0");
        assertThat(Reports.findings(report, "helm.schema-unknown").stream().map(f -> f.getString("message")))
                .contains("apps/v1 Deployment: 3 objects not validated: the schema folder describes it for v1.24"
                        + " only, not for the target v1.31");
    }
}
