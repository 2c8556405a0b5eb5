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
 * The trigger dry run through {@code GET /api/keda/scalers} against a real Prometheus (Debian's, started here on
 * loopback) that scrapes the test's own exposition server every second: a value with the replica count KEDA would
 * ask for, an empty answer with the closest names Prometheus knows and the finding's severity as ignoreNullValues
 * and fallback make it, a query Prometheus refuses, several series, an address the metrics plugin's guard refuses,
 * and the workload's own metrics from its live endpoint and from a recorded exposition.
 */
@ServerTest
@EnabledIf(value = RealPrometheus.AVAILABLE, disabledReason = RealPrometheus.MISSING)
class KedaDryRunTest {

    private static final Path WORKSPACE = Path.of("src/test/workspace");
    private static ExpositionServer workload;
    private static RealPrometheus prometheus;

    private final Http1Client client;

    KedaDryRunTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        workload = ExpositionServer.start(Files.readString(WORKSPACE.resolve("metrics/worker.prom")));
        Path dir = Files.createDirectories(Path.of("target", "prometheus-keda-dry-run"));
        prometheus = RealPrometheus.start("worker", workload.hostPort(), Files.createTempDirectory(dir, "tsdb"));
        prometheus.awaitSeries("worker_queue_lag_seconds", Duration.ofSeconds(30));
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", WORKSPACE.toAbsolutePath().toString(),
                "data-dir", "target/test-data/keda-dry-run",
                "plugins.keda.chart", "",
                "plugins.keda.manifests", "manifests/dry-run/scalers.yaml",
                "plugins.keda.prometheus.url", prometheus.url().toString(),
                "plugins.keda.prometheus.servers",
                "http://metadata-prometheus.monitoring.svc:9090=http://169.254.169.254:9090",
                "plugins.keda.targets.worker-a.metrics-url", workload.metricsUrl().toString(),
                "plugins.keda.targets.worker-b.exposition", "metrics/worker.prom"));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (workload != null) {
            workload.close();
        }
    }

    @Test
    void oneSeriesGivesTheValueAndTheReplicasKedaAsksFor() {
        JsonObject body = get();
        assertThat(body.getJsonObject("dry_run").getString("prometheus")).isEqualTo(prometheus.url().toString());
        assertThat(body.getJsonObject("dry_run").getBoolean("metrics_plugin")).isTrue();
        JsonObject run = dryRun(body, "worker-a", "lag");
        assertThat(run.getString("status")).as(run.toString()).isEqualTo("ok");
        assertThat(run.getString("prometheus")).isEqualTo(prometheus.url().toString());
        assertThat(run.getJsonNumber("value").doubleValue()).isEqualTo(25.0);
        assertThat(run.getInt("series")).isEqualTo(1);
        assertThat(run.getJsonNumber("threshold").doubleValue()).isEqualTo(10.0);
        assertThat(run.getJsonNumber("activation_threshold").doubleValue()).isZero();
        assertThat(run.getString("metric_type")).isEqualTo("AverageValue");
        JsonObject replicas = run.getJsonObject("replicas");
        // AverageValue: ceil(25 / 10) = 3, inside minReplicaCount 1 .. maxReplicaCount 10
        assertThat(replicas.getInt("desired")).isEqualTo(3);
        assertThat(replicas.getInt("min")).isEqualTo(1);
        assertThat(replicas.getInt("max")).isEqualTo(10);
        assertThat(replicas.getString("basis")).startsWith("ceil(value / threshold), clamped to 1..10");

        JsonObject value = dryRun(body, "worker-a", "lag-value");
        assertThat(value.getString("metric_type")).isEqualTo("Value");
        // Value: ceil(25 / 10 * 2 current replicas, the Deployment's spec.replicas) = 5
        assertThat(value.getJsonObject("replicas").getInt("desired")).isEqualTo(5);
        assertThat(value.getJsonObject("replicas").getInt("current_assumed")).isEqualTo(2);
        assertThat(FindingsJson.checksOf(body.getJsonArray("findings"), "worker-a"))
                .doesNotContain(KedaScan.NO_DATA, KedaScan.NOT_EXPORTED);
    }

    @Test
    void aQueryPrometheusRefusesOrOneWithSeveralSeriesIsAnErrorAndAFinding() {
        JsonObject body = get();
        JsonObject refused = dryRun(body, "worker-a", "rate-of-a-gauge");
        assertThat(refused.getString("status")).isEqualTo("error");
        assertThat(refused.getString("reason")).startsWith("Prometheus answered HTTP 400 bad_data: ")
                .contains("range vector");
        JsonObject several = dryRun(body, "worker-a", "every-queue");
        assertThat(several.getString("status")).isEqualTo("error");
        assertThat(several.getInt("series")).isEqualTo(2);
        assertThat(several.getString("reason")).contains("returned multiple elements");
        List<String> messages = FindingsJson.messages(body.getJsonArray("findings"), "worker-a", KedaScan.PROMETHEUS);
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("'rate-of-a-gauge'").contains("rejects the query")
                .contains("bad_data"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("'every-queue'").contains("returns 2 series"));
        JsonObject finding = FindingsJson.finding(body.getJsonArray("findings"), "worker-a", KedaScan.PROMETHEUS);
        assertThat(finding.getString("file")).isEqualTo("manifests/dry-run/scalers.yaml");
        assertThat(finding.getInt("line")).isPositive();
    }

    @Test
    void anUnknownMetricIsNoDataWithTheClosestNamesPrometheusKnows() {
        JsonObject body = get();
        JsonObject run = dryRun(body, "worker-b", "backlog");
        assertThat(run.getString("status")).as(run.toString()).isEqualTo("no_data");
        assertThat(run.getInt("series")).isZero();
        assertThat(run.getString("reason")).contains("Prometheus knows no metric named hypergraph_backlog_seconds");
        assertThat(strings(run.getJsonObject("similar_metrics").getJsonArray("hypergraph_backlog_seconds")))
                .contains("worker_queue_lag_seconds").hasSizeLessThanOrEqualTo(5);
        // ignoreNullValues defaults to true: KEDA reads 0, inactive, and minReplicaCount 0 lets it scale to zero
        assertThat(run.getBoolean("ignore_null_values")).isTrue();
        assertThat(run.getJsonObject("replicas").getInt("desired")).isZero();
        JsonObject finding = FindingsJson.finding(body.getJsonArray("findings"), "worker-b", KedaScan.NO_DATA);
        assertThat(finding.getString("severity")).isEqualTo("error");
        assertThat(finding.getString("message")).contains("ignoreNullValues defaults to true")
                .contains("never asks for more than 0 replica(s)");
        assertThat(finding.getString("remediation")).contains("worker_queue_lag_seconds");
    }

    @Test
    void anEmptyResultDeclaredExpectedOrFallingBackIsAWarning() {
        JsonObject body = get();
        JsonObject declared = FindingsJson.finding(body.getJsonArray("findings"), "worker-c", KedaScan.NO_DATA);
        assertThat(declared.getString("severity")).isEqualTo("warning");
        assertThat(dryRun(body, "worker-c", "backlog").getJsonObject("replicas").getInt("desired"))
                .as("minReplicaCount 1: the HPA keeps one").isEqualTo(1);

        JsonObject fallback = FindingsJson.finding(body.getJsonArray("findings"), "worker-d", KedaScan.NO_DATA);
        assertThat(fallback.getString("severity")).isEqualTo("warning");
        assertThat(fallback.getString("message")).contains("fallback.replicas 2");
        JsonObject run = dryRun(body, "worker-d", "backlog");
        assertThat(run.getBoolean("ignore_null_values")).isFalse();
        assertThat(run.getJsonObject("replicas").getInt("desired")).isEqualTo(2);
        assertThat(run.getJsonObject("replicas").getString("basis")).contains("fallback.failureThreshold (3)");
    }

    @Test
    void theMetadataAddressIsRefusedNamingTheRuleAndNotAsked() {
        JsonObject body = get();
        JsonObject run = dryRun(body, "worker-e", null);
        assertThat(run.getString("status")).isEqualTo("error");
        assertThat(run.getString("prometheus")).isEqualTo("http://169.254.169.254:9090");
        assertThat(run.getString("reason"))
                .startsWith("refused by the metrics plugin's target rules (plugins.metrics.ssrf)")
                .contains("169.254.0.0/16").contains("link-local");
        assertThat(FindingsJson.checksOf(body.getJsonArray("findings"), "worker-e"))
                .as("an unreachable Prometheus says nothing about the chart").isEmpty();
    }

    @Test
    void theWorkloadsOwnMetricsFromItsEndpointAndFromARecording() {
        JsonObject body = get();
        JsonObject live = trigger(body, "worker-a", "lag").getJsonObject("workload_metrics");
        assertThat(live.getString("workload")).isEqualTo("worker-a");
        assertThat(live.getString("source")).isEqualTo(workload.metricsUrl().toString());
        assertThat(live.getString("status")).as(live.toString()).isEqualTo("ok");
        assertThat(live.getJsonArray("missing")).isEmpty();
        assertThat(workload.requests()).as("scraped by Prometheus and, once per request, by the plugin").isPositive();

        JsonObject recorded = trigger(body, "worker-b", "backlog").getJsonObject("workload_metrics");
        assertThat(recorded.getString("source")).isEqualTo("metrics/worker.prom");
        assertThat(recorded.getString("status")).isEqualTo("missing");
        JsonObject missing = recorded.getJsonArray("missing").getJsonObject(0);
        assertThat(missing.getString("name")).isEqualTo("hypergraph_backlog_seconds");
        assertThat(strings(missing.getJsonArray("similar"))).first().isEqualTo("worker_queue_lag_seconds");
        JsonObject finding = FindingsJson.finding(body.getJsonArray("findings"), "worker-b", KedaScan.NOT_EXPORTED);
        assertThat(finding.getString("severity")).isEqualTo("error");
        assertThat(finding.getString("message")).contains("hypergraph_backlog_seconds")
                .contains("does not expose").contains("metrics/worker.prom").contains("worker_queue_lag_seconds");
        assertThat(trigger(body, "worker-c", "backlog").containsKey("workload_metrics"))
                .as("no metrics configured for worker-c").isFalse();
    }

    private static JsonObject trigger(JsonObject body, String scaledObject, String trigger) {
        JsonObject so = FindingsJson.named(body.getJsonArray("scaled_objects"), scaledObject);
        return so.getJsonArray("triggers").getValuesAs(JsonObject.class).stream()
                .filter(t -> trigger == null
                        || (t.get("name") instanceof JsonString s && s.getString().equals(trigger)))
                .findFirst().orElseThrow(() -> new AssertionError("no trigger " + trigger + " in " + so));
    }

    private static JsonObject dryRun(JsonObject body, String scaledObject, String trigger) {
        return trigger(body, scaledObject, trigger).getJsonObject("dry_run");
    }

    private static List<String> strings(jakarta.json.JsonArray array) {
        return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    private JsonObject get() {
        ClientResponseTyped<String> r = client.get("/api/keda/scalers").request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        return parse(r.entity());
    }

}
