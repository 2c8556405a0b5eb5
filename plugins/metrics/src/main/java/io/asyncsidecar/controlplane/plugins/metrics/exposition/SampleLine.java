package io.asyncsidecar.controlplane.plugins.metrics.exposition;

/**
 * Tokenizes one sample line in place: metric name, labels, value, timestamp and (OpenMetrics) exemplar, as
 * ranges of the line buffer. OpenMetrics separates tokens by exactly one space; the text format allows runs of
 * blanks, leading blanks and a trailing comma in the label set. One instance is reused for every line.
 */
final class SampleLine {

    private final boolean openMetrics;
    final LabelSet labels = new LabelSet();
    final LabelSet exemplarLabels = new LabelSet();
    byte[] b;
    int nameStart;
    int nameEnd;
    int valueStart;
    int valueEnd;
    boolean hasTimestamp;
    int timestampStart;
    int timestampEnd;
    boolean hasExemplar;

    SampleLine(boolean openMetrics) {
        this.openMetrics = openMetrics;
    }

    void parse(byte[] b, int from, int to, long line) throws ExpositionParseException {
        this.b = b;
        hasTimestamp = false;
        hasExemplar = false;
        labels.clear();
        int p = openMetrics ? from : Bytes.skipBlanks(b, from, to);
        nameStart = p;
        p = Bytes.metricNameEnd(b, p, to);
        nameEnd = p;
        if (nameStart == nameEnd) {
            throw new ExpositionParseException(line, "expected a metric name, found " + Bytes.found(b, p, to));
        }
        // The text format allows blanks between the name and its labels.
        int brace = openMetrics ? p : Bytes.skipBlanks(b, p, to);
        if (brace < to && b[brace] == '{') {
            p = labels.parse(b, brace + 1, to, openMetrics, line, "label");
        }
        int q = openMetrics ? (p < to && b[p] == ' ' ? p + 1 : p) : Bytes.skipBlanks(b, p, to);
        if (q == p) {
            throw new ExpositionParseException(line, p >= to ? "missing value after '" + name() + "'"
                    : "expected a space before the value of '" + name() + "', found " + Bytes.found(b, p, to));
        }
        p = q;
        valueStart = p;
        while (p < to && b[p] != ' ' && (openMetrics || b[p] != '\t')) {
            p++;
        }
        valueEnd = p;
        boolean number = openMetrics ? NumberSyntax.isOpenMetricsNumber(b, valueStart, valueEnd)
                : NumberSyntax.isGoFloat(b, valueStart, valueEnd);
        if (!number) {
            throw new ExpositionParseException(line, valueStart == valueEnd ? "missing value of '" + name() + "'"
                    : "invalid value " + Bytes.found(b, valueStart, valueEnd) + " of '" + name() + "'");
        }
        if (p == to) {
            return;
        }
        if (openMetrics) {
            openMetricsTail(p + 1, to, line);
        } else {
            textTail(Bytes.skipBlanks(b, p, to), to, line);
        }
    }

    /** After the value's space: {@code [timestamp] [" # " exemplar]}, single spaces, nothing trailing. */
    private void openMetricsTail(int p, int to, long line) throws ExpositionParseException {
        if (p == to) {
            throw new ExpositionParseException(line, "trailing space after the value of '" + name() + "'");
        }
        if (b[p] != '#') {
            timestampStart = p;
            while (p < to && b[p] != ' ') {
                p++;
            }
            timestampEnd = p;
            if (!NumberSyntax.isRealNumber(b, timestampStart, timestampEnd)) {
                throw new ExpositionParseException(line, timestampStart == timestampEnd
                        ? "two spaces after the value of '" + name() + "'"
                        : "invalid timestamp " + Bytes.found(b, timestampStart, timestampEnd) + " of '" + name() + "'");
            }
            hasTimestamp = true;
            if (p == to) {
                return;
            }
            p++;
            if (p >= to || b[p] != '#') {
                throw new ExpositionParseException(line, "expected ' # ' and an exemplar after the timestamp, found "
                        + Bytes.found(b, p, to));
            }
        }
        p++;
        if (p >= to || b[p] != ' ') {
            throw new ExpositionParseException(line, "expected a space after the exemplar's '#', found "
                    + Bytes.found(b, p, to));
        }
        p++;
        if (p >= to || b[p] != '{') {
            throw new ExpositionParseException(line, "expected '{' opening the exemplar's labels, found "
                    + Bytes.found(b, p, to));
        }
        p = exemplarLabels.parse(b, p + 1, to, true, line, "exemplar label");
        if (p >= to || b[p] != ' ') {
            throw new ExpositionParseException(line, "expected a space and a value after the exemplar's labels, found "
                    + Bytes.found(b, p, to));
        }
        int vs = ++p;
        while (p < to && b[p] != ' ') {
            p++;
        }
        if (!NumberSyntax.isOpenMetricsNumber(b, vs, p)) {
            throw new ExpositionParseException(line, vs == p ? "missing exemplar value"
                    : "invalid exemplar value " + Bytes.found(b, vs, p));
        }
        if (p < to) {
            int ts = ++p;
            while (p < to && b[p] != ' ') {
                p++;
            }
            if (p < to) {
                throw new ExpositionParseException(line, "unexpected " + Bytes.found(b, p, to)
                        + " after the exemplar's timestamp");
            }
            if (!NumberSyntax.isRealNumber(b, ts, p)) {
                throw new ExpositionParseException(line, ts == p ? "trailing space after the exemplar's value"
                        : "invalid exemplar timestamp " + Bytes.found(b, ts, p));
            }
        }
        int length = exemplarLabels.codePoints();
        if (length > 128) {
            throw new ExpositionParseException(line, "exemplar labels are " + length
                    + " characters long; OpenMetrics allows 128");
        }
        hasExemplar = true;
    }

    /** After the value and blanks: {@code [timestamp]}, an integer of milliseconds; blanks may trail. */
    private void textTail(int p, int to, long line) throws ExpositionParseException {
        if (p == to) {
            return;
        }
        timestampStart = p;
        while (p < to && !Bytes.isBlank(b[p])) {
            p++;
        }
        timestampEnd = p;
        if (!NumberSyntax.isInteger(b, timestampStart, timestampEnd)) {
            throw new ExpositionParseException(line, "invalid timestamp " + Bytes.found(b, timestampStart, timestampEnd)
                    + " of '" + name() + "': expected integer milliseconds");
        }
        hasTimestamp = true;
        p = Bytes.skipBlanks(b, p, to);
        if (p != to) {
            throw new ExpositionParseException(line, "unexpected " + Bytes.found(b, p, to) + " after the timestamp of '"
                    + name() + "'");
        }
    }

    String name() {
        return Bytes.ascii(b, nameStart, nameEnd);
    }

    double value() {
        return NumberSyntax.toDouble(b, valueStart, valueEnd);
    }

    double timestamp() {
        return NumberSyntax.toDouble(b, timestampStart, timestampEnd);
    }

    /** Identifies the series: the full sample name and every label. */
    long seriesHash() {
        return LongSet.mix(Bytes.hash(b, nameStart, nameEnd)) + labels.hashExcept(-1);
    }
}
