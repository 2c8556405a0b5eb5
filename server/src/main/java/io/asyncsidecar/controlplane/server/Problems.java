package io.asyncsidecar.controlplane.server;

import java.util.LinkedHashMap;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.spi.ProblemException;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * Writes RFC 9457 problem documents ({@code application/problem+json}); the one place that knows their shape,
 * used by the error handlers, the filters and Helidon's direct handlers alike.
 */
final class Problems {

    static final String MEDIA_TYPE = "application/problem+json";

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
        return JsonCodec.writeBytes(m);
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
        if (problem.extensions().get(ProblemException.RETRY_AFTER) instanceof Integer seconds) {
            res.header(HeaderNames.RETRY_AFTER, Integer.toString(seconds));
        }
        res.send(json(problem, instance));
    }

    /**
     * A caller's value as a detail may quote it: at most 64 characters.
     *
     * @param value the value
     * @return it, or its start and "..."
     */
    static String shorten(String value) {
        return value.length() <= 64 ? value : value.substring(0, 61) + "...";
    }

    /** @return a title for a status, e.g. {@code Not Found} */
    static String title(int status) {
        return Status.create(status).reasonPhrase();
    }

    /**
     * Sends plain Java values (maps, lists, scalars) as a JSON body with a Content-Length.
     *
     * @param res  the response
     * @param body the value
     */
    static void sendJson(ServerResponse res, Object body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(JsonCodec.writeBytes(body));
    }
}
