package io.asyncsidecar.controlplane.plugins.metrics.exposition;

import java.util.Arrays;

/**
 * A set of 64-bit hashes (open addressing, no boxing) for counting distinct series and label groups per
 * family. Zero is a valid member: it is tracked apart from the table's empty slots.
 */
final class LongSet {

    private static final int SMALL = 64;
    private final int initial;
    private long[] table;
    private int size;
    private boolean hasZero;

    LongSet() {
        this(SMALL);
    }

    /** A set whose table starts at {@code initial} slots (a power of two). */
    LongSet(int initial) {
        this.initial = Integer.highestOneBit(Math.max(4, initial));
        this.table = new long[this.initial];
    }

    /**
     * Adds a value.
     *
     * @return true when it was not present
     */
    boolean add(long value) {
        if (value == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        int mask = table.length - 1;
        int i = (int) mix(value) & mask;
        while (true) {
            long v = table[i];
            if (v == 0) {
                table[i] = value;
                if (++size * 2 > table.length) {
                    grow();
                }
                return true;
            }
            if (v == value) {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    boolean contains(long value) {
        if (value == 0) {
            return hasZero;
        }
        int mask = table.length - 1;
        int i = (int) mix(value) & mask;
        while (true) {
            long v = table[i];
            if (v == 0) {
                return false;
            }
            if (v == value) {
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    /** Empties the set; a table grown for one large family is dropped rather than wiped on every later clear. */
    void clear() {
        if (size == 0 && !hasZero) {
            return;
        }
        if (table.length > initial * 16) {
            table = new long[initial];
        } else {
            Arrays.fill(table, 0);
        }
        size = 0;
        hasZero = false;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        size = 0;
        for (long v : old) {
            if (v != 0) {
                int mask = table.length - 1;
                int i = (int) mix(v) & mask;
                while (table[i] != 0) {
                    i = (i + 1) & mask;
                }
                table[i] = v;
                size++;
            }
        }
    }

    /** The finaliser of MurmurHash3: spreads every input bit over the whole word. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
