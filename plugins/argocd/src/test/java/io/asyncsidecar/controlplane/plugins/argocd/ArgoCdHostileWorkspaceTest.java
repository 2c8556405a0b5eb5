package io.asyncsidecar.controlplane.plugins.argocd;

import java.time.Duration;
import java.util.List;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.HostileWorkspace;
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
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@code GET /api/argocd/apps} over a workspace written to attack it, with raw previews switched on: links out
 * of the workspace inside a folder read whole (to a file and to a folder) are findings naming the link, never
 * content; YAML bombs are {@code yaml.limit} findings answered at once, and the server answers on.
 */
@ServerTest
class ArgoCdHostileWorkspaceTest {

    private static final HostileWorkspace WS = HostileWorkspace.create("argocd-hostile")
            .write("manifests/kedaextra/app.yaml", """
                    apiVersion: argoproj.io/v1alpha1
                    kind: Application
                    metadata: {name: fine, namespace: argocd}
                    spec:
                      project: default
                      source: {repoURL: https://example.com/x.git, path: ., targetRevision: v1.0.0}
                      destination: {server: https://kubernetes.default.svc, namespace: x}
                    """)
            .linkToSecret("manifests/kedaextra/env.yaml")
            .linkToSecretFolder("manifests/kedaextra/more")
            .linkToSecret("manifests/kedaextra/nested/deeper/environ.yml")
            .linkToSecret("direct.yaml")
            .write("bombs/alias.yaml", HostileWorkspace.aliasBomb())
            .write("bombs/merge.yaml", HostileWorkspace.mergeBomb());

    private final Http1Client client;

    ArgoCdHostileWorkspaceTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", WS.root().toString(),
                "data-dir", "target/test-data/argocd-hostile",
                "plugins.argocd.path", "manifests/kedaextra",
                "plugins.argocd.preview", "true"));
    }

    @Test
    void linksOutOfAFolderAreFindingsAndTheSecretIsInNoAnswer() {
        for (String format : List.of("json", "sarif", "junit")) {
            ClientResponseTyped<String> r = client.get("/api/argocd/apps").queryParam("path", "manifests/kedaextra")
                    .queryParam("format", format).request(String.class);
            assertThat(r.status()).as(format).isEqualTo(Status.OK_200);
            assertThat(WS.leaks(r.entity())).as(format + ": " + r.entity()).isFalse();
            assertThat(r.entity()).as(format).contains("manifests/kedaextra/env.yaml");
        }
        JsonObject body = parse(client.get("/api/argocd/apps").request(String.class).entity());
        assertThat(body.getInt("applications")).isEqualTo(1);
        assertThat(body.getString("preview")).contains("name: fine");
        List<String> refused = body.getJsonArray("findings").getValuesAs(JsonObject.class).stream()
                .filter(f -> f.getString("check").equals("workspace.link")).map(f -> f.getString("file")).toList();
        assertThat(refused).containsExactlyInAnyOrder("manifests/kedaextra/env.yaml",
                "manifests/kedaextra/nested/deeper/environ.yml");
    }

    @Test
    void aLinkNamedDirectlyIsA400NamingItRelatively() {
        ClientResponseTyped<String> r = client.get("/api/argocd/apps").queryParam("path", "direct.yaml")
                .request(String.class);
        assertThat(r.status()).isEqualTo(Status.BAD_REQUEST_400);
        assertThat(parse(r.entity()).getString("detail")).contains("'direct.yaml'");
        assertThat(WS.leaks(r.entity())).isFalse();
    }

    @Test
    void yamlBombsAreLimitFindingsAnsweredQuicklyAndTheServerAnswersOn() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (String bomb : List.of("bombs/alias.yaml", "bombs/merge.yaml")) {
                ClientResponseTyped<String> r = client.get("/api/argocd/apps").queryParam("path", bomb)
                        .request(String.class);
                assertThat(r.status()).as(bomb).isEqualTo(Status.OK_200);
                JsonObject limit = parse(r.entity()).getJsonArray("findings").getJsonObject(0);
                assertThat(limit.getString("check")).as(bomb).isEqualTo("yaml.limit");
                assertThat(limit.getString("message")).as(bomb).contains("1000000 nodes");
            }
            ClientResponseTyped<String> after = client.get("/api/argocd/apps").request(String.class);
            assertThat(after.status()).isEqualTo(Status.OK_200);
        });
    }
}
