package io.asyncsidecar.controlplane.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * Builds the server's config: the documented environment variables, then Java system properties, then the YAML
 * file ({@code CP_CONFIG}, default {@code config/application.yaml} under the install directory).
 *
 * <p>Only the documented variables are read from the environment: Helidon's generic mapping of every variable
 * ({@code APP_X_Y} to {@code app.x.y}) would let unrelated variables of the host change the server.
 */
public final class ConfigLoader {

    /** Environment variable to config key, as documented in config/application.yaml and the README. */
    static final Map<String, String> ENVIRONMENT_KEYS = Map.of(
            "CP_HOST", "server.host",
            "CP_PORT", "server.port",
            "CP_WORKSPACE", "workspace",
            "CP_DATA_DIR", "data-dir",
            "CP_PLUGINS_DIR", "plugins.dir",
            "CP_UI_DIR", "ui-dir",
            "AUTH_MODE", "auth.mode",
            "AUTH_TOKENS_JSON", "auth.tokens-json",
            "AUTH_TOKENS_FILE", "auth.tokens-file");

    private ConfigLoader() {
    }

    /**
     * Loads the config for a server started from the command line.
     *
     * @param home        the install directory, against which relative paths resolve
     * @param environment the process environment
     * @return the config; its {@code home} key holds the install directory
     * @throws InvalidConfigurationException when CP_CONFIG names a missing file
     */
    public static Config load(Path home, Map<String, String> environment) {
        String configured = environment.get("CP_CONFIG");
        Path file = configured == null || configured.isBlank()
                ? home.resolve("config/application.yaml")
                : home.resolve(configured);
        if (configured != null && !configured.isBlank() && !Files.isRegularFile(file)) {
            throw new InvalidConfigurationException("CP_CONFIG", "file not found: " + file);
        }
        Map<String, String> fromEnv = new LinkedHashMap<>();
        ENVIRONMENT_KEYS.forEach((env, key) -> {
            String v = environment.get(env);
            if (v != null) {
                fromEnv.put(key, v);
            }
        });
        fromEnv.put("home", home.toString());
        var builder = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(fromEnv))
                .addSource(ConfigSources.systemProperties());
        if (Files.isRegularFile(file)) {
            builder.addSource(ConfigSources.file(file).mediaType(MediaTypes.APPLICATION_X_YAML));
        }
        return builder.build();
    }
}
