package io.asyncsidecar.controlplane.spi.metrics;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an exposition endpoint (or a recorded exposition) exposes.
 *
 * @param source the URL or workspace path read
 * @param error  why it could not be read or parsed; empty when it was
 * @param names  every name a query can select: each family's sample names as its type owns them (with their
 *               {@code _total}, {@code _bucket}, {@code _sum}, {@code _count}, {@code _created} suffixes; a gauge's
 *               or summary's own name), not a histogram's or an OpenMetrics counter's bare family name, under which
 *               Prometheus stores no series; empty on error
 */
public record ExposedMetrics(String source, Optional<String> error, Set<String> names) {

    /**
     * Checks and copies.
     *
     * @param source the source
     * @param error  the error, or empty
     * @param names  the names
     */
    public ExposedMetrics {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(error, "error");
        names = Set.copyOf(names);
    }

    /** @return whether the exposition was read */
    public boolean ok() {
        return error.isEmpty();
    }
}
