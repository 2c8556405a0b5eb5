package io.asyncsidecar.controlplane.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.SocketUpgrade;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

/**
 * Authenticates a WebSocket upgrade like an HTTP request, checks the endpoint's scopes, then hands over to the
 * plugin's listener. Browsers cannot set headers on a WebSocket, so besides {@code Authorization: Bearer} the
 * token may come as the {@code access_token} query parameter or as the {@code Sec-WebSocket-Protocol} pair
 * {@code bearer, <token>} (the server then answers with the {@code bearer} sub-protocol).
 *
 * <p>A rejected upgrade answers with the problem's status (401, 403, 404) and a problem document.
 */
final class SocketGuard implements WsListener {

    static final String BEARER_PROTOCOL = "bearer";
    static final String TENANT_PARAMETER = "tenant_id";
    private static final io.helidon.http.HeaderName SEC_WEBSOCKET_PROTOCOL = HeaderNames.create("Sec-WebSocket-Protocol");

    private final DeclaredSocket socket;
    private final PathMatcher matcher;
    private final ClassLoader loader;
    private final Authenticator authenticator;
    private final AccessLog accessLog;
    private final String[] scopes;
    private WsListener delegate;

    SocketGuard(DeclaredSocket socket, PathMatcher matcher, ClassLoader loader, Authenticator authenticator,
                AccessLog accessLog) {
        this.socket = socket;
        this.matcher = matcher;
        this.loader = loader;
        this.authenticator = authenticator;
        this.accessLog = accessLog;
        this.scopes = ScopeGuard.sorted(socket.scopes().scopes());
    }

    static PathMatcher matcher(DeclaredSocket socket) {
        return PathMatchers.create(socket.path());
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        long start = System.nanoTime();
        String path = prologue.uriPath().rawPath();
        UriQuery query = prologue.query();
        boolean viaProtocol = false;
        Caller caller;
        try {
            Optional<String> token = Optional.ofNullable(
                    Authenticator.bearer(headers.all(HeaderNames.AUTHORIZATION, List::of)));
            if (token.isEmpty() && query.contains("access_token")) {
                token = Optional.of(query.get("access_token")).filter(t -> !t.isBlank());
            }
            if (token.isEmpty()) {
                token = protocolToken(headers);
                viaProtocol = token.isPresent();
            }
            // browsers cannot set headers on an upgrade: tenant_id is X-Tenant-ID's query-string form
            String tenant = headers.first(RequestFilter.TENANT)
                    .orElse(query.contains(TENANT_PARAMETER) ? query.get(TENANT_PARAMETER) : null);
            caller = authenticator.authenticate(token.orElse(null), tenant);
            ScopeGuard.check(caller, scopes, "WebSocket " + socket.path());
            var match = matcher.match(prologue.uriPath());
            Map<String, String> params = new LinkedHashMap<>();
            if (match.accepted()) {
                var pp = match.path().pathParameters();
                for (String name : pp.names()) {
                    params.put(name, pp.get(name));
                }
            }
            Map<String, String> q = new LinkedHashMap<>();
            for (String name : query.names()) {
                if (!name.equals("access_token") && !name.equals(TENANT_PARAMETER)) {
                    q.put(name, query.get(name));
                }
            }
            SocketUpgrade upgrade = new SocketUpgrade(caller, path, params, q);
            delegate = inPluginLoader(() -> socket.listener().apply(upgrade));
            if (delegate == null) {
                throw ProblemException.notFound("no such stream: " + path);
            }
        } catch (ProblemException e) {
            accessLog.log(new AccessLog.Entry("GET", path, e.status(), System.nanoTime() - start, null, null,
                    "websocket upgrade refused"));
            throw reject(e, path, headers);
        }
        accessLog.log(new AccessLog.Entry("GET", path, 101, System.nanoTime() - start, caller.subject(),
                caller.tenantId(), "websocket"));
        if (viaProtocol) {
            WritableHeaders<?> response = WritableHeaders.create();
            response.set(HeaderValues.create(SEC_WEBSOCKET_PROTOCOL, BEARER_PROTOCOL));
            return Optional.of(response);
        }
        return Optional.empty();
    }

    private static Optional<String> protocolToken(Headers headers) {
        if (!headers.contains(SEC_WEBSOCKET_PROTOCOL)) {
            return Optional.empty();
        }
        List<String> values = headers.get(SEC_WEBSOCKET_PROTOCOL).allValues(true);
        boolean bearer = values.stream().anyMatch(v -> v.strip().equalsIgnoreCase(BEARER_PROTOCOL));
        if (!bearer) {
            return Optional.empty();
        }
        return values.stream().map(String::strip).filter(v -> !v.equalsIgnoreCase(BEARER_PROTOCOL) && !v.isEmpty())
                .findFirst();
    }

    /** The problem travels as the request, so {@link ProblemDirectHandler} writes the document HTTP routes write. */
    private static RequestException reject(ProblemException e, String path, Headers headers) {
        var builder = RequestException.builder()
                .type(DirectHandler.EventType.OTHER)
                .status(Status.create(e.status()))
                .message(e.detail())
                .request(new ProblemDirectHandler.Rejection(e, path, headers))
                .safeMessage(true)
                .setKeepAlive(false);
        if (e.status() == 401) {
            builder.header(HeaderValues.create(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"control-plane\""));
        }
        return builder.build();
    }

    private <T> T inPluginLoader(java.util.function.Supplier<T> action) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private void run(Runnable r) {
        if (delegate != null) {
            inPluginLoader(() -> {
                r.run();
                return null;
            });
        }
    }

    @Override
    public void onOpen(WsSession session) {
        run(() -> delegate.onOpen(session));
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        run(() -> delegate.onMessage(session, text, last));
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        run(() -> delegate.onMessage(session, buffer, last));
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        if (delegate != null) {
            run(() -> delegate.onPing(session, buffer));
        }
    }

    @Override
    public void onPong(WsSession session, BufferData buffer) {
        run(() -> delegate.onPong(session, buffer));
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        run(() -> delegate.onClose(session, status, reason));
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        run(() -> delegate.onError(session, t));
    }
}
