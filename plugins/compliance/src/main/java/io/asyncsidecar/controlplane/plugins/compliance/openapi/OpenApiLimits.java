package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * What one OpenAPI check may cost ({@code plugins.compliance.openapi.limits}), so that a hostile spec (deep nesting,
 * YAML alias bombs, long {@code $ref} chains, catastrophic regular expressions in schemas) is refused or cut short
 * instead of holding a thread or the heap. A request body is also bounded by {@code server.max-payload-size}.
 *
 * @param maxFileBytes largest file read from the workspace, the spec or a file it references
 *                     (default {@value #DEFAULT_MAX_FILE_BYTES})
 * @param maxFiles     most files one spec may pull in through {@code $ref}s (default {@value #DEFAULT_MAX_FILES})
 * @param maxDepth     deepest nesting of objects and arrays (default {@value #DEFAULT_MAX_DEPTH})
 * @param maxNodes     most values in one file once YAML aliases are expanded (default {@value #DEFAULT_MAX_NODES})
 * @param maxAliases   most YAML aliases to collections in one file (default {@value #DEFAULT_MAX_ALIASES})
 * @param maxRefHops   longest chain of {@code $ref}s to {@code $ref}s (default {@value #DEFAULT_MAX_REF_HOPS})
 * @param maxFindings  most findings listed; the rest are counted in one {@code openapi.limit} finding
 *                     (default {@value #DEFAULT_MAX_FINDINGS})
 * @param maxExamples  most examples and defaults validated against their schemas (default
 *                     {@value #DEFAULT_MAX_EXAMPLES})
 * @param timeLimit    how long one check may run before it stops with what it found (default 10 s)
 */
public record OpenApiLimits(int maxFileBytes, int maxFiles, int maxDepth, int maxNodes, int maxAliases,
                            int maxRefHops, int maxFindings, int maxExamples, Duration timeLimit) {

    static final int DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
    static final int DEFAULT_MAX_FILES = 100;
    static final int DEFAULT_MAX_DEPTH = 128;
    static final int DEFAULT_MAX_NODES = 2_000_000;
    static final int DEFAULT_MAX_ALIASES = 100;
    static final int DEFAULT_MAX_REF_HOPS = 32;
    static final int DEFAULT_MAX_FINDINGS = 20_000;
    static final int DEFAULT_MAX_EXAMPLES = 20_000;
    static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(10);

    /**
     * Checks that every limit is positive.
     *
     * @param maxFileBytes largest file
     * @param maxFiles     most files
     * @param maxDepth     deepest nesting
     * @param maxNodes     most values
     * @param maxAliases   most aliases (0 forbids aliases to collections)
     * @param maxRefHops   longest $ref chain
     * @param maxFindings  most findings
     * @param maxExamples  most examples
     * @param timeLimit    time limit
     */
    public OpenApiLimits {
        positive("max-file-size", maxFileBytes);
        positive("max-files", maxFiles);
        positive("max-depth", maxDepth);
        positive("max-nodes", maxNodes);
        if (maxAliases < 0) {
            throw new IllegalArgumentException("plugins.compliance.openapi.limits.max-aliases must be 0 or more, got "
                    + maxAliases);
        }
        positive("max-ref-hops", maxRefHops);
        positive("max-findings", maxFindings);
        positive("max-examples", maxExamples);
        if (timeLimit == null || timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("plugins.compliance.openapi.limits.time-limit must be positive, got "
                    + timeLimit);
        }
    }

    /** @return the defaults */
    public static OpenApiLimits defaults() {
        return new OpenApiLimits(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_NODES,
                DEFAULT_MAX_ALIASES, DEFAULT_MAX_REF_HOPS, DEFAULT_MAX_FINDINGS, DEFAULT_MAX_EXAMPLES,
                DEFAULT_TIME_LIMIT);
    }

    /**
     * Reads {@code plugins.compliance.openapi.limits}.
     *
     * @param config the {@code limits} node (may be missing)
     * @return the limits, defaults where a key is absent
     * @throws IllegalArgumentException naming the key of a value that is not a positive number
     */
    static OpenApiLimits from(Config config) {
        return new OpenApiLimits(
                intValue(config, "max-file-size", DEFAULT_MAX_FILE_BYTES),
                intValue(config, "max-files", DEFAULT_MAX_FILES),
                intValue(config, "max-depth", DEFAULT_MAX_DEPTH),
                intValue(config, "max-nodes", DEFAULT_MAX_NODES),
                intValue(config, "max-aliases", DEFAULT_MAX_ALIASES),
                intValue(config, "max-ref-hops", DEFAULT_MAX_REF_HOPS),
                intValue(config, "max-findings", DEFAULT_MAX_FINDINGS),
                intValue(config, "max-examples", DEFAULT_MAX_EXAMPLES),
                Duration.ofMillis(intValue(config, "time-limit-ms", (int) DEFAULT_TIME_LIMIT.toMillis())));
    }

    private static int intValue(Config config, String key, int defaultValue) {
        Config node = config.get(key);
        if (!node.exists()) {
            return defaultValue;
        }
        String text = node.asString().orElse("").trim();
        try {
            return Integer.parseInt(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("plugins.compliance.openapi.limits." + key
                    + " must be a whole number, got '" + text + "'");
        }
    }

    private static void positive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("plugins.compliance.openapi.limits." + key + " must be positive, got "
                    + value);
        }
    }
}
