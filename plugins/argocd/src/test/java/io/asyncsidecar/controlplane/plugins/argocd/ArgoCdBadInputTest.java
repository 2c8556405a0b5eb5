package io.asyncsidecar.controlplane.plugins.argocd;

import java.util.List;

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

import static io.asyncsidecar.controlplane.plugins.argocd.ArgoCdDemoWorkspaceTest.finding;
import static io.asyncsidecar.controlplane.plugins.argocd.ArgoCdDemoWorkspaceTest.findingsOf;
import static io.asyncsidecar.controlplane.plugins.argocd.ArgoCdDemoWorkspaceTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Broken and tricky manifests (src/test/workspace): a parse error mid-file, an unknown project, a version
 * range, a destination naming two clusters, and a configured path that does not exist.
 */
@ServerTest
class ArgoCdBadInputTest {

    private final Http1Client client;

    ArgoCdBadInputTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", "src/test/workspace",
                "data-dir", "target/test-data/argocd-bad",
                "plugins.argocd.path", "manifests/argocd/missing.yaml"));
    }

    @Test
    void unparsableYamlIsAFindingWithItsLineAndTheDocumentsBeforeItAreChecked() {
        JsonObject body = get("manifests/argocd/broken.yaml");
        JsonObject parseError = body.getJsonArray("findings").getValuesAs(JsonObject.class).stream()
                .filter(f -> f.getString("check").equals("yaml.parse")).findFirst().orElseThrow();
        assertThat(parseError.getString("file")).isEqualTo("manifests/argocd/broken.yaml");
        assertThat(parseError.getInt("line")).isBetween(18, 20);
        assertThat(parseError.getString("severity")).isEqualTo("error");
        JsonObject before = ArgoCdDemoWorkspaceTest.app(body, "before-the-error");
        assertThat(before.getJsonArray("sources").getJsonObject(0).getString("revision_pin")).isEqualTo("commit");
        assertThat(findingsOf(body.getJsonArray("findings"), "before-the-error"))
                .containsExactly(ArgoChecks.PROJECT_NOT_DEFAULT);
    }

    @Test
    void unknownProjectRangeAndTwoClusters() {
        JsonObject body = get("manifests/argocd/projects.yaml");
        List<String> checks = findingsOf(body.getJsonArray("findings"), "orphan");
        assertThat(checks).containsExactlyInAnyOrder(ArgoChecks.PROJECT_EXISTS, ArgoChecks.TARGET_REVISION_PINNED,
                ArgoChecks.DESTINATION_CLUSTER);
        assertThat(finding(body.getJsonArray("findings"), "orphan", ArgoChecks.PROJECT_EXISTS).getString("message"))
                .contains("'billing'").contains("payments");
        assertThat(finding(body.getJsonArray("findings"), "orphan", ArgoChecks.TARGET_REVISION_PINNED)
                .getString("message")).contains("'2.*'").contains("range");
        assertThat(finding(body.getJsonArray("findings"), "orphan", ArgoChecks.TARGET_REVISION_PINNED)
                .getString("remediation")).contains("exact chart version");
    }

    @Test
    void liveStatusIsReportedAndFiltered() {
        JsonObject healthy = parse(client.get("/api/argocd/apps").queryParam("path", "manifests/argocd/projects.yaml")
                .queryParam("health", "healthy").queryParam("sync", "OutOfSync").request(String.class).entity());
        assertThat(healthy.getInt("listed")).isEqualTo(1);
        JsonObject live = ArgoCdDemoWorkspaceTest.app(healthy, "payments-live");
        assertThat(live.getJsonObject("status").getString("health")).isEqualTo("Healthy");
        assertThat(live.getJsonObject("status").getString("sync")).isEqualTo("OutOfSync");
        assertThat(findingsOf(healthy.getJsonArray("findings"), "payments-live")).isEmpty();
        JsonObject synced = parse(client.get("/api/argocd/apps").queryParam("path", "manifests/argocd/projects.yaml")
                .queryParam("sync", "Synced").request(String.class).entity());
        assertThat(synced.getInt("listed")).isZero();
    }

    @Test
    void aMissingConfiguredFileIsAFindingNotAnError() {
        ClientResponseTyped<String> r = client.get("/api/argocd/apps").request(String.class);
        assertThat(r.status()).isEqualTo(Status.OK_200);
        JsonObject body = parse(r.entity());
        assertThat(body.getInt("applications")).isZero();
        assertThat(body.containsKey("preview")).as("raw previews are off by default").isFalse();
        JsonObject missing = body.getJsonArray("findings").getJsonObject(0);
        assertThat(missing.getString("check")).isEqualTo("workspace.missing");
        assertThat(missing.getString("message")).contains("manifests/argocd/missing.yaml")
                .contains("plugins.argocd.path");
    }

    @Test
    void aSymbolicLinkOutOfTheWorkspaceIsRefused() throws Exception {
        java.nio.file.Path inWorkspace = java.nio.file.Path.of("src/test/workspace/escape.yaml");
        java.nio.file.Files.deleteIfExists(inWorkspace);
        java.nio.file.Files.createSymbolicLink(inWorkspace, java.nio.file.Path.of("/etc/hostname"));
        try {
            ClientResponseTyped<String> r = client.get("/api/argocd/apps").queryParam("path", "escape.yaml")
                    .request(String.class);
            assertThat(r.status()).isEqualTo(Status.BAD_REQUEST_400);
            assertThat(parse(r.entity()).getString("detail")).contains("symbolic link");
        } finally {
            java.nio.file.Files.deleteIfExists(inWorkspace);
        }
    }

    private JsonObject get(String path) {
        ClientResponseTyped<String> r = client.get("/api/argocd/apps").queryParam("path", path).request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        return parse(r.entity());
    }
}
