package io.asyncsidecar.controlplane.server.testing;

import java.util.HashMap;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * Configs for tests: a map of keys on top of sane test defaults (no plugins directory, data under target/).
 */
public final class TestConfigs {

    private TestConfigs() {
    }

    /**
     * The demo workspace of this repository ({@code config/workspace}), found from the module directory.
     *
     * @return its absolute path
     */
    public static java.nio.file.Path demoWorkspace() {
        for (java.nio.file.Path p = java.nio.file.Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (java.nio.file.Files.isRegularFile(p.resolve("config/application.yaml"))) {
                return p.resolve("config/workspace");
            }
        }
        throw new IllegalStateException("cannot find the repository's config/workspace above " + java.nio.file.Path.of("").toAbsolutePath());
    }

    /**
     * A config from key/value pairs; {@code plugins.dir}, {@code data-dir} and {@code ui-dir} default to
     * folders under {@code target/} so tests never touch the demo install.
     *
     * @param keyValues alternating keys and values
     * @return the config
     */
    public static Config of(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        Map<String, String> m = new HashMap<>();
        m.put("plugins.dir", "target/no-plugins-dir");
        m.put("data-dir", "target/test-data");
        m.put("ui-dir", "target/no-ui-dir");
        m.put("workspace", demoWorkspace().toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return Config.just(ConfigSources.create(m));
    }
}
