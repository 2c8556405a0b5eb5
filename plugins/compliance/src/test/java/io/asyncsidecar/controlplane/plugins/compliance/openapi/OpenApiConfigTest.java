package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiChecks.at;
import static io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiChecks.check;
import static io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiChecks.findings;
import static io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiChecks.nonV1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules turned off or given another severity, and another prefix, in the config ({@code plugins.compliance.openapi}).
 */
@ServerTest
class OpenApiConfigTest {

    private final Http1Client client;

    OpenApiConfigTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", OpenApiRulesTest.WORKSPACE.toString(),
                "data-dir", "target/test-data/openapi-config",
                "plugins.compliance.openapi.path", "rules-oas30.yaml",
                "plugins.compliance.openapi.prefix", "/v1/pets/",
                "plugins.compliance.openapi.rules.operation-tags", "off",
                "plugins.compliance.openapi.rules.operation-id", "error",
                "plugins.compliance.openapi.rules.ref-siblings", "false",
                "plugins.compliance.openapi.rules.path-prefix", "warn"));
    }

    @Test
    void configuredRulesAndPrefix() {
        JsonObject body = check(client, null);
        assertThat(body.getString("prefix")).isEqualTo("/v1/pets");
        assertThat(nonV1(body)).containsExactly("/v1/{kind}/mine", "/v1/store/", "/v1/orders", "/v1/missing");
        assertThat(at(body, "openapi.path-prefix", "/paths/~1v1~1orders").getString("severity")).isEqualTo("warning");
        assertThat(findings(body, "openapi.operation-tags")).isEmpty();
        assertThat(findings(body, "openapi.ref-siblings")).isEmpty();
        assertThat(at(body, "openapi.operation-id", "/paths/~1v1~1orders/get").getString("severity"))
                .isEqualTo("error");
        // a request's prefix replaces the configured one
        assertThat(nonV1(check(client, null, "prefix", "/v1"))).isEmpty();
    }
}
