package io.asyncsidecar.controlplane.plugins.audit;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.helidon.config.Config;

/**
 * The plugin's settings ({@code plugins.audit}), with the defaults documented in {@code application.yaml}.
 *
 * @param logs                  the configured logs: {@code path} first (the default of a search), then
 *                              {@code extra-paths}; only these may be named by a request's {@code path}
 * @param fields                which entry fields carry the tenant, time, subject, action and resource
 * @param maxLineBytes          longest line read; longer ones are skipped (counted as malformed) without buffering
 * @param maxPageBytes          raw bytes of the entries one page may hold; a page stops early beyond it
 * @param scanThreads           threads that scan a log at once for one search
 * @param maxConcurrentSearches searches running at once; more are refused with 429
 * @param tailPollInterval      how often a tailed log is checked for new lines and rotation
 * @param tailMaxLag            entries a tail subscriber may still be behind a second later before it is dropped
 * @param tailBufferBytes       raw bytes of recent entries a tailed log keeps for its subscribers
 * @param tailCloseTimeout      time a dropped subscriber gets to take its close frame before its connection is cut
 */
record AuditSettings(List<LogRef> logs,
                     EntryFields fields,
                     int maxLineBytes,
                     int maxPageBytes,
                     int scanThreads,
                     int maxConcurrentSearches,
                     Duration tailPollInterval,
                     int tailMaxLag,
                     int tailBufferBytes,
                     Duration tailCloseTimeout) {

    /** Where the hypergraph services write their audit log unless told otherwise. */
    static final String DEFAULT_PATH = "/var/log/hypergraph/audit.log";

    /**
     * A configured log.
     *
     * @param configured the value as configured (shown in messages, accepted as a request's {@code path})
     * @param path       the absolute, normalised path (relative values resolve against the workspace)
     */
    record LogRef(String configured, Path path) {
    }

    /** Copies the list. */
    AuditSettings {
        logs = List.copyOf(logs);
    }

    /**
     * Reads {@code plugins.audit}.
     *
     * @param config    the plugin's config subtree (may be missing)
     * @param workspace the workspace, against which relative paths resolve
     * @return the settings
     * @throws IllegalStateException naming the key of an invalid value
     */
    static AuditSettings create(Config config, Path workspace) {
        List<LogRef> logs = new ArrayList<>();
        logs.add(log(workspace, "plugins.audit.path", config.get("path").asString().orElse(DEFAULT_PATH)));
        for (String extra : strings(config.get("extra-paths"), List.of())) {
            logs.add(log(workspace, "plugins.audit.extra-paths", extra));
        }
        Config f = config.get("fields");
        EntryFields fields = new EntryFields(
                names(f, "tenant", List.of("tenant_id", "tenant")),
                names(f, "time", List.of("ts", "timestamp", "time")),
                names(f, "subject", List.of("subject", "actor", "user")),
                names(f, "action", List.of("action", "event")),
                names(f, "resource", List.of("resource", "target")));
        int maxLine = positive(config, "max-line-bytes", 256 * 1024);
        if (maxLine < 256 || maxLine > 64 * 1024 * 1024) {
            throw new IllegalStateException("plugins.audit.max-line-bytes: expected 256 to 67108864, got " + maxLine);
        }
        Config tail = config.get("tail");
        return new AuditSettings(logs, fields, maxLine,
                positive(config, "max-page-bytes", 8 * 1024 * 1024),
                Math.min(64, positive(config, "scan-threads", Runtime.getRuntime().availableProcessors())),
                positive(config, "max-concurrent-searches", 4),
                Duration.ofMillis(positive(tail, "poll-millis", 250)),
                positive(tail, "max-lag", 4096),
                positive(tail, "buffer-bytes", 16 * 1024 * 1024),
                Duration.ofMillis(positive(tail, "close-timeout-millis", 1000)));
    }

    private static LogRef log(Path workspace, String key, String value) {
        if (value.isBlank()) {
            throw new IllegalStateException(key + ": must name a file, got an empty value");
        }
        try {
            return new LogRef(value, workspace.resolve(value).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            throw new IllegalStateException(key + ": not a valid path: '" + value + "' (" + e.getReason() + ")");
        }
    }

    private static List<String> names(Config fields, String key, List<String> defaults) {
        List<String> names = strings(fields.get(key), defaults);
        if (names.isEmpty()) {
            throw new IllegalStateException("plugins.audit.fields." + key + ": must name at least one field");
        }
        return names;
    }

    /** A YAML list, or a comma-separated string (as environment variables give it). */
    private static List<String> strings(Config node, List<String> defaults) {
        if (!node.exists()) {
            return defaults;
        }
        List<String> out = new ArrayList<>();
        List<String> raw = node.isLeaf() ? List.of(node.asString().orElse("").split(","))
                : node.asList(String.class).orElse(List.of());
        for (String s : raw) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    private static int positive(Config config, String key, int defaultValue) {
        Config node = config.get(key);
        if (!node.exists()) {
            return defaultValue;
        }
        String raw = node.asString().orElse("");
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("plugins.audit." + node.key().toString().replaceFirst("^plugins\\.audit\\.", "")
                + ": expected a positive integer, got '" + raw + "'");
    }
}
