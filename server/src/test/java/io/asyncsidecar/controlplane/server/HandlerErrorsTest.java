package io.asyncsidecar.controlplane.server;

import java.time.Duration;

import io.asyncsidecar.controlplane.server.testing.RawRequests;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A handler that dies of an {@link Error} (a real stack overflow, a real out-of-memory error) answers that one
 * request with a problem document naming no class, and the listener keeps accepting and serving.
 */
@ServerTest
class HandlerErrorsTest {

    private final int port;

    HandlerErrorsTest(WebServer server) {
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of("auth.mode", "none"));
    }

    @Test
    void aStackOverflowIsAProblemAndTheServerKeepsServing() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 5; i++) {
                assertProblem(RawRequests.request(port, "GET /api/echo/overflow HTTP/1.1"));
                assertServing();
            }
        });
    }

    @Test
    void anOutOfMemoryErrorIsAProblemAndTheServerKeepsServing() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 5; i++) {
                assertProblem(RawRequests.request(port, "GET /api/echo/oom HTTP/1.1"));
                assertServing();
            }
        });
    }

    private static void assertProblem(String answer) {
        assertThat(RawRequests.status(answer)).as(answer).isIn(500, 503);
        assertThat(answer).contains("application/problem+json").contains("\"error_id\"")
                .doesNotContain("StackOverflowError").doesNotContain("OutOfMemoryError").doesNotContain("java.lang")
                .doesNotContain("VM limit");
    }

    private void assertServing() throws Exception {
        String whoami = RawRequests.request(port, "GET /api/echo/whoami HTTP/1.1");
        assertThat(RawRequests.status(whoami)).as(whoami).isEqualTo(200);
        assertThat(RawRequests.status(RawRequests.request(port, "GET /healthz HTTP/1.1"))).isEqualTo(200);
    }
}
