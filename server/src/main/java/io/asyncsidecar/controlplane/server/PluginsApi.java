package io.asyncsidecar.controlplane.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.asyncsidecar.controlplane.spi.Caller;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/plugins}: every plugin found, with version, status, reason, source, routes and WebSocket
 * endpoints with their scopes, and the caller it answers (subject, home and effective tenant, scopes). The GUI
 * builds its navigation and its sign-in panel from this one answer.
 */
final class PluginsApi {

    private final List<LoadedPlugin> plugins;

    PluginsApi(List<LoadedPlugin> plugins) {
        this.plugins = List.copyOf(plugins);
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
        body.put("plugins", describe());
        Problems.sendJson(res, body);
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
            m.put("routes", p.routes().stream().map(r -> Map.of("method", r.method().text(), "path", r.path(),
                    "scopes", new TreeSet<>(r.scopes().scopes()))).toList());
            m.put("sockets", p.sockets().stream().map(s -> Map.of("path", s.path(),
                    "scopes", new TreeSet<>(s.scopes().scopes()))).toList());
            list.add(m);
        }
        return list;
    }
}
