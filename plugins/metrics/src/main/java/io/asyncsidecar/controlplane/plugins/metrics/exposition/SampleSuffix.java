package io.asyncsidecar.controlplane.plugins.metrics.exposition;

import java.nio.charset.StandardCharsets;

/** The part of a sample name after its family name, e.g. {@code _bucket}. */
enum SampleSuffix {
    NONE(""),
    TOTAL("_total"),
    CREATED("_created"),
    BUCKET("_bucket"),
    COUNT("_count"),
    SUM("_sum"),
    GCOUNT("_gcount"),
    GSUM("_gsum"),
    INFO("_info");

    final String text;
    final byte[] bytes;

    SampleSuffix(String text) {
        this.text = text;
        this.bytes = text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Counter-like samples (OpenMetrics) may not be NaN. */
    boolean counterLike() {
        return this == TOTAL || this == SUM || this == COUNT || this == BUCKET || this == GCOUNT || this == GSUM;
    }

    /** Counter-like samples that may not be negative either (a gauge histogram's _gsum may). */
    boolean nonNegative() {
        return counterLike() && this != GSUM;
    }
}
