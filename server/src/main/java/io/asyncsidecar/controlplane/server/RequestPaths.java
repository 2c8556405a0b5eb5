package io.asyncsidecar.controlplane.server;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

import io.asyncsidecar.controlplane.spi.ProblemException;

/**
 * Brings a request target to the one spelling that both authentication and routing see. Helidon's router decodes
 * the path and drops dot segments, empty segments and matrix parameters before it matches a route, so a filter
 * that looked at the raw path ({@code /%61pi/plugins}, {@code //api/plugins}, {@code /x/../api/plugins}, an
 * absolute-form target) would let a request reach an {@code /api} handler unauthenticated. Here percent-encoded
 * unreserved characters are decoded (RFC 3986 section 6.2.2.2), empty and {@code .} segments dropped and {@code ..}
 * segments applied, and an absolute-form target reduced to its path; what the router would read differently from
 * the normalised text is refused with a 400: an encoded slash or backslash, a backslash, a matrix parameter
 * ({@code ;}), a control character, a malformed escape, a {@code ..} above the root.
 */
final class RequestPaths {

    private static final String HEX = "0123456789ABCDEF";

    private RequestPaths() {
    }

    /**
     * Normalises a raw request path.
     *
     * @param raw the path as the request line carries it (no query)
     * @return the normalised path, starting with {@code /}; a trailing slash is kept
     * @throws ProblemException 400 naming what is wrong with the path
     */
    static String normalize(String raw) {
        String path = withoutScheme(raw);
        if (!path.startsWith("/")) {
            throw bad("the request target must be a path starting with '/'");
        }
        StringBuilder decoded = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length() || hex(path.charAt(i + 1)) < 0 || hex(path.charAt(i + 2)) < 0) {
                    throw bad("the path has a malformed percent-encoding");
                }
                int v = hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2));
                i += 2;
                if (v == '/' || v == '\\') {
                    throw bad("the path has an encoded slash or backslash (%2F, %5C)");
                }
                if (v < 0x20 || v == 0x7f) {
                    throw bad("the path has an encoded control character");
                }
                if (unreserved(v)) {
                    decoded.append((char) v);
                } else {
                    decoded.append('%').append(HEX.charAt(v >> 4)).append(HEX.charAt(v & 0xf));
                }
            } else if (c == '\\') {
                throw bad("the path has a backslash");
            } else if (c == ';') {
                throw bad("the path has a matrix parameter (';')");
            } else if (c < 0x21 || c >= 0x7f) {
                throw bad("the path has a control, space or non-ASCII character; percent-encode it");
            } else {
                decoded.append(c);
            }
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : decoded.toString().split("/", -1)) {
            switch (segment) {
                case "", "." -> {
                    // empty and current-folder segments name nothing
                }
                case ".." -> {
                    if (segments.isEmpty()) {
                        throw bad("the path climbs above the root with '..'");
                    }
                    segments.removeLast();
                }
                default -> segments.addLast(segment);
            }
        }
        String last = decoded.substring(decoded.lastIndexOf("/") + 1);
        boolean trailingSlash = !segments.isEmpty() && (last.isEmpty() || last.equals(".") || last.equals(".."));
        return "/" + String.join("/", segments) + (trailingSlash ? "/" : "");
    }

    /** The path of an absolute-form target ({@code http://host:port/path}); other targets as they are. */
    private static String withoutScheme(String raw) {
        String lower = raw.toLowerCase(Locale.ROOT);
        for (String scheme : new String[] {"http://", "https://"}) {
            if (lower.startsWith(scheme)) {
                int slash = raw.indexOf('/', scheme.length());
                return slash < 0 ? "/" : raw.substring(slash);
            }
        }
        return raw;
    }

    private static boolean unreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static int hex(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    private static ProblemException bad(String detail) {
        return ProblemException.badRequest(detail);
    }
}
