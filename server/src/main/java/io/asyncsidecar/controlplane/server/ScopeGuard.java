package io.asyncsidecar.controlplane.server;

import java.util.TreeSet;

import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.spi.ProblemException;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Wraps a declared route's handler: checks the caller's scopes before any plugin code runs, labels the request
 * for the access log, and runs the handler with the plugin's class loader as context class loader (libraries a
 * plugin bundles may look things up through it).
 */
final class ScopeGuard implements Handler {

    private final DeclaredRoute route;
    private final ClassLoader loader;
    private final RouteInfo info;
    private final String[] scopes;
    private final String what;

    ScopeGuard(DeclaredRoute route, ClassLoader loader) {
        this.route = route;
        this.loader = loader;
        this.info = new RouteInfo(route.plugin(), route.path());
        this.scopes = sorted(route.scopes().scopes());
        this.what = route.method().text() + " " + route.path();
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws Exception {
        req.context().register(info);
        // Fails closed: a request the filter did not authenticate never reaches a plugin, whatever its path.
        Caller caller = req.context().get(Caller.class).orElseThrow(() -> ProblemException.of(401, "Unauthorized",
                "the request was not authenticated"));
        check(caller, scopes, what);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            route.handler().handle(req, res);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /**
     * Checks that a caller holds every required scope.
     *
     * @param caller   the caller
     * @param required the scopes, sorted (so the first missing one named is stable)
     * @param what     the route, for the message
     * @throws ProblemException 403 naming the first missing scope
     */
    static void check(Caller caller, String[] required, String what) {
        for (String scope : required) {
            if (!caller.hasScope(scope)) {
                throw ProblemException.forbidden("missing scope '" + scope + "' required by " + what)
                        .with("required_scope", scope);
            }
        }
    }

    /**
     * @param scopes required scopes
     * @return them sorted, checked once per request without allocating
     */
    static String[] sorted(java.util.Set<String> scopes) {
        return new TreeSet<>(scopes).toArray(String[]::new);
    }
}
