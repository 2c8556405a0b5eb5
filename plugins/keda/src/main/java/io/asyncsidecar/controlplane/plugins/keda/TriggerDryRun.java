package io.asyncsidecar.controlplane.plugins.keda;

import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.metrics.MetricNames;
import io.asyncsidecar.controlplane.spi.metrics.MetricsProbe;
import io.asyncsidecar.controlplane.spi.metrics.QueryResult;

/**
 * One run's dry run of the prometheus triggers: each query goes, as an instant query, to the Prometheus configured
 * for its {@code serverAddress} (the in-cluster address is out of reach from here), and the answer is read the way
 * KEDA's prometheus scaler reads it (pkg/scalers/prometheus_scaler.go {@code ExecutePromQuery}): an empty vector is
 * 0 when {@code ignoreNullValues} (default true) and an error otherwise, more than one series is an error, a
 * scalar or string result cannot be read, NaN and infinities follow {@code ignoreNullValues}. The value then
 * gives the replica count ({@link ReplicaEstimate}). A query that returns nothing is {@link KedaScan#NO_DATA}, with
 * the names Prometheus knows closest to each name it does not; a query KEDA cannot use (Prometheus refuses it,
 * several series, not a vector) is {@link KedaScan#PROMETHEUS}. The scale target's own metrics are checked by
 * {@link WorkloadMetrics}.
 *
 * <p>Every request goes through the metrics plugin's {@link MetricsProbe} (its request forgery guard, timeouts and
 * size limits); without it the dry run is skipped. Metric names are fetched once per Prometheus per run.
 */
final class TriggerDryRun implements TriggerProbe {

    /** How {@link MetricsProbe} reports an error Prometheus gave about the query itself (documented there). */
    private static final Pattern QUERY_REJECTED =
            Pattern.compile("^Prometheus answered HTTP \\d+ (bad_data|execution):");
    private static final String NO_PROBE = "the metrics plugin is not running (disabled or failed to start): it"
            + " provides the guarded Prometheus client and scraper the dry run uses";

    private final Optional<MetricsProbe> probe;
    private final DryRunSettings settings;
    private final WorkloadMetrics workload;
    private final Map<URI, MetricNames> names = new HashMap<>();

    /**
     * A run.
     *
     * @param probe    the metrics plugin's probe, when it runs
     * @param settings where the metrics are
     * @param workload the scale targets' own metrics
     */
    TriggerDryRun(Optional<MetricsProbe> probe, DryRunSettings settings, WorkloadMetrics workload) {
        this.probe = probe;
        this.settings = settings;
        this.workload = workload;
    }

