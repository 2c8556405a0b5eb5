package io.asyncsidecar.controlplane.plugins.metrics.exposition;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The two text exposition formats a scrape may return; chosen by the response's content type. */
public enum ExpositionFormat {
    /** The Prometheus text format 0.0.4 ({@code text/plain; version=0.0.4}). */
    PROMETHEUS_TEXT("prometheus-text-0.0.4"),
    /** OpenMetrics 1.0 ({@code application/openmetrics-text; version=1.0.0}). */
    OPENMETRICS("openmetrics-1.0.0");

    /**
     * What a scrape asks for: Prometheus 2.x's own scrape Accept header (OpenMetrics first, then the text
     * format, then anything, which is read as the text format).
     */
    public static final String ACCEPT_HEADER = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private final String id;

    ExpositionFormat(String id) {
        this.id = id;
    }

    /**
     * A stable name for reports.
     *
     * @return e.g. {@code openmetrics-1.0.0}
     */
    public String id() {
        return id;
    }

    /**
     * Picks the format for a response content type, as Prometheus does: OpenMetrics for
     * {@code application/openmetrics-text}, the text format for {@code text/plain} or no content type.
     *
     * @param contentType the Content-Type header, may be null
     * @return the format, empty for a type no parser here reads (protobuf, JSON, HTML...)
     */
    public static Optional<ExpositionFormat> forContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return Optional.of(PROMETHEUS_TEXT);
        }
        String media = contentType.toLowerCase(Locale.ROOT);
        int semi = media.indexOf(';');
        media = (semi >= 0 ? media.substring(0, semi) : media).trim();
        return switch (media) {
            case "application/openmetrics-text" -> Optional.of(OPENMETRICS);
            case "text/plain" -> Optional.of(PROMETHEUS_TEXT);
            default -> Optional.empty();
        };
    }

    /** The type named by a TYPE line's keyword {@code b[from, to)}, or null when the format has no such type. */
    MetricType type(byte[] b, int from, int to) {
        for (MetricType t : MetricType.values()) {
            if (t.wireBytes().length == to - from && Arrays.equals(b, from, to, t.wireBytes(), 0, to - from)) {
                if (this == OPENMETRICS) {
                    return t;
                }
                return switch (t) {
                    case COUNTER, GAUGE, HISTOGRAM, SUMMARY -> t;
                    default -> null;
                };
            }
        }
        if (this == OPENMETRICS) {
            return null;
        }
        // The Go text parser upper-cases the keyword before looking it up: any case will do.
        return switch (new String(b, from, to - from, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)) {
            case "counter" -> MetricType.COUNTER;
            case "gauge" -> MetricType.GAUGE;
            case "histogram" -> MetricType.HISTOGRAM;
            case "summary" -> MetricType.SUMMARY;
            case "untyped" -> MetricType.UNKNOWN;
            default -> null;
        };
    }

    List<SampleSuffix> suffixes(MetricType type) {
        return this == OPENMETRICS ? type.openMetricsSuffixes() : type.textSuffixes();
    }
}
