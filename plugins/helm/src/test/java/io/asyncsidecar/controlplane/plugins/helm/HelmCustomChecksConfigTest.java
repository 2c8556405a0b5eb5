package io.asyncsidecar.controlplane.plugins.helm;

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
 * A custom check whose expression does not compile fails the helm plugin's init, and GET /api/plugins names the
 * entry and key; the first entry, which is fine, does not hide the second's error.
 */
@ServerTest
class HelmCustomChecksConfigTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "data-dir", "target/test-data/custom-checks-config",
                "plugins.helm.custom-checks.0.id", "fine",
                "plugins.helm.custom-checks.0.expression", "has(object.metadata)",
                "plugins.helm.custom-checks.0.message", "objects have metadata",
                "plugins.helm.custom-checks.1.id", "broken",
                "plugins.helm.custom-checks.1.expression", "object.spec.replicas <=",
                "plugins.helm.custom-checks.1.message", "never compiles"));
    }

    @Test
    void aBadExpressionFailsTheInitNamingItsEntry(Http1Client client) {
        JsonObject plugins = client.get("/api/plugins").requestEntity(JsonObject.class);
        JsonObject helm = plugins.getJsonArray("plugins").stream().map(JsonValue::asJsonObject)
                .filter(p -> p.getString("id").equals("helm")).findFirst().orElseThrow();
        assertThat(helm.getString("status")).isEqualTo("failed");
        assertThat(helm.getString("reason")).contains("plugins.helm.custom-checks[1].expression")
                .contains("does not compile");
    }
}
