package io.asyncsidecar.controlplane.plugins.metrics.exposition;

import java.util.ArrayList;
import java.util.List;

/**
 * The OpenMetrics 1.0 rules that span samples of one family: metric points (label groups) must be contiguous,
 * timestamps inside a point present on all samples or none and not going backwards; counter-like values not
 * negative or NaN; histogram buckets ordered and cumulative with a {@code +Inf} bucket, {@code _count} equal to
 * it and present exactly when {@code _sum} is; quantiles, state set and info values in range; exemplars only on
 * counter totals and buckets. The reference is the OpenMetrics test suite and the Python client's parser.
 */
final class OpenMetricsRules {

    private static final byte[] LE = {'l', 'e'};
    private static final byte[] QUANTILE = "quantile".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final LongSet seenGroups = new LongSet();
    private boolean inGroup;
    private long group;
    private boolean groupTimestamped;
    private double groupTimestamp;

    // The histogram metric point being checked: one (group, timestamp) run of samples.
    private boolean histogramRun;
    private long histogramGroup;
    private boolean histogramTimestamped;
    private double histogramTimestamp;
    private boolean hasBucket;
    private double lastBound;
    private double lastBucketValue;
    private boolean hasCount;
    private double count;
    private boolean hasSum;
    private boolean hasGsum;
    private boolean negativeGsum;
    private boolean negativeBuckets;

    /**
     * Violations of OpenMetrics 1.0 that Prometheus scrapes anyway (client_golang writes them): reported beside the
     * parsed exposition instead of failing it, so a target Prometheus accepts is never 'invalid' here, unless
     * {@link #strict}.
     */
    private final List<ExpositionParseException> tolerated = new ArrayList<>();
    /** Whether those violations fail the parse, as the OpenMetrics test suite wants. */
    private final boolean strict;

    OpenMetricsRules(boolean strict) {
        this.strict = strict;
    }

    List<ExpositionParseException> tolerated() {
        return tolerated;
    }

    /** A violation Prometheus tolerates: kept with why it is tolerated, or when strict a parse error. */
    private void tolerate(long line, String violation, String why) throws ExpositionParseException {
        if (strict) {
            throw new ExpositionParseException(line, violation);
        }
        tolerated.add(new ExpositionParseException(line, violation + " (tolerated: " + why + ")"));
    }

    void startFamily() {
        seenGroups.clear();
        inGroup = false;
        histogramRun = false;
    }

    void endFamily(FamilyBuilder family, long line) throws ExpositionParseException {
        if (histogramRun) {
            checkHistogramPoint(family, line);
            histogramRun = false;
        }
    }

    void sample(FamilyBuilder family, SampleSuffix suffix, SampleLine s, long line) throws ExpositionParseException {
        MetricType type = family.type;
        double value = s.value();
        boolean histogram = type == MetricType.HISTOGRAM || type == MetricType.GAUGE_HISTOGRAM;
        int skip = -1;
        double bound = Double.NaN;
        if (histogram && suffix == SampleSuffix.BUCKET) {
            skip = s.labels.indexOf(LE);
            if (skip < 0) {
                throw new ExpositionParseException(line, "histogram bucket '" + s.name() + "' has no 'le' label");
            }
            bound = boundLabel(s, skip, "le", line);
            if (Double.isNaN(bound)) {
                throw new ExpositionParseException(line, "bucket bound le=\"" + s.labels.value(skip) + "\" is NaN");
            }
            if (!isWhole(value)) {
                throw new ExpositionParseException(line, "bucket value " + value + " of '" + s.name() + "' is not an integer");
            }
        } else if (type == MetricType.SUMMARY && suffix == SampleSuffix.NONE) {
            skip = s.labels.indexOf(QUANTILE);
            if (skip < 0) {
                throw new ExpositionParseException(line, "summary sample '" + s.name() + "' has no 'quantile' label");
            }
            double q = boundLabel(s, skip, "quantile", line);
            if (!(q >= 0 && q <= 1)) {
                throw new ExpositionParseException(line, "quantile \"" + s.labels.value(skip) + "\" is not between 0 and 1");
            }
            if (value < 0) {
                tolerate(line, "quantile value " + value + " of '" + s.name() + "' is negative",
                        "observations may be negative, and Prometheus scrapes it");
            }
        } else if (type == MetricType.STATESET) {
            skip = s.labels.indexOf(family.nameBytes);
            if (skip < 0) {
                throw new ExpositionParseException(line, "state set sample has no label named after its family '"
                        + family.name + "'");
            }
            if (value != 0 && value != 1) {
                throw new ExpositionParseException(line, "state set value " + value + " is not 0 or 1");
            }
        } else if (type == MetricType.INFO && value != 1) {
            throw new ExpositionParseException(line, "info value " + value + " is not 1");
        }
        if ((suffix == SampleSuffix.COUNT || suffix == SampleSuffix.GCOUNT) && !isWhole(value)) {
            throw new ExpositionParseException(line, "count " + value + " of '" + s.name() + "' is not an integer");
        }
        if (suffix.counterLike() && Double.isNaN(value)) {
            throw new ExpositionParseException(line, "'" + s.name() + "' is counter-like and may not be NaN");
        }
        if (suffix.nonNegative() && value < 0) {
            String why = "'" + s.name() + "' is counter-like and may not be negative, got " + value;
            if (suffix != SampleSuffix.SUM) {
                throw new ExpositionParseException(line, why);
            }
            // A sum of negative observations is negative; client_golang writes it and Prometheus scrapes it.
            tolerate(line, why, "observations may be negative");
        }
        if (s.hasExemplar && !((histogram && suffix == SampleSuffix.BUCKET)
                || (type == MetricType.COUNTER && suffix == SampleSuffix.TOTAL))) {
            throw new ExpositionParseException(line, "exemplar on '" + s.name()
                    + "': only counter totals and histogram buckets may carry exemplars");
        }
        double timestamp = s.hasTimestamp ? s.timestamp() : Double.NaN;
        long g = s.labels.hashExcept(skip);
        checkGrouping(type, g, s, timestamp, line);
        if (histogram && suffix != SampleSuffix.NONE) {
            histogramSample(family, suffix, g, s.hasTimestamp, timestamp, bound, value, line);
        }
    }

