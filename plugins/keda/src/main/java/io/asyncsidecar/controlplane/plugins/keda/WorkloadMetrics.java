package io.asyncsidecar.controlplane.plugins.keda;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.metrics.ExposedMetrics;
import io.asyncsidecar.controlplane.spi.metrics.MetricsProbe;

/**
 * One run's check of the scale targets' own metrics, without a Prometheus: where
 * {@code plugins.keda.targets.<name>} says where a workload's metrics are (its {@code /metrics} URL, scraped through
 * the metrics plugin's guarded scraper, or a recorded exposition in the workspace), every metric a trigger's query
 * selects must be among the names it exposes; each one that is not is {@link KedaScan#NOT_EXPORTED}, with the
 * closest exposed names. Names Prometheus makes itself ({@code up}, {@code scrape_*}, {@code ALERTS}) and those of
 * the usual cluster exporters ({@code kube_} of kube-state-metrics, {@code container_} and {@code machine_} of
 * cAdvisor, {@code kubelet_}, {@code node_}) are not looked for in the workload. Each workload is read once per run.
 */
final class WorkloadMetrics {

    /** The series Prometheus writes itself for every scrape target and alerting rule. */
    static final Set<String> PROMETHEUS_MADE = Set.of("up", "ALERTS", "ALERTS_FOR_STATE",
            "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
            "scrape_series_added", "scrape_timeout_seconds", "scrape_sample_limit", "scrape_body_size_bytes");
    private static final List<String> EXPORTER_PREFIXES = List.of("kube_", "container_", "machine_", "kubelet_",
            "node_");
    private static final String NO_PROBE = "the metrics plugin is not running (disabled or failed to start): it"
            + " provides the guarded scraper and the exposition parser";

    private final Optional<MetricsProbe> probe;
    private final DryRunSettings settings;
    private final Path workspace;
    private final WorkspaceFiles files;
    private final Map<String, ExposedMetrics> read = new HashMap<>();

    /**
     * A run.
     *
     * @param probe     the metrics plugin's probe, when it runs
     * @param settings  where the targets' metrics are
     * @param workspace the workspace root
     * @param files     the guarded reader of the workspace
     */
    WorkloadMetrics(Optional<MetricsProbe> probe, DryRunSettings settings, Path workspace, WorkspaceFiles files) {
        this.probe = probe;
        this.settings = settings;
        this.workspace = workspace;
        this.files = files;
    }

    /**
     * Checks one trigger against its scale target's metrics.
     *
     * @param t   the trigger
     * @param out where findings go
     * @return the {@code workload_metrics} member; empty when the target's metrics are not configured
     */
    Optional<Map<String, Object>> check(PrometheusTrigger t, List<Finding> out) {
        Optional<String> name = t.targetName();
        DryRunSettings.TargetMetrics where = name.map(n -> settings.targets().get(n)).orElse(null);
        if (where == null) {
            return Optional.empty();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("workload", name.get());
        json.put("source", where.metricsUrl().map(Object::toString).orElseGet(() -> where.exposition().orElseThrow()));
        json.put("status", null);
        if (probe.isEmpty()) {
            return Optional.of(end(json, "error", NO_PROBE));
        }
        ExposedMetrics exposed = read.computeIfAbsent(name.get(), n -> read(n, where));
        if (!exposed.ok()) {
            return Optional.of(end(json, "error", exposed.error().orElseThrow()));
        }
        if (t.queryProblem().isPresent()) {
            return Optional.of(end(json, "error", "the query does not read as PromQL (" + t.queryProblem().get()
                    + ")"));
        }
        json.put("exposed", exposed.names().size());
        List<Map<String, Object>> missing = new ArrayList<>();
        List<String> notChecked = new ArrayList<>();
        for (String metric : t.queryMetrics()) {
            if (exposed.names().contains(metric)) {
                continue;
            }
            if (PROMETHEUS_MADE.contains(metric) || EXPORTER_PREFIXES.stream().anyMatch(metric::startsWith)) {
                notChecked.add(metric);
                continue;
            }
            List<String> similar = SimilarNames.closest(metric, exposed.names(), SimilarNames.LIMIT);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", metric);
            m.put("similar", similar);
            missing.add(m);
            out.add(Finding.of(KedaScan.NOT_EXPORTED, Severity.ERROR, t.scaler().ref(), t.scaler().document().file(),
                    t.queryLine(), t.display() + " queries " + metric + ", which its scale target " + name.get()
                            + " does not expose (" + exposed.names().size() + " names read from " + exposed.source()
                            + (similar.isEmpty() ? ")" : "; closest: " + String.join(", ", similar) + ")")
                            + ", so the query can never see data from it",
                    similar.isEmpty() ? "Query a metric " + name.get() + " exports, or export " + metric + " from it."
                            : "Query the name " + name.get() + " exports (" + similar.getFirst() + "?), or export "
                            + metric + " from it."));
        }
        json.put("status", missing.isEmpty() ? "ok" : "missing");
        json.remove("reason");
        json.put("missing", missing);
        if (!notChecked.isEmpty()) {
            json.put("not_checked", notChecked);
        }
        return Optional.of(json);
    }

    private ExposedMetrics read(String name, DryRunSettings.TargetMetrics where) {
        if (where.metricsUrl().isPresent()) {
            return probe.orElseThrow().scrape(where.metricsUrl().get());
        }
        String relative = where.exposition().orElseThrow();
        String key = "plugins.keda.targets." + name + ".exposition";
        try {
            Path file = WorkspacePaths.resolve(workspace, key, relative);
            return probe.orElseThrow().parse(files.display(file), files.readString(file));
        } catch (ProblemException e) {
            return new ExposedMetrics(relative, Optional.of(e.getMessage()), Set.of());
        } catch (IOException e) {
            return new ExposedMetrics(relative, Optional.of(key + ": " + WorkspaceFiles.describe(e, relative)),
                    Set.of());
        }
    }

    private static Map<String, Object> end(Map<String, Object> json, String status, String reason) {
        json.put("status", status);
        json.put("reason", reason);
        return json;
    }
}
