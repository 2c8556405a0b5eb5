package io.asyncsidecar.controlplane.plugins.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A byte string every matching line must contain as written: the pre-filter that spares parsing the lines that
 * cannot match. The scan looks for the needle's rarest byte eight bytes at a time and compares the rest only
 * there.
 *
 * <p>Needles are made only from characters that JSON writers never escape (printable ASCII other than
 * {@code " \ / < > & '}), so a value that matches once parsed is always found as written; what is left of a value
 * around such characters is its longest run without them.
 */
final class Needle {

    /** Rough frequency of each byte in JSON audit lines (higher is more common), for picking the rarest. */
    private static final int[] FREQUENCY = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            FREQUENCY[i] = 5;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            FREQUENCY[c] = 10;
        }
        set(15, "xjqzXJQZ");
        set(30, "vkTZ_{}");
        set(60, "hldcumpgfywb");
        set(100, "\" :,0123456789etaoinsr-.");
    }

    private static void set(int frequency, String chars) {
        for (char c : chars.toCharArray()) {
            FREQUENCY[c] = frequency;
        }
    }

    private final byte[] bytes;
    private final boolean ignoreCase;
    private final int rareIndex;
    private final int rareByte;
    private final boolean rareFolds;
    private final long rarity;

    private Needle(byte[] bytes, boolean ignoreCase) {
        this(bytes, ignoreCase, null);
    }

    private Needle(byte[] bytes, boolean ignoreCase, int[] sample) {
        this.bytes = bytes;
        this.ignoreCase = ignoreCase;
        int best = 0;
        long bestScore = Long.MAX_VALUE;
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            boolean folds = ignoreCase && isLower(b);
            // counts in a sample of the log itself decide; the static table breaks ties and stands in without one
            long score = FREQUENCY[b] + (folds ? FREQUENCY[b - 32] : 0);
            if (sample != null) {
                score += 1024L * (sample[b] + (folds ? sample[b - 32] : 0));
            }
            if (score < bestScore) {
                bestScore = score;
                best = i;
            }
        }
        this.rareIndex = best;
        this.rareByte = bytes[best] & 0xFF;
        this.rareFolds = ignoreCase && isLower(rareByte);
        this.rarity = bestScore;
    }

    /**
     * The same needle with its rare byte picked by the byte counts of a sample of the log.
     *
     * @param counts how often each byte occurs in the sample
     * @return the tuned needle
     */
    Needle tuned(int[] counts) {
        return new Needle(bytes, ignoreCase, counts);
    }

    /**
     * How often the needle occurs in a sample of the log: the fewer, the fewer lines the scan must look at.
     *
     * @param sample the sample
     * @param length bytes of it
     * @return the count
     */
    int occurrences(byte[] sample, int length) {
        int n = 0;
        for (int i = 0, last = length - bytes.length; i <= last; i++) {
            int k = 0;
            while (k < bytes.length && fold(sample[i + k] & 0xFF) == (bytes[k] & 0xFF)) {
                k++;
            }
            if (k == bytes.length) {
                n++;
            }
        }
        return n;
    }

    private int fold(int v) {
        return ignoreCase ? lower(v) : v;
    }

    /**
     * A needle for text that must appear in a line.
     *
     * @param text       the text; only its longest run of never-escaped characters is used
     * @param ignoreCase whether ASCII letters match in either case
     * @return the needle, or null when no run of at least two characters is left
     */
    static Needle of(String text, boolean ignoreCase) {
        String run = longestSafeRun(text);
        if (run.length() < 2) {
            return null;
        }
        byte[] b = run.getBytes(StandardCharsets.US_ASCII);
        if (ignoreCase) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) lower(b[i] & 0xFF);
            }
        }
        return new Needle(b, ignoreCase);
    }

    /**
     * A needle for a JSON string value: the value in quotes (or after its opening quote, for a prefix) when it
     * has no character a writer might escape, else its longest safe run.
     *
     * @param value  the value
     * @param prefix whether the value is only the beginning of the field's value
     * @return the needle, or null when too little of the value is safe to look for
     */
    static Needle ofValue(String value, boolean prefix) {
        // a number-like value may be written as a JSON number, without quotes
        boolean numeric = value.chars().allMatch(c -> c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.'
                || c == 'e' || c == 'E');
        if (!value.isEmpty() && !numeric && longestSafeRun(value).length() == value.length()) {
            return new Needle(('"' + value + (prefix ? "" : "\"")).getBytes(StandardCharsets.US_ASCII), false);
        }
        return of(value, false);
    }

    static String longestSafeRun(String s) {
        int bestStart = 0;
        int bestLen = 0;
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || !safe(s.charAt(i))) {
                if (i - start > bestLen) {
                    bestStart = start;
                    bestLen = i - start;
                }
                start = i + 1;
            }
        }
        return s.substring(bestStart, bestStart + bestLen);
    }

    private static boolean safe(char c) {
        return c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '/' && c != '<' && c != '>' && c != '&'
                && c != '\'';
    }

    private static boolean isLower(int b) {
        return b >= 'a' && b <= 'z';
    }

    private static int lower(int b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    int length() {
        return bytes.length;
    }

    /** @return position of the byte the scan looks for */
    int rareIndex() {
        return rareIndex;
    }

    /** @return the byte the scan looks for (lower case when it folds) */
    int rareByte() {
        return rareByte;
    }

    /** @return whether the scan must fold the rare byte's case ({@code | 0x20}) */
    boolean rareFolds() {
        return rareFolds;
    }

    /** @return how common the rare byte is; lower finds fewer false candidates */
    long rarity() {
        return rarity;
    }

    /**
     * Whether the needle starts at a position.
     *
     * @param b   the buffer
     * @param pos where it would start; the caller checks that the whole needle is inside the data
     * @return true when it is there
     */
    boolean at(ByteBuffer b, int pos) {
        for (int k = 0; k < bytes.length; k++) {
            if (fold(b.get(pos + k) & 0xFF) != (bytes[k] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the needle occurs in a range.
     *
     * @param b    the buffer
     * @param from first index
     * @param to   index after the last
     * @return true when found
     */
    boolean foundIn(ByteBuffer b, int from, int to) {
        // the rare byte eight at a time, as the scanner does, then a comparison where it is
        long pattern = (rareByte & 0xFFL) * 0x0101010101010101L;
        long foldBits = rareFolds ? 0x2020202020202020L : 0;
        int first = from + rareIndex;
        int last = to - bytes.length + rareIndex;
        int i = first;
        for (; i + 7 <= last; i += 8) {
            long x = b.getLong(i);
            long t = ((x | foldBits) ^ pattern);
            long m = ~(((t & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | t | 0x7F7F7F7F7F7F7F7FL);
            while (m != 0) {
                int p = i + (Long.numberOfTrailingZeros(m) >>> 3);
                if (at(b, p - rareIndex)) {
                    return true;
                }
                m &= m - 1;
            }
        }
        for (; i <= last; i++) {
            if (fold(b.get(i) & 0xFF) == rareByte && at(b, i - rareIndex)) {
                return true;
            }
        }
        return false;
    }
}
