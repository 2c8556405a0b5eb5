package io.asyncsidecar.controlplane.plugins.metrics.probe;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;

import io.asyncsidecar.controlplane.plugins.metrics.LoopbackTargets;
import io.asyncsidecar.controlplane.plugins.metrics.scrape.ScrapeClient;
import io.asyncsidecar.controlplane.plugins.metrics.scrape.TargetGuard;
import io.asyncsidecar.controlplane.spi.metrics.ExposedMetrics;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The probe's exposition side against loopback targets: names as a query selects them, the guard, the limits. */
class GuardedMetricsProbeTest {

    private static LoopbackTargets targets;

    @BeforeAll
    static void start() throws Exception {
        targets = LoopbackTargets.start();
    }

    @AfterAll
    static void stop() {
        targets.close();
    }

    /** A probe with the plugin's default guard and a given size limit. */
    static GuardedMetricsProbe probe(long maxBytes) throws Exception {
        ScrapeClient client = new ScrapeClient(TargetGuard.of(TargetGuard.DEFAULT_ALLOWED, List.of(),
                TargetGuard.systemResolver()), Duration.ofSeconds(1), maxBytes, 3, SSLContext.getDefault());
        return new GuardedMetricsProbe(client, Duration.ofSeconds(2), maxBytes, 64 * 1024);
    }

    @Test
    void anOpenMetricsScrapeGivesFamilyAndSampleNames() throws Exception {
        ExposedMetrics m = probe(1 << 20).scrape(targets.url("/om"));
        assertThat(m.error()).isEmpty();
        assertThat(m.source()).isEqualTo(targets.url("/om").toString());
        assertThat(m.names()).contains("http_requests_total", "http_requests_created",
                "http_request_duration_seconds_bucket", "http_request_duration_seconds_count",
                "http_request_duration_seconds_sum", "build_info", "queue_wait_milliseconds");
        // bare family names of a counter and a histogram select no series in Prometheus
        assertThat(m.names()).doesNotContain("http_requests", "http_request_duration_seconds", "http_requests_bucket",
                "queue_wait_milliseconds_total");
    }

    @Test
    void aTextScrapeKeepsTheNamesAsExposed() throws Exception {
        ExposedMetrics m = probe(1 << 20).scrape(targets.url("/text"));
        assertThat(m.ok()).isTrue();
        assertThat(m.names()).containsExactlyInAnyOrder("jobs_processed", "requestLatency", "http_requests_total");
    }

    @Test
    void theMetadataAddressIsRefusedByName() throws Exception {
        ExposedMetrics m = probe(1 << 20).scrape(URI.create("http://169.254.169.254/latest/meta-data/"));
        assertThat(m.ok()).isFalse();
        assertThat(m.error().orElseThrow()).contains("plugins.metrics.ssrf").contains("169.254.0.0/16")
                .contains("link-local");
        assertThat(m.names()).isEmpty();
    }

    @Test
    void aRedirectToTheMetadataAddressIsRefused() throws Exception {
        ExposedMetrics m = probe(1 << 20).scrape(targets.url("/redirect-to-metadata"));
        assertThat(m.error().orElseThrow()).contains("redirect to http://169.254.169.254").contains("link-local");
    }

    @Test
    void failuresNameTheirKind() throws Exception {
        assertThat(probe(64 * 1024).scrape(targets.url("/huge")).error().orElseThrow()).startsWith("too_large: ");
        assertThat(probe(1 << 20).scrape(targets.url("/html")).error().orElseThrow()).startsWith("invalid: ")
                .contains("text/html");
        assertThat(probe(1 << 20).scrape(targets.url("/error")).error().orElseThrow())
                .isEqualTo("down: HTTP status 500");
        assertThat(probe(1 << 20).scrape(URI.create("file:///etc/passwd")).error().orElseThrow())
                .contains("scheme 'file' is not http or https");
    }

    @Test
    void aRecordedExpositionIsParsedInTheFormatItEndsIn() throws Exception {
        GuardedMetricsProbe probe = probe(1 << 20);
        ExposedMetrics om = probe.parse("manifests/om.prom", LoopbackTargets.OPENMETRICS);
        assertThat(om.error()).isEmpty();
        assertThat(om.names()).contains("http_requests_total", "http_request_duration_seconds_bucket", "build_info");
        ExposedMetrics text = probe.parse("manifests/text.prom", LoopbackTargets.TEXT);
        assertThat(text.names()).contains("jobs_processed", "http_requests_total");
        ExposedMetrics histogram = probe.parse("h.prom", """
                # TYPE lag_seconds histogram
                lag_seconds_bucket{le="1"} 1
                lag_seconds_bucket{le="+Inf"} 1
                lag_seconds_sum 0.5
                lag_seconds_count 1
                """);
        assertThat(histogram.names()).containsExactlyInAnyOrder("lag_seconds_bucket", "lag_seconds_count",
                "lag_seconds_sum");
    }

    @Test
    void aBrokenRecordingNamesItsLineAndAnOversizedOneItsLimit() throws Exception {
        ExposedMetrics broken = probe(1 << 20).parse("x.prom", "ok 1\nthis is not { an exposition\n");
        assertThat(broken.ok()).isFalse();
        assertThat(broken.source()).isEqualTo("x.prom");
        assertThat(broken.error().orElseThrow()).startsWith("not a valid prometheus-text-0.0.4 exposition: ")
                .contains("line 2");
        ExposedMetrics big = probe(100).parse("big.prom", "a 1\n".repeat(100));
        assertThat(big.error().orElseThrow()).contains("400 bytes, over the limit of 100 (plugins.metrics.max-bytes)");
    }

    @Test
    void thePrometheusUrlMustBeAPlainBase() throws Exception {
        assertThat(probe(1 << 20).instantQuery(URI.create("http://127.0.0.1:9/?x=1"), "up").error().orElseThrow())
                .contains("without a query or fragment");
        assertThat(PrometheusApiClient.endpoint(URI.create("http://p.svc:9090/prom/"), "/api/v1/query?query=up"))
                .hasToString("http://p.svc:9090/prom/api/v1/query?query=up");
    }
}
