package io.asyncsidecar.controlplane.server;

import java.util.ArrayList;
import java.util.List;

import io.asyncsidecar.controlplane.server.testing.FindingsJson;
import io.asyncsidecar.controlplane.server.testing.JunitXml;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/checks} over the server's class-path test plugins: {@code lint} (scope tests.read) and
 * {@code secret-lint} (echo.custom) answer through the kit as real check plugins do, {@code broken-check} throws.
 * The combined answer is held against each plugin's own route.
 */
@ServerTest
class ChecksApiTest {

    private static final String TOKENS = """
            {"all":{"tenant_id":"tA","subject":"ann","scopes":["tests.read","echo.custom"]},
             "reader":{"tenant_id":"tA","subject":"rob","scopes":["tests.read"]}}""";

    private final Http1Client client;

    ChecksApiTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of("auth.mode", "static", "auth.tokens-json", TOKENS));
    }

    @Test
    void mergedCountsAreTheSumOfEachPluginsOwnAnswer() {
        String query = "?values=a.yaml&values=b.yaml&kubeVersion=1.30.0";
        JsonObject all = ok("/api/checks" + query, "all");
        JsonObject lint = ok("/api/lint/report" + query, "all");
        JsonObject secret = ok("/api/secret-lint/report" + query, "all");
        JsonObject summary = all.getJsonObject("summary");
        for (String severity : List.of("error", "warning", "info", "ignored")) {
            assertThat(summary.getInt(severity)).as(severity).isEqualTo(lint.getJsonObject("summary").getInt(severity)
                    + secret.getJsonObject("summary").getInt(severity));
        }
        assertThat(all.getJsonArray("findings")).hasSize(lint.getJsonArray("findings").size()
                + secret.getJsonArray("findings").size());
        assertThat(all.getJsonArray("ignored")).hasSize(lint.getJsonArray("ignored").size());
        JsonObject lintPart = withId(all.getJsonArray("plugins"), "lint");
        assertThat(lintPart.getJsonObject("summary").getInt("info")).isEqualTo(2); // one per values file: passed on
        assertThat(lintPart.getString("engine")).isEqualTo(lint.getJsonObject("summary").getString("engine"));
        assertThat(lintPart.getJsonObject("details").getJsonArray("objects")).hasSize(1);
        JsonObject params = all.getJsonObject("parameters");
        assertThat(params.getJsonArray("values").getValuesAs(JsonString.class)).extracting(JsonString::getString)
                .containsExactly("a.yaml", "b.yaml");
        assertThat(params.getString("kubeVersion")).isEqualTo("1.30.0");
        assertThat(all.getJsonArray("findings").getValuesAs(JsonObject.class))
                .allSatisfy(f -> assertThat(f.getString("plugin")).isIn("lint", "secret-lint"));
    }

    @Test
    void scoresFollowPolarisAndObjectsMergeAcrossPlugins() {
        JsonObject all = ok("/api/checks", "all");
        // lint knows 4 rules; replicas (error) and labels (warning) failed: p=2, w=1, e=1 -> 200*2/(4+1+2) = 57
        assertThat(withId(all.getJsonArray("plugins"), "lint").getInt("score")).isEqualTo(57);
        // secret-lint knows 1 rule and it failed: p=0, e=1 -> 0
        assertThat(withId(all.getJsonArray("plugins"), "secret-lint").getInt("score")).isZero();
        assertThat(all.getJsonObject("summary").getInt("score")).isEqualTo(200 * 2 / (4 + 1 + 4));
        List<JsonObject> objects = all.getJsonArray("objects").getValuesAs(JsonObject.class);
        JsonObject web = objects.stream().filter(o -> o.getString("name").equals("web")).findFirst().orElseThrow();
        assertThat(web.getJsonArray("plugins").getValuesAs(JsonString.class)).extracting(JsonString::getString)
                .containsExactly("lint", "secret-lint");
        assertThat(web.getInt("error")).isEqualTo(2);
        assertThat(web.getInt("warning")).isEqualTo(1);
        // the rules of both plugins apply (5), three failed on web: p=2 -> 200*2/(4+1+4)
        assertThat(web.getInt("score")).isEqualTo(200 * 2 / (4 + 1 + 4));
        JsonObject settings = objects.stream().filter(o -> o.getString("name").equals("settings")).findFirst()
                .orElseThrow();
        assertThat(settings.getInt("score")).isEqualTo(100);
        assertThat(objects.getFirst().getInt("score")).isLessThanOrEqualTo(objects.getLast().getInt("score"));
        assertThat(all.getJsonObject("summary").getInt("objects")).isEqualTo(objects.size()).isEqualTo(3);
    }

    @Test
    void aCallerWithoutAPluginsScopeSeesItLeftOut() {
        JsonObject reader = ok("/api/checks", "reader");
        assertThat(reader.getJsonArray("plugins").getValuesAs(JsonObject.class)).extracting(p -> p.getString("id"))
                .contains("lint").doesNotContain("secret-lint");
        JsonObject left = withId(reader.getJsonArray("left_out"), "secret-lint");
        assertThat(left.getJsonArray("scopes").getString(0)).isEqualTo("echo.custom");
        assertThat(left.getString("reason")).contains("echo.custom");
        assertThat(reader.getJsonArray("findings").getValuesAs(JsonObject.class))
                .noneSatisfy(f -> assertThat(f.getString("plugin")).isEqualTo("secret-lint"));
    }

    @Test
    void aCheckThatThrowsIsInTheAnswerWithItsProblem() {
        JsonObject all = ok("/api/checks", "all");
        JsonObject broken = withId(all.getJsonArray("plugins"), "broken-check");
        assertThat(broken.getString("problem")).contains("quote this id").doesNotContain("/secret/path")
                .doesNotContain("IllegalStateException");
        assertThat(broken.isNull("score")).isTrue();
        assertThat(all.getJsonObject("summary").getInt("problems")).isEqualTo(1);
    }

    @Test
    void aParameterAPluginRefusesIsTheWholeAnswers400() {
        JsonObject problem = status("/api/checks?kubeVersion=bad", "all", Status.BAD_REQUEST_400);
        assertThat(problem.getString("parameter")).isEqualTo("kubeVersion");
        assertThat(problem.getString("plugin")).isEqualTo("lint");
        assertThat(status("/api/checks?chart=x", "all", Status.BAD_REQUEST_400).getString("parameter"))
                .isEqualTo("chart");
        assertThat(status("/api/checks?format=pdf", "all", Status.BAD_REQUEST_400).getString("parameter"))
                .isEqualTo("format");
        assertThat(status("/api/checks?app=a&app=b", "all", Status.BAD_REQUEST_400).getString("detail"))
                .contains("once");
        try (var res = client.get("/api/checks").request()) {
            assertThat(res.status()).isEqualTo(Status.UNAUTHORIZED_401);
        }
    }

    @Test
    void sarifHasOneRunPerPlugin() {
        JsonObject sarif = FindingsJson.parse(client.get("/api/checks").queryParam("format", "sarif")
                .header(HeaderNames.AUTHORIZATION, "Bearer all").requestEntity(String.class));
        List<JsonObject> runs = sarif.getJsonArray("runs").getValuesAs(JsonObject.class);
        JsonObject all = ok("/api/checks", "all");
        assertThat(runs).hasSize(all.getJsonArray("plugins").size());
        List<String> tools = new ArrayList<>();
        for (JsonObject run : runs) {
            JsonObject driver = run.getJsonObject("tool").getJsonObject("driver");
            tools.add(driver.getString("name"));
            String id = run.getJsonObject("properties").getString("plugin");
            JsonObject part = withId(all.getJsonArray("plugins"), id);
            JsonObject s = part.getJsonObject("summary");
            assertThat(run.getJsonArray("results")).as(id).hasSize(s.getInt("error") + s.getInt("warning")
                    + s.getInt("info") + s.getInt("ignored"));
            assertThat(run.getJsonArray("invocations").getJsonObject(0).getBoolean("executionSuccessful"))
                    .isEqualTo(part.isNull("score") ? false : true);
        }
        assertThat(tools).containsExactlyInAnyOrder("control-plane-lint", "control-plane-secret-lint",
                "control-plane-broken-check");
        JsonObject lintRun = runs.stream().filter(r -> r.getJsonObject("properties").getString("plugin").equals("lint"))
                .findFirst().orElseThrow();
        assertThat(lintRun.getJsonObject("tool").getJsonObject("driver").getJsonArray("rules")).hasSize(4);
    }

    @Test
    void junitParsesWithOneSuitePerPlugin() {
        ClientResponseTyped<byte[]> res = client.get("/api/checks").queryParam("format", "junit")
                .header(HeaderNames.AUTHORIZATION, "Bearer all").request(byte[].class);
        Document xml = JunitXml.answer(res);
        List<Element> suites = JunitXml.children(xml.getDocumentElement(), "testsuite");
        assertThat(suites).extracting(s -> s.getAttribute("name")).containsExactlyInAnyOrder(
                "control-plane (lint)", "control-plane (secret-lint)", "control-plane (broken-check)");
        JsonObject all = ok("/api/checks", "all");
        int failures = all.getJsonObject("summary").getInt("error") + all.getJsonObject("summary").getInt("warning")
                + all.getJsonObject("summary").getInt("problems");
        assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo(Integer.toString(failures));
        Element lint = suites.stream().filter(s -> JunitXml.property(s, "plugin").equals("lint")).findFirst()
                .orElseThrow();
        JunitXml.assertSameFindings(lint, ok("/api/lint/report", "all"));
    }

    @Test
    void pluginsListsTheServerRoutesAndEachPluginsCheck() {
        JsonObject body = ok("/api/plugins", "reader");
        assertThat(body.getJsonArray("routes").getValuesAs(JsonObject.class)).extracting(r -> r.getString("path"))
                .contains("/api/checks", "/api/plugins");
        JsonObject lint = withId(body.getJsonArray("plugins"), "lint");
        assertThat(lint.getJsonArray("workspace_check").getString(0)).isEqualTo("tests.read");
        assertThat(withId(body.getJsonArray("plugins"), "echo").isNull("workspace_check")).isTrue();
    }

    private static JsonObject withId(jakarta.json.JsonArray items, String id) {
        return items.getValuesAs(JsonObject.class).stream().filter(o -> id.equals(o.getString("id", null)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + id + " in " + items));
    }

    private JsonObject ok(String path, String token) {
        return status(path, token, Status.OK_200);
    }

    private JsonObject status(String path, String token, Status expected) {
        int q = path.indexOf('?');
        var request = client.get(q < 0 ? path : path.substring(0, q));
        if (q >= 0) {
            java.util.Map<String, List<String>> query = new java.util.LinkedHashMap<>();
            for (String pair : path.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                query.computeIfAbsent(pair.substring(0, eq), k -> new ArrayList<>()).add(pair.substring(eq + 1));
            }
            query.forEach((k, v) -> request.queryParam(k, v.toArray(String[]::new)));
        }
        ClientResponseTyped<String> res = request.header(HeaderNames.AUTHORIZATION, "Bearer " + token)
                .request(String.class);
        assertThat(res.status()).as(res.entity()).isEqualTo(expected);
        return FindingsJson.parse(res.entity());
    }
}
