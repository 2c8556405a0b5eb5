package io.asyncsidecar.controlplane.server;

import java.util.List;

import io.asyncsidecar.controlplane.spi.ProblemException;

import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;

/**
 * Checks of a request's head that Helidon leaves to the application, made before authentication and routing: body
 * framing (RFC 9112 section 6) and control characters in query parameters. Each refusal is a 400 naming the problem.
 */
final class RequestHeads {

    private RequestHeads() {
    }

    /**
     * Refuses framing a server must not guess at: a Content-Length that is not one non-negative decimal number
     * (Helidon read {@code -1} as "chunked"), both Transfer-Encoding and Content-Length (request smuggling), and
     * any transfer coding but a single {@code chunked}. The connection closes after the answer: where the body
     * ends is unknown.
     *
     * @param headers the request headers
     * @throws ProblemException 400
     */
    static void checkFraming(ServerRequestHeaders headers) {
        List<String> lengths = headers.all(HeaderNames.CONTENT_LENGTH, List::of);
        List<String> codings = headers.all(HeaderNames.TRANSFER_ENCODING, List::of);
        if (!lengths.isEmpty() && !codings.isEmpty()) {
            throw ProblemException.badRequest("a request may not carry both Transfer-Encoding and Content-Length");
        }
        if (lengths.size() > 1) {
            throw ProblemException.badRequest("a request may carry one Content-Length header, got " + lengths.size());
        }
        if (lengths.size() == 1 && !isDecimal(lengths.getFirst().strip())) {
            throw ProblemException.badRequest("Content-Length must be a non-negative decimal number, got '"
                    + Problems.shorten(lengths.getFirst()) + "'");
        }
        if (!codings.isEmpty() && !(codings.size() == 1 && codings.getFirst().strip().equalsIgnoreCase("chunked"))) {
            throw ProblemException.badRequest("the only transfer coding accepted is chunked, got '"
                    + Problems.shorten(String.join(", ", codings)) + "'");
        }
    }

    /**
     * Refuses query parameters whose decoded name or value holds a NUL or another C0 control character but tab,
     * line feed and carriage return: no parameter has a use for them and file and process APIs fail on a NUL.
     *
     * @param query the query
     * @throws ProblemException 400 naming the parameter
     */
    static void checkQuery(UriQuery query) {
        if (query.isEmpty()) {
            return;
        }
        try {
            for (String name : query.names()) {
                if (hasControl(name)) {
                    throw ProblemException.badRequest("a query parameter name holds a control character");
                }
                for (String value : query.all(name)) {
                    if (hasControl(value)) {
                        throw ProblemException.badRequest("query parameter '" + Problems.shorten(name)
                                + "' holds a control character (U+0000 to U+001F but tab, LF and CR)");
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("the query string is not valid percent-encoding");
        }
    }

    private static boolean isDecimal(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return true;
            }
        }
        return false;
    }
}
