package io.asyncsidecar.controlplane.plugins.metrics.exposition;

import java.util.List;

/**
 * The metric types of the Prometheus text format and OpenMetrics 1.0, with the sample-name suffixes that fold
 * a sample into its family. The text format's {@code untyped} reads as {@link #UNKNOWN}, its OpenMetrics name.
 */
public enum MetricType {
    /** A monotonic counter; OpenMetrics samples {@code _total} and {@code _created}. */
    COUNTER("counter"),
    /** A gauge. */
    GAUGE("gauge"),
    /** A cumulative histogram: {@code _bucket}, {@code _count}, {@code _sum}, {@code _created}. */
    HISTOGRAM("histogram"),
    /** An OpenMetrics gauge histogram: {@code _bucket}, {@code _gcount}, {@code _gsum}. */
    GAUGE_HISTOGRAM("gaugehistogram"),
    /** A summary: quantile samples under the family name, {@code _count}, {@code _sum}, {@code _created}. */
    SUMMARY("summary"),
    /** An OpenMetrics info metric: {@code _info} samples of value 1. */
    INFO("info"),
    /** An OpenMetrics state set: one sample per state, value 0 or 1. */
    STATESET("stateset"),
    /** No declared type ({@code unknown} in OpenMetrics, {@code untyped} in the text format). */
    UNKNOWN("unknown");

    private final String wireName;
    private final byte[] wireBytes;

    MetricType(String wireName) {
        this.wireName = wireName;
        this.wireBytes = wireName.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    byte[] wireBytes() {
        return wireBytes;
    }

    /**
     * The type as OpenMetrics writes it.
     *
     * @return e.g. {@code gaugehistogram}
     */
    public String wireName() {
        return wireName;
    }

    /** Suffixes a family of this type owns in OpenMetrics. */
    List<SampleSuffix> openMetricsSuffixes() {
        return switch (this) {
            case COUNTER -> List.of(SampleSuffix.TOTAL, SampleSuffix.CREATED);
            case HISTOGRAM -> List.of(SampleSuffix.BUCKET, SampleSuffix.COUNT, SampleSuffix.SUM, SampleSuffix.CREATED);
            case GAUGE_HISTOGRAM -> List.of(SampleSuffix.BUCKET, SampleSuffix.GCOUNT, SampleSuffix.GSUM);
            case SUMMARY -> List.of(SampleSuffix.NONE, SampleSuffix.COUNT, SampleSuffix.SUM, SampleSuffix.CREATED);
            case INFO -> List.of(SampleSuffix.INFO);
            case GAUGE, STATESET, UNKNOWN -> List.of(SampleSuffix.NONE);
        };
    }

    /** Suffixes a family of this type owns in the text format 0.0.4, where a counter's name includes _total. */
    List<SampleSuffix> textSuffixes() {
        return switch (this) {
            case HISTOGRAM -> List.of(SampleSuffix.BUCKET, SampleSuffix.COUNT, SampleSuffix.SUM);
            case SUMMARY -> List.of(SampleSuffix.NONE, SampleSuffix.COUNT, SampleSuffix.SUM);
            default -> List.of(SampleSuffix.NONE);
        };
    }
}
