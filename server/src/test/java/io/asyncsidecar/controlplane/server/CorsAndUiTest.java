package io.asyncsidecar.controlplane.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** CORS for a GUI served elsewhere, and the static GUI with traversal attempts and links out of its folder. */
@ServerTest
class CorsAndUiTest {

    private static final Path UI = Path.of("target/test-ui").toAbsolutePath();
    private final Http1Client client;

    CorsAndUiTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        Files.createDirectories(UI);
        Files.writeString(UI.resolve("index.html"), "<html>gui</html>");
        Files.writeString(UI.getParent().resolve("secret.txt"), "outside the ui folder");
        Path outsideDir = Files.createDirectories(UI.getParent().resolve("test-ui-outside"));
        Files.writeString(outsideDir.resolve("index.html"), "outside the ui folder");
        link(UI.resolve("leak.txt"), UI.getParent().resolve("secret.txt"));
        link(UI.resolve("out"), outsideDir);
        link(UI.resolve("alias.html"), UI.resolve("index.html"));
        Files.createDirectories(UI.resolve("sub"));
        link(UI.resolve("sub/index.html"), UI.getParent().resolve("secret.txt"));
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", "{\"t\":{\"tenant_id\":\"a\",\"scopes\":\"tests.read\"}}",
                "ui-dir", UI.toString(),
                "cors.allowed-origins.0", "http://gui.example:3000"));
    }

    @Test
    void preflightFromAnAllowedOriginNeedsNoToken() {
        try (Http1ClientResponse res = client.method(Method.OPTIONS).path("/api/echo/whoami")
                .header(HeaderNames.ORIGIN, "http://gui.example:3000")
                .header(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .header(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS, "Authorization")
                .request()) {
            assertThat(res.status().code()).isEqualTo(200);
            assertThat(res.headers().first(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).contains("http://gui.example:3000");
        }
    }

    @Test
    void actualRequestFromAllowedOriginCarriesAllowOrigin() {
        try (Http1ClientResponse res = client.get("/api/echo/whoami").header(HeaderNames.ORIGIN, "http://gui.example:3000")
                .header(HeaderNames.AUTHORIZATION, "Bearer t").request()) {
            assertThat(res.status().code()).isEqualTo(200);
            assertThat(res.headers().first(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).contains("http://gui.example:3000");
        }
    }

    @Test
    void otherOriginsGetNoAllowOrigin() {
        try (Http1ClientResponse res = client.method(Method.OPTIONS).path("/api/echo/whoami")
                .header(HeaderNames.ORIGIN, "http://evil.example")
                .header(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD, "GET").request()) {
            assertThat(res.headers().first(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEmpty();
        }
    }

    @Test
    void guiIsServedAndTraversalIsBlocked() {
        try (Http1ClientResponse res = client.get("/").request()) {
            assertThat(res.status().code()).isEqualTo(200);
            assertThat(res.as(String.class)).contains("gui");
        }
        for (String path : new String[] {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"}) {
            try (Http1ClientResponse res = client.get(path).request()) {
                assertThat(res.status().code()).as(path).isIn(400, 404);
                assertThat(res.as(String.class)).as(path).doesNotContain("outside the ui folder");
            }
        }
    }

    @Test
    void linksOutOfTheUiFolderAre404AndLinksInsideAreServed() {
        for (String path : new String[] {"/leak.txt", "/out/", "/out/index.html", "/out", "/./leak.txt", "/sub/",
                "/sub/index.html"}) {
            try (Http1ClientResponse res = client.get(path).request()) {
                assertThat(res.status().code()).as(path).isEqualTo(404);
                assertThat(res.as(String.class)).as(path).doesNotContain("outside the ui folder");
            }
        }
        try (Http1ClientResponse res = client.get("/alias.html").request()) {
            assertThat(res.status().code()).isEqualTo(200);
            assertThat(res.as(String.class)).contains("gui");
        }
    }

    private static void link(Path link, Path target) throws IOException {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
    }

    @Test
    void aReloadedPageIsNotModifiedRatherThanAnError() {
        String etag;
        try (Http1ClientResponse res = client.get("/").request()) {
            etag = res.headers().first(HeaderNames.ETAG).orElseThrow();
        }
        try (Http1ClientResponse res = client.get("/").header(HeaderNames.IF_NONE_MATCH, etag).request()) {
            assertThat(res.status().code()).isEqualTo(304);
            assertThat(res.entity().hasEntity()).isFalse();
        }
    }
}
