package io.asyncsidecar.controlplane.plugins.metrics.exposition;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Character classes and helpers shared by the line tokenizers; all work on raw UTF-8 bytes. */
final class Bytes {

    private Bytes() {
    }

    private static final int METRIC_START = 1;
    private static final int METRIC_CHAR = 2;
    private static final int LABEL_START = 4;
    private static final int LABEL_CHAR = 8;
    private static final int BLANK = 16;
    /** Character classes of ASCII bytes, looked up instead of compared: the parser's hottest test. */
    private static final byte[] CLASSES = new byte[256];
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        for (int c = 0; c < 128; c++) {
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            boolean digit = c >= '0' && c <= '9';
            int k = 0;
            if (letter || c == ':') {
                k |= METRIC_START | METRIC_CHAR;
            }
            if (digit) {
                k |= METRIC_CHAR | LABEL_CHAR;
            }
            if (letter) {
                k |= LABEL_START | LABEL_CHAR;
            }
            if (c == ' ' || c == '\t') {
                k |= BLANK;
            }
            CLASSES[c] = (byte) k;
        }
    }

    static boolean isMetricNameStart(byte c) {
        return (CLASSES[c & 0xff] & METRIC_START) != 0;
    }

    static boolean isMetricNameChar(byte c) {
        return (CLASSES[c & 0xff] & METRIC_CHAR) != 0;
    }

    static boolean isLabelNameStart(byte c) {
        return (CLASSES[c & 0xff] & LABEL_START) != 0;
    }

    static boolean isLabelNameChar(byte c) {
        return (CLASSES[c & 0xff] & LABEL_CHAR) != 0;
    }

    static boolean isBlank(byte c) {
        return (CLASSES[c & 0xff] & BLANK) != 0;
    }

    static int skipBlanks(byte[] b, int p, int to) {
        while (p < to && isBlank(b[p])) {
            p++;
        }
        return p;
    }

    /** The end of a metric name starting at {@code p} ({@code p} itself when there is none). */
    static int metricNameEnd(byte[] b, int p, int to) {
        if (p < to && isMetricNameStart(b[p])) {
            p++;
            while (p < to && isMetricNameChar(b[p])) {
                p++;
            }
        }
        return p;
    }

    /** A 64-bit hash of a byte range, eight bytes per step (not for security: it only tells series apart). */
    static long hash(byte[] b, int from, int to) {
        long h = 0x9E3779B97F4A7C15L ^ (to - from);
        int p = from;
        for (; p + 8 <= to; p += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(b, p) * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        long tail = 0;
        for (int shift = 0; p < to; p++, shift += 8) {
            tail |= (b[p] & 0xffL) << shift;
        }
        return LongSet.mix(h ^ (tail * 0xC2B2AE3D27D4EB4FL));
    }

    /** The first line feed in a range, or -1. */
    static int indexOfNewline(byte[] b, int from, int to) {
        return indexOf(b, from, to, 0x0A0A0A0A0A0A0A0AL, (byte) '\n');
    }

    /** The first backslash in a range, or -1. */
    static int indexOfBackslash(byte[] b, int from, int to) {
        return indexOf(b, from, to, 0x5C5C5C5C5C5C5C5CL, (byte) '\\');
    }

    /** Eight bytes per step: the classic "has a zero byte" test on the word XOR the repeated byte. */
    private static int indexOf(byte[] b, int from, int to, long repeated, byte value) {
        int p = from;
        for (; p + 8 <= to; p += 8) {
            long x = (long) LONGS.get(b, p) ^ repeated;
            long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (t != 0) {
                return p + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; p < to; p++) {
            if (b[p] == value) {
                return p;
            }
        }
        return -1;
    }

    static boolean equals(byte[] a, int aFrom, int aTo, byte[] b) {
        return java.util.Arrays.equals(a, aFrom, aTo, b, 0, b.length);
    }

    static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** Quotes what stands at {@code p} for an error message: the next few characters, or "end of line". */
    static String found(byte[] b, int p, int to) {
        if (p >= to) {
            return "end of line";
        }
        int end = Math.min(to, p + 12);
        String s = new String(b, p, end - p, StandardCharsets.UTF_8)
                .replace("\t", "\\t").replace("\0", "\\0").replace("\r", "\\r");
        return "'" + s + (end < to ? "...'" : "'");
    }
}
