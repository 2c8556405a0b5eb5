package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.helidon.webclient.http1.Http1Client;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real {@code kill -9}: the server runs in a JVM of its own ({@link ChildServer}), is killed with SIGKILL in the
 * middle of a load run while two more runs wait in the queue, and is started again on the same data directory.
 * Nothing it acknowledged is lost: the killed run keeps the figures it had measured, the queued runs run.
 */
class CrashRecoveryTest {

    private static final String ALICE = TestRunsApiTest.ALICE;
    private static final String SECRET = "queued-secret-token-1234";
    private static final Map<Process, Integer> PORTS = new ConcurrentHashMap<>();

    @Test
    void aKilledRunKeepsWhatItMeasuredAndQueuedRunsRunAfterTheRestart() throws Exception {
        Path data = Path.of("target/test-data/crash-" + System.nanoTime()).toAbsolutePath();
        Path runs = data.resolve("testruns/runs");
        try (LoopbackTarget target = LoopbackTarget.start()) {
            String killed;
            String second;
            String third;
            String keptRequest = null;
            String keptPermissions = null;
            Process first = startChild(data, "first");
            try {
                Api api = api(first);
                killed = api.start(ALICE, "{\"base_url\":\"" + target.baseUrl()
                        + "\",\"load_duration\":60,\"concurrency\":2}");
                second = api.start(ALICE, "{\"base_url\":\"" + target.baseUrl() + "\",\"load_duration\":1}");
                third = api.start(ALICE, "{\"base_url\":\"" + target.baseUrl() + "\",\"load_duration\":1,"
                        + "\"auth_token_read\":\"" + SECRET + "\"}");
                api.awaitStatus(killed, ALICE, Duration.ofSeconds(30), Set.of("running"));
                awaitStats(runs.resolve(killed).resolve("events.jsonl"), 3);
                assertThat(api.get("/api/testruns/" + third, ALICE).json().getString("status")).isEqualTo("queued");
                Path request = runs.resolve(third).resolve("request.json");
                if (Files.exists(request)) {
                    keptRequest = Files.readString(request);
                    keptPermissions = PosixFilePermissions.toString(Files.getPosixFilePermissions(request));
                }
            } finally {
                first.destroyForcibly(); // SIGKILL
                assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(first.exitValue()).isEqualTo(137);

            // what the killed run had measured, as far as its events reached the disk
            List<String> onDisk = RunEventLog.read(runs.resolve(killed).resolve("events.jsonl"));
            JsonObject lastStats = onDisk.stream().map(CrashRecoveryTest::json)
                    .filter(e -> e.getString("type").equals("stats")).reduce((a, b) -> b).orElseThrow();
            JsonObject measured = lastStats.getJsonObject("cumulative").getJsonObject("total");
            assertThat(measured.getJsonNumber("requests").longValue()).isPositive();

            Process restarted = startChild(data, "second");
            try {
                Api api = api(restarted);
                JsonObject interrupted = api.get("/api/testruns/" + killed, ALICE).json();
                assertThat(interrupted.getString("status")).isEqualTo("interrupted");
                JsonObject load = interrupted.getJsonObject("summary").getJsonObject("load");
                assertThat(load).as(interrupted.toString()).isNotNull();
                assertThat(load.getJsonNumber("requests").longValue())
                        .isEqualTo(measured.getJsonNumber("requests").longValue());
                assertThat(load.getJsonNumber("error_rate").doubleValue())
                        .isEqualTo(measured.getJsonNumber("error_rate").doubleValue());
                assertThat(load.getJsonNumber("p99_ms").doubleValue())
                        .isEqualTo(measured.getJsonObject("latency_ms").getJsonNumber("p99").doubleValue());
                assertThat(interrupted.getJsonObject("summary").getJsonObject("e2e").getInt("passed")).isEqualTo(4);
                JsonObject report = api.get("/api/testruns/" + killed + "/report.json", ALICE).json();
                assertThat(report.getJsonObject("load").getBoolean("partial")).isTrue();
                assertThat(report.getJsonObject("load").getJsonArray("timeline")).isNotEmpty();
                assertThat(api.get("/api/testruns/" + killed + "/report.md", ALICE).body())
                        .contains("## Phase 2: Load", "| **total** | " + measured.getJsonNumber("requests") + " |");

                // the queued runs ran, in the order they were accepted
                JsonObject ranSecond = api.awaitFinal(second, ALICE, Duration.ofSeconds(60));
                JsonObject ranThird = api.awaitFinal(third, ALICE, Duration.ofSeconds(60));
                assertThat(ranSecond.getString("status")).as(ranSecond.toString()).isEqualTo("passed");
                assertThat(ranThird.getString("status")).as(ranThird.toString()).isEqualTo("passed");
                assertThat(Instant.parse(ranSecond.getString("finished_at")))
                        .isBeforeOrEqualTo(Instant.parse(ranThird.getString("started_at")));
                assertThat(ranThird.getJsonObject("summary").getJsonObject("load").getJsonNumber("requests")
                        .longValue()).isPositive();
                assertThat(ranThird.getJsonObject("args").getString("auth_token_read")).isEqualTo("***");
                // the queued run's request, secret included, was kept for the restart, readable by the owner only,
                // and only while the run waited
                assertThat(keptRequest).contains(SECRET);
                assertThat(keptPermissions).isEqualTo("rw-------");
                assertThat(runs.resolve(third).resolve("request.json")).doesNotExist();
                // one history per run: the events from before the crash, then the run's, numbered on
                List<String> events = RunEventLog.read(runs.resolve(third).resolve("events.jsonl"));
                for (int i = 0; i < events.size(); i++) {
                    assertThat(RunEventLog.seqOf(events.get(i))).isEqualTo(i + 1);
                }
                assertThat(events).anySatisfy(e -> assertThat(e).contains("queued again after a server restart"));
                assertThat(events.getLast()).contains("\"type\":\"summary\"");
                assertThat(TestRunsApiTest.ids(api.get("/api/testruns", ALICE).json()))
                        .containsExactly(third, second, killed);
            } finally {
                restarted.destroyForcibly();
                restarted.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts a {@link ChildServer} and waits for its port; its output goes to a file beside the data. */
    private static Process startChild(Path data, String name) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ChildServer.class.getName(), data.toString()).redirectErrorStream(true).start();
        Path log = data.resolveSibling(data.getFileName() + "-" + name + ".log");
        Files.createDirectories(log.getParent());
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        Writer file = Files.newBufferedWriter(log);
        String line;
        while ((line = out.readLine()) != null) {
            file.write(line + "\n");
            if (line.startsWith("port ")) {
                int port = Integer.parseInt(line.substring(5).trim());
                file.flush();
                // keep draining, or the child blocks on a full pipe
                Thread.ofVirtual().start(() -> drain(out, file));
                PORTS.put(child, port);
                return child;
            }
        }
        file.close();
        throw new AssertionError("the child server exited before it listened; see " + log);
    }

    private static void drain(BufferedReader out, Writer file) {
        try (out; file) {
            String line;
            while ((line = out.readLine()) != null) {
                file.write(line + "\n");
                file.flush();
            }
        } catch (IOException e) {
            // the child is gone
        }
    }

    private static Api api(Process child) {
        return new Api(Http1Client.builder().baseUri("http://127.0.0.1:" + PORTS.get(child)).build());
    }

    private static void awaitStats(Path events, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(events) && RunEventLog.read(events).stream()
                    .filter(l -> l.contains("\"type\":\"stats\"")).count() >= count) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(events + " has fewer than " + count + " stats events");
    }

    private static JsonObject json(String s) {
        try (JsonReader r = Json.createReader(new StringReader(s))) {
            return r.readObject();
        }
    }
}
