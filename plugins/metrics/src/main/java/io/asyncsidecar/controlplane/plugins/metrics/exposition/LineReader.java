package io.asyncsidecar.controlplane.plugins.metrics.exposition;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines in place, without decoding or copying them: a line is a range of the
 * internal buffer, valid until the next call. Memory stays at the longest line seen (capped), whatever the
 * length of the stream.
 */
final class LineReader {

    private final InputStream in;
    private final int maxLineBytes;
    private byte[] buffer;
    private int position;
    private int limit;
    private boolean endOfStream;
    private int lineStart;
    private int lineEnd;
    private boolean terminated;
    private long lineNumber;

    LineReader(InputStream in, int initialBytes, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.buffer = new byte[Math.min(initialBytes, maxLineBytes + 1)];
    }

    /**
     * Advances to the next line.
     *
     * @return false at the end of the stream
     * @throws ExpositionParseException when a line is longer than the cap
     */
    boolean next() throws IOException, ExpositionParseException {
        int from = position;
        while (true) {
            int nl = Bytes.indexOfNewline(buffer, from, limit);
            if (nl >= 0) {
                lineStart = position;
                lineEnd = nl;
                terminated = true;
                position = nl + 1;
                lineNumber++;
                return true;
            }
            int pending = limit - position;
            from = limit;
            if (endOfStream) {
                if (pending == 0) {
                    return false;
                }
                lineStart = position;
                lineEnd = limit;
                terminated = false;
                position = limit;
                lineNumber++;
                return true;
            }
            if (pending > maxLineBytes) {
                throw new ExpositionParseException(lineNumber + 1, "line longer than " + maxLineBytes + " bytes");
            }
            if (position > 0) {
                System.arraycopy(buffer, position, buffer, 0, pending);
                from -= position;
                limit = pending;
                position = 0;
            }
            if (limit == buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxLineBytes + 1));
            }
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                endOfStream = true;
            } else {
                limit += n;
            }
        }
    }

    byte[] buffer() {
        return buffer;
    }

    int start() {
        return lineStart;
    }

    int end() {
        return lineEnd;
    }

    /** Whether the line ended with a line feed (only the last line of a stream may not). */
    boolean terminated() {
        return terminated;
    }

    long number() {
        return lineNumber;
    }
}
