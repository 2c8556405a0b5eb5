package com.example.hello;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hello plugin inside the real server, as every plugin is tested: the server's test-jar starts it with the
 * plugin found on the class path (its META-INF/services entry), static tokens, and HTTP requests.
 */
@ServerTest
class HelloPluginTest {

    private final Http1Client client;

    HelloPluginTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", """
                        {"reader":{"tenant_id":"tA","subject":"alice","scopes":["hello.read"]},
                         "other":{"tenant_id":"tA","subject":"bob","scopes":["tests.read"]}}""",
                "data-dir", "target/test-data/hello",
                "plugins.hello.greeting", "Grüß Gott"));
    }

    @Test
    void greetsTheCallerWithTheConfiguredGreeting() {
        try (Http1ClientResponse res = get("/api/hello/greeting", "reader")) {
            assertThat(res.status()).isEqualTo(Status.OK_200);
            JsonObject body = res.as(JsonObject.class);
            assertThat(body.getString("greeting")).isEqualTo("Grüß Gott, alice");
            assertThat(body.getString("tenant_id")).isEqualTo("tA");
        }
    }

    @Test
    void callerWithoutTheScopeIsRefused() {
        try (Http1ClientResponse res = get("/api/hello/greeting", "other")) {
            assertThat(res.status()).isEqualTo(Status.FORBIDDEN_403);
            assertThat(res.as(String.class)).contains("hello.read");
        }
        try (Http1ClientResponse res = client.get("/api/hello/greeting").request()) {
            assertThat(res.status()).isEqualTo(Status.UNAUTHORIZED_401);
        }
    }

    @Test
    void listedActiveWithItsRouteAndScope() {
        try (Http1ClientResponse res = get("/api/plugins", "reader")) {
            JsonObject hello = res.as(JsonObject.class).getJsonArray("plugins").getValuesAs(JsonObject.class).stream()
                    .filter(p -> p.getString("id").equals("hello")).findFirst().orElseThrow();
            assertThat(hello.getString("status")).isEqualTo("active");
            JsonObject route = hello.getJsonArray("routes").getJsonObject(0);
            assertThat(route.getString("path")).isEqualTo("/api/hello/greeting");
            assertThat(route.getJsonArray("scopes").getString(0)).isEqualTo(HelloPlugin.SCOPE);
        }
    }

    private Http1ClientResponse get(String path, String token) {
        return client.get(path).header(HeaderNames.AUTHORIZATION, "Bearer " + token).request();
    }
}
