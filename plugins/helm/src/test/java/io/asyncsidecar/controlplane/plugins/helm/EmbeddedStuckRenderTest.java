package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

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
 * A chart whose template loops for a long time outlives the render timeout of the embedded engine, whose native
 * render cannot be stopped. While it runs on, the engine starts no other render: a second request for the same
 * chart cannot take a second core, and a harmless chart asked for right after is answered at once from its raw
 * templates, saying why, instead of waiting for a render thread; once the stuck render returns, embedded renders
 * go on.
 */
@ServerTest
class EmbeddedStuckRenderTest {

    private static final Path WORKSPACE = Path.of("target/test-workspaces/stuck-render").toAbsolutePath();
    /** 15,000 x 15,000 template iterations: about 12 s of one core for Helm (measured with helm 4.1). */
    private static final String LOOP = "{{- range $i := until 15000 }}{{- range $j := until 15000 }}{{- end }}"
            + "{{- end }}\n";

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        TestTrees.clear(WORKSPACE);
        chart("looping", LOOP);
        chart("harmless", "");
        chart("harmless-later", "");
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "workspace", WORKSPACE.toString(),
                "data-dir", "target/test-data/stuck-render",
                "plugins.helm.engines", "helm-java",
                "plugins.helm.max-concurrent-renders", "2",
                "plugins.helm.render-timeout-seconds", "2"));
    }

    private static void chart(String name, String prefix) throws IOException {
        TestTrees.write(WORKSPACE, "charts/" + name + "/Chart.yaml",
                "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n");
        TestTrees.write(WORKSPACE, "charts/" + name + "/templates/config.yaml", prefix
                + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  a: b\n");
    }

    @Test
    void aStuckEmbeddedRenderTakesNoFurtherCoreAndLaterRequestsAreAnsweredAtOnce(Http1Client client)
            throws Exception {
        JsonObject first = Reports.ok(client, "/api/helm/checks?chart=charts/looping");
        assertThat(Reports.findings(first, "helm.render-timeout")).hasSize(1);
        assertThat(first.getJsonArray("engines").getJsonObject(0).getString("outcome")).isEqualTo("timed-out");

        // the same chart again: not a second stuck render (with two render threads it would take the second)
        JsonObject again = Reports.ok(client, "/api/helm/checks?chart=charts/looping&kubeVersion=1.30.0");
        assertThat(again.getJsonArray("engines").getJsonObject(0).getString("outcome")).isEqualTo("unavailable");

        long start = System.nanoTime();
        JsonObject harmless = Reports.ok(client, "/api/helm/checks?chart=charts/harmless");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertThat(harmless.getString("engine")).isEqualTo("text");
        JsonObject engines = harmless.getJsonArray("engines").getJsonObject(0);
        assertThat(engines.getString("outcome")).isEqualTo("unavailable");
        assertThat(engines.getString("reason")).contains("still running", "cannot be stopped");
        JsonObject why = Reports.findings(harmless, "helm.engine-unavailable").getFirst();
        assertThat(why.getString("message")).contains("helm-java", "still running");
        assertThat(Reports.findings(harmless, "helm.render-timeout")).isEmpty();

        // the looping render returns in its own time; then the embedded engine renders again
        // (each poll another Kubernetes version: a rendering read textually is not asked again while it is cached)
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonObject later;
        int poll = 0;
        do {
            Thread.sleep(1000);
            later = Reports.ok(client, "/api/helm/checks?chart=charts/harmless-later&kubeVersion=1.29." + poll++);
        } while (!later.getString("engine").equals("helm-java") && System.nanoTime() < deadline);
        assertThat(later.getString("engine")).as(later.getJsonArray("engines").toString()).isEqualTo("helm-java");
        assertThat(later.getBoolean("rendered")).isTrue();
    }
}
