package com.example.hello;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A bad {@code plugins.hello.greeting} fails the plugin, naming the key and value, and the server keeps serving. */
@ServerTest
class HelloBadConfigTest {

    private final Http1Client client;

    HelloBadConfigTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of("auth.mode", "none", "data-dir", "target/test-data/hello-bad",
                "plugins.hello.greeting", " "));
    }

    @Test
    void pluginIsFailedWithTheReasonAndItsRouteIsAbsent() {
        try (Http1ClientResponse res = client.get("/api/plugins").request()) {
            JsonObject hello = res.as(JsonObject.class).getJsonArray("plugins").getValuesAs(JsonObject.class).stream()
                    .filter(p -> p.getString("id").equals("hello")).findFirst().orElseThrow();
            assertThat(hello.getString("status")).isEqualTo("failed");
            assertThat(hello.getString("reason")).contains("plugins.hello.greeting").contains("' '");
        }
        try (Http1ClientResponse res = client.get("/api/hello/greeting").request()) {
            assertThat(res.status()).isEqualTo(Status.NOT_FOUND_404);
        }
    }
}
