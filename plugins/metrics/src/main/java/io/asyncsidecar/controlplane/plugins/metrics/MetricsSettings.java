package io.asyncsidecar.controlplane.plugins.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.plugins.metrics.scrape.TargetGuard;

import io.helidon.config.Config;

/**
 * The plugin's configuration ({@code plugins.metrics}), every key with its default.
 *
 * @param maxEndpoints          endpoints per request ({@code max-endpoints}, 2000); more is a 400
 * @param maxDetailEndpoints    endpoints per request with {@code detail} ({@code max-detail-endpoints}, 100):
 *                              listing every family of thousands of endpoints would hold them all in memory
 * @param timeout               per-endpoint scrape budget ({@code timeout-ms}, 5000)
 * @param maxTimeout            largest {@code timeout_ms} a request may ask for ({@code max-timeout-ms}, 60000)
 * @param connectTimeout        TCP/TLS connect limit ({@code connect-timeout-ms}, 2000)
 * @param maxBytes              largest body, compressed or not ({@code max-bytes}, 16 MiB); beyond: too_large
 * @param maxLineBytes          longest exposition line ({@code max-line-bytes}, 1 MiB); beyond: invalid
 * @param maxRedirects          redirects followed, each re-checked ({@code max-redirects}, 3)
 * @param maxConcurrentScrapes  scrapes in flight across all requests ({@code max-concurrent-scrapes}, 4000)
 * @param cardinalityWarnSeries series of one family on one endpoint above which a warning is given
 *                              ({@code cardinality.warn-series}, 1000)
 * @param cardinalityTop        length of the largest-families list ({@code cardinality.top}, 10)
 * @param allow                 the allow list: defaults ({@code ssrf.allow-defaults}, true) plus
 *                              {@code ssrf.allow} (host names, {@code *.suffix} patterns, CIDR blocks)
 * @param deny                  extra blocks always refused ({@code ssrf.deny}, none)
 * @param profiles              {@code profiles.<name>: [family, ...]}
 */
public record MetricsSettings(int maxEndpoints, int maxDetailEndpoints, Duration timeout, Duration maxTimeout, Duration connectTimeout,
                              long maxBytes, int maxLineBytes, int maxRedirects, int maxConcurrentScrapes,
                              int cardinalityWarnSeries, int cardinalityTop, List<String> allow, List<String> deny,
                              Map<String, List<String>> profiles) {

    /**
     * Checks and copies.
     *
     * @param maxEndpoints          see above
     * @param maxDetailEndpoints    see above
     * @param timeout               see above
     * @param maxTimeout            see above
     * @param connectTimeout        see above
     * @param maxBytes              see above
     * @param maxLineBytes          see above
     * @param maxRedirects          see above
     * @param maxConcurrentScrapes  see above
     * @param cardinalityWarnSeries see above
     * @param cardinalityTop        see above
     * @param allow                 see above
     * @param deny                  see above
     * @param profiles              see above
     */
    public MetricsSettings {
        positive("max-endpoints", maxEndpoints);
        positive("max-detail-endpoints", maxDetailEndpoints);
        positive("timeout-ms", timeout.toMillis());
        positive("max-timeout-ms", maxTimeout.toMillis());
        positive("connect-timeout-ms", connectTimeout.toMillis());
        positive("max-bytes", maxBytes);
        if (maxLineBytes < 64) {
            throw new IllegalArgumentException("plugins.metrics.max-line-bytes must be at least 64, got " + maxLineBytes);
        }
        positive("max-concurrent-scrapes", maxConcurrentScrapes);
        positive("cardinality.warn-series", cardinalityWarnSeries);
        if (maxRedirects < 0 || cardinalityTop < 0) {
            throw new IllegalArgumentException("plugins.metrics.max-redirects and cardinality.top must not be negative");
        }
        if (timeout.compareTo(maxTimeout) > 0) {
            throw new IllegalArgumentException("plugins.metrics.timeout-ms (" + timeout.toMillis()
                    + ") exceeds max-timeout-ms (" + maxTimeout.toMillis() + ")");
        }
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        profiles.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        profiles = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Reads {@code plugins.metrics}; a missing node gives the defaults.
     *
     * @param config the plugin's config subtree
     * @return the settings
     * @throws IllegalArgumentException naming the bad key
     */
    public static MetricsSettings from(Config config) {
        List<String> allow = new java.util.ArrayList<>();
        if (config.get("ssrf.allow-defaults").asBoolean().orElse(true)) {
            allow.addAll(TargetGuard.DEFAULT_ALLOWED);
        }
        allow.addAll(config.get("ssrf.allow").asList(String.class).orElse(List.of()));
        Map<String, List<String>> profiles = new LinkedHashMap<>();
        for (Config profile : config.get("profiles").asNodeList().orElse(List.of())) {
            profiles.put(profile.name(), profile.asList(String.class).orElse(List.of()));
        }
        return new MetricsSettings(
                config.get("max-endpoints").asInt().orElse(2000),
                config.get("max-detail-endpoints").asInt().orElse(100),
                Duration.ofMillis(config.get("timeout-ms").asLong().orElse(5000L)),
                Duration.ofMillis(config.get("max-timeout-ms").asLong().orElse(60_000L)),
                Duration.ofMillis(config.get("connect-timeout-ms").asLong().orElse(2000L)),
                config.get("max-bytes").asLong().orElse(16L * 1024 * 1024),
                config.get("max-line-bytes").asInt().orElse(1024 * 1024),
                config.get("max-redirects").asInt().orElse(3),
                config.get("max-concurrent-scrapes").asInt().orElse(4000),
                config.get("cardinality.warn-series").asInt().orElse(1000),
                config.get("cardinality.top").asInt().orElse(10),
                allow,
                config.get("ssrf.deny").asList(String.class).orElse(List.of()),
                profiles);
    }

    private static void positive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("plugins.metrics." + key + " must be positive, got " + value);
        }
    }
}
