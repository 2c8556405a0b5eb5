package io.asyncsidecar.controlplane.spi;

import java.util.function.Function;

import io.helidon.websocket.WsListener;

/**
 * Where a plugin declares WebSocket endpoints, relative to {@code /ws/<id>}, e.g. {@code /{id}/stream}.
 * The server authenticates the upgrade (bearer header, {@code access_token} query parameter or a
 * {@code Sec-WebSocket-Protocol} value) and checks the scopes before it asks the plugin for a listener.
 */
public interface PluginSockets {

    /**
     * Declares an endpoint.
     *
     * @param path     the path pattern, relative to {@code /ws/<id>}; {@code {name}} segments are path parameters
     * @param scopes   the scopes a caller needs
     * @param listener makes the listener for an accepted upgrade; may throw {@link ProblemException} (for
     *                 example 404 for an unknown id), which rejects the upgrade with that status
     * @return this
     */
    PluginSockets endpoint(String path, RequiredScopes scopes, Function<SocketUpgrade, WsListener> listener);
}
