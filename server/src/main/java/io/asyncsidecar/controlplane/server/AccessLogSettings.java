package io.asyncsidecar.controlplane.server;

import java.util.List;
import java.util.Locale;

import io.helidon.config.Config;

/**
 * The access log's settings ({@code server.access-log}), read and checked once at start-up.
 *
 * @param enabled      whether requests are logged at all ({@code CP_ACCESS_LOG})
 * @param format       one line of text or one JSON object per request
 * @param excludePaths paths not logged: exact, or a prefix when ending in {@code *} ({@code /health/*})
 * @param queueSize    lines waiting to be written at most; beyond it lines are dropped and counted
 * @param output       where lines go: standard output in batches, or one java.util.logging record each
 */
record AccessLogSettings(boolean enabled, Format format, List<String> excludePaths, int queueSize, Output output) {

    /** Probes and scrapes would flood the log. */
    static final List<String> DEFAULT_EXCLUDES = List.of("/healthz", "/health/*", "/metrics");

    /** How each line is written. */
    enum Format { TEXT, JSON }

    /**
     * Where lines go. {@code STDOUT} writes each batch with one call: a java.util.logging record per line (caller
     * lookup by stack walk, a formatter, a flush each) cost more CPU than the request it logs. {@code LOGGER} is
     * for sites that route the access log through their logging configuration.
     */
    enum Output { STDOUT, LOGGER }

    AccessLogSettings {
        excludePaths = List.copyOf(excludePaths);
    }

    static AccessLogSettings from(Config config) {
        Config node = config.get("server.access-log");
        String enabledRaw = node.get("enabled").asString().orElse("true").strip().toLowerCase(Locale.ROOT);
        boolean enabled = switch (enabledRaw) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw new InvalidConfigurationException("server.access-log.enabled (CP_ACCESS_LOG)",
                    "expected true or false, got '" + enabledRaw + "'");
        };
        String formatRaw = node.get("format").asString().orElse("text").strip().toLowerCase(Locale.ROOT);
        Format format = switch (formatRaw) {
            case "text" -> Format.TEXT;
            case "json" -> Format.JSON;
            default -> throw new InvalidConfigurationException("server.access-log.format",
                    "expected text or json, got '" + formatRaw + "'");
        };
        List<String> excludes = node.get("exclude-paths").asList(String.class).orElse(DEFAULT_EXCLUDES);
        for (String p : excludes) {
            if (!p.startsWith("/") || p.indexOf('*') >= 0 && p.indexOf('*') != p.length() - 1) {
                throw new InvalidConfigurationException("server.access-log.exclude-paths",
                        "'" + p + "' must start with '/' and may end with '*' only");
            }
        }
        int queue = node.get("queue-size").asInt().orElse(8192);
        if (queue < 1) {
            throw new InvalidConfigurationException("server.access-log.queue-size", "must be >= 1, got " + queue);
        }
        String outputRaw = node.get("output").asString().orElse("stdout").strip().toLowerCase(Locale.ROOT);
        Output output = switch (outputRaw) {
            case "stdout" -> Output.STDOUT;
            case "logger" -> Output.LOGGER;
            default -> throw new InvalidConfigurationException("server.access-log.output",
                    "expected stdout or logger, got '" + outputRaw + "'");
        };
        return new AccessLogSettings(enabled, format, excludes, queue, output);
    }

    boolean excluded(String path) {
        for (String p : excludePaths) {
            if (p.endsWith("*") ? path.startsWith(p.substring(0, p.length() - 1)) : path.equals(p)) {
                return true;
            }
        }
        return false;
    }
}
