package io.asyncsidecar.controlplane.plugins.keda;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromQlSelectorsTest {

    /** Queries of the kinds KEDA prometheus triggers carry, each with the metrics PromQL's grammar says it selects. */
    static Stream<Arguments> queries() {
        return Stream.of(
                Arguments.of("max(hypergraph_backlog_seconds{namespace=\"ml\", app=~\"explainer.*\"})",
                        List.of("hypergraph_backlog_seconds")),
                Arguments.of("sum(rate(http_requests_total{deployment=\"my-deployment\"}[2m]))",
                        List.of("http_requests_total")),
                // an aggregation with its modifier before the argument: 'sum' and 'job' are no metrics
                Arguments.of("sum by (job, instance) (rate(queue_messages_total[5m]))",
                        List.of("queue_messages_total")),
                Arguments.of("SUM WITHOUT (pod) (queue_depth) > BOOL 10", List.of("queue_depth")),
                Arguments.of("histogram_quantile(0.95, sum by (le) (rate(request_duration_seconds_bucket{job=\"api\"}[5m])))",
                        List.of("request_duration_seconds_bucket")),
                Arguments.of("sum(rate(errors_total[5m])) / sum(rate(requests_total[5m])) * 100",
                        List.of("errors_total", "requests_total")),
                // vector matching: the label lists of on() and group_left() name labels, not metrics
                Arguments.of("node_load1 / on(instance) group_left(nodename) node_uname_info",
                        List.of("node_load1", "node_uname_info")),
                Arguments.of("rate(jobs_done_total[10m] offset 1h) and on() vector(1)", List.of("jobs_done_total")),
                Arguments.of("avg_over_time(queue_lag_seconds[30m:1m] @ end())", List.of("queue_lag_seconds")),
                Arguments.of("queue_lag_seconds @ 1609746000 offset -5m", List.of("queue_lag_seconds")),
                Arguments.of("{__name__=\"explainer_queue_lag_seconds\", job=\"explainer\"}",
                        List.of("explainer_queue_lag_seconds")),
                Arguments.of("{\"explainer.queue.lag\", job=\"x\"}", List.of("explainer.queue.lag")),
                // strings hold no metric names, whatever they contain; comments neither
                Arguments.of("label_replace(up{job=\"a\"}, \"svc\", \"$1\", \"service\", \"(fake_metric).*\") # not_a_metric",
                        List.of("up")),
                Arguments.of("count_values(`version`, build_info) or absent(build_info{job='x\\'y'})",
                        List.of("build_info")),
                Arguments.of("topk(3, sum by (queue) (rabbitmq_queue_messages_ready)) unless on(queue) ignoring_me",
                        List.of("rabbitmq_queue_messages_ready", "ignoring_me")),
                Arguments.of("scalar(sum(kube_deployment_status_replicas)) + 1e-3 - Inf * NaN + 0x1F",
                        List.of("kube_deployment_status_replicas")),
                Arguments.of("time() - max(process_start_time_seconds:recorded)",
                        List.of("process_start_time_seconds:recorded")),
                Arguments.of("vector(1)", List.of()));
    }

    @ParameterizedTest
    @MethodSource("queries")
    void readsTheMetricNamesAQuerySelects(String query, List<String> expected) {
        assertThat(PromQlSelectors.of(query).names()).containsExactlyElementsOf(expected);
    }

    @Test
    void aNameRegexIsKeptApartFromTheNames() {
        PromQlSelectors s = PromQlSelectors.of("sum({__name__=~\"explainer_.*_seconds\", job!~\"batch\"})");

        assertThat(s.names()).isEmpty();
        assertThat(s.nameRegexes()).containsExactly("explainer_.*_seconds");
    }

    @Test
    void malformedQueriesNameWhereTheyBreak() {
        assertThatThrownBy(() -> PromQlSelectors.of("sum(rate(x[5m])"))
                .hasMessage("')' missing at the end of the query");
        assertThatThrownBy(() -> PromQlSelectors.of("x{job=\"a}"))
                .hasMessage("string opened at offset 6 is not closed");
        assertThatThrownBy(() -> PromQlSelectors.of("sum(x))")).hasMessage("unbalanced ')' at offset 6");
        assertThatThrownBy(() -> PromQlSelectors.of("x ; y")).hasMessage("character ';' at offset 2 is not PromQL");
        assertThatThrownBy(() -> PromQlSelectors.of("x".repeat(PromQlSelectors.MAX_LENGTH + 1)))
                .hasMessageContaining("over the 65536 read");
    }
}
