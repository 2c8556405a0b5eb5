package io.asyncsidecar.controlplane.plugins.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

/**
 * Splits bytes into lines, eight bytes at a time: each {@code long} read from the buffer is tested at once for
 * newlines and for the {@link Needle}'s rarest byte (the "has zero byte" trick on {@code x ^ pattern}), so most
 * words cost a few arithmetic operations and no per-byte branch. Lines with the needle are candidates; the rest
 * are still counted, and checked for their shape only.
 *
 * <p>Memory is bounded whatever the input: the buffer holds one block plus at most one line of
 * {@code maxLine} bytes. A longer line (a 100 MB line, binary garbage without newlines) is reported as
 * {@linkplain Sink#oversized oversized} and skipped up to its end without being kept.
 *
 * <p>A scanner reads the lines that start in {@code [start, end)}; the last of them is read to its end even
 * beyond {@code end}, and a line starting before {@code start} is skipped (it belongs to the range before). So
 * ranges cut anywhere split a file's lines between them exactly once.
 */
final class LineScanner {

    /** Receives what the scanner finds. */
    interface Sink {
        /**
         * A complete line, without its newline.
         *
         * @param b         the buffer
         * @param from      first index of the line
         * @param to        index of its newline
         * @param offset    file offset of the line's first byte
         * @param candidate whether the line contains the needle (always true without one)
         */
        void line(ByteBuffer b, int from, int to, long offset, boolean candidate);

        /**
         * The data ended inside a line: what there is of it.
         *
         * @param b         the buffer
         * @param from      first index
         * @param to        end of the data
         * @param offset    file offset of the line's first byte
         * @param candidate whether it contains the needle
         */
        void unterminated(ByteBuffer b, int from, int to, long offset, boolean candidate);

        /**
         * Lines without the needle that look like JSON objects ({@code {...}}): only counted, so the common line
         * costs no call.
         *
         * @param count how many since the last call
         */
        void plain(int count);

        /**
         * A line longer than the maximum; it is skipped.
         *
         * @param offset file offset of its first byte
         */
        void oversized(long offset);
    }

    /** Where bytes come from. */
    interface Source {
        /**
         * Reads into the buffer's remaining space.
         *
         * @param dst the buffer, positioned where data goes
         * @return bytes read; 0 or -1 when there is nothing more for now
         * @throws IOException when reading fails
         */
        int read(ByteBuffer dst) throws IOException;
    }

    /** Bytes read at a time, besides the line carried over. */
    static final int BLOCK = 1 << 20;

    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long CASE_BITS = 0x2020202020202020L;

    private final ByteBuffer buf;
    private final Needle needle;
    private final long rare;
    private final long fold;
    private final int rareIndex;
    private final int needleLength;
    private final int maxLine;
    private final Sink sink;

    private long end;
    private long base;
    private int limit;
    private int lineStart;
    private int scanned;
    private boolean skipping;
    private boolean candidate;
    private boolean deferred;
    private boolean done;
    private int plain;

    /**
     * @param buf     a buffer of at least {@code maxLine + BLOCK} bytes, little-endian
     * @param needle  the needle, or null to make every line a candidate
     * @param maxLine the longest line kept
     * @param sink    where lines go
     */
    LineScanner(ByteBuffer buf, Needle needle, int maxLine, Sink sink) {
        if (buf.capacity() < maxLine + BLOCK) {
            throw new IllegalArgumentException("buffer of " + buf.capacity() + " bytes is too small");
        }
        this.buf = buf;
        this.needle = needle;
        this.rare = needle == null ? 0 : (needle.rareByte() & 0xFFL) * 0x0101010101010101L;
        this.fold = needle != null && needle.rareFolds() ? CASE_BITS : 0;
        this.rareIndex = needle == null ? 0 : needle.rareIndex();
        this.needleLength = needle == null ? 0 : needle.length();
        this.maxLine = maxLine;
        this.sink = sink;
    }

    /**
     * Starts a range.
     *
     * @param offset file offset of the first byte the source gives
     * @param align  whether that byte may be inside a line; the scanner then starts after the next newline (give
     *               the byte before the range's start, so a line starting exactly there is kept)
     * @param end    lines starting at or after this offset are not read
     */
    void start(long offset, boolean align, long end) {
        this.base = offset;
        this.end = end;
        this.limit = 0;
        this.lineStart = 0;
        this.scanned = 0;
        this.skipping = align;
        this.candidate = false;
        this.deferred = false;
        this.done = offset >= end && !align;
    }

    /** @return whether a line at or after the range's end was reached */
    boolean done() {
        return done;
    }

    /** @return file offset just after the last byte read */
    long position() {
        return base + limit;
    }

    /** @return file offset where the line not yet complete starts (the resume point) */
    long pendingLineOffset() {
        return base + lineStart;
    }

