package io.asyncsidecar.controlplane.server;

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
 * {@code auth.mode=none} and the error model: every error status is a problem document that names the problem.
 */
@ServerTest
class NoAuthAndErrorsTest {

    private final Http1Client client;
    private final io.helidon.webserver.WebServer server;

    NoAuthAndErrorsTest(Http1Client client, io.helidon.webserver.WebServer server) {
        this.client = client;
        this.server = server;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of("auth.mode", "none", "server.max-payload-size", "2048"));
    }

    @Test
    void anonymousCallerHasTheScopesTheLoadedRoutesDeclare() {
        try (Http1ClientResponse res = client.get("/api/echo/whoami").request()) {
            assertThat(res.status()).isEqualTo(Status.OK_200);
            JsonObject body = res.as(JsonObject.class);
            assertThat(body.getString("subject")).isEqualTo("anonymous");
            assertThat(body.getString("tenant")).isEqualTo("default");
            // the echo plugin declares tests.read and its own echo.custom; nothing else is granted
            assertThat(body.getJsonArray("scopes").getValuesAs(jakarta.json.JsonString.class))
                    .extracting(jakarta.json.JsonString::getString)
                    .containsExactlyInAnyOrder("tests.read", "echo.custom", "tenants.admin");
        }
        try (Http1ClientResponse res = client.get("/api/echo/custom").request()) {
            assertThat(res.status()).isEqualTo(Status.OK_200);
            assertThat(res.as(String.class)).isEqualTo("custom scope granted");
        }
    }

    @Test
    void pluginsLearnTheServerBaseUrl() {
        try (Http1ClientResponse res = client.get("/api/echo/base-url").request()) {
            assertThat(res.as(String.class)).isEqualTo("http://127.0.0.1:" + server.port());
        }
    }

    @Test
    void jsonBodyIsEchoed() {
        JsonObject body = problemOrBody(client.post("/api/echo/body").header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit("{\"a\":1}"), 200);
        assertThat(body.getInt("a")).isEqualTo(1);
    }

    @Test
    void malformedJsonIs400NamingThePosition() {
        JsonObject p = problemOrBody(client.post("/api/echo/body").header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit("{\"a\":"), 400);
        assertThat(p.getString("detail")).startsWith("malformed JSON at line 1");
    }

    @Test
    void jsonThatIsNotAnObjectIs400() {
        JsonObject p = problemOrBody(client.post("/api/echo/body").header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit("[1,2]"), 400);
        assertThat(p.getString("detail")).contains("must be a JSON object").contains("array");
    }

    @Test
    void wrongContentTypeIs415() {
        JsonObject p = problemOrBody(client.post("/api/echo/body").header(HeaderNames.CONTENT_TYPE, "text/plain")
                .submit("hello"), 415);
        assertThat(p.getString("detail")).contains("text/plain");
    }

    @Test
    void bodyOverTheLimitIs413() {
        JsonObject p = problemOrBody(client.post("/api/echo/body").header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit("{\"a\":\"" + "x".repeat(4096) + "\"}"), 413);
        assertThat(p.getInt("status")).isEqualTo(413);
    }

    @Test
    void unknownRouteIs404() {
        JsonObject p = problemOrBody(client.get("/api/nothing/here").request(), 404);
        assertThat(p.getString("detail")).contains("/api/nothing/here");
    }

    @Test
    void wrongMethodIs405WithAllow() {
        try (Http1ClientResponse res = client.get("/api/echo/body").request()) {
            assertThat(res.status().code()).isEqualTo(405);
            assertThat(res.headers().first(HeaderNames.ALLOW)).contains("POST");
            assertThat(res.headers().contentType().orElseThrow().text()).startsWith("application/problem+json");
        }
    }

    @Test
    void pluginProblemKeepsItsStatus() {
        JsonObject p = problemOrBody(client.get("/api/echo/missing").request(), 404);
        assertThat(p.getString("detail")).isEqualTo("no such thing: 'x'");
    }

    @Test
    void pluginBugIs500WithIdAndNoInternals() {
        try (Http1ClientResponse res = client.get("/api/echo/boom").request()) {
            assertThat(res.status().code()).isEqualTo(500);
            assertThat(res.headers().contentType().orElseThrow().text()).startsWith("application/problem+json");
            String text = res.as(String.class);
            assertThat(text).doesNotContain("internal detail").doesNotContain("IllegalStateException")
                    .doesNotContain("at io.");
            assertThat(text).containsPattern("\"error_id\":\"[0-9a-f-]{36}\"");
        }
    }

    private static JsonObject problemOrBody(Http1ClientResponse res, int status) {
        try (res) {
            assertThat(res.status().code()).isEqualTo(status);
            if (status >= 400) {
                assertThat(res.headers().contentType().orElseThrow().text()).startsWith("application/problem+json");
            }
            return res.as(JsonObject.class);
        }
    }
}
