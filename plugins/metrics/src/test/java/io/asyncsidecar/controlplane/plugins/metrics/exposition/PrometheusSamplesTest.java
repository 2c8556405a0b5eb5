package io.asyncsidecar.controlplane.plugins.metrics.exposition;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.asyncsidecar.controlplane.server.testing.SharedFixtures;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The Prometheus project's own exposition samples (promtool's and textparse's test data). */
class PrometheusSamplesTest {

    @Test
    void promtoolSample() throws Exception {
        Map<String, MetricFamily> f = families(parse("promtool/metrics-test.prom", ExpositionFormat.PROMETHEUS_TEXT));
        assertThat(f).containsOnlyKeys("go_gc_duration_seconds", "prometheus_tsdb_compaction_chunk_size_bytes",
                "net_conntrack_dialer_conn_attempted_total", "go_info");
        MetricFamily gc = f.get("go_gc_duration_seconds");
        assertThat(gc.type()).isEqualTo(MetricType.SUMMARY);
        assertThat(gc.samples()).isEqualTo(7);
        assertThat(gc.help()).isEqualTo("A summary of the pause duration of garbage collection cycles.");
        assertThat(gc.labelNames()).containsExactly("quantile");
        MetricFamily chunks = f.get("prometheus_tsdb_compaction_chunk_size_bytes");
        assertThat(chunks.type()).isEqualTo(MetricType.HISTOGRAM);
        assertThat(chunks.samples()).isEqualTo(15);
        assertThat(chunks.series()).isEqualTo(15);
        assertThat(f.get("net_conntrack_dialer_conn_attempted_total").series()).isEqualTo(4);
    }

    @Test
    void textparseTestData() throws Exception {
        Exposition e = parse("textparse/promtestdata.txt", ExpositionFormat.PROMETHEUS_TEXT);
        Map<String, MetricFamily> f = families(e);
        assertThat(f.values()).filteredOn(x -> x.type() == MetricType.COUNTER).hasSize(21);
        assertThat(f.values()).filteredOn(x -> x.type() == MetricType.SUMMARY).hasSize(13);
        assertThat(f.get("http_request_duration_microseconds").type()).isEqualTo(MetricType.SUMMARY);
        assertThat(e.samples()).isEqualTo(410);
    }

    @Test
    void untypedSamplesWithoutMetadataEachFormAFamily() throws Exception {
        Exposition e = parse("textparse/alltypes.237mfs.nometa.prom.txt", ExpositionFormat.PROMETHEUS_TEXT);
        assertThat(e.samples()).isEqualTo(1857);
        assertThat(e.families()).allSatisfy(x -> {
            assertThat(x.type()).isEqualTo(MetricType.UNKNOWN);
            assertThat(x.help()).isNull();
        });
        // without TYPE lines, _bucket/_sum/_count cannot be folded: each name is its own family
        assertThat(families(e)).containsKeys("go_gc_duration_seconds", "go_gc_duration_seconds_sum",
                "go_gc_duration_seconds_count");
    }

    @Test
    void openMetricsHistogramsWithUnits() throws Exception {
        Map<String, MetricFamily> f = families(parse("textparse/histograms.bench.om.txt", ExpositionFormat.OPENMETRICS));
        assertThat(f).hasSize(7);
        assertThat(f.get("request_duration_seconds").unit()).isEqualTo("seconds");
        assertThat(f.get("request_duration_seconds").type()).isEqualTo(MetricType.HISTOGRAM);
        assertThat(f.get("request_duration_seconds").labelNames()).containsExactly("handler", "le");
        assertThat(f.get("response_size_bytes").unit()).isEqualTo("bytes");
        assertThat(f.get("gc_duration_seconds").type()).isEqualTo(MetricType.SUMMARY);
    }

    @Test
    void openMetricsHistogramWithThreeMetricPoints() throws Exception {
        Exposition e = parse("textparse/1histogram.om.txt", ExpositionFormat.OPENMETRICS);
        MetricFamily h = families(e).get("golang_manual_histogram_seconds");
        assertThat(e.families()).hasSize(1);
        assertThat(h.samples()).isEqualTo(42);
        assertThat(h.series()).isEqualTo(42);
        assertThat(h.labelNames()).containsExactly("address", "generation", "port", "le");
    }

