package io.asyncsidecar.controlplane.plugins.reports;

import java.io.StringReader;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the testruns plugin turned off the reports plugin still loads and says why it cannot export.
 */
@ServerTest
class ReportsWithoutTestrunsTest {

    private final Http1Client client;

    ReportsWithoutTestrunsTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", ReportsApiTest.TOKENS,
                "plugins.testruns.enabled", "false",
                "data-dir", "target/test-data/reports-alone-" + System.nanoTime()));
    }

    @Test
    void exportAnswers503NamingTheMissingPlugin() {
        try (Http1ClientResponse res = client.get("/api/reports/export")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + ReportsApiTest.ALICE).request()) {
            assertThat(res.status().code()).isEqualTo(503);
            assertThat(res.headers().first(HeaderNames.CONTENT_TYPE).orElse("")).startsWith("application/problem+json");
            JsonObject problem;
            try (JsonReader r = Json.createReader(new StringReader(res.entity().as(String.class)))) {
                problem = r.readObject();
            }
            assertThat(problem.getString("detail")).isEqualTo("reports need the testruns plugin, which is not active"
                    + " on this server (see GET /api/plugins)");
        }
        try (Http1ClientResponse plugins = client.get("/api/plugins")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + ReportsApiTest.ALICE).request()) {
            String body = plugins.entity().as(String.class);
            assertThat(body).contains("\"id\":\"testruns\"", "\"status\":\"disabled\"", "\"id\":\"reports\"");
        }
    }
}
