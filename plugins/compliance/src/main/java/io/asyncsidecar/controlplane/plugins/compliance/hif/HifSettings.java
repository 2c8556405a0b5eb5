package io.asyncsidecar.controlplane.plugins.compliance.hif;

import java.nio.file.Path;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * HIF validation's configuration ({@code plugins.compliance.hif}), every key with its default.
 *
 * <p>The whole document is held as a tree while the schema is applied, so {@code max-bytes} bounds the heap one
 * validation needs (about {@link #HEAP_PER_BYTE} times the document; {@code mode=minimal} streams and
 * needs none) and {@code max-concurrent} bounds how many
 * run at once. The server's {@code server.max-payload-size} (1 MiB by default) is checked first: to validate
 * larger documents raise both.
 *
 * @param schemaDir         folder of extra schemas ({@code schema-dir}, none), selectable by {@code ?schema=<file
 *                          name without .json>}; relative to the workspace
 * @param maxBytes          largest document in bytes ({@code max-bytes}, 16 MiB); beyond: 413
 * @param maxDepth          deepest nesting of objects and arrays ({@code max-depth}, 64); beyond: 400
 * @param maxNumberLength   longest number literal in characters ({@code max-number-length}, 100); beyond: 400
 * @param maxErrors         schema errors listed per answer ({@code max-errors}, 100); all are counted
 * @param maxWarnings       warnings listed per answer ({@code max-warnings}, 100); all are counted
 * @param maxConcurrent     validations running at once ({@code max-concurrent}, 2); more wait
 * @param queueTimeoutMillis how long a validation waits for its turn ({@code queue-timeout-ms}, 30000); then 503
 */
public record HifSettings(Optional<Path> schemaDir, long maxBytes, int maxDepth, int maxNumberLength, int maxErrors,
                          int maxWarnings, int maxConcurrent, long queueTimeoutMillis) {

    /**
     * Heap one full validation needs per byte of document: the tree, the validator's bookkeeping and the id sets
     * of the reference checks. Measured through the server on generated HIF documents: 16 MiB validates under
     * {@code -Xmx128m} and runs out under {@code -Xmx112m} ({@code HifHeapBoundTest} runs it under 160m).
     */
    public static final int HEAP_PER_BYTE = 7;

    /**
     * Checks the values.
     *
     * @param schemaDir          see above
     * @param maxBytes           see above
     * @param maxDepth           see above
     * @param maxNumberLength    see above
     * @param maxErrors          see above
     * @param maxWarnings        see above
     * @param maxConcurrent      see above
     * @param queueTimeoutMillis see above
     * @throws IllegalArgumentException naming the bad key
     */
    public HifSettings {
        positive("max-bytes", maxBytes);
        if (maxDepth < 4 || maxDepth > 1000) {
            throw new IllegalArgumentException("plugins.compliance.hif.max-depth must be between 4 and 1000, got "
                    + maxDepth);
        }
        if (maxNumberLength < 16 || maxNumberLength > 1000) {
            throw new IllegalArgumentException("plugins.compliance.hif.max-number-length must be between 16 and 1000,"
                    + " got " + maxNumberLength);
        }
        positive("max-errors", maxErrors);
        positive("max-warnings", maxWarnings);
        positive("max-concurrent", maxConcurrent);
        if (queueTimeoutMillis < 0) {
            throw new IllegalArgumentException("plugins.compliance.hif.queue-timeout-ms must not be negative, got "
                    + queueTimeoutMillis);
        }
    }

    /**
     * Reads {@code hif} below the plugin's config; a missing node gives the defaults.
     *
     * @param pluginConfig the plugin's config subtree ({@code plugins.compliance})
     * @param workspace    the workspace, against which a relative {@code schema-dir} resolves
     * @return the settings
     * @throws IllegalArgumentException naming the bad key
     */
    public static HifSettings from(Config pluginConfig, Path workspace) {
        Config c = pluginConfig.get("hif");
        Optional<Path> dir = c.get("schema-dir").asString().map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> workspace.resolve(s).toAbsolutePath().normalize());
        return new HifSettings(dir,
                c.get("max-bytes").asLong().orElse(16L * 1024 * 1024),
                c.get("max-depth").asInt().orElse(64),
                c.get("max-number-length").asInt().orElse(100),
                c.get("max-errors").asInt().orElse(100),
                c.get("max-warnings").asInt().orElse(100),
                c.get("max-concurrent").asInt().orElse(2),
                c.get("queue-timeout-ms").asLong().orElse(30_000L));
    }

    /** @return the defaults, without extra schemas */
    public static HifSettings defaults() {
        return new HifSettings(Optional.empty(), 16L * 1024 * 1024, 64, 100, 100, 100, 2, 30_000L);
    }

    private static void positive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("plugins.compliance.hif." + key + " must be positive, got " + value);
        }
    }
}
