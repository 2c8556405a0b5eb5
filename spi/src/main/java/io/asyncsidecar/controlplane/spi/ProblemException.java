package io.asyncsidecar.controlplane.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An error a handler reports to the caller. The server renders it as an RFC 9457 problem document:
 * {@code {"type","title","status","detail","instance", ...extensions}} with content type
 * {@code application/problem+json}. The detail is shown to the caller as is: make it name what was wrong
 * (the field, the value, the limit) and never put a secret in it.
 */
public final class ProblemException extends RuntimeException {

    /** The problem member that carries a {@link #busy} problem's {@code Retry-After} seconds. */
    public static final String RETRY_AFTER = "retry_after_seconds";

    private final int status;
    private final String title;
    private final String type;
    private final Map<String, Object> extensions;

    private ProblemException(int status, String title, String detail, String type, Map<String, Object> extensions) {
        super(detail, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("problem status must be 4xx or 5xx, got " + status);
        }
        this.status = status;
        this.title = Objects.requireNonNull(title, "title");
        this.type = type;
        this.extensions = Map.copyOf(extensions);
    }

    /**
     * A problem with any status.
     *
     * @param status the HTTP status, 400..599
     * @param title  a short, fixed summary of the problem type, e.g. {@code Bad Request}
     * @param detail what went wrong in this occurrence
     * @return the exception
     */
    public static ProblemException of(int status, String title, String detail) {
        return new ProblemException(status, title, detail, null, Map.of());
    }

    /**
     * 400: the request is wrong; the detail names the field and the problem.
     *
     * @param detail the explanation
     * @return the exception
     */
    public static ProblemException badRequest(String detail) {
        return of(400, "Bad Request", detail);
    }

    /**
     * 404: the named thing does not exist (or belongs to another tenant).
     *
     * @param detail the explanation
     * @return the exception
     */
    public static ProblemException notFound(String detail) {
        return of(404, "Not Found", detail);
    }

    /**
     * 403: the caller may not do this.
     *
     * @param detail the explanation
     * @return the exception
     */
    public static ProblemException forbidden(String detail) {
        return of(403, "Forbidden", detail);
    }

    /**
     * 409: the request conflicts with the current state.
     *
     * @param detail the explanation
     * @return the exception
     */
    public static ProblemException conflict(String detail) {
        return of(409, "Conflict", detail);
    }

    /**
     * A 503 for work refused because its concurrency limit stayed full: the server answers it with a
     * {@code Retry-After} header of the given seconds (and the member {@value #RETRY_AFTER} in the document), so a
     * client backs off instead of piling up.
     *
     * @param detail            what was busy, naming the config key of its limit
     * @param retryAfterSeconds when to try again, at least 1
     * @return the exception
     */
    public static ProblemException busy(String detail, int retryAfterSeconds) {
        return of(503, "Service Unavailable", detail).with(RETRY_AFTER, Math.max(1, retryAfterSeconds));
    }

    /**
     * A copy with an extra member in the problem document.
     *
     * @param name  member name, e.g. {@code field}
     * @param value a JSON-serialisable value
     * @return a new exception
     */
    public ProblemException with(String name, Object value) {
        Map<String, Object> ext = new LinkedHashMap<>(extensions);
        ext.put(name, value);
        return new ProblemException(status, title, getMessage(), type, ext);
    }

    /**
     * A copy with a problem type URI.
     *
     * @param typeUri the type URI
     * @return a new exception
     */
    public ProblemException withType(String typeUri) {
        return new ProblemException(status, title, getMessage(), typeUri, extensions);
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the title */
    public String title() {
        return title;
    }

    /** @return the detail */
    public String detail() {
        return getMessage();
    }

    /** @return the type URI, or null for {@code about:blank} */
    public String type() {
        return type;
    }

    /** @return extra members of the problem document */
    public Map<String, Object> extensions() {
        return extensions;
    }
}
