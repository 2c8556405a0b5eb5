package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test-run API through the real server: runs against loopback targets, the external orchestrator with a
 * script of its own, cancellation, tenant isolation, the WebSocket stream and validation.
 */
@ServerTest
class TestRunsApiTest {

    static final String ALICE = "alice-token";   // tenant tA, tests.read + tests.run
    static final String BOB = "bob-token";       // tenant tB, tests.read + tests.run
    static final String VIEWER = "viewer-token"; // tenant tA, tests.read only
    static final String ROOT = "root-token";     // tenant ops, tenants.admin
    static final String TOKENS = "{"
            + "\"alice-token\":{\"tenant_id\":\"tA\",\"subject\":\"alice\",\"scopes\":[\"tests.read\",\"tests.run\"]},"
            + "\"bob-token\":{\"tenant_id\":\"tB\",\"subject\":\"bob\",\"scopes\":[\"tests.read\",\"tests.run\"]},"
            + "\"viewer-token\":{\"tenant_id\":\"tA\",\"subject\":\"viewer\",\"scopes\":[\"tests.read\"]},"
            + "\"root-token\":{\"tenant_id\":\"ops\",\"subject\":\"root\",\"scopes\":[\"tests.read\",\"tests.run\","
            + "\"tenants.admin\"]}}";
    static final Path DATA = Path.of("target/test-data/api-" + System.nanoTime());
    static final String SECRET = "s3cr3t-read-token-42";

    private static final LoopbackTarget FAST;
    private static final LoopbackTarget SLOW;

    static {
        try {
            FAST = LoopbackTarget.start();
            SLOW = LoopbackTarget.withSlowMetrics(40);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final Api api;
    private final WebServer server;

    TestRunsApiTest(Http1Client client, WebServer server) {
        this.api = new Api(client);
        this.server = server;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, config(DATA, Map.of()));
    }

    /** The test server's config over a data directory, shared with the restart test. */
    static Config config(Path data, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>();
        m.put("auth.mode", "static");
        m.put("auth.tokens-json", TOKENS);
        m.put("workspace", TestConfigs.demoWorkspace().toString());
        m.put("data-dir", data.toString());
        m.put("plugins.dir", "target/no-plugins-dir");
        m.put("ui-dir", "target/no-ui-dir");
        m.put("plugins.testruns.max-concurrent-runs", "1");
        m.put("plugins.testruns.flush-interval-millis", "200");
        List<String> argv = List.of("sh", script().toString(), "--base-url", "{base_url}", "--load-duration",
                "{load_duration}", "--concurrency", "{concurrency}", "--output", "{run_dir}/report.json");
        for (int i = 0; i < argv.size(); i++) {
            m.put("plugins.testruns.orchestrators.fake.command." + i, argv.get(i));
        }
        m.put("plugins.testruns.orchestrators.fake.timeout-grace-seconds", "30");
        m.putAll(extra);
        return Config.just(ConfigSources.create(m));
    }

    static Path script() {
        return Path.of("src/test/resources/fake-runner.sh").toAbsolutePath();
    }

    @AfterAll
    static void stopTargets() {
        FAST.close();
        SLOW.close();
    }

    @Test
    void runPassesEndToEndAgainstALoopbackService() throws Exception {
        Api.Reply accepted = api.post("/api/testruns", ALICE,
                "{\"base_url\":\"" + FAST.baseUrl() + "\",\"load_duration\":1,\"concurrency\":4}");
        assertThat(accepted.status()).isEqualTo(202);
        JsonObject queued = accepted.json();
        String id = queued.getString("id");
        assertThat(accepted.location()).isEqualTo("/api/testruns/" + id);
        assertThat(queued.getString("tenant_id")).isEqualTo("tA");
        assertThat(queued.getString("created_by")).isEqualTo("alice");
        assertThat(queued.getJsonObject("args").getString("scenario")).isEqualTo("tests/e2e/scenarios/generic.yaml");

        JsonObject done = api.awaitFinal(id, ALICE, Duration.ofSeconds(30));
        assertThat(done.getString("status")).isEqualTo("passed");
        assertThat(done.getInt("exit_code")).isZero();
        assertThat(done.get("error")).isEqualTo(JsonValue.NULL);
        assertThat(done.getString("output_json")).isEqualTo("/api/testruns/" + id + "/report.json");
        assertThat(done.getJsonObject("summary").getJsonObject("e2e").getInt("passed")).isEqualTo(4);

        Api.Reply json = api.get("/api/testruns/" + id + "/report.json", ALICE);
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.contentType()).startsWith("application/json");
        JsonObject report = json.json();
        assertThat(report.getJsonObject("parameters").getString("base_url")).isEqualTo(FAST.baseUrl());
        assertThat(report.getJsonObject("timings").getJsonNumber("duration_s").doubleValue()).isGreaterThan(0.9);
        assertThat(report.getJsonObject("e2e").getJsonArray("steps")).extracting(v -> v.asJsonObject().getString("name"))
                .containsExactly("healthz", "metrics", "live", "ready");
        // the target has no /health/ready: 404 is accepted by the generic scenario
        assertThat(report.getJsonObject("e2e").getJsonArray("steps").getJsonObject(3).getInt("status")).isEqualTo(404);
        JsonObject load = report.getJsonObject("load");
        long requests = load.getJsonObject("total").getJsonNumber("requests").longValue();
        assertThat(requests).isGreaterThan(20);
        assertThat(load.getJsonObject("total").getJsonNumber("errors").longValue()).isZero();
        assertThat(load.getJsonObject("steps").keySet()).containsExactly("healthz", "metrics");
        assertThat(load.getJsonArray("timeline")).isNotEmpty();
        assertThat(load.getJsonArray("thresholds")).hasSize(3)
                .allSatisfy(t -> assertThat(t.asJsonObject().getBoolean("passed")).isTrue());

        Api.Reply md = api.get("/api/testruns/" + id + "/report.md", ALICE);
        assertThat(md.status()).isEqualTo(200);
        assertThat(md.contentType()).startsWith("text/markdown");
        assertThat(md.body()).contains("# Test run " + id, "| Status | **passed** |", "## Phase 1: E2E",
                "| healthz | `GET /healthz` | 200 |", "## Phase 2: Load", "### Thresholds", "| `p95<500` | total |",
                "### Timeline");
    }

