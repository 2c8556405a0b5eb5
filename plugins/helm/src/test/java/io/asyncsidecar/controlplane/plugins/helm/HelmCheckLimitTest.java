package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chart checks run under {@code plugins.helm.checks}: with one slot and no queue, a check that arrives while a slow
 * render holds the slot is a 503 with {@code Retry-After} at once, and routes that render nothing keep answering
 * meanwhile. The helm binary is a script that waits 3 s before running the real helm, so the slot is certainly held.
 */
@ServerTest
class HelmCheckLimitTest {

    private static final Path BINARY = HelmBinaryEngineTest.binary();
    private static final Path DIR = Path.of("target/test-data/check-limit").toAbsolutePath();
    private static final Path WORKSPACE = DIR.resolve("workspace");

    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    HelmCheckLimitTest(WebServer server) {
        this.base = URI.create("http://127.0.0.1:" + server.port());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        TestTrees.clear(DIR);
        TestTrees.copyTree(TestConfigs.demoWorkspace().resolve("manifests/helm/hypergraph"),
                WORKSPACE.resolve("manifests/helm/hypergraph"));
        Path slow = DIR.resolve("slow-helm");
        Files.writeString(slow, "#!/bin/sh\nsleep 3\nexec '" + BINARY + "' \"$@\"\n");
        Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwxr-xr-x"));
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "workspace", WORKSPACE.toString(),
                "data-dir", DIR.resolve("data").toString(),
                "plugins.helm.engines", "helm-binary",
                "plugins.helm.binary", slow.toString(),
                "plugins.helm.checks.max-concurrent", "1",
                "plugins.helm.checks.max-queued", "0"));
    }

    @BeforeEach
    void needsHelm() {
        if (!Files.isExecutable(BINARY) && SharedFixtures.required()) {
            throw new AssertionError("no helm binary at " + BINARY + " (required in CI)");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(BINARY), "no helm binary at " + BINARY
                + ": run .ci/install-helm.sh or pass -Dhelm.binary=/path/to/helm (HELM_BINARY)");
    }

    @Test
    void aCheckBeyondTheLimitIsRefusedAtOnceWithRetryAfterWhileOtherRoutesAnswer() throws Exception {
        CompletableFuture<HttpResponse<String>> holding = http.sendAsync(get("/api/helm/checks?kubeVersion=1.30.0"),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(1000); // the first check is in its slot, waiting on the slow render

        long start = System.nanoTime();
        HttpResponse<String> refused = http.send(get("/api/helm/checks?kubeVersion=1.31.0"),
                HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                assertThat(Integer.parseInt(v)).isPositive());
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains("helm checks", "plugins.helm.checks.max-concurrent");
        assertThat(took).isLessThan(Duration.ofSeconds(2));

        HttpResponse<String> plugins = http.send(get("/api/plugins"), HttpResponse.BodyHandlers.ofString());
        assertThat(plugins.statusCode()).isEqualTo(200);
        assertThat(holding.isDone()).as("the slow check still holds its slot").isFalse();

        HttpResponse<String> first = holding.get();
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        HttpResponse<String> after = http.send(get("/api/helm/checks?kubeVersion=1.31.0"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).as("the slot is free again: " + after.body()).isEqualTo(200);
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", Reports.TOKEN)
                .timeout(Duration.ofSeconds(60)).build();
    }
}
