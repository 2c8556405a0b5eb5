package io.asyncsidecar.controlplane.plugins.metrics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plugin's configuration: defaults, the shipped demo config, and bad values named by key. */
class MetricsSettingsTest {

    @Test
    void demoConfigDocumentsTheDefaultsAndShipsTheProfiles() {
        Path yaml = TestConfigs.demoWorkspace().getParent().resolve("application.yaml");
        Config demo = Config.just(ConfigSources.file(yaml)).get("plugins.metrics");
        MetricsSettings shipped = MetricsSettings.from(demo);
        MetricsSettings defaults = MetricsSettings.from(Config.empty());
        assertThat(shipped.profiles().get("gateway")).containsExactly("http_requests_total",
                "http_request_duration_seconds", "chat_requests_total", "traces_status_get_total",
                "traces_graph_get_total");
        assertThat(shipped.profiles().get("explainer")).containsExactly("explainer_jobs_total",
                "explainer_stage_duration_seconds", "explainer_queue_lag_seconds");
        assertThat(shipped.profiles()).containsKeys("node", "otel");
        // every value the file writes down is the default the code uses
        assertThat(new MetricsSettings(shipped.maxEndpoints(), shipped.maxDetailEndpoints(), shipped.timeout(), shipped.maxTimeout(),
                shipped.connectTimeout(), shipped.maxBytes(), shipped.maxLineBytes(), shipped.maxRedirects(),
                shipped.maxConcurrentScrapes(), shipped.cardinalityWarnSeries(), shipped.cardinalityTop(),
                shipped.allow(), shipped.deny(), Map.of())).isEqualTo(defaults);
        assertThat(defaults.maxEndpoints()).isEqualTo(2000);
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.maxBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(defaults.allow()).containsExactly("127.0.0.0/8", "::1/128", "localhost", "*.svc",
                "*.svc.cluster.local");
    }

    @Test
    void allowListExtendsOrReplacesTheDefaults() {
        MetricsSettings extended = MetricsSettings.from(config("ssrf.allow.0", "10.0.0.0/8"));
        assertThat(extended.allow()).startsWith("127.0.0.0/8").endsWith("10.0.0.0/8");
        MetricsSettings replaced = MetricsSettings.from(config("ssrf.allow-defaults", "false", "ssrf.allow.0", "*.internal"));
        assertThat(replaced.allow()).containsExactly("*.internal");
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> MetricsSettings.from(config("max-endpoints", "0")))
                .hasMessageContaining("plugins.metrics.max-endpoints must be positive, got 0");
        assertThatThrownBy(() -> MetricsSettings.from(config("timeout-ms", "90000")))
                .hasMessageContaining("timeout-ms (90000) exceeds max-timeout-ms (60000)");
        assertThat(MetricsSettings.from(config("profiles.api.0", "a_total", "profiles.api.1", "b")).profiles())
                .isEqualTo(Map.of("api", List.of("a_total", "b")));
    }

    private static Config config(String... keyValues) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return Config.just(ConfigSources.create(m));
    }
}
