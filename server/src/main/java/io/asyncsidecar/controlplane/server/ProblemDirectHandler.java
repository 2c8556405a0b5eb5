package io.asyncsidecar.controlplane.server;

import io.asyncsidecar.controlplane.spi.ProblemException;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Answers what Helidon handles before routing (malformed requests, bodies over the limit, refused WebSocket
 * upgrades) with a problem document. A refused upgrade carries its {@link ProblemException} as a
 * {@link Rejection}, so it gets the same detail (and extensions) an HTTP route's 401 or 403 has.
 *
 * <p>Helidon reports as an internal error, with no request, whatever fails while it reads a request line or
 * headers it cannot parse (a method with a non-ASCII byte) or a body after the handler (a broken chunked
 * encoding): the bytes the client sent decide those, so they are a 400. Helidon logs the stack trace of what it
 * answers with a 500 and nothing otherwise.
 */
final class ProblemDirectHandler implements DirectHandler {

    /**
     * A request refused before routing with a problem document. Helidon hands the exception's transport request
     * to the direct handler (not the exception itself), so the problem travels as that request.
     */
    static final class Rejection implements TransportRequest {
        private final ProblemException problem;
        private final String path;
        private final ServerRequestHeaders headers;

        Rejection(ProblemException problem, String path, io.helidon.http.Headers headers) {
            this.problem = problem;
            this.path = path;
            this.headers = ServerRequestHeaders.create(headers);
        }

        @Override
        public String protocolVersion() {
            return "1.1";
        }

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public ServerRequestHeaders headers() {
            return headers;
        }
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        if (request instanceof Rejection r) {
            return respond(Status.create(r.problem.status()), headers, r.problem, r.path);
        }
        if (status.code() < 400) {
            // static content answers a conditional GET by throwing 304 Not Modified: not an error, and no body
            return TransportResponse.builder().status(status).headers(headers).build();
        }
        if (eventType == EventType.INTERNAL_ERROR && request.path().isEmpty() && request.method().isEmpty()) {
            ProblemException malformed = ProblemException.badRequest("malformed request: the request line, headers"
                    + " or body framing could not be read as HTTP/1.1");
            return respond(Status.BAD_REQUEST_400, headers, malformed, null);
        }
        ProblemException problem = ProblemException.of(status.code(), status.reasonPhrase(),
                message == null || message.isBlank() ? status.reasonPhrase() : message);
        return respond(status, headers, problem, request.path().isEmpty() ? null : request.path());
    }

    private static TransportResponse respond(Status status, ServerResponseHeaders headers, ProblemException problem,
                                             String instance) {
        headers.set(HeaderValues.create(HeaderNames.CONTENT_TYPE, Problems.MEDIA_TYPE));
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(Problems.json(problem, instance))
                .build();
    }
}
