package io.asyncsidecar.controlplane.kit;

/**
 * Levenshtein distance with a bound, for "did you mean" suggestions (a misspelt field, a metric name a query asks
 * for): two rows of memory, and it gives up as soon as every path is at least the bound long, so comparing one
 * name with many costs little.
 */
public final class EditDistance {

    private EditDistance() {
    }

    /**
     * The number of single-character insertions, deletions and substitutions turning one string into the other.
     *
     * @param a     a string
     * @param b     another
     * @param limit the bound, at least 1
     * @return the distance, or {@code limit} when it is {@code limit} or more
     */
    public static int bounded(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) >= limit) {
            return limit;
        }
        int[] previous = new int[b.length() + 1];
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            row[0] = i;
            int rowMin = i;
            char c = a.charAt(i - 1);
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (c == b.charAt(j - 1) ? 0 : 1);
                row[j] = Math.min(substitution, Math.min(previous[j], row[j - 1]) + 1);
                rowMin = Math.min(rowMin, row[j]);
            }
            if (rowMin >= limit) {
                return limit;
            }
            int[] t = previous;
            previous = row;
            row = t;
        }
        return Math.min(previous[b.length()], limit);
    }
}
