package io.asyncsidecar.controlplane.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Static-token authentication, scopes and tenancy through a started server, over HTTP and WebSocket. The token
 * map is base64-encoded, holds a {@code sha256:} key and a comma-separated scope list, as the gateway allows.
 */
@ServerTest
class StaticAuthTest {

    private static final String HASHED_TOKEN = "hashed-secret-token";

    private final Http1Client client;
    private final WebServer server;

    StaticAuthTest(Http1Client client, WebServer server) {
        this.client = client;
        this.server = server;
    }

    private static final String HINT = "The demo tokens are listed in the README.";

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(HASHED_TOKEN.getBytes(StandardCharsets.UTF_8)));
        String json = """
                {"reader":{"tenant_id":"tA","subject":"alice","scopes":["tests.read"]},
                 "observer":{"tenant_id":"tA","subject":"olga","scopes":"observability.read, deployments.read"},
                 "root":{"tenant_id":"ops","subject":"root","scopes":["tests.read","tenants.admin"]},
                 "sha256:%s":{"tenant_id":"tB","subject":"bob","scopes":"tests.read"}}
                """.formatted(digest);
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.unauthorized-hint", HINT,
                "auth.tokens-json", Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void missingTokenIs401WithBearerChallenge() {
        try (Http1ClientResponse res = client.get("/api/echo/whoami").request()) {
            assertThat(res.status()).isEqualTo(Status.UNAUTHORIZED_401);
            assertThat(res.headers().first(HeaderNames.WWW_AUTHENTICATE)).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(res.headers().contentType().orElseThrow().text()).startsWith("application/problem+json");
            assertThat(res.as(JsonObject.class).getString("detail")).contains("missing bearer token");
        }
    }

    @Test
    void unknownTokenIs401() {
        try (Http1ClientResponse res = get("/api/echo/whoami", "not-a-token")) {
            assertThat(res.status()).isEqualTo(Status.UNAUTHORIZED_401);
            assertThat(res.as(JsonObject.class).getString("detail")).isEqualTo("unknown bearer token. " + HINT);
        }
    }

    @Test
    void twoCredentialsInOneRequestAre400() throws Exception {
        for (String[] headers : new String[][] {
                {"Authorization: Bearer reader,Bearer nope"},
                {"Authorization: Bearer reader, Bearer nope"},
                {"Authorization: Bearer nope,Bearer reader"},
                {"Authorization: Bearer reader", "Authorization: Bearer nope"},
                {"Authorization: Bearer reader", "Authorization: Bearer reader"}}) {
            String answer = io.asyncsidecar.controlplane.server.testing.RawRequests.request(server.port(),
                    "GET /api/echo/whoami HTTP/1.1", headers);
            assertThat(io.asyncsidecar.controlplane.server.testing.RawRequests.status(answer))
                    .as(java.util.List.of(headers) + "\n" + answer).isEqualTo(400);
            assertThat(answer).contains("application/problem+json").contains("one credential")
                    .doesNotContain("alice");
        }
        String refused = rawUpgrade("/ws/echo/ten", "Authorization: Bearer reader,Bearer nope\r\n");
        assertThat(refused).startsWith("HTTP/1.1 400");
        String one = io.asyncsidecar.controlplane.server.testing.RawRequests.request(server.port(),
                "GET /api/echo/whoami HTTP/1.1", "Authorization: Bearer reader");
        assertThat(one).startsWith("HTTP/1.1 200").contains("alice");
    }

    @Test
    void missingScopeIs403NamingTheScope() {
        try (Http1ClientResponse res = get("/api/echo/whoami", "observer")) {
            assertThat(res.status()).isEqualTo(Status.FORBIDDEN_403);
            JsonObject body = res.as(JsonObject.class);
            assertThat(body.getString("detail")).contains("'tests.read'").contains("/api/echo/whoami");
            assertThat(body.getInt("status")).isEqualTo(403);
        }
    }

    @Test
    void tokenWithScopeSeesItsTenant() {
        JsonObject body = json(get("/api/echo/whoami", "reader"));
        assertThat(body.getString("subject")).isEqualTo("alice");
        assertThat(body.getString("tenant")).isEqualTo("tA");
    }

    @Test
    void sha256KeyAndCommaSeparatedScopesWork() {
        JsonObject body = json(get("/api/echo/whoami", HASHED_TOKEN));
        assertThat(body.getString("subject")).isEqualTo("bob");
        assertThat(body.getString("tenant")).isEqualTo("tB");
        assertThat(body.getJsonArray("scopes").getString(0)).isEqualTo("tests.read");
    }

    @Test
    void foreignTenantHeaderWithoutAdminIs403() {
        try (Http1ClientResponse res = client.get("/api/echo/whoami").header(HeaderNames.AUTHORIZATION, "Bearer reader")
                .header(HeaderNames.create("X-Tenant-ID"), "tB").request()) {
            assertThat(res.status()).isEqualTo(Status.FORBIDDEN_403);
            assertThat(res.as(JsonObject.class).getString("detail")).contains("tenants.admin");
        }
    }

    @Test
    void ownTenantHeaderIsAccepted() {
        try (Http1ClientResponse res = client.get("/api/echo/whoami").header(HeaderNames.AUTHORIZATION, "Bearer reader")
                .header(HeaderNames.create("X-Tenant-ID"), "tA").request()) {
            assertThat(res.status()).isEqualTo(Status.OK_200);
            assertThat(res.as(JsonObject.class).getString("tenant")).isEqualTo("tA");
        }
    }

    @Test
    void tenantsAdminReadsAnotherTenant() {
        try (Http1ClientResponse res = client.get("/api/echo/whoami").header(HeaderNames.AUTHORIZATION, "Bearer root")
                .header(HeaderNames.create("X-Tenant-ID"), "tB").request()) {
            JsonObject body = json(res);
            assertThat(body.getString("tenant")).isEqualTo("tB");
            assertThat(body.getString("home_tenant")).isEqualTo("ops");
        }
    }

    @Test
    void healthAndMetricsNeedNoToken() {
        try (Http1ClientResponse res = client.get("/healthz").request()) {
            JsonObject body = json(res);
            assertThat(body.getBoolean("ok")).isTrue();
            assertThat(body.getJsonNumber("ts").longValue()).isGreaterThan(1_700_000_000L);
        }
        try (Http1ClientResponse res = client.get("/health/ready").request()) {
            assertThat(json(res).getString("status")).isEqualTo("UP");
        }
        try (Http1ClientResponse res = client.get("/metrics").request()) {
            assertThat(res.status()).isEqualTo(Status.OK_200);
            assertThat(res.as(String.class)).contains("controlplane_plugin_up{plugin=\"echo\",status=\"active\"} 1");
        }
    }

    @Test
    void metricsCountRequestsPerRouteTemplate() {
        json(get("/api/echo/whoami", "reader"));
        try (Http1ClientResponse res = client.get("/metrics").request()) {
            assertThat(res.as(String.class)).containsPattern(
                    "controlplane_http_requests_total\\{plugin=\"echo\",method=\"GET\",route=\"/api/echo/whoami\",status=\"200\"} [1-9]");
        }
    }

    @Test
    void pluginsListsRoutesWithScopesForAnyAuthenticatedCaller() {
        JsonObject body = json(get("/api/plugins", "observer"));
        JsonObject echo = body.getJsonArray("plugins").getValuesAs(JsonObject.class).stream()
                .filter(p -> p.getString("id").equals("echo")).findFirst().orElseThrow();
        assertThat(echo.getString("status")).isEqualTo("active");
        assertThat(echo.getJsonArray("routes").getValuesAs(JsonObject.class))
                .anySatisfy(r -> {
                    assertThat(r.getString("method")).isEqualTo("GET");
                    assertThat(r.getString("path")).isEqualTo("/api/echo/whoami");
                    assertThat(r.getJsonArray("scopes").getString(0)).isEqualTo("tests.read");
                });
        assertThat(echo.getJsonArray("sockets").getJsonObject(0).getString("path")).isEqualTo("/ws/echo/{name}");
        JsonObject caller = body.getJsonObject("caller");
        assertThat(caller.getString("subject")).isEqualTo("olga");
        assertThat(caller.getString("tenant_id")).isEqualTo("tA");
        assertThat(caller.getJsonArray("scopes").getValuesAs(jakarta.json.JsonString.class))
                .extracting(jakarta.json.JsonString::getString).containsExactly("deployments.read", "observability.read");
        assertThat(caller.getBoolean("tenants_admin")).isFalse();
    }

    @Test
    void webSocketWithHeaderToken() throws Exception {
        String first = openAndReceive(HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer reader"), "/ws/echo/one?since=5");
        assertThat(first).isEqualTo("hello one alice tA since=5");
    }

    @Test
    void webSocketWithQueryToken() throws Exception {
        String first = openAndReceive(HttpClient.newHttpClient().newWebSocketBuilder(), "/ws/echo/two?access_token=" + HASHED_TOKEN);
        assertThat(first).isEqualTo("hello two bob tB since=-");
    }

    @Test
    void webSocketWithSubprotocolToken() throws Exception {
        String first = openAndReceive(HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("bearer", "reader"),
                "/ws/echo/three");
        assertThat(first).isEqualTo("hello three alice tA since=-");
    }

    @Test
    void webSocketTenantParameterIsTheHeadersBrowserForm() throws Exception {
        String first = openAndReceive(HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("bearer", "root"),
                "/ws/echo/eight?tenant_id=tB");
        assertThat(first).isEqualTo("hello eight root tB since=-");
        String refused = rawUpgrade("/ws/echo/nine?tenant_id=tB", "Authorization: Bearer reader\r\n");
        assertThat(refused).startsWith("HTTP/1.1 403");
        assertThat(problemBody(refused).getString("detail")).contains("tenants.admin");
    }

    @Test
    void webSocketWithoutTokenIsRefused() {
        assertThatThrownBy(() -> openAndReceive(HttpClient.newHttpClient().newWebSocketBuilder(), "/ws/echo/four"))
                .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(401));
    }

    @Test
    void webSocketRefusalsCarryTheDetailHttpRoutesGive() throws Exception {
        String httpDetail;
        try (Http1ClientResponse res = client.get("/api/echo/whoami").request()) {
            httpDetail = res.as(JsonObject.class).getString("detail");
        }
        String unauthorized = rawUpgrade("/ws/echo/six", "");
        assertThat(unauthorized).startsWith("HTTP/1.1 401").containsIgnoringCase("WWW-Authenticate: Bearer")
                .contains("application/problem+json");
        JsonObject problem = problemBody(unauthorized);
        assertThat(problem.getString("detail")).isEqualTo(httpDetail).contains(HINT);
        assertThat(problem.getString("instance")).isEqualTo("/ws/echo/six");

        String forbidden = rawUpgrade("/ws/echo/seven", "Authorization: Bearer observer\r\n");
        assertThat(forbidden).startsWith("HTTP/1.1 403");
        JsonObject p403 = problemBody(forbidden);
        assertThat(p403.getString("detail")).contains("missing scope 'tests.read'").contains("WebSocket /ws/echo/{name}");
        assertThat(p403.getString("required_scope")).isEqualTo("tests.read");
    }

    @Test
    void webSocketWithoutScopeIsRefused() {
        assertThatThrownBy(() -> openAndReceive(HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer observer"), "/ws/echo/five"))
                .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(403));
    }

    @Test
    void webSocketPluginCanRefuseWith404() {
        assertThatThrownBy(() -> openAndReceive(HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer reader"), "/ws/echo/nope"))
                .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(404));
    }

    private String openAndReceive(WebSocket.Builder builder, String path) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket ws;
        try {
            ws = builder.connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + path), new WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            first.complete(data.toString());
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
        try {
            return first.get(10, TimeUnit.SECONDS);
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    /** An upgrade request over a plain socket, so the refusal's headers and body can be read whole. */
    private String rawUpgrade(String path, String extraHeaders) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonObject problemBody(String response) {
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        return (JsonObject) io.asyncsidecar.controlplane.kit.JsonCodec.read(body);
    }

    private static int handshakeStatus(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.http.WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
        }
        throw new AssertionError("no WebSocketHandshakeException in " + t, t);
    }

    private Http1ClientResponse get(String path, String token) {
        return client.get(path).header(HeaderNames.AUTHORIZATION, "Bearer " + token).request();
    }

    private static JsonObject json(Http1ClientResponse res) {
        try (res) {
            assertThat(res.status()).isEqualTo(Status.OK_200);
            return res.as(JsonObject.class);
        }
    }
}
