package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.server.ControlPlane;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * History survives a restart, and a run that was in flight becomes {@code interrupted}: after a crash (a copy of
 * the data directory taken mid-run, which is what a kill -9 leaves behind) and after a graceful stop.
 */
class RestartTest {

    private static final String ALICE = TestRunsApiTest.ALICE;

    @Test
    void runsInFlightBecomeInterruptedAndHistorySurvives() throws Exception {
        Path live = Path.of("target/test-data/restart-" + System.nanoTime());
        Path crashed = live.resolveSibling(live.getFileName() + "-crash");
        try (LoopbackTarget target = LoopbackTarget.start()) {
            WebServer first = start(live);
            Api api = api(first);
            String finished = api.start(ALICE, "{\"base_url\":\"" + target.baseUrl() + "\",\"load_duration\":1}");
            assertThat(api.awaitFinal(finished, ALICE, Duration.ofSeconds(30)).getString("status")).isEqualTo("passed");
            String inFlight = api.start(ALICE, "{\"base_url\":\"" + target.baseUrl()
                    + "\",\"load_duration\":60,\"concurrency\":2}");
            api.awaitStatus(inFlight, ALICE, Duration.ofSeconds(20), Set.of("running"));
            Path events = live.resolve("testruns/runs").resolve(inFlight).resolve("events.jsonl");
            TestRunsApiTest.awaitFileContains(events, "\"type\":\"stats\",\"ts\"");
            Thread.sleep(1500);

            // what a kill -9 leaves: the files as they are on disk right now
            double crashTime = System.currentTimeMillis() / 1000.0;
            copy(live, crashed);
            List<String> onDisk = RunEventLog.read(crashed.resolve("testruns/runs").resolve(inFlight)
                    .resolve("events.jsonl"));
            double lastTs = json(onDisk.get(onDisk.size() - 1)).getJsonNumber("ts").doubleValue();
            // stats come every second and are flushed every 200 ms here: at most about a second is lost
            assertThat(crashTime - lastTs).isLessThan(1.5);

            WebServer second = start(crashed);
            try {
                Api after = api(second);
                JsonObject interrupted = after.get("/api/testruns/" + inFlight, ALICE).json();
                assertThat(interrupted.getString("status")).isEqualTo("interrupted");
                assertThat(interrupted.getString("error"))
                        .isEqualTo("the server stopped while the run was running; submit it again");
                assertThat(after.get("/api/testruns/" + inFlight + "/report.md", ALICE).body())
                        .contains("| Status | **interrupted** |");
                JsonObject kept = after.get("/api/testruns/" + finished, ALICE).json();
                assertThat(kept.getString("status")).isEqualTo("passed");
                JsonObject report = after.get("/api/testruns/" + finished + "/report.json", ALICE).json();
                assertThat(report.getJsonObject("e2e").getInt("passed")).isEqualTo(4);
                assertThat(TestRunsApiTest.ids(after.get("/api/testruns", ALICE).json()))
                        .containsExactly(inFlight, finished);

                // the interrupted run's events continue where the crash cut them, then close the stream
                List<String> all = RunEventLog.read(crashed.resolve("testruns/runs").resolve(inFlight)
                        .resolve("events.jsonl"));
                for (int i = 0; i < all.size(); i++) {
                    assertThat(RunEventLog.seqOf(all.get(i))).isEqualTo(i + 1);
                }
                assertThat(all.subList(onDisk.size(), all.size())).extracting(l -> json(l).getString("type"))
                        .containsExactly("status", "testrun.update", "summary");
                try (StreamClient replay = StreamClient.connect(second.port(), "/ws/testruns/" + inFlight + "/stream",
                        ALICE)) {
                    assertThat(replay.next().getJsonObject("run").getString("status")).isEqualTo("interrupted");
                    List<JsonObject> replayed = replay.untilClosed(List.of());
                    assertThat(replayed).hasSize(all.size());
                    assertThat(replay.closeCode).isEqualTo(1000);
                }
            } finally {
                second.stop();
            }

            // a graceful stop interrupts the run that is still going on the first server
            first.stop();
            JsonObject record = json(Files.readString(live.resolve("testruns/runs").resolve(inFlight)
                    .resolve("record.json")));
            assertThat(record.getString("status")).isEqualTo("interrupted");
            assertThat(record.getString("error")).isEqualTo("the server stopped while the run was running");
            assertThat(Files.readString(events)).contains("\"type\":\"summary\"");
        }
    }

    private static WebServer start(Path data) {
        WebServerConfig.Builder builder = WebServer.builder().host("127.0.0.1").port(0);
        ControlPlane.configure(builder, TestRunsApiTest.config(data, Map.of()));
        return builder.build().start();
    }

    private static Api api(WebServer server) {
        return new Api(Http1Client.builder().baseUri("http://127.0.0.1:" + server.port()).build());
    }

    private static JsonObject json(String s) {
        try (JsonReader r = Json.createReader(new StringReader(s))) {
            return r.readObject();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