    @Test
    void runAgainstTheControlPlaneItselfPassesWithTheDefaultScenario() throws Exception {
        String id = api.start(ALICE, "{\"base_url\":\"http://127.0.0.1:" + server.port()
                + "\",\"load_duration\":1,\"concurrency\":2}");
        JsonObject done = api.awaitFinal(id, ALICE, Duration.ofSeconds(30));
        assertThat(done.getString("status")).as(done.toString()).isEqualTo("passed");
    }

    @Test
    void runWithoutBaseUrlTargetsTheControlPlaneItself() throws Exception {
        String id = api.start(ALICE, "{\"load_duration\":1,\"concurrency\":2}");
        JsonObject done = api.awaitFinal(id, ALICE, Duration.ofSeconds(30));
        assertThat(done.getJsonObject("args").getString("base_url")).isEqualTo("http://127.0.0.1:" + server.port());
        assertThat(done.getString("status")).as(done.toString()).isEqualTo("passed");
    }

    @Test
    void runFailsByThreshold() throws Exception {
        // /metrics takes 40 ms on this target and is a fifth of the load mix: p95 cannot stay under 20 ms
        String id = api.start(ALICE, "{\"base_url\":\"" + SLOW.baseUrl()
                + "\",\"load_duration\":1,\"concurrency\":4,\"thresholds\":[\"p95<20\",\"error_rate<0.01\"]}");
        JsonObject done = api.awaitFinal(id, ALICE, Duration.ofSeconds(30));
        assertThat(done.getString("status")).isEqualTo("failed");
        assertThat(done.getInt("exit_code")).isEqualTo(1);
        assertThat(done.getString("error")).isEqualTo("thresholds failed");
        assertThat(done.getJsonObject("summary").getJsonObject("load").getInt("thresholds_failed")).isEqualTo(1);
        JsonObject load = api.get("/api/testruns/" + id + "/report.json", ALICE).json().getJsonObject("load");
        JsonObject p95 = load.getJsonArray("thresholds").getJsonObject(0);
        assertThat(p95.getString("threshold")).isEqualTo("p95<20");
        assertThat(p95.getBoolean("passed")).isFalse();
        assertThat(p95.getJsonNumber("value").doubleValue()).isGreaterThanOrEqualTo(40.0);
        assertThat(load.getJsonArray("thresholds").getJsonObject(1).getBoolean("passed")).isTrue();
        assertThat(load.getJsonObject("steps").getJsonObject("metrics").getJsonObject("latency_ms")
                .getJsonNumber("p50").doubleValue()).isGreaterThanOrEqualTo(40.0);
    }

