package io.asyncsidecar.controlplane.plugins.keda;

import java.util.List;

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
import org.junit.jupiter.api.Test;

import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo workspace as config/application.yaml ships it, without a Prometheus: the explainer's ScaledObject
 * queries a metric the explainer's recorded exposition does not have, and the finding names the one it does
 * export; the trigger's dry run is skipped and says which key to set.
 */
@ServerTest
class KedaDemoDryRunTest {

    /** The key config/application.yaml sets, as the shipped config does. */
    static final String EXPOSITION_KEY = "plugins.keda.targets.hypergraph-explainer.exposition";
    static final String RECORDING = "metrics/hypergraph-explainer.prom";

    private final Http1Client client;

    KedaDemoDryRunTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "data-dir", "target/test-data/keda-demo-dry-run",
                EXPOSITION_KEY, RECORDING));
    }

    @Test
    void theExplainersScalerQueriesAMetricTheExplainerDoesNotExport() {
        JsonObject body = get();
        JsonObject trigger = FindingsJson.named(body.getJsonArray("scaled_objects"), "hypergraph-explainer")
                .getJsonArray("triggers").getJsonObject(0);
        assertThat(trigger.getJsonArray("query_metrics").getString(0)).isEqualTo("hypergraph_backlog_seconds");
        JsonObject workload = trigger.getJsonObject("workload_metrics");
        assertThat(workload.getString("workload")).isEqualTo("hypergraph-explainer");
        assertThat(workload.getString("source")).isEqualTo(RECORDING);
        assertThat(workload.getString("status")).isEqualTo("missing");
        JsonObject missing = workload.getJsonArray("missing").getJsonObject(0);
        assertThat(missing.getString("name")).isEqualTo("hypergraph_backlog_seconds");
        List<String> similar = missing.getJsonArray("similar").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).toList();
        assertThat(similar).first().isEqualTo("explainer_queue_lag_seconds");
        JsonObject finding = FindingsJson.finding(body.getJsonArray("findings"), "hypergraph-explainer",
                KedaScan.NOT_EXPORTED);
        assertThat(finding.getString("severity")).isEqualTo("error");
        assertThat(finding.getString("file")).isEqualTo("manifests/helm/hypergraph/templates/keda-scalers.yaml");
        assertThat(finding.getString("remediation")).contains("explainer_queue_lag_seconds");

        JsonObject run = trigger.getJsonObject("dry_run");
        assertThat(run.getString("status")).isEqualTo("skipped");
        assertThat(run.getString("reason")).contains("plugins.keda.prometheus.url")
                .contains("PLUGINS_KEDA_PROMETHEUS_URL").contains("plugins.keda.prometheus.servers")
                .contains("http://prometheus-operated.monitoring.svc:9090");
        assertThat(run.getJsonNumber("threshold").doubleValue()).isEqualTo(30.0);
    }

    private JsonObject get() {
        ClientResponseTyped<String> r = client.get("/api/keda/scalers").request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        return parse(r.entity());
    }
}
