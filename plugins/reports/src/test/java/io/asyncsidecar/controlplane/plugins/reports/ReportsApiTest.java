package io.asyncsidecar.controlplane.plugins.reports;

import java.io.StringReader;
import java.time.Duration;
import java.util.Set;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The export through the real server, with the testruns plugin beside it as in an installation: runs are
 * made against the control plane's own URL with the demo workspace's generic scenario.
 */
@ServerTest
class ReportsApiTest {

    static final String ALICE = "alice-token";
    static final String BOB = "bob-token";
    static final String NOSCOPE = "noscope-token";
    static final String TOKENS = "{"
            + "\"alice-token\":{\"tenant_id\":\"tA\",\"subject\":\"alice\",\"scopes\":[\"tests.read\",\"tests.run\"]},"
            + "\"bob-token\":{\"tenant_id\":\"tB\",\"subject\":\"bob\",\"scopes\":[\"tests.read\",\"tests.run\"]},"
            + "\"noscope-token\":{\"tenant_id\":\"tA\",\"subject\":\"eve\",\"scopes\":[\"observability.read\"]}}";

    private final Http1Client client;
    private final WebServer server;

    ReportsApiTest(Http1Client client, WebServer server) {
        this.client = client;
        this.server = server;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", TOKENS,
                "data-dir", "target/test-data/reports-" + System.nanoTime()));
    }

    @Test
    void exportsTheLatestCompletedRunOrTheNamedOne() throws Exception {
        Reply none = get("/api/reports/export", BOB, "format", "json");
        assertThat(none.status).isEqualTo(404);
        assertThat(none.json().getString("detail"))
                .isEqualTo("tenant tB has no completed test run yet; start one with POST /api/testruns");

        String passed = run(ALICE, "");
        String failed = run(ALICE, "/no-such-prefix");

        JsonObject latest = get("/api/reports/export", ALICE, "format", "json").json();
        assertThat(latest.getString("tenant_id")).isEqualTo("tA");
        assertThat(latest.getJsonObject("run").getString("id")).isEqualTo(failed);
        assertThat(latest.getJsonObject("run").getString("status")).isEqualTo("failed");
        assertThat(latest.getJsonObject("report").getJsonObject("load").getString("skipped"))
                .isEqualTo("E2E steps failed");

        Reply named = get("/api/reports/export", ALICE, "format", "json", "run", passed);
        assertThat(named.status).isEqualTo(200);
        assertThat(named.contentType).startsWith("application/json");
        JsonObject report = named.json().getJsonObject("report");
        assertThat(report.getJsonObject("run").getString("id")).isEqualTo(passed);
        assertThat(report.getJsonObject("e2e").getInt("passed")).isEqualTo(4);
        assertThat(report.getJsonObject("load").getJsonObject("total").getJsonNumber("requests").longValue())
                .isPositive();

        Reply md = get("/api/reports/export", ALICE, "format", "md", "run", passed);
        assertThat(md.status).isEqualTo(200);
        assertThat(md.contentType).startsWith("text/markdown");
        assertThat(md.body).contains("# Test report — tenant tA", "Run `" + passed + "`: **passed**",
                "## Test run " + passed, "### Phase 1: E2E", "### Phase 2: Load", "#### Timeline");
    }

    @Test
    void tenantsExportOnlyTheirOwnRuns() throws Exception {
        String alices = run(ALICE, "");
        Reply foreign = get("/api/reports/export", BOB, "run", alices);
        assertThat(foreign.status).isEqualTo(404);
        assertThat(foreign.json().getString("detail")).isEqualTo("no test run '" + alices + "' in tenant tB");
        assertThat(get("/api/reports/export", BOB, "format", "md").status).isEqualTo(404);
        assertThat(get("/api/reports/export", NOSCOPE).status).isEqualTo(403);
    }

    @Test
    void badFormatAndUnfinishedRunsAreProblems() throws Exception {
        Reply xml = get("/api/reports/export", ALICE, "format", "xml");
        assertThat(xml.status).isEqualTo(400);
        assertThat(xml.json().getString("field")).isEqualTo("format");

        String running = post("/api/testruns", ALICE, "{\"base_url\":\"http://127.0.0.1:" + server.port()
                + "\",\"load_duration\":60,\"concurrency\":1}").json().getString("id");
        try {
            awaitStatus(running, Set.of("running"));
            Reply busy = get("/api/reports/export", ALICE, "run", running);
            assertThat(busy.status).isEqualTo(409);
            assertThat(busy.json().getString("detail")).isEqualTo("test run " + running
                    + " is running; export it once it has finished");
        } finally {
            post("/api/testruns/" + running + "/cancel", ALICE, "");
        }
    }

    private String run(String token, String prefix) throws Exception {
        Reply r = post("/api/testruns", token, "{\"base_url\":\"http://127.0.0.1:" + server.port() + prefix
                + "\",\"load_duration\":1,\"concurrency\":2}");
        assertThat(r.status).as(r.body).isEqualTo(202);
        String id = r.json().getString("id");
        awaitStatus(id, Set.of("passed", "failed", "error", "cancelled", "interrupted"));
        return id;
    }

    private void awaitStatus(String id, Set<String> statuses) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (statuses.contains(get("/api/testruns/" + id, ALICE).json().getString("status"))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("run " + id + " did not reach " + statuses);
    }

    private record Reply(int status, String body, String contentType) {
        JsonObject json() {
            try (JsonReader r = Json.createReader(new StringReader(body))) {
                return r.readObject();
            }
        }
    }

    private Reply get(String path, String token, String... query) {
        Http1ClientRequest req = client.method(Method.GET).path(path)
                .header(HeaderNames.AUTHORIZATION, "Bearer " + token);
        for (int i = 0; i < query.length; i += 2) {
            req.queryParam(query[i], query[i + 1]);
        }
        try (Http1ClientResponse res = req.request()) {
            return new Reply(res.status().code(), res.entity().as(String.class),
                    res.headers().first(HeaderNames.CONTENT_TYPE).orElse(""));
        }
    }

    private Reply post(String path, String token, String body) {
        try (Http1ClientResponse res = client.method(Method.POST).path(path)
                .header(HeaderNames.AUTHORIZATION, "Bearer " + token)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(body)) {
            return new Reply(res.status().code(), res.entity().as(String.class),
                    res.headers().first(HeaderNames.CONTENT_TYPE).orElse(""));
        }
    }
}
