package io.asyncsidecar.controlplane.plugins.keda;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code plugins.keda.prometheus} and {@code plugins.keda.targets} in the forms a site writes them. */
class DryRunSettingsTest {

    private static DryRunSettings yaml(String text) {
        return yaml(text, "keda");
    }

    private static DryRunSettings yaml(String text, String node) {
        return DryRunSettings.from(Config.just(ConfigSources.create(text, MediaTypes.create("application/x-yaml")))
                .get(node));
    }

    @Test
    void aYamlMapKeyedByServerAddressesWithDotsAndPorts() {
        DryRunSettings s = yaml("""
                keda:
                  prometheus:
                    url: http://127.0.0.1:9090
                    servers:
                      "http://prometheus-operated.monitoring.svc:9090": http://127.0.0.1:19090
                      "https://Thanos.Example.com/": https://127.0.0.1:10902
                  targets:
                    hypergraph-explainer:
                      exposition: metrics/explainer.prom
                    worker:
                      metrics-url: http://127.0.0.1:9100/metrics
                """);
        assertThat(s.prometheusFor("http://prometheus-operated.monitoring.svc:9090/"))
                .contains(URI.create("http://127.0.0.1:19090"));
        assertThat(s.prometheusFor("https://thanos.example.com")).contains(URI.create("https://127.0.0.1:10902"));
        assertThat(s.prometheusFor("http://other.svc:9090")).contains(URI.create("http://127.0.0.1:9090"));
        assertThat(s.targets().get("hypergraph-explainer").exposition()).contains("metrics/explainer.prom");
        assertThat(s.targets().get("worker").metricsUrl()).contains(URI.create("http://127.0.0.1:9100/metrics"));
    }

    @Test
    void theEnvironmentsOneLineForm() {
        DryRunSettings s = DryRunSettings.from(Config.just(ConfigSources.create(Map.of(
                "prometheus.servers", "http://a.svc:9090=http://127.0.0.1:1, http://b.svc:9090=http://127.0.0.1:2"))));
        assertThat(s.prometheusFor("http://b.svc:9090")).contains(URI.create("http://127.0.0.1:2"));
        assertThat(s.prometheusFor("http://c.svc:9090")).isEmpty();
        assertThat(DryRunSettings.from(Config.empty())).isEqualTo(DryRunSettings.NONE);
    }

    @Test
    void theShippedConfigPointsTheExplainerAtItsRecordingAndAsksNoPrometheus() throws Exception {
        Path application = TestConfigs.demoWorkspace().getParent().resolve("application.yaml");
        DryRunSettings s = yaml(Files.readString(application), "plugins.keda");
        assertThat(s.targets().get("hypergraph-explainer").exposition()).contains(KedaDemoDryRunTest.RECORDING);
        assertThat(TestConfigs.demoWorkspace().resolve(KedaDemoDryRunTest.RECORDING)).isRegularFile();
        assertThat(s.prometheusUrl()).isEmpty();
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> yaml("keda: {prometheus: {url: 'localhost:9090'}}"))
                .hasMessage("plugins.keda.prometheus.url must be an http(s) URL with a host, got 'localhost:9090'");
        assertThatThrownBy(() -> yaml("keda: {prometheus: {url: 'http://admin:pw@127.0.0.1:9090'}}"))
                .hasMessageContaining("plugins.keda.prometheus.url must not carry credentials");
        assertThatThrownBy(() -> yaml("keda: {targets: {worker: {metrics-url: 'ftp://x/metrics'}}}"))
                .hasMessageContaining("plugins.keda.targets.worker.metrics-url must be an http(s) URL");
        assertThatThrownBy(() -> yaml("keda: {targets: {worker: {}}}"))
                .hasMessage("plugins.keda.targets.worker needs metrics-url or exposition");
        assertThatThrownBy(() -> DryRunSettings.from(Config.just(ConfigSources.create(Map.of(
                "prometheus.servers", "http://a.svc:9090")))))
                .hasMessageContaining("is not <serverAddress>=<url>");
    }
}
