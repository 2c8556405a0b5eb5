package io.asyncsidecar.controlplane.server;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The server's own unauthenticated surface: {@code /healthz}, {@code /health/live}, {@code /health/ready} and
 * {@code /metrics}.
 *
 * <p>Readiness is {@code UP} when every plugin found loaded (or was disabled), {@code DEGRADED} (still 200: the
 * others serve) while any plugin has failed, and {@code DOWN} (503) once shutdown has begun. Plugins load before
 * the server listens, so a server that answers has finished loading.
 */
final class HealthApi implements HttpService {

    private final List<LoadedPlugin> plugins;
    private final ServerMetrics metrics;
    private final BooleanSupplier stopping;

    HealthApi(List<LoadedPlugin> plugins, ServerMetrics metrics, BooleanSupplier stopping) {
        this.plugins = List.copyOf(plugins);
        this.metrics = metrics;
        this.stopping = stopping;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/healthz", this::healthz)
                .get("/health/live", this::live)
                .get("/health/ready", this::ready)
                .get("/metrics", this::metrics);
    }

    private void healthz(ServerRequest req, ServerResponse res) {
        Problems.sendJson(res, Map.of("ok", true, "ts", Instant.now().getEpochSecond()));
    }

    private void live(ServerRequest req, ServerResponse res) {
        Problems.sendJson(res, Map.of("status", "UP"));
    }

    private void ready(ServerRequest req, ServerResponse res) {
        List<Map<String, String>> failed = new ArrayList<>();
        int active = 0;
        for (LoadedPlugin p : plugins) {
            if (p.active()) {
                active++;
            } else if (p.status() == LoadedPlugin.Status.FAILED) {
                failed.add(Map.of("id", p.id(), "reason", p.reason(), "source", p.source()));
            }
        }
        boolean down = stopping.getAsBoolean();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", down ? "DOWN" : failed.isEmpty() ? "UP" : "DEGRADED");
        body.put("plugins_active", active);
        body.put("plugins_failed", failed);
        if (down) {
            res.status(503);
        }
        Problems.sendJson(res, body);
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
