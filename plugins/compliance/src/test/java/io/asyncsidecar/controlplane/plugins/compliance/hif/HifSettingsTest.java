package io.asyncsidecar.controlplane.plugins.compliance.hif;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.spi.ProblemException;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code plugins.compliance.hif}: defaults, paths, bad values named, a missing schema folder. */
class HifSettingsTest {

    @Test
    void defaultsAndTheSchemaFolderRelativeToTheWorkspace() {
        HifSettings defaults = HifSettings.from(Config.empty(), Path.of("/ws"));
        assertThat(defaults).isEqualTo(HifSettings.defaults());
        assertThat(defaults.maxBytes()).isEqualTo(16L * 1024 * 1024);
        HifSettings relative = HifSettings.from(config(Map.of("hif.schema-dir", "api/schemas")), Path.of("/ws"));
        assertThat(relative.schemaDir()).contains(Path.of("/ws/api/schemas"));
        assertThat(HifSettings.from(config(Map.of("hif.schema-dir", " ")), Path.of("/ws")).schemaDir()).isEmpty();
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> HifSettings.from(config(Map.of("hif.max-bytes", "0")), Path.of("/")))
                .hasMessage("plugins.compliance.hif.max-bytes must be positive, got 0");
        assertThatThrownBy(() -> HifSettings.from(config(Map.of("hif.max-depth", "2")), Path.of("/")))
                .hasMessage("plugins.compliance.hif.max-depth must be between 4 and 1000, got 2");
        assertThatThrownBy(() -> HifSettings.from(config(Map.of("hif.max-concurrent", "-1")), Path.of("/")))
                .hasMessageContaining("plugins.compliance.hif.max-concurrent");
    }

    @Test
    void aMissingSchemaFolderLeavesTheShippedSchema() {
        HifSchemas schemas = HifSchemas.load(Optional.of(Path.of("/nonexistent/hif-schemas")), System.getLogger("test"));
        assertThat(schemas.all()).containsOnlyKeys(HifSchemas.BUILT_IN);
        assertThatThrownBy(() -> schemas.get("hif_schema")).isInstanceOf(ProblemException.class)
                .hasMessage("unknown schema 'hif_schema': known schemas are hif (plugins.compliance.hif.schema-dir"
                        + " /nonexistent/hif-schemas is not a folder)");
    }

    private static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }
}
