package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A misspelt rule in the config fails the plugin at start-up with a reason naming the key, instead of checking
 * with a setting it misread; the other plugins serve.
 */
@ServerTest
class OpenApiBadConfigTest {

    private final Http1Client client;

    OpenApiBadConfigTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "data-dir", "target/test-data/openapi-bad-config",
                "plugins.compliance.openapi.rules.operation-ids", "off"));
    }

    @Test
    void thePluginFailsNamingTheKey() {
        ClientResponseTyped<String> r = client.get("/api/plugins").request(String.class);
        assertThat(r.status()).isEqualTo(Status.OK_200);
        JsonObject compliance = parse(r.entity()).getJsonArray("plugins").getValuesAs(JsonObject.class).stream()
                .filter(p -> p.getString("id").equals("compliance")).findFirst().orElseThrow();
        assertThat(compliance.getString("status")).isEqualTo("failed");
        assertThat(compliance.getString("reason")).contains("plugins.compliance.openapi.rules.operation-ids is not a"
                + " rule").contains("operation-id,");
        assertThat(client.post("/api/compliance/openapi/check").request(String.class).status())
                .isEqualTo(Status.NOT_FOUND_404);
    }
}
