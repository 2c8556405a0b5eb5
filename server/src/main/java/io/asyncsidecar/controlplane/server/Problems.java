package io.asyncsidecar.controlplane.server;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.asyncsidecar.controlplane.spi.ProblemException;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/**
 * Writes RFC 9457 problem documents ({@code application/problem+json}); the one place that knows their shape,
 * used by the error handlers, the filters and Helidon's direct handlers alike.
 */
final class Problems {

    static final String MEDIA_TYPE = "application/problem+json";
    private static final Jsonb JSONB = JsonbBuilder.create();

    private Problems() {
    }

    /**
     * The JSON text of a problem.
     *
     * @param problem  the problem
     * @param instance the request path, or null
     * @return UTF-8 bytes
     */
    static byte[] json(ProblemException problem, String instance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", problem.type() == null ? "about:blank" : problem.type());
        m.put("title", problem.title());
        m.put("status", problem.status());
        m.put("detail", problem.detail());
        if (instance != null) {
            m.put("instance", instance);
        }
        problem.extensions().forEach(m::putIfAbsent);
        return JSONB.toJson(m).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Sends a problem as the response.
     *
     * @param res      the response
     * @param problem  the problem
     * @param instance the request path
     */
    static void send(ServerResponse res, ProblemException problem, String instance) {
        res.status(Status.create(problem.status()));
        res.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE);
        if (problem.status() == 401) {
            res.header(HeaderValues.create(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"control-plane\""));
        }
        res.send(json(problem, instance));
    }

    /** @return a title for a status, e.g. {@code Not Found} */
    static String title(int status) {
        return Status.create(status).reasonPhrase();
    }

    /**
     * Serialises any JSON-B-able value, for the server's own small responses.
     *
     * @param value the value
     * @return JSON text
     */
    static String toJson(Object value) {
        return JSONB.toJson(value);
    }
}
