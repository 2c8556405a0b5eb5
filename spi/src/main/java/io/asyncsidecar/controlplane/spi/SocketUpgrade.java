package io.asyncsidecar.controlplane.spi;

import java.util.Map;
import java.util.Optional;

/**
 * An authenticated WebSocket upgrade request, handed to a plugin's listener factory.
 *
 * @param caller     the authenticated caller
 * @param path       the full request path
 * @param pathParams the values of the endpoint pattern's {@code {name}} segments
 * @param query      the query parameters (first value of each), without {@code access_token}
 */
public record SocketUpgrade(Caller caller, String path, Map<String, String> pathParams, Map<String, String> query) {

    /**
     * Copies the maps.
     *
     * @param caller     the caller
     * @param path       the path
     * @param pathParams path parameters
     * @param query      query parameters
     */
    public SocketUpgrade {
        pathParams = Map.copyOf(pathParams);
        query = Map.copyOf(query);
    }

    /**
     * A path parameter.
     *
     * @param name the parameter name in the pattern
     * @return its value
     * @throws ProblemException 400 when missing
     */
    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw ProblemException.badRequest("missing path parameter '" + name + "'");
        }
        return v;
    }

    /**
     * A query parameter.
     *
     * @param name the name
     * @return its first value, if present
     */
    public Optional<String> queryParam(String name) {
        return Optional.ofNullable(query.get(name));
    }
}
