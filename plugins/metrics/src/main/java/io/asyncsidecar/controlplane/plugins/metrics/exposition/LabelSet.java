package io.asyncsidecar.controlplane.plugins.metrics.exposition;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The labels of one sample (or exemplar) line as ranges of the line buffer. Values are unescaped only when
 * asked for ({@code le}, {@code quantile}); hashes of each label let callers identify series and groups without
 * building strings.
 */
final class LabelSet {

    /** Above this many labels, duplicate names are found through a hash set instead of pairwise comparison. */
    private static final int PAIRWISE_LIMIT = 16;

    private byte[] b;
    private int count;
    private int[] nameStart = new int[8];
    private int[] nameEnd = new int[8];
    private int[] valueStart = new int[8];
    private int[] valueEnd = new int[8];
    private int[] escapes = new int[8];
    private boolean[] escaped = new boolean[8];
    private long[] nameHash = new long[8];
    private long[] labelHash = new long[8];
    private final LongSet names = new LongSet();

    void clear() {
        count = 0;
    }

    int size() {
        return count;
    }

    /**
     * Reads labels after the opening brace.
     *
     * @return the index after the closing brace
     */
    int parse(byte[] b, int p, int to, boolean openMetrics, long line, String what) throws ExpositionParseException {
        this.b = b;
        count = 0;
        if (!openMetrics) {
            p = Bytes.skipBlanks(b, p, to);
        }
        if (p < to && b[p] == '}') {
            return p + 1;
        }
        while (true) {
            if (!openMetrics) {
                p = Bytes.skipBlanks(b, p, to);
            }
            int ns = p;
            if (p < to && Bytes.isLabelNameStart(b[p])) {
                p++;
                while (p < to && Bytes.isLabelNameChar(b[p])) {
                    p++;
                }
            }
            if (ns == p) {
                throw new ExpositionParseException(line, "expected a " + what + " name, found " + Bytes.found(b, p, to));
            }
            int ne = p;
            if (!openMetrics) {
                p = Bytes.skipBlanks(b, p, to);
            }
            if (p >= to || b[p] != '=') {
                throw new ExpositionParseException(line, "expected '=' after " + what + " '" + Bytes.ascii(b, ns, ne)
                        + "', found " + Bytes.found(b, p, to));
            }
            p++;
            if (!openMetrics) {
                p = Bytes.skipBlanks(b, p, to);
            }
            if (p >= to || b[p] != '"') {
                throw new ExpositionParseException(line, "expected '\"' opening the value of " + what + " '"
                        + Bytes.ascii(b, ns, ne) + "', found " + Bytes.found(b, p, to));
            }
            p++;
            int vs = p;
            int known = 0;
            boolean anyEscape = false;
            while (true) {
                if (p >= to) {
                    throw new ExpositionParseException(line, "unterminated value of " + what + " '"
                            + Bytes.ascii(b, ns, ne) + "'");
                }
                byte c = b[p];
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    if (p + 1 >= to) {
                        throw new ExpositionParseException(line, "unterminated value of " + what + " '"
                                + Bytes.ascii(b, ns, ne) + "'");
                    }
                    byte e = b[p + 1];
                    if (e == '\\' || e == '"' || e == 'n') {
                        known++;
                    } else if (!openMetrics) {
                        // The text format's reference parser knows only these three escapes.
                        throw new ExpositionParseException(line, "invalid escape sequence '\\" + (char) (e & 0xff)
                                + "' in the value of " + what + " '" + Bytes.ascii(b, ns, ne) + "'");
                    }
                    anyEscape = true;
                    p += 2;
                } else {
                    p++;
                }
            }
            add(ns, ne, vs, p, anyEscape, known, line, what);
            p++;
            if (!openMetrics) {
                p = Bytes.skipBlanks(b, p, to);
            }
            if (p < to && b[p] == ',') {
                p++;
                if (!openMetrics) {
                    // The text format allows a trailing comma.
                    p = Bytes.skipBlanks(b, p, to);
                    if (p < to && b[p] == '}') {
                        return p + 1;
                    }
                }
                continue;
            }
            if (p < to && b[p] == '}') {
                return p + 1;
            }
            throw new ExpositionParseException(line, "expected ',' or '}' after the value of " + what + " '"
                    + Bytes.ascii(b, ns, ne) + "', found " + Bytes.found(b, p, to));
        }
    }

    private void add(int ns, int ne, int vs, int ve, boolean anyEscape, int known, long line, String what)
            throws ExpositionParseException {
        if (count == nameStart.length) {
            int n = count * 2;
            nameStart = Arrays.copyOf(nameStart, n);
            nameEnd = Arrays.copyOf(nameEnd, n);
            valueStart = Arrays.copyOf(valueStart, n);
            valueEnd = Arrays.copyOf(valueEnd, n);
            escapes = Arrays.copyOf(escapes, n);
            escaped = Arrays.copyOf(escaped, n);
            nameHash = Arrays.copyOf(nameHash, n);
            labelHash = Arrays.copyOf(labelHash, n);
        }
        long nh = Bytes.hash(b, ns, ne);
        boolean duplicate = false;
        if (count < PAIRWISE_LIMIT) {
            for (int i = 0; i < count && !duplicate; i++) {
                duplicate = nameHash[i] == nh && sameName(i, ns, ne);
            }
        } else {
            if (count == PAIRWISE_LIMIT) {
                names.clear();
                for (int i = 0; i < count; i++) {
                    names.add(nameHash[i]);
                }
            }
            if (!names.add(nh)) {
                for (int i = 0; i < count && !duplicate; i++) {
                    duplicate = nameHash[i] == nh && sameName(i, ns, ne);
                }
            }
        }
        if (duplicate) {
            throw new ExpositionParseException(line, "duplicate " + what + " name '" + Bytes.ascii(b, ns, ne) + "'");
        }
        nameStart[count] = ns;
        nameEnd[count] = ne;
        valueStart[count] = vs;
        valueEnd[count] = ve;
        escaped[count] = anyEscape;
        escapes[count] = known;
        nameHash[count] = nh;
        labelHash[count] = LongSet.mix(nh * 0x9E3779B97F4A7C15L + Bytes.hash(b, vs, ve));
        count++;
    }

    private boolean sameName(int i, int ns, int ne) {
        return Arrays.equals(b, nameStart[i], nameEnd[i], b, ns, ne);
    }

    /** The index of the label with this name, or -1. */
    int indexOf(byte[] name) {
        for (int i = 0; i < count; i++) {
            if (Arrays.equals(b, nameStart[i], nameEnd[i], name, 0, name.length)) {
                return i;
            }
        }
        return -1;
    }

    /** The order-independent hash of all labels but one ({@code -1}: all). */
    long hashExcept(int skip) {
        long h = 0;
        for (int i = 0; i < count; i++) {
            if (i != skip) {
                h += labelHash[i];
            }
        }
        return h;
    }

    long nameHash(int i) {
        return nameHash[i];
    }

    String name(int i) {
        return Bytes.ascii(b, nameStart[i], nameEnd[i]);
    }

    int valueStart(int i) {
        return valueStart[i];
    }

    int valueEnd(int i) {
        return valueEnd[i];
    }

    boolean escaped(int i) {
        return escaped[i];
    }

    /** The unescaped value of label {@code i}. */
    String value(int i) {
        if (!escaped[i]) {
            return new String(b, valueStart[i], valueEnd[i] - valueStart[i], StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(valueEnd[i] - valueStart[i]);
        for (int p = valueStart[i]; p < valueEnd[i]; p++) {
            byte c = b[p];
            if (c == '\\') {
                byte e = b[++p];
                switch (e) {
                    case 'n' -> out.write('\n');
                    case '\\', '"' -> out.write(e);
                    default -> {
                        out.write('\\');
                        out.write(e);
                    }
                }
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Characters (code points) of all names and unescaped values, for the exemplar length limit. */
    int codePoints() {
        int n = 0;
        for (int i = 0; i < count; i++) {
            n += nameEnd[i] - nameStart[i];
            for (int p = valueStart[i]; p < valueEnd[i]; p++) {
                if ((b[p] & 0xC0) != 0x80) {
                    n++;
                }
            }
            n -= escapes[i];
        }
        return n;
    }
}