    @Test
    void failedE2eStepSkipsTheLoadPhase() throws Exception {
        // under this prefix the target answers 404 everywhere
        String id = api.start(ALICE, "{\"base_url\":\"" + FAST.baseUrl() + "/nothing-here\",\"load_duration\":1}");
        JsonObject done = api.awaitFinal(id, ALICE, Duration.ofSeconds(30));
        assertThat(done.getString("status")).isEqualTo("failed");
        assertThat(done.getString("error")).isEqualTo("E2E steps failed");
        JsonObject report = api.get("/api/testruns/" + id + "/report.json", ALICE).json();
        JsonObject healthz = report.getJsonObject("e2e").getJsonArray("steps").getJsonObject(0);
        assertThat(healthz.getBoolean("passed")).isFalse();
        assertThat(healthz.getJsonArray("failures").getString(0)).isEqualTo("status 404, expected [200]");
        assertThat(report.getJsonObject("load").getString("skipped")).isEqualTo("E2E steps failed");
    }

    @Test
    void cancelRunningAndQueuedRuns() throws Exception {
        String running = api.start(ALICE, "{\"base_url\":\"" + FAST.baseUrl() + "\",\"load_duration\":60,"
                + "\"concurrency\":2}");
        api.awaitStatus(running, ALICE, Duration.ofSeconds(20), Set.of("running"));
        // max-concurrent-runs is 1 here: the second waits
        String queued = api.start(ALICE, "{\"base_url\":\"" + FAST.baseUrl() + "\",\"load_duration\":60}");
        assertThat(api.get("/api/testruns/" + queued, ALICE).json().getString("status")).isEqualTo("queued");

        Api.Reply cancelQueued = api.post("/api/testruns/" + queued + "/cancel", ALICE, "");
        assertThat(cancelQueued.status()).isEqualTo(202);
        assertThat(api.awaitFinal(queued, ALICE, Duration.ofSeconds(5)).getString("status")).isEqualTo("cancelled");

        // cancel in the middle of the load phase
        awaitFileContains(dataDir().resolve("runs").resolve(running).resolve("events.jsonl"), "\"type\":\"stats\"");
        long begin = System.nanoTime();
        assertThat(api.post("/api/testruns/" + running + "/cancel", ALICE, "").status()).isEqualTo(202);
        JsonObject done = api.awaitFinal(running, ALICE, Duration.ofSeconds(10));
        assertThat(done.getString("status")).isEqualTo("cancelled");
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(3));
        // a partial report exists for the cancelled run
        JsonObject report = api.get("/api/testruns/" + running + "/report.json", ALICE).json();
        assertThat(report.getJsonObject("run").getString("status")).isEqualTo("cancelled");
        assertThat(report.getJsonObject("e2e").getJsonArray("steps")).hasSize(4);
        assertThat(report.getJsonObject("load").getJsonArray("timeline")).isNotEmpty();

        Api.Reply again = api.post("/api/testruns/" + running + "/cancel", ALICE, "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().getString("detail")).contains("already finished: cancelled");
    }

