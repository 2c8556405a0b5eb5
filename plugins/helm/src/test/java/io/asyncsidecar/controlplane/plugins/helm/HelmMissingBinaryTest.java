package io.asyncsidecar.controlplane.plugins.helm;

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
 * A configured helm binary that does not exist: reported, and the embedded engine renders instead.
 */
@ServerTest
class HelmMissingBinaryTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "data-dir", "target/test-data/missing-binary",
                "plugins.helm.binary", "target/no-such-dir/helm"));
    }

    @Test
    void theEmbeddedEngineTakesOverAndTheMissingBinaryIsReported(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks");
        assertThat(report.getString("engine")).isEqualTo("helm-java");
        assertThat(report.getBoolean("rendered")).isTrue();
        JsonObject missing = Reports.findings(report, "helm.engine-unavailable").getFirst();
        assertThat(missing.getString("severity")).isEqualTo("warning");
        assertThat(missing.getString("message")).contains("target/no-such-dir/helm");
        assertThat(report.getJsonArray("engines").getJsonObject(0).getString("outcome")).isEqualTo("unavailable");
        assertThat(Reports.findings(report, "helm.image-tag-pinned", "Deployment", "hypergraph-explainer")).hasSize(1);
    }
}
