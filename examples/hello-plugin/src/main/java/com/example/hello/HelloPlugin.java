package com.example.hello;

import java.util.LinkedHashMap;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.checks.CheckResponses;
import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.SpiVersion;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The smallest useful plugin: {@code GET /api/hello/greeting} (scope {@code hello.read}) greets the caller with the
 * configured {@code plugins.hello.greeting}. It shows the whole contract of docs/PLUGINS.md: an id, config read in
 * {@link #init}, a route declared with its scope, the authenticated caller, a kit helper for the JSON answer.
 */
public final class HelloPlugin implements Plugin {

    /** The scope a caller needs for the greeting. */
    public static final String SCOPE = "hello.read";

    private HelloSettings settings;

    /** Created by {@link java.util.ServiceLoader}; all set-up happens in {@link #init}. */
    public HelloPlugin() {
    }

    @Override
    public String id() {
        return "hello";
    }

    @Override
    public void init(PluginContext context) {
        settings = HelloSettings.from(context.config());
        context.logger().log(System.Logger.Level.INFO, "hello plugin greets with '" + settings.greeting() + "'");
    }

    @Override
    public void routes(PluginRoutes routes) {
        routes.get("/greeting", RequiredScopes.of(SCOPE), this::greeting);
    }

    private void greeting(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.of(request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("greeting", settings.greeting() + ", " + caller.subject());
        body.put("tenant_id", caller.tenantId());
        body.put("spi_version", SpiVersion.CURRENT.toString());
        CheckResponses.sendJson(response, body);
    }
}
