package io.asyncsidecar.controlplane.plugins.metrics.exposition;

import java.util.List;

/**
 * What a parse keeps of an exposition: its families in order of appearance, the sample count, and the
 * violations of the format's specification that Prometheus tolerates (the parse went on past them).
 *
 * @param format     the format it was read as
 * @param families   the families
 * @param samples    number of sample lines
 * @param violations tolerated violations, with line and reason; empty for a conformant exposition
 */
public record Exposition(ExpositionFormat format, List<MetricFamily> families, long samples,
                         List<ExpositionParseException> violations) {

    /**
     * Copies the lists.
     *
     * @param format     the format
     * @param families   the families
     * @param samples    the sample count
     * @param violations the tolerated violations
     */
    public Exposition {
        families = List.copyOf(families);
        violations = List.copyOf(violations);
    }

    /** @return whether the exposition follows its specification strictly */
    public boolean conformant() {
        return violations.isEmpty();
    }
}