    @Test
    void externalOrchestratorRunsTheScriptAndRedactsTokens() throws Exception {
        String id = api.start(ALICE, "{\"base_url\":\"" + FAST.baseUrl() + "\",\"load_duration\":2,\"concurrency\":3,"
                + "\"orchestrator\":\"fake\",\"auth_token_read\":\"" + SECRET + "\",\"tenant_a\":\"tA\","
                + "\"s3_check\":true,\"only\":[\"smoke\",\"chat\"]}");
        JsonObject done = api.awaitFinal(id, ALICE, Duration.ofSeconds(30));
        // "only" is "smoke,chat", not a mode of the script: it passes
        assertThat(done.getString("status")).as(done.toString()).isEqualTo("passed");
        assertThat(done.getInt("exit_code")).isZero();
        assertThat(done.getJsonObject("args").getString("auth_token_read")).isEqualTo("***");
        assertThat(done.getJsonObject("summary").getJsonObject("external").getInt("passed")).isEqualTo(2);

        Path runDir = dataDir().resolve("runs").resolve(id);
        String events = Files.readString(runDir.resolve("events.jsonl"));
        assertThat(events).contains("fake runner started with: --base-url " + FAST.baseUrl()
                        + " --load-duration 2 --concurrency 3 --output " + runDir.toAbsolutePath().resolve("work")
                        + "/report.json --tenant-a=tA --s3-check --only=smoke,chat",
                "\"stream\":\"stderr\",\"line\":\"a warning on stderr\"",
                "with 3 users, token ***");
        String json = api.get("/api/testruns/" + id + "/report.json", ALICE).body();
        String md = api.get("/api/testruns/" + id + "/report.md", ALICE).body();
        String record = Files.readString(runDir.resolve("record.json"));
        for (String text : List.of(events, json, md, record)) {
            assertThat(text).doesNotContain(SECRET);
        }
        JsonObject external = api.get("/api/testruns/" + id + "/report.json", ALICE).json().getJsonObject("external");
        assertThat(external.getJsonObject("report").getString("token_seen")).isEqualTo("***");
        assertThat(external.getJsonObject("report").getJsonArray("tests")).hasSize(2);
        assertThat(md).contains("## External runner `fake`", "| 2 | 2 | 0 | 0 |", "## Runner report",
                "### Fake runner report");
    }

    @Test
    void anExternalRunnerGetsItsSecretsInItsEnvironmentNotOnItsCommandLine() throws Exception {
        String write = "w-" + SECRET;
        String id = api.start(ALICE, "{\"base_url\":\"" + FAST.baseUrl() + "\",\"load_duration\":60,"
                + "\"orchestrator\":\"fake\",\"only\":\"sleep\",\"auth_token_read\":\"" + SECRET + "\","
                + "\"auth_token_write\":\"" + write + "\"}");
        try {
            api.awaitStatus(id, ALICE, Duration.ofSeconds(20), Set.of("running"));
            awaitFileContains(dataDir().resolve("runs").resolve(id).resolve("events.jsonl"), "sleeping");
            String runDir = dataDir().resolve("runs").resolve(id).toAbsolutePath().toString();
            ProcessHandle runner = ProcessHandle.current().descendants()
                    .filter(p -> procFile(p, "cmdline").contains(runDir))
                    .findFirst().orElseThrow(() -> new AssertionError("no runner process for " + runDir));
            // what ps shows every local user
            String cmdline = procFile(runner, "cmdline");
            assertThat(cmdline).contains("fake-runner.sh", "--only=sleep").doesNotContain(SECRET);
            // what only the runner's user can read
            List<String> environment = List.of(procFile(runner, "environ").split("\0"));
            assertThat(environment).contains("AUTH_TOKEN_READ=" + SECRET, "AUTH_TOKEN_WRITE=" + write);
            // and nothing of the server's own configuration (surefire sets one such variable for this check)
            assertThat(System.getenv("PLUGINS_TESTRUNS_SERVER_ONLY")).isEqualTo("not-for-runners");
            assertThat(environment).noneMatch(e -> e.startsWith("PLUGINS_TESTRUNS_SERVER_ONLY="));
            // and the script read it from there (its log line is redacted on the way in)
            awaitFileContains(dataDir().resolve("runs").resolve(id).resolve("events.jsonl"), "users, token ***");
            assertThat(Files.readString(dataDir().resolve("runs").resolve(id).resolve("events.jsonl")))
                    .doesNotContain(SECRET);
        } finally {
            api.post("/api/testruns/" + id + "/cancel", ALICE, "");
        }
        assertThat(api.awaitFinal(id, ALICE, Duration.ofSeconds(15)).getString("status")).isEqualTo("cancelled");
    }

