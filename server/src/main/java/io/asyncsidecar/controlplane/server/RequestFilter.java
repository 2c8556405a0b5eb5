package io.asyncsidecar.controlplane.server;

import java.util.List;

import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.spi.ProblemException;

import io.helidon.common.uri.UriPath;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * The one filter every HTTP request passes: it refuses broken body framing and control characters in the query
 * ({@link RequestHeads}), normalises the path ({@link RequestPaths}) so that authentication
 * and routing see the same one, authenticates {@code /api/**} callers, turns every exception into a problem
 * document (through {@link ErrorMapper}), and records the access-log entry and the request metrics. Doing all of
 * it in one place lets the log see the final status.
 */
final class RequestFilter implements Filter {

    static final String TENANT_HEADER = "X-Tenant-ID";
    static final HeaderName TENANT = HeaderNames.create(TENANT_HEADER);

    private final Authenticator authenticator;
    private final ServerMetrics metrics;
    private final AccessLog accessLog;
    private final boolean corsEnabled;
    private final ServerAddress address;
    private final InFlightRequests inFlight;

    RequestFilter(Authenticator authenticator, ServerMetrics metrics, AccessLog accessLog, boolean corsEnabled,
                  ServerAddress address, InFlightRequests inFlight) {
        this.inFlight = inFlight;
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.corsEnabled = corsEnabled;
        this.address = address;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        String path = req.prologue().uriPath().rawPath();
        if (address.baseUrl().isEmpty()) {
            address.learn(req.localPeer().host(), req.localPeer().port());
        }
        Caller caller = null;
        if (!inFlight.enter()) {
            res.header(io.helidon.http.HeaderValues.CONNECTION_CLOSE);
            Problems.send(res, ProblemException.of(503, "Service Unavailable", "the server is shutting down"), path);
            record(req, res, path, null, System.nanoTime() - start);
            return;
        }
        try {
            try {
                RequestHeads.checkFraming(req.headers());
            } catch (ProblemException e) {
                // where this body ends is unknown: the next request cannot be read on this connection
                res.header(io.helidon.http.HeaderValues.CONNECTION_CLOSE);
                throw e;
            }
            String normalized = RequestPaths.normalize(path);
            if (!normalized.equals(path)) {
                route(req, normalized);
                path = normalized;
            }
            RequestHeads.checkQuery(req.query());
            if (needsCaller(req, path)) {
                caller = authenticator.authenticate(
                        Authenticator.bearer(req.headers().all(HeaderNames.AUTHORIZATION, List::of)),
                        req.headers().first(TENANT).orElse(null));
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
            record(req, res, path, caller, System.nanoTime() - start);
        }
    }

    /** Routes the request by its normalised path: the router then matches exactly what was authenticated. */
    private static void route(RoutingRequest req, String normalized) {
        HttpPrologue p = req.prologue();
        req.prologue(HttpPrologue.create(p.rawProtocol(), p.protocol(), p.protocolVersion(), p.method(),
                UriPath.create(normalized), p.query(), p.fragment()));
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

    private void record(RoutingRequest req, RoutingResponse res, String path, Caller caller, long nanos) {
        int status = res.status().code();
        String method = req.prologue().method().text();
        RouteInfo route = req.context().get(RouteInfo.class).orElse(null);
        metrics.record(route == null ? "server" : route.plugin(), method,
                route == null ? (status == 404 ? "unmatched" : "other") : route.route(), status, nanos);
        if (accessLog.wants(path)) {
            accessLog.log(new AccessLog.Entry(method, path, status, nanos,
                    caller == null ? null : caller.subject(), caller == null ? null : caller.tenantId(), null));
        }
    }
}
