package io.asyncsidecar.controlplane.plugins.argocd;

import java.util.List;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
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
 * {@code GET /api/argocd/apps} on Argo CD's own manifests (shared fixtures: the operator manual, the
 * ApplicationSet examples, live objects with status), with the fixtures folder as the workspace.
 */
@ServerTest
class ArgoCdFixturesTest {

    private final Http1Client client;

    ArgoCdFixturesTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", SharedFixtures.root().toString(),
                "data-dir", "target/test-data/argocd-fixtures",
                "plugins.argocd.path", "argocd"));
    }

    @Test
    void operatorManualApplicationPinsNothingAndUsesTheDefaultProject() {
        JsonObject body = get("argocd/argo-cd/operator-manual/application.yaml");
        assertThat(body.getInt("applications")).isEqualTo(1);
        JsonObject app = ArgoCdDemoWorkspaceTest.app(body, "guestbook");
        assertThat(app.getJsonArray("sources")).hasSize(2);
        assertThat(app.getJsonArray("sources").getJsonObject(1).getString("ref")).isEqualTo("my-repo");
        assertThat(app.getJsonArray("sources").getJsonObject(0).getJsonObject("helm").getJsonArray("valueFiles")
                .getString(0)).isEqualTo("values-prod.yaml");
        assertThat(app.getJsonObject("sync_policy").getJsonArray("syncOptions")).hasSize(8);
        List<JsonObject> pins = body.getJsonArray("findings").getValuesAs(JsonObject.class).stream()
                .filter(f -> f.getString("check").equals(ArgoChecks.TARGET_REVISION_PINNED)).toList();
        assertThat(pins).extracting(f -> f.getInt("line")).containsExactly(23, 208);
        assertThat(pins.getFirst().getString("message")).contains("HEAD").contains("follows the default branch");
        assertThat(findingsOf(body.getJsonArray("findings"), "guestbook")).containsExactlyInAnyOrder(
                ArgoChecks.PROJECT_NOT_DEFAULT, ArgoChecks.TARGET_REVISION_PINNED, ArgoChecks.TARGET_REVISION_PINNED);
    }

    @Test
    void liveApplicationWithAPinnedChartVersion() {
        JsonObject body = get("argocd/argo-cd/live-status/live-child-application.yaml");
        JsonObject app = ArgoCdDemoWorkspaceTest.app(body, "argo-workflows");
        JsonObject source = app.getJsonArray("sources").getJsonObject(0);
        assertThat(source.getString("chart")).isEqualTo("argo-workflows");
        assertThat(source.getString("revision_pin")).isEqualTo("version");
        assertThat(source.getBoolean("in_workspace")).isFalse();
        assertThat(app.getJsonObject("destination").getString("name")).isEqualTo("in-cluster");
        assertThat(findingsOf(body.getJsonArray("findings"), "argo-workflows"))
                .containsExactly(ArgoChecks.PROJECT_NOT_DEFAULT);
    }

    @Test
    void applicationSetsAreSummarisedAndTheirTemplatesChecked() {
        JsonObject body = get("argocd/argo-cd/applicationset-examples");
        assertThat(body.getInt("applications")).isZero();
        JsonObject listGit = ArgoCdDemoWorkspaceTest.app(body, "list-git");
        assertThat(listGit.getString("kind")).isEqualTo("ApplicationSet");
        JsonObject matrix = listGit.getJsonArray("generators").getJsonObject(0);
        assertThat(matrix.getString("type")).isEqualTo("matrix");
        assertThat(matrix.getJsonArray("generators").getValuesAs(JsonObject.class))
                .extracting(g -> g.getString("type")).containsExactly("git", "list");
        // a generator-templated revision is known only when the ApplicationSet runs: not flagged
        JsonObject myapp = ArgoCdDemoWorkspaceTest.app(body, "myapp");
        assertThat(myapp.getJsonArray("sources").getJsonObject(0).getString("revision_pin")).isEqualTo("templated");
        assertThat(findingsOf(body.getJsonArray("findings"), "myapp"))
                .doesNotContain(ArgoChecks.TARGET_REVISION_PINNED);
        JsonObject addons = finding(body.getJsonArray("findings"), "cluster-addons",
                ArgoChecks.TARGET_REVISION_PINNED);
        assertThat(addons.getString("message")).startsWith("the ApplicationSet's template");
        assertThat(addons.getString("file"))
                .startsWith("argocd/argo-cd/applicationset-examples/git-generator-directory/");
    }

    @Test
    void wholeFolderReadsProjectsBesideApps() {
        JsonObject body = get("argocd");
        assertThat(body.getString("path")).isEqualTo("argocd");
        assertThat(body.getInt("applications")).isEqualTo(2);
        assertThat(body.getJsonArray("projects").getValuesAs(JsonObject.class))
                .extracting(p -> p.getString("name")).containsExactly("my-project");
        // every app names either 'default', 'my-project' or a generator template
        assertThat(body.getJsonArray("findings").getValuesAs(JsonObject.class))
                .noneMatch(f -> f.getString("check").equals(ArgoChecks.PROJECT_EXISTS));
        // JSON files of the git files generator and non-Argo objects (repository Secrets) are not apps
        assertThat(body.getJsonArray("apps").getValuesAs(JsonObject.class))
                .allMatch(a -> a.getString("kind").startsWith("Application"));
    }

    @Test
    void defaultPathComesFromConfig() {
        ClientResponseTyped<String> r = client.get("/api/argocd/apps").header(HeaderNames.ACCEPT, "application/json")
                .request(String.class);
        assertThat(r.status()).isEqualTo(Status.OK_200);
        assertThat(parse(r.entity()).getString("path")).isEqualTo("argocd");
    }

    private JsonObject get(String path) {
        ClientResponseTyped<String> r = client.get("/api/argocd/apps").queryParam("path", path).request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        return parse(r.entity());
    }
}
