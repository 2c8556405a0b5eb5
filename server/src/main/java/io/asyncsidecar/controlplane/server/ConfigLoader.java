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

    private static final String TOKENS_JSON_ENV = "AUTH_TOKENS_JSON";
    private static final String TOKENS_FILE_ENV = "AUTH_TOKENS_FILE";
    private static final String TOKENS_JSON_KEY = "auth.tokens-json";
    private static final String TOKENS_FILE_KEY = "auth.tokens-file";

    /** Environment variable to config key, as documented in config/application.yaml and the README. */
    static final Map<String, String> ENVIRONMENT_KEYS = Map.ofEntries(
            Map.entry("CP_HOST", "server.host"),
            Map.entry("CP_PORT", "server.port"),
            Map.entry("CP_ACCESS_LOG", "server.access-log.enabled"),
            Map.entry("CP_WORKSPACE", "workspace"),
            Map.entry("CP_DATA_DIR", "data-dir"),
            Map.entry("CP_PLUGINS_DIR", "plugins.dir"),
            Map.entry("CP_EXTRA_PLUGINS_DIR", "plugins.extra-dir"),
            Map.entry("CP_UI_DIR", "ui-dir"),
            Map.entry("SERVER_CONNECTION_IDLE_TIMEOUT_SECONDS", "server.connection.idle-timeout-seconds"),
            Map.entry("SERVER_CONNECTION_HEAD_TIMEOUT_SECONDS", "server.connection.head-timeout-seconds"),
            Map.entry("SERVER_CONNECTION_BODY_TIMEOUT_SECONDS", "server.connection.body-timeout-seconds"),
            Map.entry("SERVER_CONNECTION_MAX_CONCURRENT_REQUESTS", "server.connection.max-concurrent-requests"),
            Map.entry("AUTH_MODE", "auth.mode"),
            Map.entry(TOKENS_JSON_ENV, TOKENS_JSON_KEY),
            Map.entry(TOKENS_FILE_ENV, TOKENS_FILE_KEY));

    /**
     * Variables named {@code PLUGINS_<ID>_<KEY>} set plugin keys: lower-cased, {@code __} becomes {@code -} and
     * {@code _} becomes {@code .}, so {@code PLUGINS_HELM_CHART} sets {@code plugins.helm.chart} and
     * {@code PLUGINS_HELM_KUBE__VERSION} sets {@code plugins.helm.kube-version}.
     */
    static final String PLUGIN_PREFIX = "PLUGINS_";

    /** Where the token map was taken from, for the start-up log; set by {@link #load}. */
    static final String TOKENS_SOURCE_KEY = "auth.tokens-source";

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
        environment.forEach((env, v) -> {
            if (env.startsWith(PLUGIN_PREFIX) && env.length() > PLUGIN_PREFIX.length()) {
                fromEnv.put(pluginKey(env), v);
            }
        });
        ENVIRONMENT_KEYS.forEach((env, key) -> {
            String v = environment.get(env);
            if (v != null) {
                fromEnv.put(key, v);
            }
        });
        fromEnv.putAll(tokenSource(environment, file));
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

    static String pluginKey(String env) {
        return "plugins." + env.substring(PLUGIN_PREFIX.length()).toLowerCase(java.util.Locale.ROOT)
                .replace("__", "-").replace('_', '.');
    }

    /**
     * A token map named explicitly (environment or system property) wins over the config file's default, so the
     * demo tokens in application.yaml never shadow {@code AUTH_TOKENS_FILE}; two explicit sources are ambiguous.
     */
    private static Map<String, String> tokenSource(Map<String, String> environment, Path file) {
        Map<String, String> explicit = new LinkedHashMap<>();
        addIfSet(explicit, "environment variable " + TOKENS_JSON_ENV, TOKENS_JSON_KEY, environment.get(TOKENS_JSON_ENV));
        addIfSet(explicit, "environment variable " + TOKENS_FILE_ENV, TOKENS_FILE_KEY, environment.get(TOKENS_FILE_ENV));
        addIfSet(explicit, "system property " + TOKENS_JSON_KEY, TOKENS_JSON_KEY, System.getProperty(TOKENS_JSON_KEY));
        addIfSet(explicit, "system property " + TOKENS_FILE_KEY, TOKENS_FILE_KEY, System.getProperty(TOKENS_FILE_KEY));
        if (explicit.size() > 1) {
            throw new InvalidConfigurationException(String.join(" and ", explicit.keySet()),
                    "two token sources are set at once; set only one");
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        if (explicit.isEmpty()) {
            overrides.put(TOKENS_SOURCE_KEY, "the config file " + file);
            return overrides;
        }
        var only = explicit.entrySet().iterator().next();
        overrides.put(TOKENS_SOURCE_KEY, only.getKey());
        // The other key's value in the file (the demo tokens) must not apply.
        overrides.put(only.getValue().equals(TOKENS_JSON_KEY) ? TOKENS_FILE_KEY : TOKENS_JSON_KEY, "");
        return overrides;
    }

    private static void addIfSet(Map<String, String> explicit, String source, String key, String value) {
        if (value != null && !value.isBlank()) {
            explicit.put(source, key);
        }
    }
}
