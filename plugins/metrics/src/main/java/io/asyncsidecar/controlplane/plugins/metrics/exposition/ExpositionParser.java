package io.asyncsidecar.controlplane.plugins.metrics.exposition;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A streaming parser for the Prometheus text format 0.0.4 and OpenMetrics 1.0. It reads line by line from a
 * stream, keeps one line in memory and, per family, only its metadata and counts, so a scrape's memory does
 * not grow with its body. It folds samples into families ({@code _bucket}, {@code _count}, {@code _sum},
 * {@code _created}, {@code _total}, {@code _info}, {@code _gcount}, {@code _gsum}), reads label escapes, NaN,
 * infinities, timestamps and exemplars, requires OpenMetrics' {@code # EOF}, and rejects invalid input with
 * the line number and the reason.
 *
 * <p>One class serves both formats: they share the line model and differ in separators, escapes, comments,
 * the number grammar and the OpenMetrics-only rules ({@link OpenMetricsRules}), which are switches here.
 * The text format follows its reference parser (Go's {@code expfmt.TextParser}, used by
 * {@code promtool check metrics}); OpenMetrics follows its specification and test suite.
 *
 * <p>Written here rather than taken from a library because the JVM has none: the Prometheus Java client
 * only writes these formats. Instances are immutable and thread-safe; each {@link #parse} has its own state.
 */
public final class ExpositionParser {

    /** Longest line accepted by default. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;
    private static final byte[] EOF_LINE = "# EOF".getBytes(StandardCharsets.US_ASCII);

    private final ExpositionFormat format;
    private final boolean keepHelp;
    private final int maxLineBytes;
    private final UnaryOperator<String> names;
    private final boolean strict;

    private ExpositionParser(ExpositionFormat format, boolean keepHelp, int maxLineBytes, UnaryOperator<String> names,
                             boolean strict) {
        this.format = Objects.requireNonNull(format, "format");
        this.keepHelp = keepHelp;
        this.maxLineBytes = maxLineBytes;
        this.names = names;
        this.strict = strict;
    }

    /**
     * A parser for one format that keeps HELP texts, with the default line limit.
     *
     * @param format the format
     * @return the parser
     */
    public static ExpositionParser of(ExpositionFormat format) {
        return new ExpositionParser(format, true, DEFAULT_MAX_LINE_BYTES, UnaryOperator.identity(), false);
    }

    /**
     * A copy that keeps or drops HELP texts (dropping them saves memory when only counts are wanted); a dropped
     * text reads as an empty string, so families without a HELP line (null) can still be told apart.
     *
     * @param keep whether to keep them
     * @return the parser
     */
    public ExpositionParser keepHelp(boolean keep) {
        return new ExpositionParser(format, keep, maxLineBytes, names, strict);
    }

    /**
     * A copy with another line limit; a longer line is a parse error.
     *
     * @param bytes the limit
     * @return the parser
     */
    public ExpositionParser maxLineBytes(int bytes) {
        if (bytes < 64) {
            throw new IllegalArgumentException("max line bytes must be at least 64, got " + bytes);
        }
        return new ExpositionParser(format, keepHelp, bytes, names, strict);
    }

    /**
     * A copy that passes family and label names through {@code interner}, so that many expositions of the same
     * service share one string per name.
     *
     * @param interner e.g. a concurrent map's {@code computeIfAbsent}
     * @return the parser
     */
    public ExpositionParser names(UnaryOperator<String> interner) {
        return new ExpositionParser(format, keepHelp, maxLineBytes, Objects.requireNonNull(interner), strict);
    }

    /**
     * A copy that is strict about OpenMetrics: the violations Prometheus tolerates (and this parser by default
     * reports beside the exposition, see {@link Exposition#violations()}) fail the parse like any other, so the
     * parser decides as the OpenMetrics test suite does. The text format has no such violations.
     *
     * @param strict whether to fail on them
     * @return the parser
     */
    public ExpositionParser strict(boolean strict) {
        return new ExpositionParser(format, keepHelp, maxLineBytes, names, strict);
    }

    /**
     * Reads an exposition to its end.
     *
     * @param in the body (already decompressed); not closed
     * @return the families and counts
     * @throws IOException              when reading fails
     * @throws ExpositionParseException when the input breaks the format
     */
    public Exposition parse(InputStream in) throws IOException, ExpositionParseException {
        return new Run(new LineReader(in, 16 * 1024, maxLineBytes)).read();
    }

    /** The state of one parse. */
    private final class Run {
        private final boolean openMetrics = format == ExpositionFormat.OPENMETRICS;
        private final LineReader lines;
        private final SampleLine sample = new SampleLine(openMetrics);
        private final Map<String, FamilyBuilder> families = new LinkedHashMap<>(512);
        /** OpenMetrics: every sample name a family owns, to find families that clash or come back. */
        private final Map<String, String> owners = new HashMap<>();
        private final OpenMetricsRules rules = openMetrics ? new OpenMetricsRules(strict) : null;
        private final LongSet series = new LongSet();
        private FamilyBuilder current;
        private long samples;
        private boolean eof;

        Run(LineReader lines) {
            this.lines = lines;
        }

        Exposition read() throws IOException, ExpositionParseException {
            while (lines.next()) {
                line(lines.buffer(), lines.start(), lines.end(), lines.number());
            }
            long end = lines.number();
            if (openMetrics) {
                if (current != null) {
                    rules.endFamily(current, end);
                }
                if (!eof) {
                    throw new ExpositionParseException(end + 1, "missing '# EOF' at the end of the OpenMetrics exposition");
                }
            }
            List<MetricFamily> out = new ArrayList<>(families.size());
            for (FamilyBuilder f : families.values()) {
                out.add(f.build());
            }
            return new Exposition(format, out, samples, openMetrics ? rules.tolerated() : List.of());
        }

        private void line(byte[] b, int from, int to, long line) throws ExpositionParseException {
            if (eof) {
                throw new ExpositionParseException(line, "text after '# EOF'");
            }
            if (openMetrics) {
                if (from == to) {
                    throw new ExpositionParseException(line, "blank line (OpenMetrics allows none)");
                }
                if (b[from] == '#') {
                    if (Bytes.equals(b, from, to, EOF_LINE)) {
                        eof = true;
                    } else {
                        openMetricsDescriptor(b, from, to, line);
                    }
                    return;
                }
            } else {
                int p = Bytes.skipBlanks(b, from, to);
                if (p == to) {
                    return;
                }
                if (b[p] == '#') {
                    textComment(b, p + 1, to, line);
                    return;
                }
            }
            sample(b, from, to, line);
        }

        /** {@code # HELP|TYPE|UNIT name rest}, single spaces, the name followed by a space. */
        private void openMetricsDescriptor(byte[] b, int from, int to, long line) throws ExpositionParseException {
            int p = from + 1;
            String keyword = to - p >= 5 && b[p] == ' ' ? Bytes.ascii(b, p + 1, p + 5) : null;
            if (!"HELP".equals(keyword) && !"TYPE".equals(keyword) && !"UNIT".equals(keyword)) {
                throw new ExpositionParseException(line, "expected '# HELP', '# TYPE', '# UNIT' or '# EOF', found "
                        + Bytes.found(b, from, to) + " (OpenMetrics has no free comments)");
            }
            if (to - p == 5 || b[p + 5] != ' ') {
                throw new ExpositionParseException(line, "expected a space and a metric name after '# " + keyword
                        + "', found " + Bytes.found(b, p + 5, to));
            }
            p += 6;
            int nameEnd = Bytes.metricNameEnd(b, p, to);
            if (nameEnd == p || nameEnd >= to || b[nameEnd] != ' ') {
                throw new ExpositionParseException(line, nameEnd == p
                        ? "expected a metric name after '# " + keyword + "', found " + Bytes.found(b, p, to)
                        : "expected a space after the metric name in '# " + keyword + "', found "
                        + Bytes.found(b, nameEnd, to));
            }
            descriptor(keyword, b, p, nameEnd, nameEnd + 1, to, line);
        }

        /** The text format: {@code #} then blanks; HELP and TYPE lines are metadata, anything else a comment. */
        private void textComment(byte[] b, int p, int to, long line) throws ExpositionParseException {
            p = Bytes.skipBlanks(b, p, to);
            int k = p;
            while (k < to && !Bytes.isBlank(b[k])) {
                k++;
            }
            String keyword;
            if (Bytes.equals(b, p, k, HELP)) {
                keyword = "HELP";
            } else if (Bytes.equals(b, p, k, TYPE)) {
                keyword = "TYPE";
            } else {
                return;
            }
            p = Bytes.skipBlanks(b, k, to);
            int nameEnd = Bytes.metricNameEnd(b, p, to);
            if (nameEnd == p || (nameEnd < to && !Bytes.isBlank(b[nameEnd]))) {
                int token = p;
                while (token < to && !Bytes.isBlank(b[token])) {
                    token++;
                }
                throw new ExpositionParseException(line, token == p ? "expected a metric name after '# " + keyword + "'"
                        : "invalid metric name " + Bytes.found(b, p, token) + " in '# " + keyword + "'");
            }
            int rest = Bytes.skipBlanks(b, nameEnd, to);
            int restEnd = to;
            if (keyword.equals("TYPE")) {
                while (restEnd > rest && Bytes.isBlank(b[restEnd - 1])) {
                    restEnd--;
                }
            }
            descriptor(keyword, b, p, nameEnd, rest, restEnd, line);
        }

        private void descriptor(String keyword, byte[] b, int nameStart, int nameEnd, int from, int to, long line)
                throws ExpositionParseException {
            FamilyBuilder f = familyFor(b, nameStart, nameEnd, keyword, line);
            String name = f.name;
            switch (keyword) {
                case "HELP" -> {
                    if (f.helpDeclared) {
                        throw new ExpositionParseException(line, "second HELP line for '" + name + "'");
                    }
                    f.helpDeclared = true;
                    String help = unescapeHelp(b, from, to, line);
                    f.help = keepHelp ? help : "";
                }
                case "TYPE" -> {
                    if (f.typeDeclared) {
                        throw new ExpositionParseException(line, "second TYPE line for '" + name + "'");
                    }
                    if (f.hasSamples()) {
                        throw new ExpositionParseException(line, "TYPE line for '" + name + "' after its samples");
                    }
                    MetricType type = format.type(b, from, to);
                    if (type == null) {
                        throw new ExpositionParseException(line, "unknown metric type '" + Bytes.ascii(b, from, to)
                                + "' for '" + name + "'");
                    }
                    f.type(type, format);
                    if (openMetrics) {
                        for (SampleSuffix s : f.suffixes) {
                            if (s != SampleSuffix.NONE) {
                                own(name + s.text, f, line);
                            }
                        }
                        checkUnit(f, line);
                    }
                }
                default -> {
                    if (f.unitDeclared) {
                        throw new ExpositionParseException(line, "second UNIT line for '" + name + "'");
                    }
                    if (Bytes.metricNameEnd(b, from, to) != to && from != to) {
                        throw new ExpositionParseException(line, "invalid unit " + Bytes.found(b, from, to));
                    }
                    f.unitDeclared = true;
                    f.unit = Bytes.ascii(b, from, to);
                    if (!f.unit.isEmpty() && !name.endsWith("_" + f.unit)) {
                        throw new ExpositionParseException(line, "metric name '" + name + "' does not end with its unit '_"
                                + f.unit + "'");
                    }
                    checkUnit(f, line);
                }
            }
        }

        private void checkUnit(FamilyBuilder f, long line) throws ExpositionParseException {
            if (!f.unit.isEmpty() && (f.type == MetricType.INFO || f.type == MetricType.STATESET)) {
                throw new ExpositionParseException(line, f.type.wireName() + " '" + f.name + "' may not have a unit");
            }
        }

        /** The family a metadata line talks about. */
        private FamilyBuilder familyFor(byte[] b, int nameStart, int nameEnd, String keyword, long line)
                throws ExpositionParseException {
            // Metadata and samples of one family usually follow each other: compare bytes before making a string.
            if (current != null && Bytes.equals(b, nameStart, nameEnd, current.nameBytes)) {
                if (openMetrics && current.hasSamples()) {
                    throw new ExpositionParseException(line, keyword + " line for '" + current.name
                            + "' after its samples (metadata comes first)");
                }
                return current;
            }
            String name = Bytes.ascii(b, nameStart, nameEnd);
            if (openMetrics) {
                return startFamily(name, line);
            }
            FamilyBuilder f = families.get(name);
            if (f == null) {
                f = new FamilyBuilder(names.apply(name), format);
                families.put(f.name, f);
            }
            setCurrent(f);
            return f;
        }

        /** OpenMetrics: a new family begins; the one before it is complete. */
        private FamilyBuilder startFamily(String name, long line) throws ExpositionParseException {
            if (current != null) {
                rules.endFamily(current, line);
            }
            own(name, null, line);
            FamilyBuilder f = new FamilyBuilder(names.apply(name), format);
            families.put(f.name, f);
            setCurrent(f);
            rules.startFamily();
            return f;
        }

        private void own(String sampleName, FamilyBuilder family, long line) throws ExpositionParseException {
            String owner = owners.putIfAbsent(sampleName, family == null ? sampleName : family.name);
            if (owner == null) {
                return;
            }
            if (family != null) {
                throw new ExpositionParseException(line, family.type.wireName() + " '" + family.name + "' would own"
                        + " samples named '" + sampleName + "', which belong to family '" + owner + "'");
            }
            throw new ExpositionParseException(line, owner.equals(sampleName)
                    ? "metric family '" + sampleName + "' appears a second time (a family's lines must be contiguous)"
                    : "'" + sampleName + "' clashes with the samples of family '" + owner + "'");
        }

        private void setCurrent(FamilyBuilder f) {
            if (f != current) {
                current = f;
                series.clear();
            }
        }

        private void sample(byte[] b, int from, int to, long line) throws ExpositionParseException {
            SampleLine s = sample;
            s.parse(b, from, to, line);
            FamilyBuilder f = current;
            SampleSuffix suffix = f == null ? null : f.suffixOf(b, s.nameStart, s.nameEnd);
            if (suffix == null) {
                String name = s.name();
                if (openMetrics) {
                    f = startFamily(name, line);
                    suffix = SampleSuffix.NONE;
                } else {
                    f = textFamilyOf(name);
                    suffix = f.suffixOf(b, s.nameStart, s.nameEnd);
                    if (suffix == null) {
                        throw new ExpositionParseException(line, "sample '" + name + "' does not fit "
                                + f.type.wireName() + " family '" + f.name + "'");
                    }
                    setCurrent(f);
                }
            }
            if (f.firstSampleLine == 0) {
                f.firstSampleLine = line;
            }
            f.samples++;
            samples++;
            if (series.add(s.seriesHash())) {
                f.series++;
            }
            f.labelNames(s.labels, names);
            if (openMetrics) {
                rules.sample(f, suffix, s, line);
            } else {
                textRules(f, suffix, s, line);
            }
        }

        /**
         * The text format's family of a sample name, as Go's parser finds it: the family of that exact name, else
         * the summary or histogram the {@code _sum}, {@code _count} or {@code _bucket} belongs to, else a new
         * untyped family. (Families may reappear in this format, so its series count per family is a count of
         * series in each contiguous run.)
         */
        private FamilyBuilder textFamilyOf(String name) {
            FamilyBuilder f = families.get(name);
            if (f != null) {
                return f;
            }
            for (SampleSuffix s : List.of(SampleSuffix.BUCKET, SampleSuffix.COUNT, SampleSuffix.SUM)) {
                if (name.endsWith(s.text)) {
                    FamilyBuilder base = families.get(name.substring(0, name.length() - s.text.length()));
                    if (base != null && base.suffixes.contains(s)) {
                        return base;
                    }
                }
            }
            f = new FamilyBuilder(names.apply(name), format);
            families.put(f.name, f);
            return f;
        }

        /** What the text format's reference parser checks beyond syntax: numeric {@code le} and {@code quantile}. */
        private void textRules(FamilyBuilder f, SampleSuffix suffix, SampleLine s, long line)
                throws ExpositionParseException {
            byte[] label = null;
            if (f.type == MetricType.HISTOGRAM && suffix == SampleSuffix.BUCKET) {
                label = LE;
            } else if (f.type == MetricType.SUMMARY && suffix == SampleSuffix.NONE) {
                label = QUANTILE;
            }
            if (label != null) {
                int i = s.labels.indexOf(label);
                if (i >= 0) {
                    String v = s.labels.value(i);
                    byte[] vb = v.getBytes(StandardCharsets.UTF_8);
                    if (!NumberSyntax.isGoFloat(vb, 0, vb.length)) {
                        throw new ExpositionParseException(line, "expected a number as the value of label '"
                                + new String(label, StandardCharsets.US_ASCII) + "', got \"" + v + "\"");
                    }
                }
            }
        }

        /** HELP escapes: OpenMetrics keeps unknown escapes as written; the text format knows only two. */
        private String unescapeHelp(byte[] b, int from, int to, long line) throws ExpositionParseException {
            int first = Bytes.indexOfBackslash(b, from, to);
            if (first < 0) {
                return keepHelp ? new String(b, from, to - from, StandardCharsets.UTF_8) : null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
            out.write(b, from, first - from);
            for (int p = first; p < to; p++) {
                byte c = b[p];
                if (c != '\\') {
                    out.write(c);
                    continue;
                }
                if (p + 1 == to) {
                    if (!openMetrics) {
                        throw new ExpositionParseException(line, "HELP text ends with a lone backslash");
                    }
                    out.write('\\');
                    continue;
                }
                byte e = b[++p];
                if (e == '\\') {
                    out.write('\\');
                } else if (e == 'n') {
                    out.write('\n');
                } else if (e == '"' && openMetrics) {
                    out.write('"');
                } else if (openMetrics) {
                    out.write('\\');
                    out.write(e);
                } else {
                    throw new ExpositionParseException(line, "invalid escape sequence '\\" + (char) (e & 0xff)
                            + "' in HELP text");
                }
            }
            return keepHelp ? out.toString(StandardCharsets.UTF_8) : null;
        }
    }

    private static final byte[] LE = {'l', 'e'};
    private static final byte[] QUANTILE = "quantile".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HELP = "HELP".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TYPE = "TYPE".getBytes(StandardCharsets.US_ASCII);
}
