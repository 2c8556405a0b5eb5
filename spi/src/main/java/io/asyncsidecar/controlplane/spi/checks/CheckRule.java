package io.asyncsidecar.controlplane.spi.checks;

import java.util.Objects;

/**
 * A check's description, for SARIF's rule list and documentation.
 *
 * @param id          the stable check id, e.g. {@code helm.image-tag-pinned}
 * @param severity    the usual severity of its findings
 * @param description one sentence saying what the check verifies
 */
public record CheckRule(String id, Severity severity, String description) {

    /**
     * Checks the parts.
     *
     * @param id          the id
     * @param severity    the severity
     * @param description the description
     */
    public CheckRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(description, "description");
    }
}
