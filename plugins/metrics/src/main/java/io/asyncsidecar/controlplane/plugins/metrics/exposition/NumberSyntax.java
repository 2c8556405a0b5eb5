package io.asyncsidecar.controlplane.plugins.metrics.exposition;

import java.nio.charset.StandardCharsets;

/**
 * The number grammars of the two formats, checked on raw bytes so that the text format, whose values the
 * aggregation never needs, is validated without converting anything.
 */
final class NumberSyntax {

    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private NumberSyntax() {
    }

    /** OpenMetrics realnumber: {@code [+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?}. */
    static boolean isRealNumber(byte[] b, int from, int to) {
        int p = from;
        if (p < to && (b[p] == '+' || b[p] == '-')) {
            p++;
        }
        int digits = 0;
        while (p < to && isDigit(b[p])) {
            p++;
            digits++;
        }
        if (p < to && b[p] == '.') {
            p++;
            while (p < to && isDigit(b[p])) {
                p++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (p < to && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            if (p < to && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            int exp = 0;
            while (p < to && isDigit(b[p])) {
                p++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return p == to;
    }

    /** An OpenMetrics value: a realnumber, {@code [+-]inf}, {@code [+-]infinity} or {@code nan}, words in any case. */
    static boolean isOpenMetricsNumber(byte[] b, int from, int to) {
        if (isRealNumber(b, from, to)) {
            return true;
        }
        if (wordIs(b, from, to, "nan")) {
            return true;
        }
        int p = from < to && (b[from] == '+' || b[from] == '-') ? from + 1 : from;
        return wordIs(b, p, to, "inf") || wordIs(b, p, to, "infinity");
    }

    /**
     * What Go's {@code strconv.ParseFloat} accepts, as the text format's reference parser uses it: decimal and
     * hexadecimal floats, and inf, infinity and nan in any case with an optional sign.
     */
    static boolean isGoFloat(byte[] b, int from, int to) {
        if (isRealNumber(b, from, to)) {
            return true;
        }
        int p = from < to && (b[from] == '+' || b[from] == '-') ? from + 1 : from;
        return wordIs(b, p, to, "inf") || wordIs(b, p, to, "infinity") || wordIs(b, p, to, "nan")
                || isHexFloat(b, p, to);
    }

    /** The text format's timestamp: an int64 of milliseconds. */
    static boolean isInteger(byte[] b, int from, int to) {
        int p = from < to && (b[from] == '-' || b[from] == '+') ? from + 1 : from;
        if (p == to || to - p > 19) {
            return false;
        }
        for (int i = p; i < to; i++) {
            if (!isDigit(b[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Converts a number that passed {@link #isOpenMetricsNumber} or {@link #isGoFloat}. Integers and short
     * decimals take an exact fast path (Clinger's: mantissa below 2^53, power of ten at most 22); the rest go
     * through {@link Double#parseDouble}.
     */
    static double toDouble(byte[] b, int from, int to) {
        int p = from;
        boolean negative = false;
        if (b[p] == '+' || b[p] == '-') {
            negative = b[p] == '-';
            p++;
        }
        if (p < to && !isDigit(b[p]) && b[p] != '.') {
            if (wordIs(b, p, to, "nan")) {
                return Double.NaN;
            }
            if (wordIs(b, p, to, "inf") || wordIs(b, p, to, "infinity")) {
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return slow(b, from, to);
        }
        long mantissa = 0;
        int significant = 0;
        int scale = 0;
        boolean fraction = false;
        for (; p < to; p++) {
            byte c = b[p];
            if (isDigit(c)) {
                if (mantissa != 0 || c != '0') {
                    if (++significant > 15) {
                        return slow(b, from, to);
                    }
                }
                mantissa = mantissa * 10 + (c - '0');
                if (fraction) {
                    scale++;
                }
            } else if (c == '.' && !fraction) {
                fraction = true;
            } else {
                break;
            }
        }
        if (p < to) {
            if (b[p] != 'e' && b[p] != 'E') {
                return slow(b, from, to);
            }
            p++;
            boolean negativeExponent = false;
            if (p < to && (b[p] == '+' || b[p] == '-')) {
                negativeExponent = b[p] == '-';
                p++;
            }
            int exponent = 0;
            for (; p < to; p++) {
                if (!isDigit(b[p]) || exponent > 1000) {
                    return slow(b, from, to);
                }
                exponent = exponent * 10 + (b[p] - '0');
            }
            scale += negativeExponent ? exponent : -exponent;
        }
        double value;
        if (scale == 0) {
            value = mantissa;
        } else if (scale > 0 && scale < POWERS_OF_TEN.length) {
            value = mantissa / POWERS_OF_TEN[scale];
        } else if (scale < 0 && -scale < POWERS_OF_TEN.length) {
            value = mantissa * POWERS_OF_TEN[-scale];
        } else {
            return slow(b, from, to);
        }
        return negative ? -value : value;
    }

    private static double slow(byte[] b, int from, int to) {
        return Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    }

    private static boolean isHexFloat(byte[] b, int from, int to) {
        int p = from;
        if (to - p < 3 || b[p] != '0' || (b[p + 1] != 'x' && b[p + 1] != 'X')) {
            return false;
        }
        p += 2;
        int digits = 0;
        while (p < to && (isHexDigit(b[p]) || b[p] == '_')) {
            p++;
            digits++;
        }
        if (p < to && b[p] == '.') {
            p++;
            while (p < to && isHexDigit(b[p])) {
                p++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (p == to) {
            // a hexadecimal integer; Go accepts it as a float
            return true;
        }
        if (b[p] != 'p' && b[p] != 'P') {
            return false;
        }
        p++;
        if (p < to && (b[p] == '+' || b[p] == '-')) {
            p++;
        }
        int exp = 0;
        while (p < to && isDigit(b[p])) {
            p++;
            exp++;
        }
        return exp > 0 && p == to;
    }

    private static boolean wordIs(byte[] b, int from, int to, String lowerWord) {
        if (to - from != lowerWord.length()) {
            return false;
        }
        for (int i = 0; i < lowerWord.length(); i++) {
            if ((b[from + i] | 0x20) != lowerWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(byte c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
