package io.asyncsidecar.controlplane.plugins.metrics.exposition;

import java.util.List;

/**
 * One metric family of an exposition, reduced to what the aggregation reports: no sample values are kept.
 *
 * @param name    the family name as exposed (OpenMetrics counters without {@code _total})
 * @param type    the declared type, {@link MetricType#UNKNOWN} without a TYPE line
 * @param help       the unescaped HELP text; null without a HELP line, empty when the parser drops texts
 * @param unit       the OpenMetrics UNIT, empty when absent
 * @param samples    number of sample lines
 * @param series     number of distinct series (sample name plus label set)
 * @param labelNames the label names used by its samples, in order of first appearance
 */
public record MetricFamily(String name, MetricType type, String help, String unit, long samples, long series,
                           List<String> labelNames) {

    /**
     * Copies the label names.
     *
     * @param name       the name
     * @param type       the type
     * @param help       the help text
     * @param unit       the unit
     * @param samples    the sample count
     * @param series     the series count
     * @param labelNames the label names
     */
    public MetricFamily {
        labelNames = List.copyOf(labelNames);
    }

    /**
     * The name PromQL sees: OpenMetrics names a counter family {@code x} and its samples {@code x_total}, an
     * info family {@code x} and its samples {@code x_info}. Text-format families already carry those suffixes.
     * Profiles, {@code parsed} and the summaries use this name, so both formats of one service line up.
     *
     * @param format the format the family was read from
     * @return the name
     */
    public String canonicalName(ExpositionFormat format) {
        if (format == ExpositionFormat.OPENMETRICS) {
            if (type == MetricType.COUNTER) {
                return name + "_total";
            }
            if (type == MetricType.INFO) {
                return name + "_info";
            }
        }
        return name;
    }

    /**
     * The names of the samples this family's type owns in a format, as series names a query selects: a text-format
     * histogram {@code x} gives {@code x_bucket}, {@code x_count} and {@code x_sum}; an OpenMetrics counter {@code x}
     * gives {@code x_total} and {@code x_created}; a gauge gives its own name.
     *
     * @param format the format the family was read from
     * @return the names, in the order of the type's suffixes
     */
    public List<String> sampleNames(ExpositionFormat format) {
        return format.suffixes(type).stream().map(s -> name + s.text).toList();
    }
}
