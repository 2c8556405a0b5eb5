package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A "helm" that hangs is killed after the render timeout and reported; the textual reading takes over (helm-java
 * is not tried: a chart that hangs Helm would hang it too, and an in-process render cannot be killed).
 */
@ServerTest
class HelmEngineFallbackTest {

    private static final Path HANGING_HELM = Path.of("target/test-tools/hanging-helm").toAbsolutePath();

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        Files.createDirectories(HANGING_HELM.getParent());
        // A stand-in for a helm stuck on a chart: it writes its pid and never finishes.
        Files.writeString(HANGING_HELM, "#!/bin/sh\necho $$ > \"$0.pid\"\nexec sleep 300\n");
        Files.setPosixFilePermissions(HANGING_HELM, PosixFilePermissions.fromString("rwxr-xr-x"));
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "data-dir", "target/test-data/fallback",
                "plugins.helm.engines", "helm-binary,helm-java",
                "plugins.helm.binary", HANGING_HELM.toString(),
                "plugins.helm.render-timeout-seconds", "2"));
    }

    @Test
    void aHangingRenderIsKilledAndReported(Http1Client client) throws Exception {
        long start = System.nanoTime();
        JsonObject report = Reports.ok(client, "/api/helm/checks");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(seconds).isLessThan(15);
        JsonObject timeout = Reports.findings(report, "helm.render-timeout").getFirst();
        assertThat(timeout.getString("message")).contains("helm-binary", "2 s");
        assertThat(report.getString("engine")).isEqualTo("text");
        assertThat(report.getBoolean("rendered")).isFalse();
        assertThat(report.getJsonArray("engines").getJsonObject(0).getString("outcome")).isEqualTo("timed-out");
        long pid = Long.parseLong(Files.readString(Path.of(HANGING_HELM + ".pid")).strip());
        // The process was killed, not left behind.
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