    private void checkGrouping(MetricType type, long g, SampleLine s, double timestamp, long line)
            throws ExpositionParseException {
        if (!inGroup || g != group) {
            if (!seenGroups.add(g)) {
                throw new ExpositionParseException(line, "'" + s.name() + "' continues a metric point (label set)"
                        + " that ended above: samples of one point must be together");
            }
            inGroup = true;
            group = g;
        } else {
            if (s.hasTimestamp != groupTimestamped) {
                throw new ExpositionParseException(line, "samples of one metric point mix lines with and without a timestamp");
            }
            if (s.hasTimestamp && timestamp < groupTimestamp && type != MetricType.INFO) {
                throw new ExpositionParseException(line, "timestamp goes backwards within a metric point");
            }
        }
        groupTimestamped = s.hasTimestamp;
        groupTimestamp = timestamp;
    }

    private void histogramSample(FamilyBuilder family, SampleSuffix suffix, long g, boolean timestamped,
                                 double timestamp, double bound, double value, long line) throws ExpositionParseException {
        if (!histogramRun || g != histogramGroup || timestamped != histogramTimestamped
                || (timestamped && Double.compare(timestamp, histogramTimestamp) != 0)) {
            if (histogramRun) {
                checkHistogramPoint(family, line);
            }
            histogramRun = true;
            histogramGroup = g;
            histogramTimestamped = timestamped;
            histogramTimestamp = timestamp;
            hasBucket = false;
            lastBucketValue = 0;
            hasCount = false;
            hasSum = false;
            hasGsum = false;
            negativeGsum = false;
            negativeBuckets = false;
        }
        switch (suffix) {
            case BUCKET -> {
                if (bound < 0) {
                    negativeBuckets = true;
                }
                if (hasBucket && bound <= lastBound) {
                    throw new ExpositionParseException(line, "bucket le=" + bound + " follows le=" + lastBound
                            + ": buckets must be in increasing order");
                }
                if (value < lastBucketValue) {
                    throw new ExpositionParseException(line, "bucket value " + value + " is below the previous bucket's "
                            + lastBucketValue + ": buckets are cumulative");
                }
                hasBucket = true;
                lastBound = bound;
                lastBucketValue = value;
            }
            case COUNT, GCOUNT -> {
                hasCount = true;
                count = value;
            }
            case SUM -> hasSum = true;
            case GSUM -> {
                hasGsum = true;
                negativeGsum |= value < 0;
            }
            default -> {
            }
        }
    }

    private void checkHistogramPoint(FamilyBuilder family, long line) throws ExpositionParseException {
        String name = family.name;
        if (!hasBucket || lastBound != Double.POSITIVE_INFINITY) {
            throw new ExpositionParseException(line, "histogram '" + name + "' has a metric point without a +Inf bucket");
        }
        if (hasCount && count != lastBucketValue) {
            throw new ExpositionParseException(line, "histogram '" + name + "': count " + count
                    + " differs from the +Inf bucket " + lastBucketValue);
        }
        if ((hasSum || hasGsum) != hasCount) {
            String sum = family.type == MetricType.GAUGE_HISTOGRAM ? "_gsum" : "_sum";
            String cnt = family.type == MetricType.GAUGE_HISTOGRAM ? "_gcount" : "_count";
            throw new ExpositionParseException(line, "histogram '" + name + "': " + sum + " and " + cnt
                    + " must be present together");
        }
        if (negativeBuckets && hasSum) {
            tolerate(line, "histogram '" + name + "' has negative buckets and a _sum, which OpenMetrics 1.0 forbids",
                    "Prometheus scrapes it");
        }
        if (!negativeBuckets && negativeGsum) {
            throw new ExpositionParseException(line, "gauge histogram '" + name
                    + "' has a negative _gsum without negative buckets");
        }
    }

    /**
     * Reads a {@code le} or {@code quantile} label as a number. Infinities must be spelled canonically
     * ({@code +Inf}, {@code -Inf}).
     */
    private static double boundLabel(SampleLine s, int index, String label, long line) throws ExpositionParseException {
        int from = s.labels.valueStart(index);
        int to = s.labels.valueEnd(index);
        if (s.labels.escaped(index) || !NumberSyntax.isOpenMetricsNumber(s.b, from, to)) {
            throw new ExpositionParseException(line, label + "=\"" + s.labels.value(index) + "\" is not a number");
        }
        double v = NumberSyntax.toDouble(s.b, from, to);
        if (Double.isInfinite(v)) {
            String text = s.labels.value(index);
            if (!text.equals("+Inf") && !text.equals("-Inf")) {
                throw new ExpositionParseException(line, label + "=\"" + text + "\" must be written +Inf or -Inf");
            }
        }
        return v;
    }

    private static boolean isWhole(double v) {
        return Double.isInfinite(v) || Double.isNaN(v) || v == Math.rint(v);
    }
}
