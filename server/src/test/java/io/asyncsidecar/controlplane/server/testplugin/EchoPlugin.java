package io.asyncsidecar.controlplane.server.testplugin;

import java.util.Map;
import java.util.TreeSet;

import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.kit.JsonRequests;
import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.PluginSockets;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.SocketUpgrade;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * A class-path plugin for the server's own tests: shows the caller, echoes JSON, fails on purpose (an exception,
 * a stack overflow, an out-of-memory error).
 */
public final class EchoPlugin implements Plugin {

    @Override
    public String id() {
        return "echo";
    }

    private PluginContext context;

    @Override
    public void init(PluginContext context) {
        this.context = context;
    }

    @Override
    public void routes(PluginRoutes routes) {
        routes.get("/whoami", RequiredScopes.of("tests.read"), this::whoami)
                .get("/custom", RequiredScopes.of("echo.custom"), (req, res) -> res.send("custom scope granted"))
                .post("/body", RequiredScopes.of("tests.read"), this::body)
                .get("/boom", RequiredScopes.authenticated(), this::boom)
                .get("/overflow", RequiredScopes.authenticated(), (req, res) -> res.send(String.valueOf(recurse(0))))
                .get("/oom", RequiredScopes.authenticated(), (req, res) -> res.send(String.valueOf(
                        // A real OutOfMemoryError that allocates nothing: the array is over the VM's limit.
                        new long[Integer.MAX_VALUE].length)))
                .get("/base-url", RequiredScopes.authenticated(), (req, res) -> res.send(context.serverBaseUrl()))
                .get("/missing", RequiredScopes.authenticated(), (req, res) -> {
                    throw ProblemException.notFound("no such thing: 'x'");
                });
    }

    @Override
    public void sockets(PluginSockets sockets) {
        sockets.endpoint("/{name}", RequiredScopes.of("tests.read"), EchoPlugin::listener);
    }

    private static WsListener listener(SocketUpgrade upgrade) {
        if (upgrade.pathParam("name").equals("nope")) {
            throw ProblemException.notFound("no stream named 'nope'");
        }
        return new WsListener() {
            @Override
            public void onOpen(WsSession session) {
                session.send("hello " + upgrade.pathParam("name") + " " + upgrade.caller().subject() + " "
                        + upgrade.caller().tenantId() + " since=" + upgrade.queryParam("since").orElse("-"), true);
            }

            @Override
            public void onMessage(WsSession session, String text, boolean last) {
                session.send("echo:" + text, true);
            }
        };
    }

    private void whoami(ServerRequest req, ServerResponse res) {
        Caller c = Caller.of(req);
        res.send(Map.of("subject", c.subject(), "tenant", c.tenantId(), "home_tenant", c.homeTenant(),
                "scopes", new TreeSet<>(c.scopes())));
    }

    private void body(ServerRequest req, ServerResponse res) {
        res.send(JsonRequests.object(req));
    }

    private static long recurse(long depth) {
        return recurse(depth + 1) + 1;
    }

    private void boom(ServerRequest req, ServerResponse res) {
        throw new IllegalStateException("internal detail that must not leak");
    }
}
