package io.asyncsidecar.controlplane.plugins.metrics;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.asyncsidecar.controlplane.plugins.metrics.exposition.Exposition;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.ExpositionFormat;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.ExpositionParser;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.MetricFamily;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.MetricType;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The naming lint against the real {@code promtool check metrics} (Debian's {@code prometheus} package) on the
 * same inputs: a live node exporter payload and Prometheus' text samples. Both must report the same findings.
 */
class NamingLintTest {

    @Test
    void rulesOnHandWrittenNames() {
        assertThat(messages("requests", MetricType.COUNTER, true, List.of()))
                .containsExactly("counter metrics should have \"_total\" suffix");
        assertThat(messages("queue_size_total", MetricType.GAUGE, true, List.of()))
                .containsExactly("non-counter metrics should not have \"_total\" suffix");
        assertThat(messages("latency_milliseconds", MetricType.GAUGE, true, List.of()))
                .containsExactly("use base unit \"seconds\" instead of \"milliseconds\"");
        assertThat(messages("requestLatency", MetricType.GAUGE, false, List.of("workerId")))
                .containsExactly("no help text", "metric names should be written in 'snake_case' not 'camelCase'",
                        "label names should be written in 'snake_case' not 'camelCase'");
        assertThat(messages("latency_ms", MetricType.GAUGE, true, List.of()))
                .containsExactly("metric names should not contain abbreviated units");
        assertThat(messages("http_request_duration_seconds", MetricType.HISTOGRAM, true, List.of("le"))).isEmpty();
    }

    @Test
    void sameFindingsAsPromtoolOnANodeExporter() throws Exception {
        Path promtool = promtool();
        byte[] payload;
        try (NodeExporter exporter = NodeExporter.start();
             HttpClient http = HttpClient.newHttpClient()) {
            payload = http.send(HttpRequest.newBuilder(exporter.metricsUrl()).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
        }
        Set<String> ours = ours(payload);
        assertThat(ours).contains("node_memory_MemTotal_bytes metric names should be written in 'snake_case' not 'camelCase'");
        assertThat(ours).isEqualTo(promtool(promtool, payload));
    }

    @Test
    void sameFindingsAsPromtoolOnPrometheusSamples() throws Exception {
        Path promtool = promtool();
        for (String sample : List.of("textparse/promtestdata.txt", "textparse/alltypes.237mfs.nometa.prom.txt",
                "promtool/metrics-test.prom")) {
            byte[] payload = Files.readAllBytes(SharedFixtures.path("prometheus/prometheus/" + sample));
            assertThat(ours(payload)).as(sample).isEqualTo(promtool(promtool, payload));
        }
    }

    private static Set<String> ours(byte[] payload) throws Exception {
        Exposition e = ExpositionParser.of(ExpositionFormat.PROMETHEUS_TEXT).parse(new ByteArrayInputStream(payload));
        Set<String> out = new TreeSet<>();
        for (MetricFamily f : e.families()) {
            for (NamingLint.Finding finding : NamingLint.check(f.canonicalName(e.format()), f.type(), f.help() != null,
                    f.labelNames())) {
                out.add(f.name() + " " + finding.message());
            }
        }
        return out;
    }

    private static Set<String> promtool(Path promtool, byte[] payload) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(payload);
        }
        String out;
        try (InputStream o = p.getInputStream()) {
            out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // exit 0: clean, 3: lint findings; anything else is a failure to read the input
        assertThat(p.exitValue()).as(out).isIn(0, 3);
        return Arrays.stream(out.split("\n")).map(String::strip).filter(l -> !l.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> messages(String name, MetricType type, boolean help, List<String> labels) {
        return NamingLint.check(name, type, help, labels).stream().map(NamingLint.Finding::message).toList();
    }

    private static Path promtool() {
        Path p = Path.of("/usr/bin/promtool");
        String why = "promtool not installed (apt-get install prometheus)";
        if (!Files.isExecutable(p) && SharedFixtures.required()) {
            throw new AssertionError(why);
        }
        Assumptions.assumeTrue(Files.isExecutable(p), why);
        return p;
    }
}
