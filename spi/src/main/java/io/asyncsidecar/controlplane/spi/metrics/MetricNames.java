package io.asyncsidecar.controlplane.spi.metrics;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The metric names a Prometheus knows.
 *
 * @param error why they could not be read; empty when they were
 * @param names the names, sorted as Prometheus returns them
 */
public record MetricNames(Optional<String> error, List<String> names) {

    /**
     * Checks and copies.
     *
     * @param error the error, or empty
     * @param names the names
     */
    public MetricNames {
        Objects.requireNonNull(error, "error");
        names = List.copyOf(names);
    }

    /** @return whether the names were read */
    public boolean ok() {
        return error.isEmpty();
    }
}
