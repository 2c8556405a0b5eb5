package io.asyncsidecar.controlplane.server;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import io.asyncsidecar.controlplane.server.testing.RawRequests;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every spelling of an {@code /api/...} path an attacker may send (percent-encoded letters, doubled slashes, dot
 * segments, absolute-form request targets) is normalised before authentication and routing, so it is
 * authenticated like the plain spelling; encoded slashes and backslashes, which would make the path the filter
 * sees and the path the router matches differ, are a 400. Sent over raw sockets: HTTP clients normalise these.
 */
@ServerTest
class PathSpellingsTest {

    private static final String AUTH = "Authorization: Bearer reader";

    private final int port;

    PathSpellingsTest(WebServer server) {
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        String json = "{\"reader\":{\"tenant_id\":\"tA\",\"subject\":\"alice\",\"scopes\":[\"tests.read\"]}}";
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))));
    }

    private List<String> sameAsApiPlugins() {
        return List.of("/%61pi/plugins", "/%61%70%69/%70lugins", "//api/plugins", "/api//plugins", "/./api/plugins",
                "/x/../api/plugins", "/api/./plugins", "/api/x/../plugins", "/%2e/api/plugins",
                "http://127.0.0.1:" + port + "/api/plugins");
    }

    @Test
    void everySpellingOfAnApiPathNeedsAToken() throws Exception {
        for (String target : sameAsApiPlugins()) {
            String answer = RawRequests.request(port, "GET " + target + " HTTP/1.1");
            assertThat(RawRequests.status(answer)).as(target + "\n" + answer).isEqualTo(401);
            assertThat(answer).as(target).contains("application/problem+json").contains("missing bearer token");
        }
    }

    @Test
    void everySpellingOfAnApiPathWorksWithAToken() throws Exception {
        for (String target : sameAsApiPlugins()) {
            String answer = RawRequests.request(port, "GET " + target + " HTTP/1.1", AUTH);
            assertThat(RawRequests.status(answer)).as(target + "\n" + answer).isEqualTo(200);
            assertThat(answer).as(target).contains("\"plugins\"");
        }
        String whoami = RawRequests.request(port, "GET /%61pi/echo/whoami HTTP/1.1", AUTH);
        assertThat(RawRequests.status(whoami)).isEqualTo(200);
        assertThat(whoami).contains("\"subject\":\"alice\"");
    }

    @Test
    void encodedSlashesBackslashesAndPathsAboveTheRootAre400() throws Exception {
        for (String target : List.of("/api%2Fplugins", "/api%2fplugins", "/api%5Cplugins", "/api\\plugins",
                "/../api/plugins", "/api/../../api/plugins", "/%2e%2e/api/plugins", "/api;x=1/plugins",
                "/api/plugins%00", "/api/%zz")) {
            for (String[] headers : List.of(new String[0], new String[] {AUTH})) {
                String answer = RawRequests.request(port, "GET " + target + " HTTP/1.1", headers);
                assertThat(RawRequests.status(answer)).as(target + " " + List.of(headers) + "\n" + answer)
                        .isEqualTo(400);
                assertThat(answer).as(target).contains("application/problem+json").doesNotContain("Exception");
            }
        }
    }

    @Test
    void plainPathsAreUnchanged() throws Exception {
        assertThat(RawRequests.status(RawRequests.request(port, "GET /api/plugins HTTP/1.1"))).isEqualTo(401);
        assertThat(RawRequests.status(RawRequests.request(port, "GET /api/plugins HTTP/1.1", AUTH))).isEqualTo(200);
        assertThat(RawRequests.status(RawRequests.request(port, "GET /api/plugins?x=%2F HTTP/1.1", AUTH)))
                .isEqualTo(200);
        assertThat(RawRequests.status(RawRequests.request(port, "GET /healthz HTTP/1.1"))).isEqualTo(200);
        assertThat(RawRequests.status(RawRequests.request(port, "GET //healthz HTTP/1.1"))).isEqualTo(200);
        String unknown = RawRequests.request(port, "GET /nothing/here HTTP/1.1");
        assertThat(RawRequests.status(unknown)).isEqualTo(404);
    }
}
