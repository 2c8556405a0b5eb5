package io.asyncsidecar.controlplane.server;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * How long a connection may take ({@code server.connection}), read and checked once at start-up. Each limit closes
 * the connection when it is passed, so slow or silent clients (slowloris) cannot hold connections and their threads.
 *
 * @param idleTimeout  a connection waiting for its next request, no byte of it sent yet
 * @param headTimeout  from the first byte of a request to the end of its headers
 * @param bodyTimeout  the time one request may spend waiting for the bytes of its body, in total
 * @param maxConcurrentRequests requests handled at once over all connections; beyond it a 503; -1: no limit
 */
record ConnectionSettings(Duration idleTimeout, Duration headTimeout, Duration bodyTimeout, int maxConcurrentRequests) {

    static ConnectionSettings from(Config config) {
        Config node = config.get("server.connection");
        return new ConnectionSettings(seconds(node, "idle-timeout-seconds", 60),
                seconds(node, "head-timeout-seconds", 20),
                seconds(node, "body-timeout-seconds", 30),
                concurrency(node));
    }

    private static Duration seconds(Config node, String key, long defaultValue) {
        String name = "server.connection." + key;
        String raw = node.get(key).asString().orElse(Long.toString(defaultValue)).strip();
        double v;
        try {
            v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(name, "not a number of seconds: '" + raw + "'");
        }
        if (!(v > 0) || v > 86_400) {
            throw new InvalidConfigurationException(name, "must be more than 0 and at most 86400 seconds, got " + raw);
        }
        return Duration.ofMillis(Math.max(1, Math.round(v * 1000)));
    }

    private static int concurrency(Config node) {
        String raw = node.get("max-concurrent-requests").asString().orElse("-1").strip();
        int v;
        try {
            v = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException("server.connection.max-concurrent-requests",
                    "not an integer: '" + raw + "'");
        }
        if (v == 0 || v < -1) {
            throw new InvalidConfigurationException("server.connection.max-concurrent-requests",
                    "must be -1 (no limit) or at least 1, got " + v);
        }
        return v;
    }
}