    /**
     * client_golang wrote this sample with negative observations (a negative {@code _sum} beside negative buckets,
     * negative quantiles), which OpenMetrics 1.0 forbids and Prometheus scrapes: it parses, with each violation
     * reported at its line.
     */
    @Test
    void openMetricsSampleWithNegativeHistogramSumParses() throws Exception {
        Exposition e = parse("textparse/alltypes.5mfs.om.txt", ExpositionFormat.OPENMETRICS);
        Map<String, MetricFamily> f = families(e);
        assertThat(f.get("rpc_durations_histogram_seconds").type()).isEqualTo(MetricType.HISTOGRAM);
        assertThat(f.get("rpc_durations_seconds").type()).isEqualTo(MetricType.SUMMARY);
        assertThat(e.families()).hasSize(5);
        assertThat(e.violations()).isNotEmpty().allSatisfy(v -> assertThat(v.reason()).contains("tolerated"));
        assertThat(e.violations().getFirst().line()).isEqualTo(33);
        assertThat(e.violations().getFirst().reason()).contains("rpc_durations_histogram_seconds_sum").contains("negative");
    }

    @Test
    void textFormatErrorsNameLineAndReason() {
        assertRejected("a 1\nb{x=\"1\",x=\"2\"} 1\n", 2, "duplicate label name 'x'");
        assertRejected("# TYPE a counter\na 1\n# TYPE a gauge\n", 3, "second TYPE line for 'a'");
        assertRejected("a 1\n# TYPE a counter\n", 2, "TYPE line for 'a' after its samples");
        assertRejected("a{x=\"\\q\"} 1\n", 1, "invalid escape sequence '\\q'");
        assertRejected("a 1 12.5\n", 1, "invalid timestamp '12.5'");
        assertRejected("# TYPE h histogram\nh_bucket{le=\"x\"} 1\n", 2, "expected a number as the value of label 'le'");
        assertRejected("# TYPE a summery\n", 1, "unknown metric type 'summery'");
        assertRejected("a 1 2 3\n", 1, "unexpected '3'");
    }

    @Test
    void textFormatLeniencies() throws Exception {
        // blanks anywhere the reference parser skips them, a trailing comma, free comments, Go's float forms
        Exposition e = ExpositionParser.of(ExpositionFormat.PROMETHEUS_TEXT).parse(bytes(
                "# a free comment\n\n  a { x = \"1\" , } \t 0x1p-3   -12\nb +Inf\nc nan\n"));
        assertThat(e.samples()).isEqualTo(3);
        assertThat(families(e).get("a").labelNames()).containsExactly("x");
    }

    @Test
    void lineLimitIsEnforced() {
        String longLine = "a{x=\"" + "v".repeat(200) + "\"} 1\n";
        ExpositionParseException e = catchThrowableOfType(ExpositionParseException.class, () ->
                ExpositionParser.of(ExpositionFormat.PROMETHEUS_TEXT).maxLineBytes(100).parse(bytes("b 1\n" + longLine)));
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.reason()).contains("longer than 100 bytes");
    }

    private static void assertRejected(String text, long line, String reason) {
        ExpositionParseException e = catchThrowableOfType(ExpositionParseException.class,
                () -> ExpositionParser.of(ExpositionFormat.PROMETHEUS_TEXT).parse(bytes(text)));
        assertThat(e).as("rejects %s", text).isNotNull();
        assertThat(e.line()).as(text).isEqualTo(line);
        assertThat(e.reason()).as(text).contains(reason);
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Exposition parse(String relative, ExpositionFormat format) throws IOException, ExpositionParseException {
        Path file = SharedFixtures.path("prometheus/prometheus/" + relative);
        try (InputStream in = Files.newInputStream(file)) {
            return ExpositionParser.of(format).parse(in);
        }
    }

    private static Map<String, MetricFamily> families(Exposition e) {
        return e.families().stream().collect(Collectors.toMap(MetricFamily::name, Function.identity()));
    }
}
