package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.Map;

import io.asyncsidecar.controlplane.spi.checks.Severity;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenApiSettingsTest {

    @Test
    void defaultsWhenTheSubtreeIsMissing() {
        OpenApiSettings s = OpenApiSettings.from(config(Map.of()));
        assertThat(s.path()).isEqualTo("api/openapi/hypergraph-api.yaml");
        assertThat(s.prefix()).isEqualTo("/v1");
        assertThat(s.enabled(OpenApiRule.OPERATION_ID)).isTrue();
        assertThat(s.limits()).isEqualTo(OpenApiLimits.defaults());
    }

    @Test
    void rulesTakeSpectralsVocabulary() {
        OpenApiSettings s = OpenApiSettings.from(config(Map.of("rules.operation-id", "off",
                "rules.operation-tags", "warn", "rules.path-prefix", "info", "limits.max-files", "7")));
        assertThat(s.enabled(OpenApiRule.OPERATION_ID)).isFalse();
        assertThat(s.severity(OpenApiRule.OPERATION_TAGS, Severity.INFO)).isEqualTo(Severity.WARNING);
        assertThat(s.severity(OpenApiRule.PATH_PREFIX, Severity.ERROR)).isEqualTo(Severity.INFO);
        assertThat(s.severity(OpenApiRule.REF, Severity.WARNING)).isEqualTo(Severity.WARNING);
        assertThat(s.limits().maxFiles()).isEqualTo(7);
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> OpenApiSettings.from(config(Map.of("rules.operation-id", "loud"))))
                .hasMessageContaining("plugins.compliance.openapi.rules.operation-id must be off, on, error,"
                        + " warning or info, got 'loud'");
        assertThatThrownBy(() -> OpenApiSettings.from(config(Map.of("prefix", "v1"))))
                .hasMessageContaining("plugins.compliance.openapi.prefix must start with '/', got 'v1'");
        assertThatThrownBy(() -> OpenApiSettings.from(config(Map.of("limits.max-depth", "0"))))
                .hasMessageContaining("plugins.compliance.openapi.limits.max-depth must be positive, got 0");
        assertThatThrownBy(() -> OpenApiSettings.from(config(Map.of("limits.time-limit-ms", "soon"))))
                .hasMessageContaining("time-limit-ms must be a whole number, got 'soon'");
    }

    @Test
    void prefixesAreNormalised() {
        assertThat(OpenApiSettings.normalizePrefix("/v1/")).isEqualTo("/v1");
        assertThat(OpenApiSettings.normalizePrefix("/")).isEqualTo("/");
        assertThatThrownBy(() -> OpenApiSettings.normalizePrefix("/v1?x")).hasMessageContaining("'/v1?x'");
        assertThat(OpenApiPathPrefix.under("/v10/pets", "/v1")).isFalse();
        assertThat(OpenApiPathPrefix.under("/v1", "/v1")).isTrue();
        assertThat(OpenApiPathPrefix.join("", "pets")).isEqualTo("/pets");
    }

    private static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }
}
