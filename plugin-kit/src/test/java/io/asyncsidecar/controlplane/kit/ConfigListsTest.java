package io.asyncsidecar.controlplane.kit;

import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigNode;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigListsTest {

    private static Config crds(ConfigNode value) {
        return Config.just(ConfigSources.create(ConfigNode.ObjectNode.builder().addNode("crds", value).build()))
                .get("crds");
    }

    private static ConfigNode list(ConfigNode... items) {
        ConfigNode.ListNode.Builder b = ConfigNode.ListNode.builder();
        for (ConfigNode i : items) {
            switch (i) {
                case ConfigNode.ObjectNode o -> b.addObject(o);
                case ConfigNode.ValueNode v -> b.addValue(v);
                default -> throw new IllegalArgumentException(String.valueOf(i));
            }
        }
        return b.build();
    }

    private static ConfigNode value(String v) {
        return ConfigNode.ValueNode.create(v);
    }

    @Test
    void aListACommaSeparatedStringAndIndexedKeysGiveTheSameStrings() {
        assertThat(ConfigLists.strings(crds(list(value("a"), value(" b "), value(""))), "crds"))
                .containsExactly("a", "b");
        assertThat(ConfigLists.strings(crds(value("a, b,,")), "crds")).containsExactly("a", "b");
        // what PLUGINS_X_CRDS_10=c, ..._2=b, ..._0=a give: index order, not text order
        Config indexed = Config.just(ConfigSources.create(Map.of("crds.10", "c", "crds.2", "b", "crds.0", "a")));
        assertThat(ConfigLists.strings(indexed.get("crds"), "crds")).containsExactly("a", "b", "c");
        assertThat(ConfigLists.strings(Config.empty().get("crds"), "crds")).isEmpty();
    }

    @Test
    void anItemThatIsNotAValueIsNamed() {
        ConfigNode map = ConfigNode.ObjectNode.builder().addValue("b", "c").build();
        assertThatThrownBy(() -> ConfigLists.strings(crds(list(value("a"), map)), "plugins.x.crds"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("plugins.x.crds.1 must be a single value, not a list or a map");
    }
}
