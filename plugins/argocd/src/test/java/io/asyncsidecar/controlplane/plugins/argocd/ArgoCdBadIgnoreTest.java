package io.asyncsidecar.controlplane.plugins.argocd;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.asyncsidecar.controlplane.plugins.argocd.ArgoCdDemoWorkspaceTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A malformed {@code plugins.argocd.ignore} entry fails the plugin at start-up, naming the entry's index and the
 * bad value, instead of ignoring more or less than meant; /api/plugins reports it and the route is gone.
 */
@ServerTest
class ArgoCdBadIgnoreTest {

    private final Http1Client client;

    ArgoCdBadIgnoreTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "data-dir", "target/test-data/argocd-bad-ignore",
                "plugins.argocd.ignore.0.check", "argocd.automated-prune",
                "plugins.argocd.ignore.0.reason", "fine",
                "plugins.argocd.ignore.1.check", "argocd.target-revision-pinned",
                "plugins.argocd.ignore.1.object", "Application/hypergraph-canary",
                "plugins.argocd.ignore.1.reason", "the namespace part is missing"));
    }

    @Test
    void thePluginFailsNamingTheEntryAndTheValue() {
        ClientResponseTyped<String> r = client.get("/api/plugins").request(String.class);
        assertThat(r.status()).isEqualTo(Status.OK_200);
        JsonObject argocd = parse(r.entity()).getJsonArray("plugins").getValuesAs(JsonObject.class).stream()
                .filter(p -> p.getString("id").equals("argocd")).findFirst().orElseThrow();
        assertThat(argocd.getString("status")).isEqualTo("failed");
        assertThat(argocd.getString("reason")).contains("plugins.argocd.ignore[1].object:"
                + " 'Application/hypergraph-canary' is not kind/namespace/name");
        assertThat(client.get("/api/argocd/apps").request(String.class).status()).isEqualTo(Status.NOT_FOUND_404);
    }
}
