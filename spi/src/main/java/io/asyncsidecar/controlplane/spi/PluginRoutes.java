package io.asyncsidecar.controlplane.spi;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;

/**
 * Where a plugin declares its HTTP routes. Paths are relative to {@code /api/<id>} and use Helidon's path
 * patterns ({@code /{id}/report.json}); {@code ""} or {@code "/"} is the prefix itself. Each route names the
 * scopes it needs; a {@code null} declaration fails loading the plugin.
 */
public interface PluginRoutes {

    /**
     * Declares a route.
     *
     * @param method  the HTTP method
     * @param path    the path pattern, relative to {@code /api/<id>}
     * @param scopes  the scopes a caller needs
     * @param handler the Helidon handler; read {@link Caller#of} inside, throw {@link ProblemException} for errors
     * @return this
     */
    PluginRoutes route(Method method, String path, RequiredScopes scopes, Handler handler);

    /**
     * Declares a GET route.
     *
     * @param path    the path pattern
     * @param scopes  the scopes a caller needs
     * @param handler the handler
     * @return this
     */
    default PluginRoutes get(String path, RequiredScopes scopes, Handler handler) {
        return route(Method.GET, path, scopes, handler);
    }

    /**
     * Declares a POST route.
     *
     * @param path    the path pattern
     * @param scopes  the scopes a caller needs
     * @param handler the handler
     * @return this
     */
    default PluginRoutes post(String path, RequiredScopes scopes, Handler handler) {
        return route(Method.POST, path, scopes, handler);
    }
}
