package io.asyncsidecar.controlplane.plugins.testruns;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.helidon.config.Config;

/**
 * The plugin's settings ({@code plugins.testruns}), with the defaults documented in {@code application.yaml}.
 *
 * @param defaultOrchestrator orchestrator used when a request names none: {@code builtin} or a key of
 *                            {@code orchestrators}
 * @param scenario            the built-in orchestrator's default scenario, relative to the workspace
 * @param maxConcurrentRuns   runs executing at once; the rest wait in FIFO order
 * @param retentionPerTenant  finished runs kept per tenant
 * @param minLoadDuration     smallest {@code load_duration} accepted, seconds
 * @param maxLoadDuration     largest {@code load_duration} accepted, seconds
 * @param minConcurrency      smallest {@code concurrency} accepted
 * @param maxConcurrency      largest {@code concurrency} accepted
 * @param allowedHosts        target hosts allowed besides the built-in ones (see {@link TargetAllowList})
 * @param requestTimeout      connect and read timeout of one request of the built-in runner
 * @param streamMaxLag        events a WebSocket subscriber may still be behind a second later before it is dropped
 * @param maxLogLines         log events kept per run; later lines are counted, not stored
 * @param flushInterval       how often event files are flushed (a kill -9 loses at most this much)
 * @param externals           external orchestrators by name
 */
record TestRunsSettings(String defaultOrchestrator,
                        String scenario,
                        int maxConcurrentRuns,
                        int retentionPerTenant,
                        int minLoadDuration,
                        int maxLoadDuration,
                        int minConcurrency,
                        int maxConcurrency,
                        List<String> allowedHosts,
                        Duration requestTimeout,
                        int streamMaxLag,
                        int maxLogLines,
                        Duration flushInterval,
                        Map<String, ExternalOrchestratorSettings> externals) {

    /** The name of the built-in orchestrator. */
    public static final String BUILTIN = "builtin";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    /**
     * An external orchestrator ({@code plugins.testruns.orchestrators.<name>}): a command run without a shell in
     * the workspace.
     *
     * @param argv         the argv template; {@code {base_url}}, {@code {load_duration}}, {@code {concurrency}}
     *                     and {@code {run_dir}} are replaced inside each element
     * @param timeoutGrace time allowed beyond {@code load_duration} before the runner is killed
     */
    public record ExternalOrchestratorSettings(List<String> argv, Duration timeoutGrace) {
        /**
         * Copies the argv.
         *
         * @param argv         the template
         * @param timeoutGrace the grace period
         */
        public ExternalOrchestratorSettings {
            argv = List.copyOf(argv);
        }
    }

    /**
     * Copies the collections.
     */
    public TestRunsSettings {
        allowedHosts = List.copyOf(allowedHosts);
        externals = Map.copyOf(externals);
    }

    /**
     * Reads {@code plugins.testruns}.
     *
     * @param config the plugin's config subtree (may be missing)
     * @return the settings
     * @throws IllegalStateException naming the key of an invalid value
     */
    public static TestRunsSettings create(Config config) {
        Map<String, ExternalOrchestratorSettings> externals = new LinkedHashMap<>();
        for (Config node : config.get("orchestrators").asNodeList().orElse(List.of())) {
            String name = node.name();
            if (!NAME.matcher(name).matches() || BUILTIN.equals(name)) {
                throw new IllegalStateException("plugins.testruns.orchestrators." + name
                        + ": name must be lower-case letters, digits and dashes and not '" + BUILTIN + "'");
            }
            List<String> argv = node.get("command").asList(String.class).orElse(List.of());
            if (argv.isEmpty()) {
                throw new IllegalStateException("plugins.testruns.orchestrators." + name
                        + ".command: must be a non-empty list (argv, no shell)");
            }
            int grace = positive(node, "timeout-grace-seconds", 600, "plugins.testruns.orchestrators." + name);
            externals.put(name, new ExternalOrchestratorSettings(argv, Duration.ofSeconds(grace)));
        }
        String orchestrator = config.get("default-orchestrator").asString().orElse(BUILTIN);
        if (!BUILTIN.equals(orchestrator) && !externals.containsKey(orchestrator)) {
            throw new IllegalStateException("plugins.testruns.default-orchestrator: '" + orchestrator
                    + "' is neither builtin nor one of plugins.testruns.orchestrators " + externals.keySet());
        }
        int minDuration = positive(config, "min-load-duration", 1, "plugins.testruns");
        int maxDuration = positive(config, "max-load-duration", 3600, "plugins.testruns");
        int minConcurrency = positive(config, "min-concurrency", 1, "plugins.testruns");
        int maxConcurrency = positive(config, "max-concurrency", 2000, "plugins.testruns");
        if (minDuration > maxDuration) {
            throw new IllegalStateException("plugins.testruns.min-load-duration (" + minDuration
                    + ") exceeds max-load-duration (" + maxDuration + ")");
        }
        if (minConcurrency > maxConcurrency) {
            throw new IllegalStateException("plugins.testruns.min-concurrency (" + minConcurrency
                    + ") exceeds max-concurrency (" + maxConcurrency + ")");
        }
        return new TestRunsSettings(orchestrator,
                config.get("scenario").asString().orElse("tests/e2e/scenarios/generic.yaml"),
                positive(config, "max-concurrent-runs", 2, "plugins.testruns"),
                positive(config, "retention-per-tenant", 50, "plugins.testruns"),
                minDuration, maxDuration, minConcurrency, maxConcurrency,
                config.get("allowed-hosts").asList(String.class).orElse(List.of()),
                Duration.ofMillis(positive(config, "request-timeout-millis", 10_000, "plugins.testruns")),
                positive(config, "stream-max-lag", 4096, "plugins.testruns"),
                positive(config, "max-log-lines", 10_000, "plugins.testruns"),
                Duration.ofMillis(positive(config, "flush-interval-millis", 500, "plugins.testruns")),
                externals);
    }

    private static int positive(Config config, String key, int defaultValue, String prefix) {
        Config node = config.get(key);
        if (!node.exists()) {
            return defaultValue;
        }
        String raw = node.asString().orElse("");
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < 1) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(prefix + "." + key + ": expected a positive integer, got '" + raw + "'");
        }
    }
}
