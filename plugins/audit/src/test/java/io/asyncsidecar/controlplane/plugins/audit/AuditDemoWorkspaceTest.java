package io.asyncsidecar.controlplane.plugins.audit;

import static io.asyncsidecar.controlplane.plugins.audit.AuditTestServer.ALICE;
import static io.asyncsidecar.controlplane.plugins.audit.AuditTestServer.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

/**
 * The demo workspace's sample log ({@code config/workspace/audit}), as the demo config points at it.
 */
@ServerTest
class AuditDemoWorkspaceTest {

    private final Http http;

    AuditDemoWorkspaceTest(Http1Client client, WebServer server) {
        this.http = new Http(client, server.port());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, AuditTestServer.config(TestConfigs.demoWorkspace(), "audit/audit.log",
                List.of(), Map.of("data-dir", LogFiles.folder("demo").toString())));
    }

    @Test
    void theSampleHasThreeTenantsRotatedFilesAndMalformedLines() {
        JsonObject a = http.get("/api/audit/search", ALICE, "limit", "1000").json();
        assertThat(a.getInt("count")).isEqualTo(49);
        assertThat(a.getInt("malformed")).isEqualTo(3);
        assertThat(a.getJsonArray("files").toString()).isEqualTo("[\"audit.log\",\"audit.log.1\",\"audit.log.2.gz\"]");
        assertThat(http.get("/api/audit/search", ROOT, "limit", "1000").json().getInt("count")).isEqualTo(19);
        assertThat(http.get("/api/audit/search", ROOT, "limit", "1000", "--", "X-Tenant-ID", "tB").json()
                .getInt("count")).isEqualTo(32);
    }

    @Test
    void itsSecretsAreScrubbed() {
        for (String token : List.of(ALICE, ROOT)) {
            for (String tenant : List.of("tA", "tB", "ops")) {
                String body = token.equals(ROOT)
                        ? http.get("/api/audit/search", token, "format", "ndjson", "--", "X-Tenant-ID", tenant).body()
                        : http.get("/api/audit/search", token, "format", "ndjson").body();
                assertThat(body).doesNotContain("alice@example.com", "demo-viewer-0b3f9c2e71d4a8", "AKIAIOSFODNN7EXAMPLE",
                        "Tr1cky-Pa55", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", "ci-Passw0rd!", "bob.jones@example.org",
                        "hg_live_4f1c9e7b2a6d");
            }
        }
    }

    @Test
    void theExplainerWritesOtherFieldNames() {
        // tenant, timestamp (epoch seconds), actor, event, target
        JsonObject e = http.get("/api/audit/search", ALICE, "action", "explainer.explain").json()
                .getJsonArray("items").getJsonObject(0);
        assertThat(e.getString("tenant")).isEqualTo("tA");
        assertThat(e.getString("target")).isEqualTo("model/hypergraph-base");
        assertThat(http.get("/api/audit/search", ALICE, "action", "explainer.*", "since", "2026-12-01T10:00:00Z")
                .json().getInt("count")).isEqualTo(1);
    }
}