    @Override
    public Map<String, Object> probe(PrometheusTrigger trigger, List<Finding> out) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("dry_run", dryRun(trigger, out));
        workload.check(trigger, out).ifPresent(w -> members.put("workload_metrics", w));
        return members;
    }

    private Map<String, Object> dryRun(PrometheusTrigger t, List<Finding> out) {
        Result r = new Result();
        Optional<Double> threshold = t.number("threshold");
        double activation = t.number("activationThreshold").orElse(0.0);
        r.json.put("threshold", threshold.orElse(null));
        r.json.put("activation_threshold", activation);
        r.json.put("metric_type", t.metricType());
        boolean ignoreNull;
        Optional<Boolean> declared;
        try {
            declared = t.ignoreNullValues();
            ignoreNull = declared.orElse(true);
        } catch (IllegalArgumentException e) {
            return r.end("error", e.getMessage() + "; KEDA refuses the trigger's metadata");
        }
        r.json.put("ignore_null_values", ignoreNull);
        String query = t.query();
        if (query == null || query.isBlank()) {
            return r.end("skipped", "the trigger has no query");
        }
        if (t.queryProblem().isPresent()) {
            return r.end("error", "the query does not read as PromQL (" + t.queryProblem().get() + "); not sent");
        }
        if (probe.isEmpty()) {
            return r.end("skipped", NO_PROBE);
        }
        Optional<URI> prometheus = settings.prometheusFor(t.serverAddress());
        if (prometheus.isEmpty()) {
            return r.end("skipped", "no Prometheus to ask: set plugins.keda.prometheus.url"
                    + " (PLUGINS_KEDA_PROMETHEUS_URL, e.g. a port-forward to the cluster's Prometheus), or map this"
                    + " trigger's serverAddress '" + t.serverAddress() + "' to a reachable URL in"
                    + " plugins.keda.prometheus.servers");
        }
        URI url = prometheus.get();
        r.json.put("prometheus", url.toString());
        QueryResult result = probe.get().instantQuery(url, query);
        if (!result.ok()) {
            String error = result.error().orElseThrow();
            if (QUERY_REJECTED.matcher(error).find()) {
                out.add(finding(t, KedaScan.PROMETHEUS, Severity.ERROR, t.display() + ": Prometheus at " + url
                                + " rejects the query: " + error + "; KEDA's scaler fails on every poll",
                        "Fix the PromQL of metadata.query; try it in the Prometheus UI first."));
            }
            return r.end("error", error);
        }
        int series = result.samples().size();
        r.json.put("series", series);
        String type = result.resultType();
        if (type.equals("scalar") || type.equals("string")) {
            out.add(finding(t, KedaScan.PROMETHEUS, Severity.ERROR, t.display() + ": the query returns a " + type
                            + ", which KEDA's prometheus scaler cannot read (it expects a vector and fails to decode"
                            + " the result)",
                    "Return an instant vector: vector(...) or an aggregation such as sum(...)."));
            return r.end("error", "Prometheus returns a " + type + "; KEDA cannot read it (it expects a vector)");
        }
        if (series > 1) {
            out.add(finding(t, KedaScan.PROMETHEUS, Severity.ERROR, t.display() + ": the query returns " + series
                            + " series from " + url + "; KEDA fails with \"prometheus query " + query
                            + " returned multiple elements\" on every poll",
                    "Aggregate the query to one series, e.g. sum(...) or max(...)."));
            return r.end("error", "the query returns " + series + " series; KEDA's scaler accepts one"
                    + " (\"prometheus query ... returned multiple elements\")");
        }
        if (type.equals("matrix")) {
            out.add(finding(t, KedaScan.PROMETHEUS, Severity.ERROR, t.display() + ": the query returns a range"
                            + " vector, in which KEDA finds no value, so it " + (ignoreNull ? "reads 0 on every poll"
                            : "fails on every poll"),
                    "Apply a function to the range (rate(x[5m]), max_over_time(x[5m])) so the query returns an"
                            + " instant vector."));
            return r.end("error", "Prometheus returns a range vector (matrix); KEDA reads no value from it");
        }
        if (series == 0) {
            return noData(t, r, url, ignoreNull, declared, threshold, activation, out);
        }
        double value = result.samples().getFirst().value();
        r.json.put("value", value);
        if (!Double.isFinite(value)) {
            if (!ignoreNull) {
                return r.end("error", "Prometheus answers " + value + "; KEDA fails (\"prometheus query returns "
                        + value + "\") since ignoreNullValues is false");
            }
            r.json.put("reason", "Prometheus answers " + value + ", which KEDA reads as 0 (ignoreNullValues)");
            value = 0;
        }
        replicas(t, r, value, threshold, activation);
        return r.ok();
    }

    private Map<String, Object> noData(PrometheusTrigger t, Result r, URI url, boolean ignoreNull,
                                       Optional<Boolean> declared, Optional<Double> threshold, double activation,
                                       List<Finding> out) {
        MetricNames known = names.computeIfAbsent(url, u -> probe.orElseThrow().metricNames(u));
        Map<String, List<String>> similar = new LinkedHashMap<>();
        String namesProblem = "";
        if (known.ok()) {
            Set<String> knownSet = new HashSet<>(known.names());
            // up and scrape_* are Prometheus' own bookkeeping, never the workload's metric a query meant
            List<String> candidates = known.names().stream().filter(n -> !WorkloadMetrics.PROMETHEUS_MADE.contains(n))
                    .toList();
            for (String metric : t.queryMetrics()) {
                if (!knownSet.contains(metric)) {
                    similar.put(metric, SimilarNames.closest(metric, candidates, SimilarNames.LIMIT));
                }
            }
        } else {
            namesProblem = " (the metric names Prometheus knows could not be read: " + known.error().orElseThrow()
                    + ")";
        }
        String why;
        if (!known.ok()) {
            why = "the query returns no series" + namesProblem;
        } else if (similar.isEmpty()) {
            why = "the query returns no series, though Prometheus knows every metric it names: its label matchers"
                    + " or functions select nothing";
        } else {
            why = "the query returns no series: Prometheus knows no metric named " + String.join(", ",
                    similar.keySet());
        }
        r.json.put("reason", why);
        boolean fallback = t.hasFallback();
        String effect;
        if (ignoreNull) {
            ReplicaEstimate e = replicas(t, r, 0, threshold, activation);
            effect = "KEDA reads the empty result as 0 (ignoreNullValues " + (declared.isPresent() ? "true"
                    : "defaults to true") + "), so this trigger never asks for more than "
                    + e.desired().map(String::valueOf).orElse("minReplicaCount") + " replica(s)"
                    + (fallback ? "; the fallback does not apply, since KEDA raises no error for an empty result"
                    + " while ignoreNullValues is true" : "");
        } else if (fallback) {
            Optional<Long> replicas = ManifestValues.integer(t.scaler().spec(), "fallback", "replicas");
            Optional<Long> failures = ManifestValues.integer(t.scaler().spec(), "fallback", "failureThreshold");
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("desired", replicas.orElse(null));
            json.put("min", t.scaler().minReplicas());
            json.put("max", t.scaler().maxReplicas());
            json.put("basis", "fallback.replicas, after fallback.failureThreshold (" + failures.map(String::valueOf)
                    .orElse("unset") + ") failed polls");
            r.json.put("replicas", json);
            effect = "KEDA's scaler fails on the empty result (ignoreNullValues false) and the ScaledObject holds"
                    + " fallback.replicas " + replicas.map(String::valueOf).orElse("(unset)") + " after "
                    + "fallback.failureThreshold failed polls";
        } else {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("desired", null);
            json.put("min", t.scaler().minReplicas());
            json.put("max", t.scaler().maxReplicas());
            json.put("basis", "the metric errors: KEDA marks the trigger failing and the HPA keeps the current count");
            r.json.put("replicas", json);
            effect = "KEDA's scaler fails on the empty result (ignoreNullValues false) and, without a fallback, the"
                    + " HPA keeps whatever replica count the workload has";
        }
        r.json.put("similar_metrics", similar);
        r.json.put("status", "no_data");
        boolean safe = declared.orElse(false) || (!ignoreNull && fallback);
        List<String> suggestions = similar.values().stream().flatMap(List::stream).distinct().limit(3).toList();
        out.add(finding(t, KedaScan.NO_DATA, safe ? Severity.WARNING : Severity.ERROR,
                t.display() + ": " + why + " (asked " + url + "); " + effect,
                (suggestions.isEmpty() ? "Fix the query so it selects the series the workload exports"
                        : "Query a metric Prometheus has (closest: " + String.join(", ", suggestions) + ")")
                        + (safe ? "." : "; if an empty result is expected while idle, say so with"
                        + " ignoreNullValues: \"true\", or set ignoreNullValues: \"false\" with a fallback so a"
                        + " missing metric shows.")));
        return r.json;
    }

    private static ReplicaEstimate replicas(PrometheusTrigger t, Result r, double value, Optional<Double> threshold,
                                            double activation) {
        Scaler s = t.scaler();
        long hpaMin = Math.max(s.minReplicas(), 1);
        long current = Math.min(Math.max(t.targetReplicas().orElse(hpaMin), hpaMin), s.maxReplicas());
        ReplicaEstimate e;
        if (threshold.isEmpty()) {
            e = new ReplicaEstimate(Optional.empty(), s.minReplicas(), s.maxReplicas(),
                    "no numeric threshold: KEDA refuses the trigger", Optional.empty());
        } else if (!t.metricType().equals(ReplicaEstimate.AVERAGE_VALUE)
                && !t.metricType().equals(ReplicaEstimate.VALUE)) {
            e = new ReplicaEstimate(Optional.empty(), s.minReplicas(), s.maxReplicas(), "metricType '"
                    + t.metricType() + "' is not AverageValue or Value, which KEDA allows for a prometheus trigger",
                    Optional.empty());
        } else if (s.isJob()) {
            e = ReplicaEstimate.jobs(value, threshold.get(), s.maxReplicas());
        } else {
            e = ReplicaEstimate.of(value, threshold.get(), activation, t.metricType(), s.minReplicas(),
                    s.maxReplicas(), s.idleReplicas(), current);
        }
        r.json.put("replicas", e.toJson());
        return e;
    }

    private static Finding finding(PrometheusTrigger t, String rule, Severity severity, String message,
                                   String remediation) {
        return Finding.of(rule, severity, t.scaler().ref(), t.scaler().document().file(), t.queryLine(), message,
                remediation);
    }

    /** A dry run's JSON, status first. */
    private static final class Result {
        private final Map<String, Object> json = new LinkedHashMap<>();

        Result() {
            json.put("status", null);
            json.put("reason", null);
        }

        Map<String, Object> ok() {
            json.put("status", "ok");
            if (json.get("reason") == null) {
                json.remove("reason");
            }
            return json;
        }

        Map<String, Object> end(String status, String reason) {
            json.put("status", status);
            json.put("reason", reason);
            return json;
        }
    }
}
