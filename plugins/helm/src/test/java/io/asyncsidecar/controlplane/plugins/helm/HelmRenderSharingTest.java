package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One {@code GET /api/checks} renders the chart once: the helm check and a consumer reading the chart through the
 * kit's {@code ChartObjects} (as keda and karpenter do) share the render cache's rendering, with values files and a
 * Kubernetes version too, and an unchanged chart is not rendered again. Renders are counted where they happen: the
 * helm binary the plugin runs is a script that notes each call and runs the real helm ({@code .ci/install-helm.sh},
 * {@code -Dhelm.binary}, {@code HELM_BINARY}); skipped, saying so, without one.
 */
@ServerTest
class HelmRenderSharingTest {

    private static final Path BINARY = HelmBinaryEngineTest.binary();
    private static final Path DIR = Path.of("target/test-data/render-sharing").toAbsolutePath();
    private static final Path WORKSPACE = DIR.resolve("workspace");
    private static final Path CALLS = DIR.resolve("helm-calls.txt");

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        TestTrees.clear(DIR);
        TestTrees.copyTree(TestConfigs.demoWorkspace().resolve("manifests/helm/hypergraph"),
                WORKSPACE.resolve("manifests/helm/hypergraph"));
        Path counting = DIR.resolve("counting-helm");
        Files.writeString(counting, "#!/bin/sh\necho \"$*\" >> '" + CALLS + "'\nexec '" + BINARY + "' \"$@\"\n");
        Files.setPosixFilePermissions(counting, PosixFilePermissions.fromString("rwxr-xr-x"));
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "workspace", WORKSPACE.toString(),
                "data-dir", DIR.resolve("data").toString(),
                "plugins.helm.engines", "helm-binary",
                "plugins.helm.binary", counting.toString()));
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
    void oneCombinedCheckRendersTheChartOnceForEveryPluginThatReadsIt(Http1Client client) throws IOException {
        int before = calls();
        JsonObject all = Reports.ok(client, "/api/checks");
        assertThat(calls() - before).as("renders for one /api/checks").isEqualTo(1);
        JsonObject probe = part(all, "rendered-probe");
        assertThat(probe.getString("engine")).isEqualTo("helm-binary");
        assertThat(probe.getBoolean("degraded")).isFalse();
        assertThat(probe.getJsonObject("details").getInt("objects")).isPositive();
        assertThat(part(all, "helm").getString("engine")).isEqualTo("helm-binary");

        // values file and version: a new render, again shared, and the helm route of the same query reuses it
        String query = "?values=values-prod.yaml&kubeVersion=1.30.0";
        before = calls();
        JsonObject prod = Reports.ok(client, "/api/checks" + query);
        assertThat(calls() - before).as("renders for /api/checks" + query).isEqualTo(1);
        assertThat(part(prod, "rendered-probe").getBoolean("degraded")).isFalse();
        assertThat(lastCall()).contains("--kube-version 1.30.0").contains("values-prod.yaml");
        JsonObject route = Reports.ok(client, "/api/helm/checks" + query);
        assertThat(calls() - before).isEqualTo(1);
        assertThat(part(prod, "helm").getJsonObject("summary").getInt("warning"))
                .isEqualTo(route.getJsonObject("summary").getInt("warning"));

        // an unchanged chart is not rendered again; a changed file is
        before = calls();
        Reports.ok(client, "/api/checks");
        assertThat(calls() - before).isZero();
        Path service = WORKSPACE.resolve("manifests/helm/hypergraph/templates/gateway-service.yaml");
        Files.writeString(service, Files.readString(service) + "\n# touched by the test\n");
        Files.setLastModifiedTime(service, FileTime.from(Instant.now().plusSeconds(5)));
        Reports.ok(client, "/api/checks");
        assertThat(calls() - before).isEqualTo(1);
    }

    private static JsonObject part(JsonObject all, String id) {
        return all.getJsonArray("plugins").getValuesAs(JsonObject.class).stream()
                .filter(p -> p.getString("id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no part " + id + " in " + all));
    }

    private static int calls() throws IOException {
        return Files.exists(CALLS) ? Files.readAllLines(CALLS).size() : 0;
    }

    private static String lastCall() throws IOException {
        List<String> lines = Files.readAllLines(CALLS);
        return lines.getLast();
    }
}
