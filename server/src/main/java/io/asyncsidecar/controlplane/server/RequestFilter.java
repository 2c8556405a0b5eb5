package io.asyncsidecar.controlplane.server;

import java.util.Optional;

import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.spi.ProblemException;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * The one filter every HTTP request passes: it authenticates {@code /api/**} callers, turns every exception into
 * a problem document (through {@link ErrorMapper}), and writes one
 * access-log line and the request metrics. Doing all three in one place lets the log see the final status.
 */
final class RequestFilter implements Filter {

    private static final System.Logger ACCESS = System.getLogger("io.asyncsidecar.controlplane.access");
    static final String TENANT_HEADER = "X-Tenant-ID";

    private final Authenticator authenticator;
    private final ServerMetrics metrics;
    private final boolean corsEnabled;
    private final ServerAddress address;
    private final InFlightRequests inFlight;

    RequestFilter(Authenticator authenticator, ServerMetrics metrics, boolean corsEnabled, ServerAddress address,
                  InFlightRequests inFlight) {
        this.inFlight = inFlight;
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.corsEnabled = corsEnabled;
        this.address = address;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        String path = req.path().rawPath();
        address.learn(req.localPeer().host(), req.localPeer().port());
        Caller caller = null;
        if (!inFlight.enter()) {
            res.header(io.helidon.http.HeaderValues.CONNECTION_CLOSE);
            Problems.send(res, ProblemException.of(503, "Service Unavailable", "the server is shutting down"), path);
            log(req, res, path, null, System.nanoTime() - start);
            return;
        }
        try {
            if (needsCaller(req, path)) {
                caller = authenticator.authenticate(path,
                        StaticTokenAuthenticationProvider.bearer(req.headers().values(HeaderNames.AUTHORIZATION)),
                        req.headers().first(HeaderNames.create(TENANT_HEADER)));
                req.context().register(caller);
            }
            chain.proceed();
        } catch (RuntimeException e) {
            // Thrown before routing (authentication); handler errors are mapped by ErrorMapper inside routing.
            if (!res.isSent()) {
                Problems.send(res, ErrorMapper.toProblem(e, req.prologue().method().text() + " " + path), path);
            }
        } finally {
            inFlight.exit();
            log(req, res, path, caller, System.nanoTime() - start);
        }
    }

    private boolean needsCaller(RoutingRequest req, String path) {
        if (!(path.equals("/api") || path.startsWith("/api/"))) {
            return false;
        }
        // A CORS preflight carries no credentials by design; the CORS handler answers it.
        return !(corsEnabled && req.prologue().method() == Method.OPTIONS
                && req.headers().contains(HeaderNames.ORIGIN)
                && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD));
    }

    private void log(RoutingRequest req, RoutingResponse res, String path, Caller caller, long nanos) {
        int status = res.status().code();
        RouteInfo route = req.context().get(RouteInfo.class).orElse(null);
        metrics.record(route == null ? "server" : route.plugin(), req.prologue().method().text(),
                route == null ? (status == 404 ? "unmatched" : "other") : route.route(), status, nanos);
        if (ACCESS.isLoggable(System.Logger.Level.INFO)) {
            Optional<Caller> c = Optional.ofNullable(caller);
            ACCESS.log(System.Logger.Level.INFO, req.prologue().method().text() + " " + path + " " + status + " "
                    + String.format(java.util.Locale.ROOT, "%.1fms", nanos / 1e6)
                    + " subject=" + c.map(Caller::subject).orElse("-")
                    + " tenant=" + c.map(Caller::tenantId).orElse("-"));
        }
    }
}
