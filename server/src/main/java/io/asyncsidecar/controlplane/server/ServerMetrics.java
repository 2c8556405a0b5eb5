package io.asyncsidecar.controlplane.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The server's own Prometheus metrics: requests and latency per route and plugin, and plugin status.
 *
 * <p>Written by hand rather than with Helidon's metrics module: the server needs three families with a fixed
 * label set, served at {@code /metrics} next to its own auth rules, while the observe feature brings its own
 * endpoints, registry and a second access-control story. Labels are route templates, never raw paths, so the
 * number of series is bounded by the number of declared routes.
 */
final class ServerMetrics {

    /** Upper bounds of the latency buckets, in seconds. */
    private static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private record Key(String plugin, String method, String route, int status) {
    }

    private record RouteKey(String plugin, String method, String route) {
    }

    private static final class Histogram {
        final LongAdder[] counts = new LongAdder[BUCKETS.length + 1];
        final LongAdder sumNanos = new LongAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(long nanos) {
            double seconds = nanos / 1e9;
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) {
                i++;
            }
            counts[i].increment();
            sumNanos.add(nanos);
        }
    }

    private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<RouteKey, Histogram> latency = new ConcurrentHashMap<>();
    private final Supplier<Map<String, String>> pluginStatus;
    private final java.util.function.LongSupplier accessLogDropped;

    ServerMetrics(Supplier<Map<String, String>> pluginStatus, java.util.function.LongSupplier accessLogDropped) {
        this.pluginStatus = pluginStatus;
        this.accessLogDropped = accessLogDropped;
    }

    void record(String plugin, String method, String route, int status, long nanos) {
        requests.computeIfAbsent(new Key(plugin, method, route, status), k -> new LongAdder()).increment();
        latency.computeIfAbsent(new RouteKey(plugin, method, route), k -> new Histogram()).observe(nanos);
    }

    /** @return the Prometheus text exposition, format 0.0.4 */
    String scrape() {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("# HELP controlplane_http_requests_total HTTP requests by plugin, route template and status.\n");
        sb.append("# TYPE controlplane_http_requests_total counter\n");
        new TreeMap<String, Long>(requests.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                e -> labels(e.getKey().plugin(), e.getKey().method(), e.getKey().route())
                        + ",status=\"" + e.getKey().status() + "\"",
                e -> e.getValue().sum()))).forEach((labels, n) ->
                sb.append("controlplane_http_requests_total{").append(labels).append("} ").append(n).append('\n'));
        sb.append("# HELP controlplane_http_request_duration_seconds HTTP request latency by plugin and route template.\n");
        sb.append("# TYPE controlplane_http_request_duration_seconds histogram\n");
        latency.forEach((k, h) -> {
            String labels = labels(k.plugin(), k.method(), k.route());
            long cumulative = 0;
            for (int i = 0; i <= BUCKETS.length; i++) {
                cumulative += h.counts[i].sum();
                String le = i == BUCKETS.length ? "+Inf" : Double.toString(BUCKETS[i]);
                sb.append("controlplane_http_request_duration_seconds_bucket{").append(labels).append(",le=\"")
                        .append(le).append("\"} ").append(cumulative).append('\n');
            }
            sb.append("controlplane_http_request_duration_seconds_sum{").append(labels).append("} ")
                    .append(h.sumNanos.sum() / 1e9).append('\n');
            sb.append("controlplane_http_request_duration_seconds_count{").append(labels).append("} ")
                    .append(cumulative).append('\n');
        });
        sb.append("# HELP controlplane_plugin_up Plugin status: 1 for the status it is in.\n");
        sb.append("# TYPE controlplane_plugin_up gauge\n");
        new TreeMap<>(pluginStatus.get()).forEach((id, status) -> {
            for (String s : new String[] {"active", "failed", "disabled"}) {
                sb.append("controlplane_plugin_up{plugin=\"").append(escape(id)).append("\",status=\"").append(s)
                        .append("\"} ").append(s.equals(status) ? 1 : 0).append('\n');
            }
        });
        sb.append("# HELP controlplane_access_log_dropped_total Access-log entries dropped because the writer fell behind.\n");
        sb.append("# TYPE controlplane_access_log_dropped_total counter\n");
        sb.append("controlplane_access_log_dropped_total ").append(accessLogDropped.getAsLong()).append('\n');
        return sb.toString();
    }

    private static String labels(String plugin, String method, String route) {
        return "plugin=\"" + escape(plugin) + "\",method=\"" + escape(method) + "\",route=\"" + escape(route) + "\"";
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
