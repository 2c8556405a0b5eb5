package io.asyncsidecar.controlplane.server;

import java.util.UUID;

import io.asyncsidecar.controlplane.spi.ProblemException;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Turns whatever a handler throws into a problem document: a {@link ProblemException} as it is, Helidon's own
 * HTTP exceptions with their status, a body that ended before its length or last chunk a 400, anything else (an
 * {@link Error} such as a stack overflow included) a 500 whose id is logged with the stack trace and whose body
 * carries only the id.
 */
final class ErrorMapper implements ErrorHandler<Throwable> {

    private static final System.Logger LOG = System.getLogger(ErrorMapper.class.getName());

    @Override
    public void handle(ServerRequest req, ServerResponse res, Throwable e) {
        String path = req.path().rawPath();
        if (res.isSent()) {
            LOG.log(System.Logger.Level.WARNING, "error after the response was sent on " + path, e);
            return;
        }
        Problems.send(res, toProblem(e, req.prologue().method().text() + " " + path), path);
    }

    static ProblemException toProblem(Throwable e, String what) {
        return switch (e) {
            case ProblemException p -> p;
            case HttpException h -> ProblemException.of(h.status().code(), Problems.title(h.status().code()),
                    h.getMessage() == null ? Problems.title(h.status().code()) : h.getMessage());
            case RequestException r -> ProblemException.of(r.status().code(), Problems.title(r.status().code()),
                    r.safeMessage() ? r.getMessage() : Problems.title(r.status().code()));
            case Throwable t when endedEarly(t) -> ProblemException.badRequest("the request body ended before its"
                    + " Content-Length or its last chunk: the connection closed (or was closed for taking too long)");
            default -> {
                String id = UUID.randomUUID().toString();
                LOG.log(System.Logger.Level.ERROR, "internal error " + id + " on " + what, e);
                yield ProblemException.of(500, "Internal Server Error",
                        "unexpected error; quote this id to the operator: " + id).with("error_id", id);
            }
        };
    }

    /**
     * Helidon's reader throws these (perhaps wrapped) when the connection ends in the middle of a body: the client
     * closed it, or {@link ConnectionGuard} did. Nobody reads the answer; it is no server error.
     */
    private static boolean endedEarly(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataReader.InsufficientDataAvailableException
                    || t instanceof io.helidon.webserver.ServerConnectionException) {
                return true;
            }
        }
        return false;
    }
}
