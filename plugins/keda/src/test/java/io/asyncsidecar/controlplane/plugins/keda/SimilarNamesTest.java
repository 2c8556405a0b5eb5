package io.asyncsidecar.controlplane.plugins.keda;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Suggestions for a metric name: typos, plurals and shared words first, unrelated names never. */
class SimilarNamesTest {

    private static final List<String> GATEWAY = List.of("http_requests_total", "http_request_duration_seconds_bucket",
            "http_request_duration_seconds_sum", "http_request_duration_seconds_count", "process_cpu_seconds_total",
            "process_resident_memory_bytes", "go_goroutines", "gateway_upstream_errors_total", "up");

    @Test
    void aTypoOrAMissingPluralComesFirst() {
        assertThat(SimilarNames.closest("http_request_total", GATEWAY, 5)).first().isEqualTo("http_requests_total");
        assertThat(SimilarNames.closest("http_requests_totl", GATEWAY, 5)).first().isEqualTo("http_requests_total");
        assertThat(SimilarNames.closest("gateway_upstream_error_total", GATEWAY, 5)).first()
                .isEqualTo("gateway_upstream_errors_total");
    }

    @Test
    void sharedWordsRankAboveSpellingAndUnrelatedNamesAreLeftOut() {
        List<String> similar = SimilarNames.closest("http_request_latency_seconds_bucket", GATEWAY, 5);
        assertThat(similar).first().isEqualTo("http_request_duration_seconds_bucket");
        assertThat(SimilarNames.closest("kafka_consumergroup_lag", GATEWAY, 5)).doesNotContain("go_goroutines", "up");
    }

    @Test
    void atMostTheLimitAndNeverTheNameItself() {
        assertThat(SimilarNames.closest("http_requests_total", GATEWAY, 2)).hasSize(2)
                .doesNotContain("http_requests_total");
        assertThat(SimilarNames.closest("x", List.of(), 5)).isEmpty();
    }

    @Test
    void aLargePrometheusIsScoredWithinItsBound() {
        Random random = new Random(12);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 150_000; i++) {
            names.add("svc" + random.nextInt(500) + "_metric_" + Integer.toString(random.nextInt(1 << 30), 36)
                    + "_seconds_total");
        }
        names.add(120_000, "hypergraph_backlog_second");
        long start = System.nanoTime();
        List<String> similar = SimilarNames.closest("hypergraph_backlog_seconds", names, 5);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("# closest() over " + SimilarNames.MAX_CANDIDATES + " candidates: " + millis + " ms");
        assertThat(similar).hasSize(5).doesNotContain("hypergraph_backlog_second")
                .as("past the first %d candidates, not looked at", SimilarNames.MAX_CANDIDATES);
        assertThat(millis).as("scoring %d candidates", SimilarNames.MAX_CANDIDATES).isLessThan(3_000);
        names.add(10, "hypergraph_backlog_second");
        assertThat(SimilarNames.closest("hypergraph_backlog_seconds", names, 5)).first()
                .isEqualTo("hypergraph_backlog_second");
    }
}
