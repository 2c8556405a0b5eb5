package io.asyncsidecar.controlplane.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.helidon.config.Config;

/**
 * The server's own settings, read and checked once at start-up. Every problem names its key.
 *
 * @param home                the install directory (relative paths resolve against it)
 * @param host                listen address
 * @param port                listen port, 0..65535
 * @param maxPayloadSize      largest request body in bytes
 * @param shutdownGrace       how long shutdown waits for in-flight requests
 * @param workspace           the workspace root
 * @param dataDir             the data directory
 * @param uiDir               the GUI folder
 * @param pluginsDir          the plugins folder (the distribution's own)
 * @param extraPluginsDir     a second plugins folder for plugins a site adds, loaded after {@code pluginsDir}; or null
 * @param disabledPlugins     plugin ids not to load
 * @param corsAllowedOrigins  origins allowed by CORS; empty: no CORS
 * @param accessLog           the access log's settings
 * @param connection          connection time limits
 */
public record ServerSettings(Path home, String host, int port, long maxPayloadSize, Duration shutdownGrace,
                             Path workspace, Path dataDir, Path uiDir, Path pluginsDir, Path extraPluginsDir,
                             List<String> disabledPlugins, List<String> corsAllowedOrigins,
                             AccessLogSettings accessLog, ConnectionSettings connection) {

    private static final System.Logger LOG = System.getLogger(ServerSettings.class.getName());

    /**
     * Reads and checks the settings.
     *
     * @param config the root config
     * @return the settings
     * @throws InvalidConfigurationException naming the key of a bad value
     */
    public static ServerSettings from(Config config) {
        Path home = Path.of(config.get("home").asString().orElse("")).toAbsolutePath().normalize();
        String host = config.get("server.host").asString().orElse("127.0.0.1");
        if (host.isBlank()) {
            throw new InvalidConfigurationException("server.host (CP_HOST)", "must not be empty");
        }
        int port = intValue(config, "server.port", "CP_PORT", 8088);
        if (port < 0 || port > 65535) {
            throw new InvalidConfigurationException("server.port (CP_PORT)",
                    "must be between 0 and 65535, got " + port);
        }
        long maxPayload = longValue(config, "server.max-payload-size", null, 1024 * 1024);
        if (maxPayload <= 0) {
            throw new InvalidConfigurationException("server.max-payload-size", "must be positive, got " + maxPayload);
        }
        long grace = longValue(config, "server.shutdown-grace-seconds", null, 10);
        if (grace < 0) {
            throw new InvalidConfigurationException("server.shutdown-grace-seconds", "must be >= 0, got " + grace);
        }
        return new ServerSettings(home, host, port, maxPayload, Duration.ofSeconds(grace),
                path(config, home, "workspace", "config/workspace"),
                path(config, home, "data-dir", "data"),
                path(config, home, "ui-dir", "ui"),
                path(config, home, "plugins.dir", "plugins"),
                optionalPath(config, home, "plugins.extra-dir"),
                config.get("plugins.disabled").asList(String.class).orElse(List.of()),
                config.get("cors.allowed-origins").asList(String.class).orElse(List.of()),
                AccessLogSettings.from(config),
                ConnectionSettings.from(config));
    }

    /** Logs where data goes and warns about folders that do not exist, which otherwise fail every check later. */
    void logAndWarn() {
        LOG.log(System.Logger.Level.INFO, "data directory " + dataDir + " (CP_DATA_DIR); workspace " + workspace
                + " (CP_WORKSPACE)");
        if (!java.nio.file.Files.isDirectory(workspace)) {
            LOG.log(System.Logger.Level.WARNING, "workspace " + workspace + " does not exist: every check will report"
                    + " its files missing. Set CP_WORKSPACE to a checkout of the service's repository.");
        }
        if (extraPluginsDir != null && !java.nio.file.Files.isDirectory(extraPluginsDir)) {
            LOG.log(System.Logger.Level.WARNING, "plugins.extra-dir (CP_EXTRA_PLUGINS_DIR) " + extraPluginsDir
                    + " does not exist; no extra plugins load");
        }
    }

    private static Path optionalPath(Config config, Path home, String key) {
        String v = config.get(key).asString().orElse("");
        return v.isBlank() ? null : home.resolve(v).toAbsolutePath().normalize();
    }

    private static Path path(Config config, Path home, String key, String defaultValue) {
        String v = config.get(key).asString().orElse(defaultValue);
        return home.resolve(v.isBlank() ? defaultValue : v).toAbsolutePath().normalize();
    }

    private static int intValue(Config config, String key, String env, int defaultValue) {
        long v = longValue(config, key, env, defaultValue);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new InvalidConfigurationException(name(key, env), "out of range: " + v);
        }
        return (int) v;
    }

    private static long longValue(Config config, String key, String env, long defaultValue) {
        var node = config.get(key);
        if (!node.exists()) {
            return defaultValue;
        }
        String raw = node.asString().orElse("").trim();
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(name(key, env), "not an integer: '" + raw + "'");
        }
    }

    private static String name(String key, String env) {
        return env == null ? key : key + " (" + env + ")";
    }
}
