package io.asyncsidecar.controlplane.plugins.testruns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestRunsSettingsTest {

    @Test
    void theDemoConfigurationReadsAndItsScenarioExists() {
        Path yaml = TestConfigs.demoWorkspace().getParent().resolve("application.yaml");
        Config root = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.file(yaml).mediaType(MediaTypes.APPLICATION_X_YAML)).build();
        TestRunsSettings c = TestRunsSettings.create(root.get("plugins.testruns"));
        assertThat(c.defaultOrchestrator()).isEqualTo("builtin");
        assertThat(Files.isRegularFile(TestConfigs.demoWorkspace().resolve(c.scenario()))).isTrue();
        assertThat(c.maxConcurrency()).isEqualTo(2000);
        assertThat(c.maxLoadDuration()).isEqualTo(3600);
        assertThat(c.flushInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.externals()).containsOnlyKeys("hypergraph");
        assertThat(c.externals().get("hypergraph").argv()).containsExactly("python3", "tests/e2e/runner.py",
                "--base-url", "{base_url}", "--load-duration", "{load_duration}", "--concurrency", "{concurrency}",
                "--output", "{run_dir}/report.json");
    }

    @Test
    void defaultsWithoutAnyConfig() {
        TestRunsSettings c = TestRunsSettings.create(Config.empty());
        assertThat(c.maxConcurrentRuns()).isEqualTo(2);
        assertThat(c.retentionPerTenant()).isEqualTo(50);
        assertThat(c.externals()).isEmpty();
    }

    @Test
    void invalidValuesNameTheKey() {
        assertThatThrownBy(() -> TestRunsSettings.create(config(Map.of("max-concurrent-runs", "0"))))
                .hasMessage("plugins.testruns.max-concurrent-runs: expected a positive integer, got '0'");
        assertThatThrownBy(() -> TestRunsSettings.create(config(Map.of("default-orchestrator", "k6"))))
                .hasMessageStartingWith("plugins.testruns.default-orchestrator: 'k6' is neither builtin");
        assertThatThrownBy(() -> TestRunsSettings.create(config(Map.of("min-load-duration", "10",
                "max-load-duration", "5")))).hasMessageContaining("exceeds max-load-duration");
        assertThatThrownBy(() -> TestRunsSettings.create(config(Map.of("orchestrators.x.timeout-grace-seconds", "5"))))
                .hasMessage("plugins.testruns.orchestrators.x.command: must be a non-empty list (argv, no shell)");
    }

    private static Config config(Map<String, String> m) {
        return Config.just(ConfigSources.create(m));
    }
}