    /** A /proc file of a process, NUL separators as spaces for cmdline; empty when it is gone. */
    private static String procFile(ProcessHandle p, String name) {
        try {
            String text = Files.readString(Path.of("/proc", String.valueOf(p.pid()), name),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            return name.equals("cmdline") ? text.replace('\0', ' ') : text;
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void externalOrchestratorExitCodesMapToFailedAndError() throws Exception {
        String failing = api.start(ALICE, "{\"base_url\":\"" + FAST.baseUrl() + "\",\"load_duration\":1,"
                + "\"orchestrator\":\"fake\",\"only\":\"fail\"}");
        JsonObject failed = api.awaitFinal(failing, ALICE, Duration.ofSeconds(30));
        assertThat(failed.getString("status")).isEqualTo("failed");
        assertThat(failed.getInt("exit_code")).isEqualTo(1);
        assertThat(failed.getString("error")).isEqualTo("1 test(s) failed");

        String crashing = api.start(ALICE, "{\"base_url\":\"" + FAST.baseUrl() + "\",\"load_duration\":1,"
                + "\"orchestrator\":\"fake\",\"only\":\"crash\"}");
        JsonObject crashed = api.awaitFinal(crashing, ALICE, Duration.ofSeconds(30));
        assertThat(crashed.getString("status")).isEqualTo("error");
        assertThat(crashed.getInt("exit_code")).isEqualTo(3);
        assertThat(crashed.getString("error")).isEqualTo("runner exited with code 3: cannot reach " + FAST.baseUrl());
    }

    @Test
    void cancellingAnExternalRunKillsTheRunner() throws Exception {
        String id = api.start(ALICE, "{\"base_url\":\"" + FAST.baseUrl() + "\",\"load_duration\":60,"
                + "\"orchestrator\":\"fake\",\"only\":\"sleep\"}");
        api.awaitStatus(id, ALICE, Duration.ofSeconds(20), Set.of("running"));
        Path events = dataDir().resolve("runs").resolve(id).resolve("events.jsonl");
        awaitFileContains(events, "sleeping");
        assertThat(api.post("/api/testruns/" + id + "/cancel", ALICE, "").status()).isEqualTo(202);
        assertThat(api.awaitFinal(id, ALICE, Duration.ofSeconds(10)).getString("status")).isEqualTo("cancelled");
    }

    @Test
    void tenantsSeeOnlyTheirOwnRuns() throws Exception {
        String id = api.start(ALICE, "{\"base_url\":\"" + FAST.baseUrl() + "\",\"load_duration\":1}");
        api.awaitFinal(id, ALICE, Duration.ofSeconds(30));

        assertThat(api.get("/api/testruns/" + id, BOB).status()).isEqualTo(404);
        assertThat(api.get("/api/testruns/" + id + "/report.json", BOB).status()).isEqualTo(404);
        assertThat(api.get("/api/testruns/" + id + "/report.md", BOB).status()).isEqualTo(404);
        assertThat(api.post("/api/testruns/" + id + "/cancel", BOB, "").status()).isEqualTo(404);
        assertThat(ids(api.get("/api/testruns?limit=500", BOB).json())).doesNotContain(id);
        assertThat(ids(api.get("/api/testruns?limit=500", ALICE).json())).contains(id);
        assertThat(ids(api.get("/api/testruns?limit=500", VIEWER).json())).as("same tenant, other subject").contains(id);
        WebSocketHandshakeException refused = handshakeFailure("/ws/testruns/" + id + "/stream", BOB);
        assertThat(refused.getResponse().statusCode()).isEqualTo(404);

        // a tenants.admin reads tA through X-Tenant-ID, but cannot act for it
        assertThat(api.get("/api/testruns/" + id, ROOT, "X-Tenant-ID", "tA").json().getString("id")).isEqualTo(id);
        assertThat(api.get("/api/testruns/" + id, ROOT).status()).isEqualTo(404);
        assertThat(api.post("/api/testruns/" + id + "/cancel", ROOT, "", "X-Tenant-ID", "tA").status()).isEqualTo(403);
        assertThat(api.post("/api/testruns", ROOT, "{\"base_url\":\"" + FAST.baseUrl() + "\"}", "X-Tenant-ID", "tA")
                .status()).isEqualTo(403);
        // without tenants.admin a foreign tenant header is refused by the server
        assertThat(api.get("/api/testruns/" + id, BOB, "X-Tenant-ID", "tA").status()).isEqualTo(403);
        // a run of tB is invisible to tA
        String bobs = api.start(BOB, "{\"base_url\":\"" + FAST.baseUrl() + "\",\"load_duration\":1}");
        assertThat(api.get("/api/testruns/" + bobs, ALICE).status()).isEqualTo(404);
        api.awaitFinal(bobs, BOB, Duration.ofSeconds(30));
    }

    @Test
    void scopesAreEnforced() {
        Api.Reply r = api.post("/api/testruns", VIEWER, "{\"base_url\":\"" + FAST.baseUrl() + "\"}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().getString("detail")).contains("tests.run");
        assertThat(api.get("/api/testruns", null).status()).isEqualTo(401);
    }

    @Test
    void streamSendsStateFirstThenEventsAndReplaysSince() throws Exception {
        String id = api.start(ALICE, "{\"base_url\":\"" + FAST.baseUrl() + "\",\"load_duration\":2,\"concurrency\":2}");
        api.awaitStatus(id, ALICE, Duration.ofSeconds(20), Set.of("running"));
        List<JsonObject> live;
        JsonObject state;
        try (StreamClient late = StreamClient.connect(server.port(), "/ws/testruns/" + id + "/stream", ALICE)) {
            state = late.next();
            assertThat(state.getString("type")).isEqualTo("state");
            assertThat(state.getJsonObject("run").getString("id")).isEqualTo(id);
            // joined while running: the state already reflects the queued and running events
            assertThat(state.getJsonNumber("seq").longValue()).isGreaterThanOrEqualTo(4);
            live = late.untilClosed(List.of());
            assertThat(late.closeCode).isEqualTo(1000);
        }
        assertThat(live).isNotEmpty();
        long first = live.get(0).getJsonNumber("seq").longValue();
        assertThat(first).isEqualTo(state.getJsonNumber("seq").longValue() + 1);
        for (int i = 0; i < live.size(); i++) {
            assertThat(live.get(i).getJsonNumber("seq").longValue()).isEqualTo(first + i);
        }
        assertThat(live).extracting(m -> m.getString("type")).contains("stats", "status", "testrun.update")
                .last().isEqualTo("summary");
        JsonObject update = live.stream().filter(m -> m.getString("type").equals("testrun.update")).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(update.getString("id")).isEqualTo(id);
        assertThat(update.getString("status")).isEqualTo("passed");
        assertThat(update.getInt("exit_code")).isZero();
        assertThat(update.containsKey("error")).isTrue();
        assertThat(update.getJsonNumber("ts").doubleValue()).isGreaterThan(1.7e9);
        JsonObject stats = live.stream().filter(m -> m.getString("type").equals("stats")).findFirst().orElseThrow();
        assertThat(stats.getJsonNumber("requests").longValue()).isPositive();

        // a reconnect with since replays exactly what came after it, then closes: the run has finished
        long since = first + 2;
        List<JsonObject> replay;
        try (StreamClient again = StreamClient.connect(server.port(), "/ws/testruns/" + id + "/stream?since=" + since,
                ALICE)) {
            JsonObject replayState = again.next();
            assertThat(replayState.getString("type")).isEqualTo("state");
            assertThat(replayState.getJsonObject("run").getString("status")).isEqualTo("passed");
            replay = again.untilClosed(List.of());
            assertThat(again.closeCode).isEqualTo(1000);
        }
        assertThat(replay).extracting(m -> m.getJsonNumber("seq").longValue())
                .containsExactlyElementsOf(live.stream().map(m -> m.getJsonNumber("seq").longValue())
                        .filter(s -> s > since).toList());
        // browsers pass the token as a query parameter; since still applies
        try (StreamClient query = StreamClient.connect(server.port(), "/ws/testruns/" + id + "/stream?access_token="
                + ALICE + "&since=" + since, null)) {
            query.next();
            assertThat(query.untilClosed(List.of())).hasSameSizeAs(replay);
        }
        // a finished run without since replays everything from the first event
        try (StreamClient all = StreamClient.connect(server.port(), "/ws/testruns/" + id + "/stream", ALICE)) {
            all.next();
            List<JsonObject> everything = all.untilClosed(List.of());
            assertThat(everything.get(0).getJsonNumber("seq").longValue()).isEqualTo(1);
            assertThat(everything.get(0).getString("status")).isEqualTo("queued");
            assertThat(everything.size()).isEqualTo(first - 1 + live.size());
        }
    }

    @Test
    void streamRejectsUnknownRunsAndBadSince() {
        assertThat(handshakeFailure("/ws/testruns/tr-00000000000000000000/stream", ALICE).getResponse().statusCode())
                .isEqualTo(404);
        String id = api.post("/api/testruns", ALICE, "{\"base_url\":\"" + FAST.baseUrl() + "\",\"load_duration\":1}")
                .json().getString("id");
        assertThat(handshakeFailure("/ws/testruns/" + id + "/stream?since=-1", ALICE).getResponse().statusCode())
                .isEqualTo(400);
    }

    @Test
    void listIsPagedAndFilteredByStatus() throws Exception {
        String a = api.start(BOB, "{\"base_url\":\"" + FAST.baseUrl() + "/nothing-here\",\"load_duration\":1}");
        api.awaitFinal(a, BOB, Duration.ofSeconds(30));
        JsonObject failed = api.get("/api/testruns?status=failed&limit=1", BOB).json();
        assertThat(failed.getInt("limit")).isEqualTo(1);
        assertThat(failed.getJsonArray("items")).hasSize(1);
        assertThat(failed.getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(a);
        JsonObject passedOrFailed = api.get("/api/testruns?status=passed,failed&limit=500&offset=0", BOB).json();
        assertThat(passedOrFailed.getInt("total")).isEqualTo(passedOrFailed.getJsonArray("items").size());
        assertThat(api.get("/api/testruns?status=exploded", BOB).json().getString("field")).isEqualTo("status");
        assertThat(api.get("/api/testruns?limit=0", BOB).status()).isEqualTo(400);
        assertThat(api.get("/api/testruns?offset=x", BOB).json().getString("detail"))
                .isEqualTo("'offset' must be a whole number from 0 to 2147483647, got 'x'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"base_url\":\"ftp://127.0.0.1/\"}                    | base_url      | must be an http or https URL",
            "{\"base_url\":\"http://example.com\"}                  | base_url      | host 'example.com' is not an allowed target",
            "{\"base_url\":\"http://user:pw@127.0.0.1\"}            | base_url      | must not carry user info",
            "{\"base_url\":\"http://127.0.0.1\",\"load_duration\":0}    | load_duration | from 1 to 3600, got 0",
            "{\"base_url\":\"http://127.0.0.1\",\"load_duration\":3601} | load_duration | from 1 to 3600, got 3601",
            "{\"base_url\":\"http://127.0.0.1\",\"load_duration\":1.5}  | load_duration | whole number",
            "{\"base_url\":\"http://127.0.0.1\",\"concurrency\":2001}   | concurrency   | from 1 to 2000, got 2001",
            "{\"base_url\":\"http://127.0.0.1\",\"concurrency\":\"x\"}  | concurrency   | must be a number",
            "{\"base_url\":\"http://127.0.0.1\",\"orchestrator\":\"k6\"} | orchestrator | unknown orchestrator 'k6'; configured: [builtin, fake]",
            "{\"base_url\":\"http://127.0.0.1\",\"scenario\":\"../../../etc/passwd\"} | scenario | inside the workspace",
            "{\"base_url\":\"http://127.0.0.1\",\"scenario\":\"tests/none.yaml\"} | scenario | does not exist in the workspace",
            "{\"base_url\":\"http://127.0.0.1\",\"thresholds\":[\"p95 fast\"]} | thresholds | is not a threshold",
            "{\"base_url\":\"http://127.0.0.1\",\"target_rate\":-5}     | target_rate   | must be > 0",
            "{\"base_url\":\"http://127.0.0.1\",\"colour\":\"red\"}     | colour        | unknown field 'colour'",
            "{\"base_url\":\"http://127.0.0.1\",\"metrics_gateway\":\"http://example.com\"} | metrics_gateway | not an allowed target",
            "{\"base_url\":\"http://127.0.0.1\",\"only\":{\"a\":1}}     | only          | must be a string, number, boolean or list",
    })
    void invalidRequestsAre400NamingTheField(String body, String field, String detail) {
        Api.Reply r = api.post("/api/testruns", ALICE, body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().getString("field")).isEqualTo(field);
        assertThat(r.json().getString("detail")).contains(detail);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tenant_a     | {\"tenant_a\":\"a\\ud800b\"}",
            "only         | {\"only\":[\"smoke\",\"\\udc00\"]}",
            "scenario     | {\"scenario\":\"tests/\\ud800.yaml\"}",
            "orchestrator | {\"orchestrator\":\"\\udfff\"}",
            "thresholds   | {\"thresholds\":[\"p95<500\\ud800\"]}",
            "\\ud800     | {\"\\ud800\":\"x\"}",
    })
    void aLoneSurrogateIsA400NamingTheFieldAndLeavesNoRunBehind(String field, String extra) throws IOException {
        List<String> before = runDirectories();
        String body = "{\"base_url\":\"" + FAST.baseUrl() + "\"," + extra.substring(1);
        Api.Reply r = api.post("/api/testruns", ALICE, body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonObject problem = r.json();
        // the field is named as sent, its lone surrogate written out as an escape the answer can carry
        assertThat(problem.getString("field")).isEqualTo(field.replace("\\ud800", "\\uD800"));
        assertThat(problem.getString("detail")).contains("lone surrogate");
        assertThat(runDirectories()).isEqualTo(before);
    }

    private static List<String> runDirectories() throws IOException {
        try (var dirs = Files.list(dataDir().resolve("runs"))) {
            return dirs.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void malformedJsonAndUnknownRunsAreProblems() {
        Api.Reply r = api.post("/api/testruns", ALICE, "{\"base_url\":");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().getString("detail")).startsWith("malformed JSON");
        assertThat(api.get("/api/testruns/tr-does-not-exist", ALICE).status()).isEqualTo(404);
        assertThat(api.get("/api/testruns/tr-does-not-exist/report.md", ALICE).status()).isEqualTo(404);
    }

    static List<String> ids(JsonObject page) {
        List<String> out = new ArrayList<>();
        page.getJsonArray("items").forEach(v -> out.add(v.asJsonObject().getString("id")));
        return out;
    }

    private WebSocketHandshakeException handshakeFailure(String path, String token) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() ->
                StreamClient.connect(server.port(), path, token).close());
        assertThat(t).isInstanceOf(CompletionException.class);
        assertThat(t.getCause()).isInstanceOf(WebSocketHandshakeException.class);
        return (WebSocketHandshakeException) t.getCause();
    }

    private static Path dataDir() {
        return DATA.resolve("testruns");
    }

    static void awaitFileContains(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(file + " does not contain '" + text + "'");
    }
}
