package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.server.ControlPlane;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients parse the run record and the stream events by name: every field, in its order and of its JSON type,
 * is pinned here for a built-in run (status, update, log, step, stats and summary events) and an external one.
 */
@ServerTest
class WireFormatTest {

    private static final String ALICE = TestRunsApiTest.ALICE;
    private static final Path DATA = Path.of("target/test-data/wire-" + System.nanoTime());
    private static final List<String> RECORD = List.of("id", "created_at", "created_by", "tenant_id", "args",
            "status", "exit_code", "output_json", "output_md", "error", "started_at", "finished_at", "orchestrator",
            "summary", "links");
    private static LoopbackTarget target;

    private final Api api;
    private final WebServer server;

    WireFormatTest(Http1Client client, WebServer server) {
        this.api = new Api(client);
        this.server = server;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestRunsApiTest.config(DATA, Map.of()));
    }

    @BeforeAll
    static void startTarget() throws IOException {
        target = LoopbackTarget.start();
    }

    @AfterAll
    static void stopTarget() {
        target.close();
    }

    @Test
    void theRunRecordKeepsItsFields() throws Exception {
        Api.Reply accepted = api.post("/api/testruns", ALICE,
                "{\"base_url\":\"" + target.baseUrl() + "\",\"load_duration\":1,\"concurrency\":2}");
        JsonObject queued = accepted.json();
        assertThat(queued.keySet()).containsExactlyElementsOf(concat(RECORD, "location"));
        assertThat(queued.getString("created_at")).endsWith("Z");
        assertThat(queued.getJsonObject("args").keySet())
                .containsExactly("base_url", "load_duration", "concurrency", "orchestrator", "scenario");
        assertThat(queued.getJsonObject("links").keySet())
                .containsExactly("self", "stream", "report_json", "report_md");
        String id = queued.getString("id");

        JsonObject done = api.awaitFinal(id, ALICE, Duration.ofSeconds(30));
        assertThat(done.keySet()).containsExactlyElementsOf(RECORD);
        assertThat(done.getJsonNumber("exit_code").intValue()).isZero();
        assertThat(done.getString("output_md")).isEqualTo("/api/testruns/" + id + "/report.md");
        assertThat(done.getString("finished_at")).endsWith("Z");
        assertThat(done.getJsonObject("summary").keySet()).containsExactly("e2e", "load");
        assertThat(done.getJsonObject("summary").getJsonObject("e2e").keySet())
                .containsExactly("total", "passed", "failed");
        assertThat(done.getJsonObject("summary").getJsonObject("load").keySet())
                .containsExactly("requests", "rps", "error_rate", "p95_ms", "p99_ms", "thresholds_failed");

        Path dir = DATA.resolve("testruns/runs").resolve(id);
        assertThat(json(Files.readString(dir.resolve("record.json")))).isEqualTo(done);
        JsonObject listed = api.get("/api/testruns?limit=1", ALICE).json();
        assertThat(listed.keySet()).containsExactly("items", "total", "limit", "offset");
        assertThat(listed.getJsonArray("items").getJsonObject(0)).isEqualTo(done);

        JsonObject report = json(Files.readString(dir.resolve("report.json")));
        assertThat(report.keySet()).containsExactly("run", "parameters", "timings", "scenario", "e2e", "load");
        assertThat(report.getJsonObject("run").keySet()).containsExactly("id", "tenant_id", "created_by", "status",
                "exit_code", "error", "orchestrator");
        assertThat(report.getJsonObject("timings").keySet())
                .containsExactly("created_at", "started_at", "finished_at", "queued_s", "duration_s");
        assertThat(report.getJsonObject("load").keySet()).containsExactly("model", "target_rate", "concurrency",
                "duration_s", "total", "steps", "thresholds", "declared_thresholds", "timeline");
        // the timeline is per second: the stream's cumulative figures are not repeated in it
        assertThat(report.getJsonObject("load").getJsonArray("timeline").getJsonObject(0).keySet())
                .containsExactly("second", "requests", "errors", "rps", "p50_ms", "p90_ms", "p95_ms", "p99_ms",
                        "max_ms", "active_users", "in_flight", "steps");
    }

    @Test
    void theStreamEventsKeepTheirFields() throws Exception {
        String id = api.start(ALICE, "{\"base_url\":\"" + target.baseUrl() + "\",\"load_duration\":1}");
        api.awaitFinal(id, ALICE, Duration.ofSeconds(30));
        List<JsonObject> events;
        JsonObject state;
        try (StreamClient replay = StreamClient.connect(server.port(), "/ws/testruns/" + id + "/stream", ALICE)) {
            state = replay.next();
            events = replay.untilClosed(List.of());
        }
        assertThat(state.keySet()).containsExactly("seq", "type", "ts", "run");
        assertThat(state.getJsonObject("run").keySet()).containsExactlyElementsOf(RECORD);
        assertThat(state.getJsonNumber("seq").longValue()).isEqualTo(events.size());

        Map<String, List<String>> fields = events.stream().collect(Collectors.toMap(e -> e.getString("type"),
                e -> List.copyOf(e.keySet()), (first, later) -> first));
        assertThat(fields).containsOnlyKeys("status", "testrun.update", "log", "step", "stats", "summary");
        assertThat(fields.get("status")).containsExactly("seq", "type", "ts", "id", "status", "exit_code", "error");
        assertThat(fields.get("testrun.update")).containsExactly("seq", "type", "id", "status", "exit_code", "error",
                "ts");
        assertThat(fields.get("log")).containsExactly("seq", "type", "ts", "stream", "line");
        assertThat(fields.get("step")).containsExactly("seq", "type", "ts", "phase", "name", "method", "path",
                "status", "latency_ms", "passed", "failures");
        assertThat(fields.get("stats")).containsExactly("seq", "type", "ts", "second", "requests", "errors", "rps",
                "p50_ms", "p90_ms", "p95_ms", "p99_ms", "max_ms", "active_users", "in_flight", "steps",
                "cumulative");
        assertThat(fields.get("summary")).containsExactly("seq", "type", "ts", "id", "status", "exit_code", "error",
                "summary", "report_json", "report_md");

        JsonObject stats = first(events, "stats");
        assertThat(stats.getJsonObject("steps").getJsonObject("healthz").keySet())
                .containsExactly("requests", "errors", "p50_ms", "p90_ms", "p95_ms", "p99_ms", "max_ms");
        assertThat(stats.getJsonObject("cumulative").keySet()).containsExactly("total", "steps");
        assertThat(stats.getJsonObject("cumulative").getJsonObject("total").keySet()).containsExactly("requests",
                "errors", "error_rate", "rps", "latency_ms", "errors_by_status", "errors_by_exception");
        assertThat(stats.getJsonObject("cumulative").getJsonObject("steps").keySet())
                .containsExactly("healthz", "metrics");
        assertThat(stats.get("rps").getValueType()).isEqualTo(JsonValue.ValueType.NUMBER);
        JsonObject summary = events.get(events.size() - 1);
        assertThat(summary.getString("type")).isEqualTo("summary");
        assertThat(summary.getString("report_json")).isEqualTo("/api/testruns/" + id + "/report.json");
        assertThat(summary.getJsonNumber("exit_code").intValue()).isZero();
        assertThat(summary.get("error")).isEqualTo(JsonValue.NULL);
        JsonObject firstStatus = first(events, "status");
        assertThat(firstStatus.getString("status")).isEqualTo("queued");
        assertThat(firstStatus.get("exit_code")).isEqualTo(JsonValue.NULL);
        assertThat(firstStatus.getJsonNumber("ts").doubleValue()).isGreaterThan(1.7e9);

        // the stream and the events file carry the same lines
        List<JsonObject> onDisk = RunEventLog.read(DATA.resolve("testruns/runs").resolve(id).resolve("events.jsonl"))
                .stream().map(WireFormatTest::json).toList();
        assertThat(onDisk).isEqualTo(events);
    }

    @Test
    void anExternalRunKeepsItsFields() throws Exception {
        String id = api.start(ALICE, "{\"base_url\":\"" + target.baseUrl() + "\",\"load_duration\":1,"
                + "\"orchestrator\":\"fake\",\"tenant_a\":\"tA\",\"thresholds\":[\"p95<500\"]}");
        JsonObject done = api.awaitFinal(id, ALICE, Duration.ofSeconds(30));
        assertThat(done.keySet()).containsExactlyElementsOf(RECORD);
        assertThat(done.getJsonObject("args").keySet())
                .containsExactly("base_url", "load_duration", "concurrency", "orchestrator", "thresholds", "tenant_a");
        assertThat(done.getJsonObject("summary").keySet()).containsExactly("external");
        JsonObject report = api.get("/api/testruns/" + id + "/report.json", ALICE).json();
        assertThat(report.keySet()).containsExactly("run", "parameters", "timings", "external");
        assertThat(report.getJsonObject("external").keySet())
                .containsExactly("orchestrator", "argv", "exit_code", "summary", "report");
        Map<String, JsonObject> byStream = RunEventLog.read(DATA.resolve("testruns/runs").resolve(id)
                        .resolve("events.jsonl")).stream().map(WireFormatTest::json)
                .filter(e -> e.getString("type").equals("log"))
                .collect(Collectors.toMap(e -> e.getString("stream"), Function.identity(), (a, b) -> a));
        assertThat(byStream).containsKeys("stdout", "stderr");
        assertThat(byStream.get("stderr").keySet()).containsExactly("seq", "type", "ts", "stream", "line");
    }

    private static JsonObject first(List<JsonObject> events, String type) {
        return events.stream().filter(e -> e.getString("type").equals(type)).findFirst().orElseThrow();
    }

    private static List<String> concat(List<String> list, String last) {
        return Stream.concat(list.stream(), Stream.of(last)).toList();
    }

    private static JsonObject json(String s) {
        try (JsonReader r = Json.createReader(new StringReader(s))) {
            return r.readObject();
        }
    }
}
