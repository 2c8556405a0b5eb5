package io.asyncsidecar.controlplane.plugins.metrics.probe;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import io.asyncsidecar.controlplane.plugins.metrics.LoopbackTargets;
import io.asyncsidecar.controlplane.plugins.metrics.testing.ExpositionServer;
import io.asyncsidecar.controlplane.plugins.metrics.testing.RealPrometheus;
import io.asyncsidecar.controlplane.spi.metrics.MetricNames;
import io.asyncsidecar.controlplane.spi.metrics.QueryResult;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The probe's Prometheus side against a real Prometheus that scrapes a loopback exposition every second: each
 * result type, an empty result, a query Prometheus rejects, the metric names, and addresses the guard refuses.
 */
@EnabledIf(value = RealPrometheus.AVAILABLE, disabledReason = RealPrometheus.MISSING)
class PrometheusApiClientTest {

    private static final String EXPOSITION = """
            # HELP explainer_queue_lag_seconds Age of the oldest queued explanation.
            # TYPE explainer_queue_lag_seconds gauge
            explainer_queue_lag_seconds{queue="default"} 12.5
            explainer_queue_lag_seconds{queue="batch"} 3
            # TYPE explainer_jobs_total counter
            explainer_jobs_total 42
            """;

    @TempDir
    static Path dir;
    private static ExpositionServer workload;
    private static RealPrometheus prometheus;
    private static LoopbackTargets targets;
    private static GuardedMetricsProbe probe;

    @BeforeAll
    static void start() throws Exception {
        targets = LoopbackTargets.start();
        workload = ExpositionServer.start(EXPOSITION);
        prometheus = RealPrometheus.start("explainer", workload.hostPort(), dir);
        prometheus.awaitSeries("explainer_jobs_total", Duration.ofSeconds(30));
        probe = GuardedMetricsProbeTest.probe(1 << 20);
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (workload != null) {
            workload.close();
        }
        targets.close();
    }

    @Test
    void anAggregateIsOneSeries() {
        QueryResult r = probe.instantQuery(prometheus.url(), "max(explainer_queue_lag_seconds)");
        assertThat(r.error()).isEmpty();
        assertThat(r.resultType()).isEqualTo("vector");
        assertThat(r.samples()).singleElement().satisfies(s -> {
            assertThat(s.value()).isCloseTo(12.5, within(1e-9));
            assertThat(s.labels()).isEmpty();
        });
    }

    @Test
    void aSelectorGivesEverySeriesWithItsLabels() {
        QueryResult r = probe.instantQuery(prometheus.url(), "explainer_queue_lag_seconds");
        assertThat(r.samples()).hasSize(2);
        assertThat(r.samples()).anySatisfy(s -> {
            assertThat(s.labels()).containsEntry("__name__", "explainer_queue_lag_seconds")
                    .containsEntry("queue", "batch").containsEntry("job", "explainer")
                    .containsEntry("instance", workload.hostPort());
            assertThat(s.value()).isEqualTo(3.0);
        });
    }

    @Test
    void otherResultTypes() {
        QueryResult scalar = probe.instantQuery(prometheus.url(), "scalar(max(explainer_queue_lag_seconds)) * 2");
        assertThat(scalar.resultType()).isEqualTo("scalar");
        assertThat(scalar.samples()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(25.0));
        QueryResult matrix = probe.instantQuery(prometheus.url(), "explainer_jobs_total[1m]");
        assertThat(matrix.resultType()).isEqualTo("matrix");
        assertThat(matrix.samples()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(42.0));
        QueryResult string = probe.instantQuery(prometheus.url(), "\"text\"");
        assertThat(string.resultType()).isEqualTo("string");
        assertThat(string.samples()).isEmpty();
        QueryResult nan = probe.instantQuery(prometheus.url(), "vector(0) / 0");
        assertThat(nan.samples()).singleElement().satisfies(s -> assertThat(s.value()).isNaN());
    }

    @Test
    void anUnknownMetricIsAnEmptyVector() {
        QueryResult r = probe.instantQuery(prometheus.url(), "max(hypergraph_backlog_seconds{service=\"x\"})");
        assertThat(r.ok()).isTrue();
        assertThat(r.resultType()).isEqualTo("vector");
        assertThat(r.samples()).isEmpty();
    }

    @Test
    void aQueryPrometheusRejectsCarriesItsErrorTypeAndMessage() {
        QueryResult r = probe.instantQuery(prometheus.url(), "sum(explainer_jobs_total");
        assertThat(r.ok()).isFalse();
        assertThat(r.error().orElseThrow()).startsWith("Prometheus answered HTTP 400 bad_data: ")
                .contains("parse error");
    }

    @Test
    void metricNamesListWhatPrometheusKnows() {
        MetricNames names = probe.metricNames(prometheus.url());
        assertThat(names.error()).isEmpty();
        assertThat(names.names()).contains("explainer_queue_lag_seconds", "explainer_jobs_total", "up",
                "scrape_duration_seconds");
    }

    @Test
    void theGuardRefusesBeforeAnyConnection() {
        QueryResult metadata = probe.instantQuery(URI.create("http://169.254.169.254:9090"), "up");
        assertThat(metadata.error().orElseThrow()).startsWith("refused by the metrics plugin's target rules")
                .contains("link-local");
        MetricNames named = probe.metricNames(URI.create("http://metadata.google.internal"));
        assertThat(named.error().orElseThrow()).contains("is a cloud metadata service");
        QueryResult elsewhere = probe.instantQuery(URI.create("http://10.1.2.3:9090"), "up");
        assertThat(elsewhere.error().orElseThrow()).contains("is not on the allow list");
    }

    @Test
    void somethingElseThanPrometheusIsNamedAsSuch() throws Exception {
        QueryResult html = probe.instantQuery(URI.create(targets.url("/html").toString().replace("/html", "")),
                "up");
        assertThat(html.error().orElseThrow()).contains("GET /api/v1/query").contains("not a Prometheus API answer");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(probe.instantQuery(URI.create("http://127.0.0.1:" + closed), "up").error().orElseThrow())
                .startsWith("down: cannot connect");
    }
}
