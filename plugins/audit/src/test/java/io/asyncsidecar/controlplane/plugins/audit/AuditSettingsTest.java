package io.asyncsidecar.controlplane.plugins.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

/**
 * {@code plugins.audit}: defaults, relative paths, lists given as strings, and invalid values named.
 */
class AuditSettingsTest {

    private static final Path WORKSPACE = Path.of("/work/space");

    private static AuditSettings of(Map<String, String> m) {
        return AuditSettings.create(Config.just(ConfigSources.create(m)).get("plugins.audit"), WORKSPACE);
    }

    @Test
    void defaults() {
        AuditSettings s = of(Map.of());
        assertThat(s.logs()).hasSize(1);
        assertThat(s.logs().getFirst().path()).isEqualTo(Path.of("/var/log/hypergraph/audit.log"));
        assertThat(s.fields().tenant()).containsExactly("tenant_id", "tenant");
        assertThat(s.fields().time()).containsExactly("ts", "timestamp", "time");
        assertThat(s.maxLineBytes()).isEqualTo(256 * 1024);
        assertThat(s.scanThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(s.tailMaxLag()).isEqualTo(4096);
    }

    @Test
    void relativePathsResolveAgainstTheWorkspaceAndListsMayBeStrings() {
        AuditSettings s = of(Map.of("plugins.audit.path", "audit/audit.log",
                "plugins.audit.extra-paths", "/var/log/a.log, b/b.log",
                "plugins.audit.fields.tenant", "org, tenant_id"));
        assertThat(s.logs()).extracting(AuditSettings.LogRef::path).containsExactly(
                Path.of("/work/space/audit/audit.log"), Path.of("/var/log/a.log"), Path.of("/work/space/b/b.log"));
        assertThat(s.logs().getFirst().configured()).isEqualTo("audit/audit.log");
        assertThat(s.fields().tenant()).containsExactly("org", "tenant_id");
    }

    @Test
    void invalidValuesNameTheKey() {
        assertThatThrownBy(() -> of(Map.of("plugins.audit.max-line-bytes", "lots")))
                .hasMessageContaining("plugins.audit.max-line-bytes").hasMessageContaining("'lots'");
        assertThatThrownBy(() -> of(Map.of("plugins.audit.max-line-bytes", "100")))
                .hasMessageContaining("plugins.audit.max-line-bytes: expected 256 to 67108864, got 100");
        assertThatThrownBy(() -> of(Map.of("plugins.audit.tail.max-lag", "0")))
                .hasMessageContaining("plugins.audit.tail.max-lag");
        assertThatThrownBy(() -> of(Map.of("plugins.audit.path", " ")))
                .hasMessageContaining("plugins.audit.path");
        assertThatThrownBy(() -> of(Map.of("plugins.audit.fields.time", ",")))
                .hasMessageContaining("plugins.audit.fields.time");
    }
}