    /**
     * Reads from the source until it has nothing more for now, or the range's end is reached.
     *
     * @param src  the source
     * @param stop polled once a block: true abandons the range
     * @throws IOException when reading fails
     */
    void feed(Source src, BooleanSupplier stop) throws IOException {
        while (!done && !stop.getAsBoolean()) {
            buf.limit(buf.capacity()).position(limit);
            int n = src.read(buf);
            if (n <= 0) {
                return;
            }
            limit += n;
            scan();
            if (!done) {
                makeRoom();
            }
        }
    }

    /** The data ended: hands over the line the source ended in, if any. */
    void finish() {
        if (!done && !skipping && limit > lineStart) {
            boolean c = needle == null || candidate || deferred && needle.foundIn(buf, lineStart, limit);
            sink.unterminated(buf, lineStart, limit, base + lineStart, c);
        }
        done = true;
    }

    private void makeRoom() {
        if (skipping) {
            discard();
        } else if (limit - lineStart > maxLine) {
            sink.oversized(base + lineStart);
            skipping = true;
            discard();
        } else if (lineStart > 0) {
            int len = limit - lineStart;
            if (len > 0) {
                buf.limit(buf.capacity());
                buf.put(0, buf, lineStart, len);
            }
            base += lineStart;
            limit = len;
            scanned -= lineStart;
            lineStart = 0;
        }
    }

    private void discard() {
        base += limit;
        limit = 0;
        lineStart = 0;
        scanned = 0;
        candidate = false;
        deferred = false;
    }

    private void scan() {
        final ByteBuffer b = buf;
        final boolean hasNeedle = needle != null;
        final long rareBytes = rare;
        final long foldBits = fold;
        int i = scanned;
        // two words a turn, one branch for both: most turns find neither a newline nor the rare byte
        for (int pairs = limit - 15; i < pairs; i += 16) {
            long x = b.getLong(i);
            long y = b.getLong(i + 8);
            long nlx = zeroBytes(x ^ NEWLINES);
            long nly = zeroBytes(y ^ NEWLINES);
            long mx = hasNeedle ? nlx | zeroBytes((x | foldBits) ^ rareBytes) : nlx;
            long my = hasNeedle ? nly | zeroBytes((y | foldBits) ^ rareBytes) : nly;
            if ((mx | my) != 0 && (mx != 0 && word(i, mx, nlx) || my != 0 && word(i + 8, my, nly))) {
                return;
            }
        }
        for (int words = limit - 7; i < words; i += 8) {
            long x = b.getLong(i);
            long nl = zeroBytes(x ^ NEWLINES);
            long m = hasNeedle ? nl | zeroBytes((x | foldBits) ^ rareBytes) : nl;
            if (m != 0 && word(i, m, nl)) {
                return;
            }
        }
        int foldByte = (int) (foldBits & 0xFF);
        int rareByte = (int) (rareBytes & 0xFF);
        for (; i < limit; i++) {
            int v = b.get(i) & 0xFF;
            if (v == '\n') {
                endLine(i);
                if (done) {
                    scanned = i + 1;
                    flushPlain();
                    return;
                }
            } else if (hasNeedle && (v | foldByte) == rareByte) {
                hit(i);
            }
        }
        scanned = limit;
        flushPlain();
    }

    /**
     * Handles the newlines and rare bytes of one word, in order.
     *
     * @return true when the range's end was reached (scanning stops)
     */
    private boolean word(int i, long m, long nl) {
        while (m != 0) {
            long low = m & -m;
            int p = i + (Long.numberOfTrailingZeros(low) >>> 3);
            if ((nl & low) == 0) {
                hit(p);
            } else if (needle != null && !candidate && !deferred && !skipping && objectShaped(buf, lineStart, p)) {
                // the common line: no needle, looks like an object; counted, nothing else
                plain++;
                lineStart = p + 1;
                if (base + lineStart >= end) {
                    done = true;
                }
            } else {
                endLine(p);
            }
            if (done) {
                scanned = p + 1;
                flushPlain();
                return true;
            }
            m ^= low;
        }
        return false;
    }

    private void flushPlain() {
        if (plain > 0) {
            sink.plain(plain);
            plain = 0;
        }
    }

    private static boolean objectShaped(ByteBuffer b, int from, int nl) {
        return nl - from >= 2 && b.get(from) == '{' && b.get(nl - 1) == '}';
    }

    /** High bit set in each byte of {@code x} that is zero, and only there. */
    private static long zeroBytes(long x) {
        long t = (x & LOW7) + LOW7;
        return ~(t | x | LOW7);
    }

    private void endLine(int p) {
        if (skipping) {
            skipping = false;
        } else {
            boolean c = needle == null || candidate || deferred && needle.foundIn(buf, lineStart, p);
            sink.line(buf, lineStart, p, base + lineStart, c);
        }
        lineStart = p + 1;
        candidate = false;
        deferred = false;
        if (base + lineStart >= end) {
            done = true;
        }
    }

    private void hit(int p) {
        if (skipping || candidate) {
            return;
        }
        int s = p - rareIndex;
        if (s < lineStart) {
            return;
        }
        if (s + needleLength <= limit) {
            candidate = needle.at(buf, s);
        } else {
            deferred = true;
        }
    }
}
