package io.asyncsidecar.controlplane.server;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.DirectHandler;
import io.helidon.http.RequestException;
import io.helidon.http.Status;

/**
 * The connection's reader as HTTP/1.1 sees it, over Helidon's own: it tells its {@link GuardedConnection} when bytes
 * arrive (for the head timeout) and reads chunk-size lines as RFC 9112 section 7.1 has them, which Helidon 4.2
 * does not: a chunk extension ({@code 3a;foo=bar}) is ignored, trailer fields after the last chunk are skipped,
 * and a line that is no chunk size is a 400 whose message does not repeat it. Helidon's own parse quoted the line
 * in a NumberFormatException, so a misframed body (secrets included) ended up in the log, and the request got a 500.
 *
 * <p>Helidon's HTTP/1 connection calls {@link #readLine()} only for chunk-size lines and the line after the last
 * chunk; the request line and headers are read by other methods.
 */
final class GuardedReader extends DataReader {

    /** A chunked body with more trailer lines than this is refused. */
    static final int MAX_TRAILER_LINES = 64;
    private static final int MAX_SIZE_DIGITS = 8;

    private boolean lastChunkSeen;

    GuardedReader(DataReader delegate, GuardedConnection owner) {
        super(() -> {
            owner.reading();
            try {
                delegate.ensureAvailable();
                return delegate.readBytes(delegate.available());
            } finally {
                owner.read();
            }
        });
    }

    @Override
    public String readLine() {
        if (lastChunkSeen) {
            lastChunkSeen = false;
            for (int i = 0; i <= MAX_TRAILER_LINES; i++) {
                if (line().isEmpty()) {
                    return "";
                }
            }
            throw malformed("more than " + MAX_TRAILER_LINES + " trailer fields after the last chunk");
        }
        String line = line();
        int end = line.indexOf(';');
        String size = stripBlanks(end < 0 ? line : line.substring(0, end));
        if (size.isEmpty() || size.length() > MAX_SIZE_DIGITS || !isHex(size)) {
            throw malformed("a chunk-size line is not 1 to " + MAX_SIZE_DIGITS + " hexadecimal digits"
                    + " (optionally followed by ;extensions)");
        }
        lastChunkSeen = isZero(size);
        return size;
    }

    private String line() {
        try {
            return super.readLine();
        } catch (DataReader.IncorrectNewLineException e) {
            throw malformed("a chunk line does not end with CRLF");
        }
    }

    private static RequestException malformed(String what) {
        return RequestException.builder()
                .type(DirectHandler.EventType.BAD_REQUEST)
                .status(Status.BAD_REQUEST_400)
                .message("malformed chunked request body: " + what)
                .safeMessage(true)
                .setKeepAlive(false)
                .build();
    }

    /** Chunk extensions may have blanks (BWS) before their semicolon: spaces and tabs only. */
    private static String stripBlanks(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
