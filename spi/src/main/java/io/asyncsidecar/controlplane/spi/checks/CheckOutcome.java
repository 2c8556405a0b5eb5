package io.asyncsidecar.controlplane.spi.checks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link WorkspaceCheck} answers: its report and the plugin's own members that its check route puts beside
 * the summary (what it read, and what it describes, e.g. the KEDA plugin's scaled objects with their dry-runs).
 *
 * @param report  the findings and summary
 * @param details the plugin's own members, plain maps, lists, strings, numbers and booleans ready for JSON
 */
public record CheckOutcome(CheckReport report, Map<String, Object> details) {

    /**
     * Checks and copies.
     *
     * @param report  the report
     * @param details the members; may be empty
     */
    public CheckOutcome {
        Objects.requireNonNull(report, "report");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(details, "details")));
    }
}
