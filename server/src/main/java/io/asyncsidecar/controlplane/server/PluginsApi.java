package io.asyncsidecar.controlplane.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.spi.SpiVersion;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/plugins}: every plugin found, with version, status, reason, source, routes and WebSocket
 * endpoints with their scopes, the SPI version its manifest declares ({@code spi_version}, null when none) and the
 * scopes of its workspace check (null when it offers none), the server's SPI version, the server's own
 * routes ({@code routes}), and the caller it answers (subject, home and effective tenant, scopes). The GUI builds its
 * navigation and its sign-in panel from this one answer.
 */
final class PluginsApi {

    private final List<LoadedPlugin> plugins;
    private final List<DeclaredRoute> serverRoutes;

    /**
     * @param plugins      every plugin found
     * @param serverRoutes the server's own routes (this one and {@code GET /api/checks}); read when answering
     */
    PluginsApi(List<LoadedPlugin> plugins, List<DeclaredRoute> serverRoutes) {
        this.plugins = List.copyOf(plugins);
        this.serverRoutes = serverRoutes;
    }

    void list(ServerRequest req, ServerResponse res) {
        Caller caller = Caller.of(req);
        Map<String, Object> who = new LinkedHashMap<>();
        who.put("subject", caller.subject());
        who.put("tenant_id", caller.tenantId());
        who.put("home_tenant", caller.homeTenant());
        who.put("scopes", new TreeSet<>(caller.scopes()));
        who.put("tenants_admin", caller.hasScope(Caller.TENANTS_ADMIN));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("caller", who);
        body.put("spi_version", SpiVersion.CURRENT.toString());
        body.put("plugins", describe());
        body.put("routes", routes(serverRoutes));
        Problems.sendJson(res, body);
    }

    private static List<Map<String, Object>> routes(List<DeclaredRoute> routes) {
        return routes.stream().map(r -> Map.<String, Object>of("method", r.method().text(), "path", r.path(),
                "scopes", new TreeSet<>(r.scopes().scopes()))).toList();
    }

    private List<Map<String, Object>> describe() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (LoadedPlugin p : plugins) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("version", p.version());
            m.put("status", p.status().json());
            m.put("reason", p.reason());
            m.put("source", p.source());
            m.put("spi_version", p.spiVersion());
            m.put("routes", routes(p.routes()));
            m.put("workspace_check", p.workspaceCheck().map(c -> new TreeSet<>(c.scopes().scopes())).orElse(null));
            m.put("sockets", p.sockets().stream().map(s -> Map.of("path", s.path(),
                    "scopes", new TreeSet<>(s.scopes().scopes()))).toList());
            list.add(m);
        }
        return list;
    }
}
