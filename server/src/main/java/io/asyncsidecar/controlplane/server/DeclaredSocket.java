package io.asyncsidecar.controlplane.server;

import java.util.function.Function;

import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.SocketUpgrade;

import io.helidon.websocket.WsListener;

/**
 * A WebSocket endpoint a plugin declared, with its full path.
 *
 * @param plugin   the plugin id
 * @param path     the full path pattern, e.g. {@code /ws/testruns/{id}/stream}
 * @param scopes   the required scopes
 * @param listener makes the plugin's listener for an accepted upgrade
 */
record DeclaredSocket(String plugin, String path, RequiredScopes scopes, Function<SocketUpgrade, WsListener> listener) {
}
