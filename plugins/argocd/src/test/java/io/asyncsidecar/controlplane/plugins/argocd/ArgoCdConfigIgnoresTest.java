package io.asyncsidecar.controlplane.plugins.argocd;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.asyncsidecar.controlplane.plugins.argocd.ArgoCdDemoWorkspaceTest.finding;
import static io.asyncsidecar.controlplane.plugins.argocd.ArgoCdDemoWorkspaceTest.findingsOf;
import static io.asyncsidecar.controlplane.plugins.argocd.ArgoCdDemoWorkspaceTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code plugins.argocd.ignore} on the demo workspace: the canary's branch revision is ignored from the config,
 * beside the annotation that ignores the karpenter app's HEAD.
 */
@ServerTest
class ArgoCdConfigIgnoresTest {

    private static final String REASON = "PLAT-400: the canary tracks main by design";

    private final Http1Client client;

    ArgoCdConfigIgnoresTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "data-dir", "target/test-data/argocd-config-ignores",
                "plugins.argocd.ignore.0.check", "argocd.target-revision-pinned",
                "plugins.argocd.ignore.0.object", "Application/argocd/hypergraph-canary",
                "plugins.argocd.ignore.0.reason", REASON,
                // The same check on another app is not covered.
                "plugins.argocd.ignore.1.check", "argocd.automated-*",
                "plugins.argocd.ignore.1.object", "Application/*/hypergraph-c*",
                "plugins.argocd.ignore.1.reason", "prune is done by hand for the canary"));
    }

    @Test
    void theCanarysBranchRevisionIsListedAsIgnoredWithTheConfigsReason() {
        JsonObject body = get("/api/argocd/apps");
        assertThat(findingsOf(body.getJsonArray("findings"), "hypergraph-canary")).containsExactlyInAnyOrder(
                "argocd.project-not-default", "argocd.destination-namespace", "argocd.value-files-exist");
        JsonObject pin = finding(body.getJsonArray("ignored"), "hypergraph-canary", "argocd.target-revision-pinned");
        assertThat(pin.getString("message")).contains("'main'");
        assertThat(pin.getString("ignored_reason")).isEqualTo(REASON);
        assertThat(pin.getString("ignored_source")).isEqualTo("config");
        assertThat(finding(body.getJsonArray("ignored"), "hypergraph-canary", "argocd.automated-prune")
                .getString("ignored_reason")).isEqualTo("prune is done by hand for the canary");
        // the annotated app keeps its annotation's reason and says where it came from
        JsonObject annotated = finding(body.getJsonArray("ignored"), "hypergraph-karpenter",
                "argocd.target-revision-pinned");
        assertThat(annotated.getString("ignored_reason")).contains("PLAT-311");
        assertThat(annotated.getString("ignored_source")).isEqualTo("annotation");
        assertThat(body.getJsonObject("summary").getInt("ignored")).isEqualTo(3);
        assertThat(body.getJsonObject("summary").getInt("warning")).isEqualTo(3);
    }

    @Test
    void sarifSuppressesTheConfigIgnoredResults() {
        JsonObject sarif = get("/api/argocd/apps?format=sarif");
        long suppressed = sarif.getJsonArray("runs").getJsonObject(0).getJsonArray("results")
                .getValuesAs(JsonObject.class).stream().filter(r -> r.containsKey("suppressions")).count();
        assertThat(suppressed).isEqualTo(3);
    }

    private JsonObject get(String uri) {
        int q = uri.indexOf('?');
        var req = client.get(q < 0 ? uri : uri.substring(0, q));
        if (q >= 0) {
            String[] kv = uri.substring(q + 1).split("=");
            req.queryParam(kv[0], kv[1]);
        }
        ClientResponseTyped<String> r = req.header(HeaderNames.ACCEPT, "*/*").request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        return parse(r.entity());
    }
}
