package io.asyncsidecar.controlplane.spi.metrics;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to an instant query.
 *
 * @param error      why the query failed (unreachable, refused by the target rules, a Prometheus error with its
 *                   {@code errorType}); empty when it ran. An error Prometheus itself answered reads
 *                   {@code Prometheus answered HTTP <status> <errorType>: <message>}, so a consumer can tell a query
 *                   Prometheus refuses ({@code bad_data}, {@code execution}) from one that never reached it
 * @param resultType Prometheus' {@code resultType}: {@code vector}, {@code scalar}, {@code matrix} or
 *                   {@code string}; blank on error
 * @param samples    one per series (a scalar is one sample without labels); empty when the query selected nothing
 */
public record QueryResult(Optional<String> error, String resultType, List<Sample> samples) {

    /**
     * One series' value.
     *
     * @param labels the series' labels, {@code __name__} included when Prometheus kept it
     * @param value  the value; NaN and infinities as Prometheus sends them
     */
    public record Sample(Map<String, String> labels, double value) {

        /**
         * Copies.
         *
         * @param labels the labels
         * @param value  the value
         */
        public Sample {
            labels = Map.copyOf(labels);
        }
    }

    /**
     * Checks and copies.
     *
     * @param error      the error, or empty
     * @param resultType the result type
     * @param samples    the samples
     */
    public QueryResult {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(resultType, "resultType");
        samples = List.copyOf(samples);
    }

    /** @return whether the query ran */
    public boolean ok() {
        return error.isEmpty();
    }
}
