package io.asyncsidecar.controlplane.server;

import io.asyncsidecar.controlplane.spi.RequiredScopes;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;

/**
 * A route a plugin (or the server) declared, with its full path.
 *
 * @param plugin  the plugin id, or {@code server}
 * @param method  the method
 * @param path    the full path pattern, e.g. {@code /api/testruns/{id}}
 * @param scopes  the required scopes
 * @param handler the handler
 */
record DeclaredRoute(String plugin, Method method, String path, RequiredScopes scopes, Handler handler) {
}
