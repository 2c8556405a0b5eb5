package io.asyncsidecar.controlplane.plugins.keda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.asyncsidecar.controlplane.plugins.metrics.testing.ExpositionServer;
import io.asyncsidecar.controlplane.plugins.metrics.testing.RealPrometheus;
import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.FindingsJson;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo workspace with {@code plugins.keda.prometheus.url} set (what {@code PLUGINS_KEDA_PROMETHEUS_URL} does):
 * a real Prometheus scrapes the explainer's recorded exposition, served by the test, and the explainer's trigger is
 * {@code no_data}, with the explainer's own queue lag among the names Prometheus knows closest to the one queried.
 */
@ServerTest
@EnabledIf(value = RealPrometheus.AVAILABLE, disabledReason = RealPrometheus.MISSING)
class KedaDemoPrometheusTest {

    private static ExpositionServer explainer;
    private static RealPrometheus prometheus;

    private final Http1Client client;

    KedaDemoPrometheusTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        explainer = ExpositionServer.start(Files.readString(TestConfigs.demoWorkspace()
                .resolve(KedaDemoDryRunTest.RECORDING)));
        Path dir = Files.createDirectories(Path.of("target", "prometheus-keda-demo"));
        prometheus = RealPrometheus.start("hypergraph-explainer", explainer.hostPort(),
                Files.createTempDirectory(dir, "tsdb"));
        prometheus.awaitSeries("explainer_queue_lag_seconds", Duration.ofSeconds(30));
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "data-dir", "target/test-data/keda-demo-prometheus",
                "plugins.keda.prometheus.url", prometheus.url().toString(),
                KedaDemoDryRunTest.EXPOSITION_KEY, KedaDemoDryRunTest.RECORDING));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (explainer != null) {
            explainer.close();
        }
    }

    @Test
    void theExplainersTriggerHasNoDataAndPrometheusKnowsTheNameItShouldQuery() {
        ClientResponseTyped<String> r = client.get("/api/keda/scalers").request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        JsonObject body = parse(r.entity());
        JsonObject run = FindingsJson.named(body.getJsonArray("scaled_objects"), "hypergraph-explainer")
                .getJsonArray("triggers").getJsonObject(0).getJsonObject("dry_run");
        assertThat(run.getString("status")).as(run.toString()).isEqualTo("no_data");
        assertThat(run.getString("prometheus")).isEqualTo(prometheus.url().toString());
        List<String> similar = run.getJsonObject("similar_metrics").getJsonArray("hypergraph_backlog_seconds")
                .getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
        assertThat(similar).contains("explainer_queue_lag_seconds").doesNotContain("scrape_duration_seconds", "up");
        // minReplicaCount 1 (values.yaml): KEDA reads the empty result as 0 and the HPA holds one replica
        assertThat(run.getJsonObject("replicas").getInt("desired")).isEqualTo(1);
        JsonObject finding = FindingsJson.finding(body.getJsonArray("findings"), "hypergraph-explainer",
                KedaScan.NO_DATA);
        assertThat(finding.getString("severity")).isEqualTo("error");
        assertThat(FindingsJson.checksOf(body.getJsonArray("findings"), "hypergraph-explainer"))
                .contains(KedaScan.NOT_EXPORTED);
    }
}
