package io.asyncsidecar.controlplane.plugins.argocd;

import java.io.StringReader;
import java.util.List;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/argocd/apps} on the demo workspace (config/workspace), through the real server.
 */
@ServerTest
class ArgoCdDemoWorkspaceTest {

    private static final String TOKENS = "{\"reader\":{\"tenant_id\":\"tA\",\"subject\":\"alice\","
            + "\"scopes\":[\"deployments.read\"]},\"other\":{\"tenant_id\":\"tA\",\"subject\":\"bob\","
            + "\"scopes\":[\"autoscaling.read\"]}}";

    private final Http1Client client;

    ArgoCdDemoWorkspaceTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", TOKENS,
                "data-dir", "target/test-data/argocd-demo",
                "plugins.argocd.preview", "true"));
    }

    @Test
    void listsTheDemoAppsWithSeedFields() {
        JsonObject body = get("/api/argocd/apps");
        assertThat(body.getString("path")).isEqualTo("manifests/argocd/argocd-apps.yaml");
        assertThat(body.getInt("applications")).isEqualTo(3);
        assertThat(body.getString("preview")).startsWith("# Argo CD objects that deploy the hypergraph service");
        assertThat(body.getString("preview").length()).isLessThanOrEqualTo(ArgoAppsApi.PREVIEW_CHARS);
        assertThat(body.getJsonArray("projects").getJsonObject(0).getString("name")).isEqualTo("hypergraph");

        JsonObject app = app(body, "hypergraph");
        assertThat(app.getString("project")).isEqualTo("hypergraph");
        assertThat(app.getInt("sync_wave")).isEqualTo(1);
        JsonObject source = app.getJsonArray("sources").getJsonObject(0);
        assertThat(source.getString("path")).isEqualTo("manifests/helm/hypergraph");
        assertThat(source.getString("targetRevision")).isEqualTo("v1.8.2");
        assertThat(source.getString("revision_pin")).isEqualTo("version");
        assertThat(source.getBoolean("in_workspace")).isTrue();
        assertThat(source.getBoolean("path_exists")).isTrue();
        assertThat(source.getJsonObject("helm").getJsonArray("valueFiles").getString(0)).isEqualTo("values-prod.yaml");
        assertThat(source.getJsonObject("helm").getBoolean("inline_values")).isTrue();
        JsonObject sync = app.getJsonObject("sync_policy");
        assertThat(sync.getBoolean("automated")).isTrue();
        assertThat(sync.getBoolean("prune")).isTrue();
        assertThat(sync.getBoolean("selfHeal")).isTrue();
        assertThat(app.getJsonObject("destination").getString("namespace")).isEqualTo("hypergraph");
        assertThat(app(body, "hypergraph-karpenter").getInt("sync_wave")).isEqualTo(-1);

        // the reviewed app has no findings at all
        assertThat(findingsOf(body.getJsonArray("findings"), "hypergraph")).isEmpty();
        assertThat(body.getJsonObject("summary").getBoolean("degraded")).isFalse();
    }

    @Test
    void reportsTheDeliberateFindingsOfTheCanary() {
        JsonObject body = get("/api/argocd/apps");
        List<String> canary = findingsOf(body.getJsonArray("findings"), "hypergraph-canary");
        assertThat(canary).containsExactlyInAnyOrder(
                "argocd.project-not-default", "argocd.target-revision-pinned", "argocd.destination-namespace",
                "argocd.value-files-exist", "argocd.automated-prune");
        JsonObject pin = finding(body.getJsonArray("findings"), "hypergraph-canary", "argocd.target-revision-pinned");
        assertThat(pin.getString("message")).contains("'main'").contains("branch");
        assertThat(pin.getString("file")).isEqualTo("manifests/argocd/argocd-apps.yaml");
        assertThat(pin.getInt("line")).isEqualTo(lineOf("targetRevision: main"));
        assertThat(finding(body.getJsonArray("findings"), "hypergraph-canary", "argocd.automated-prune")
                .getString("severity")).isEqualTo("info");
        assertThat(finding(body.getJsonArray("findings"), "hypergraph-canary", "argocd.value-files-exist")
                .getString("message")).contains("values-canary.yaml");
    }

    @Test
    void listsTheAnnotatedFindingAsIgnored() {
        JsonObject body = get("/api/argocd/apps");
        assertThat(findingsOf(body.getJsonArray("findings"), "hypergraph-karpenter")).isEmpty();
        JsonObject ignored = finding(body.getJsonArray("ignored"), "hypergraph-karpenter",
                "argocd.target-revision-pinned");
        assertThat(ignored.getString("ignored_reason")).contains("PLAT-311");
        assertThat(body.getJsonObject("summary").getInt("ignored")).isEqualTo(1);
        assertThat(body.getJsonObject("summary").getInt("warning")).isEqualTo(4);
    }

    @Test
    void filtersByProjectLabelHealthAndSync() {
        assertThat(names(get("/api/argocd/apps?project=hypergraph")))
                .containsExactly("hypergraph", "hypergraph-karpenter");
        assertThat(names(get("/api/argocd/apps?label=team%3Dml-platform,track!%3Dcanary")))
                .containsExactly("hypergraph");
        assertThat(names(get("/api/argocd/apps?label=track%20in%20(canary,blue)"))).containsExactly("hypergraph-canary");
        assertThat(names(get("/api/argocd/apps?label=!track"))).containsExactly("hypergraph", "hypergraph-karpenter");
        // the demo manifests carry no status, so a health filter selects nothing
        JsonObject healthy = get("/api/argocd/apps?health=Healthy");
        assertThat(healthy.getInt("listed")).isZero();
        assertThat(healthy.getJsonArray("findings")).isEmpty();
        // filtered-out apps' findings are not reported
        JsonObject project = get("/api/argocd/apps?project=hypergraph");
        assertThat(findingsOf(project.getJsonArray("findings"), "hypergraph-canary")).isEmpty();
    }

    @Test
    void answersSarif() {
        ClientResponseTyped<String> r = client.get("/api/argocd/apps").queryParam("format", "sarif")
                .header(HeaderNames.AUTHORIZATION, "Bearer reader").request(String.class);
        assertThat(r.status()).isEqualTo(Status.OK_200);
        assertThat(r.headers().contentType().orElseThrow().text()).startsWith("application/sarif+json");
        JsonObject sarif = parse(r.entity());
        assertThat(sarif.getString("version")).isEqualTo("2.1.0");
        JsonObject run = sarif.getJsonArray("runs").getJsonObject(0);
        assertThat(run.getJsonObject("tool").getJsonObject("driver").getString("name")).isEqualTo("control-plane-argocd");
        List<String> ruleIds = run.getJsonObject("tool").getJsonObject("driver").getJsonArray("rules")
                .getValuesAs(JsonObject.class).stream().map(o -> o.getString("id")).toList();
        assertThat(ruleIds).contains("argocd.target-revision-pinned", "argocd.path-exists");
        List<JsonObject> results = run.getJsonArray("results").getValuesAs(JsonObject.class);
        assertThat(results).hasSize(6);
        JsonObject suppressed = results.stream().filter(o -> o.containsKey("suppressions")).findFirst().orElseThrow();
        assertThat(suppressed.getString("ruleId")).isEqualTo("argocd.target-revision-pinned");
        JsonObject location = suppressed.getJsonArray("locations").getJsonObject(0);
        assertThat(location.getJsonObject("physicalLocation").getJsonObject("artifactLocation").getString("uri"))
                .isEqualTo("manifests/argocd/argocd-apps.yaml");
        assertThat(location.getJsonObject("physicalLocation").getJsonObject("region").getInt("startLine"))
                .isEqualTo(lineOf("targetRevision: HEAD"));
        assertThat(ruleIds.get(results.getFirst().getInt("ruleIndex"))).isEqualTo(results.getFirst().getString("ruleId"));
    }

    @Test
    void rejectsBadInputWithProblems() {
        assertProblem("/api/argocd/apps?format=xml", 400, "'format' must be json, sarif or junit, got 'xml'");
        assertProblem("/api/argocd/apps?path=../../../etc/passwd", 400, "inside the workspace");
        assertProblem("/api/argocd/apps?path=/etc/passwd", 400, "inside the workspace");
        assertProblem("/api/argocd/apps?path=manifests/argocd/nope.yaml", 404, "manifests/argocd/nope.yaml");
        assertProblem("/api/argocd/apps?label=team%20in%20(a", 400, "'label' is not a label selector");
    }

    @Test
    void enforcesTheScope() {
        assertThat(client.get("/api/argocd/apps").header(HeaderNames.AUTHORIZATION, "Bearer other")
                .request(String.class).status()).isEqualTo(Status.FORBIDDEN_403);
        assertThat(client.get("/api/argocd/apps").request(String.class).status()).isEqualTo(Status.UNAUTHORIZED_401);
    }

    private void assertProblem(String uri, int status, String detail) {
        ClientResponseTyped<String> r = request(uri);
        assertThat(r.status().code()).as(uri).isEqualTo(status);
        assertThat(r.headers().contentType().orElseThrow().text()).startsWith("application/problem+json");
        assertThat(parse(r.entity()).getString("detail")).as(uri).contains(detail);
    }

    private JsonObject get(String uri) {
        ClientResponseTyped<String> r = request(uri);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        return parse(r.entity());
    }

    /** GET with the query string of {@code uri} sent as decoded parameters (the client would escape the '?'). */
    private ClientResponseTyped<String> request(String uri) {
        int q = uri.indexOf('?');
        var req = client.get(q < 0 ? uri : uri.substring(0, q)).header(HeaderNames.AUTHORIZATION, "Bearer reader");
        if (q >= 0) {
            for (String pair : uri.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                req.queryParam(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return req.request(String.class);
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    static JsonObject app(JsonObject body, String name) {
        return body.getJsonArray("apps").getValuesAs(JsonObject.class).stream()
                .filter(a -> a.getString("name").equals(name)).findFirst().orElseThrow(() -> new AssertionError(
                        "no app " + name + " in " + body.getJsonArray("apps")));
    }

    static List<String> names(JsonObject body) {
        return body.getJsonArray("apps").getValuesAs(JsonObject.class).stream().map(a -> a.getString("name")).toList();
    }

    static List<String> findingsOf(jakarta.json.JsonArray findings, String objectName) {
        return findings.getValuesAs(JsonObject.class).stream()
                .filter(f -> f.get("object") instanceof JsonObject o && o.get("name") != JsonValue.NULL
                        && o.getString("name").equals(objectName))
                .map(f -> f.getString("check")).toList();
    }

    static JsonObject finding(jakarta.json.JsonArray findings, String objectName, String check) {
        return findings.getValuesAs(JsonObject.class).stream()
                .filter(f -> f.getString("check").equals(check))
                .filter(f -> f.get("object") instanceof JsonObject o && objectName.equals(o.getString("name", null)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + check + " on " + objectName + " in " + findings));
    }

    private static int lineOf(String text) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(
                    TestConfigs.demoWorkspace().resolve("manifests/argocd/argocd-apps.yaml"));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(text)) {
                    return i + 1;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no line with " + text);
    }
}
