package io.asyncsidecar.controlplane.plugins.keda;

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
import org.junit.jupiter.api.Test;

import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the metrics plugin disabled the dry run has no guarded client: every prometheus trigger is {@code skipped}
 * naming the missing plugin, a configured workload's metrics are an error saying the same, and the manifest
 * checks answer as before, with no dry-run finding.
 */
@ServerTest
class KedaDryRunWithoutMetricsTest {

    private final Http1Client client;

    KedaDryRunWithoutMetricsTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", java.nio.file.Path.of("src/test/workspace").toAbsolutePath().toString(),
                "data-dir", "target/test-data/keda-dry-run-without-metrics",
                "plugins.metrics.enabled", "false",
                "plugins.keda.chart", "",
                "plugins.keda.manifests", "manifests/dry-run/scalers.yaml",
                "plugins.keda.prometheus.url", "http://127.0.0.1:9",
                "plugins.keda.targets.worker-b.exposition", "metrics/worker.prom"));
    }

    @Test
    void everyTriggerIsSkippedNamingTheMetricsPlugin() {
        ClientResponseTyped<String> r = client.get("/api/keda/scalers").request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        JsonObject body = parse(r.entity());
        assertThat(body.getJsonObject("dry_run").getBoolean("metrics_plugin")).isFalse();
        for (JsonObject so : body.getJsonArray("scaled_objects").getValuesAs(JsonObject.class)) {
            for (JsonObject t : so.getJsonArray("triggers").getValuesAs(JsonObject.class)) {
                JsonObject run = t.getJsonObject("dry_run");
                assertThat(run.getString("status")).isEqualTo("skipped");
                assertThat(run.getString("reason")).contains("the metrics plugin is not running");
                assertThat(run.containsKey("prometheus")).as("nothing asked").isFalse();
            }
        }
        JsonObject so = FindingsJson.named(body.getJsonArray("scaled_objects"), "worker-b");
        JsonObject workload = so.getJsonArray("triggers").getJsonObject(0).getJsonObject("workload_metrics");
        assertThat(workload.getString("status")).isEqualTo("error");
        assertThat(workload.getString("reason")).contains("the metrics plugin is not running");
        assertThat(FindingsJson.checksOf(body.getJsonArray("findings"), "worker-b"))
                .doesNotContain(KedaScan.NO_DATA, KedaScan.NOT_EXPORTED);
    }
}
