package io.asyncsidecar.controlplane.plugins.keda;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

/**
 * A prometheus trigger of a scaler, with what the manifest checks already read from it.
 *
 * @param scaler       the ScaledObject or ScaledJob
 * @param target       the scale target's manifest, null when unknown (a ScaledJob, or a target not found)
 * @param trigger      the trigger as written
 * @param queryMetrics the metric names its query selects; empty when the query is missing or does not read
 * @param queryProblem why the query does not read as PromQL; empty when it does
 */
record PrometheusTrigger(Scaler scaler, YamlDocument target, Map<String, Object> trigger, List<String> queryMetrics,
                         Optional<String> queryProblem) {

    Map<String, Object> metadata() {
        return ManifestValues.map(trigger, "metadata");
    }

    String query() {
        return ManifestValues.string(metadata(), "query");
    }

    String serverAddress() {
        return ManifestValues.string(metadata(), "serverAddress");
    }

    /** The metricType KEDA uses: the trigger's, else {@code AverageValue}. */
    String metricType() {
        String t = ManifestValues.string(trigger, "metricType");
        return t == null || t.isBlank() ? ReplicaEstimate.AVERAGE_VALUE : t;
    }

    /** The scale target's name, from scaleTargetRef. */
    Optional<String> targetName() {
        return scaler.target().map(t -> t.name());
    }

    /** The line findings about the query point at. */
    int queryLine() {
        Map<String, Object> metadata = metadata();
        return scaler.document().lineOf(metadata, metadata.containsKey("query") ? "query" : "serverAddress");
    }

    /** How messages name it: {@code trigger 'backlog-seconds' of ScaledObject/ns/name}. */
    String display() {
        String name = ManifestValues.string(trigger, "name");
        return "prometheus trigger" + (name == null || name.isBlank() ? "" : " '" + name + "'") + " of "
                + scaler.ref().display();
    }

    /**
     * A metadata value as KEDA's typed config reads a number ({@code strconv.ParseFloat}).
     *
     * @param key the metadata key
     * @return the number; empty when absent or not a number
     */
    Optional<Double> number(String key) {
        String v = ManifestValues.string(metadata(), key);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Double.parseDouble(v.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code ignoreNullValues} as KEDA reads it ({@code strconv.ParseBool}).
     *
     * @return the value written; empty when not set
     * @throws IllegalArgumentException when it is set to something ParseBool refuses
     */
    Optional<Boolean> ignoreNullValues() {
        String v = ManifestValues.string(metadata(), "ignoreNullValues");
        if (v == null) {
            return Optional.empty();
        }
        return switch (v.strip()) {
            case "1", "t", "T", "TRUE", "true", "True" -> Optional.of(true);
            case "0", "f", "F", "FALSE", "false", "False" -> Optional.of(false);
            default -> throw new IllegalArgumentException("ignoreNullValues '" + v + "' is not a boolean KEDA reads"
                    + " (true, false, 1, 0, t, f)");
        };
    }

    /** Whether the ScaledObject declares a fallback. */
    boolean hasFallback() {
        return !scaler.isJob() && !ManifestValues.map(scaler.spec(), "fallback").isEmpty();
    }

    /** The replica count the scale target's manifest sets, when it does. */
    Optional<Long> targetReplicas() {
        return target == null ? Optional.empty() : ManifestValues.integer(target.map(), "spec", "replicas");
    }

    String lowerType() {
        return String.valueOf(trigger.get("type")).toLowerCase(Locale.ROOT);
    }
}
