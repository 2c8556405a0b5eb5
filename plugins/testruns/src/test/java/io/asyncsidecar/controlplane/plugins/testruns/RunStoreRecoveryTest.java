package io.asyncsidecar.controlplane.plugins.testruns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.server.ControlPlane;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a crash or an older version leaves in the run store is dealt with once, at the next start: a run directory
 * without a record (never acknowledged) and a half-made one are removed, one whose record cannot be read is moved
 * aside; none of them is reported again at later starts.
 */
class RunStoreRecoveryTest {

    private static final String HALF_WRITTEN = "tr-aaaaaaaaaaaaaaaaaaaa";
    private static final String CORRUPT = "tr-bbbbbbbbbbbbbbbbbbbb";
    private static final String STAGED = "tr-cccccccccccccccccccc";

    @Test
    void leftoversAreRemovedOrQuarantinedAtTheNextStart() throws Exception {
        Path data = Path.of("target/test-data/store-" + System.nanoTime());
        Path runs = data.resolve("testruns/runs");
        Files.createDirectories(runs.resolve(HALF_WRITTEN));
        Files.writeString(runs.resolve(HALF_WRITTEN).resolve("events.jsonl"), "");
        Files.createDirectories(runs.resolve(CORRUPT));
        Files.writeString(runs.resolve(CORRUPT).resolve("record.json"), "{\"id\":\"tr-bbbb");
        Files.createDirectories(runs.resolve(".tmp").resolve(STAGED));
        Files.writeString(runs.resolve(".tmp").resolve(STAGED).resolve("record.json"), "{}");

        for (int start = 1; start <= 2; start++) {
            WebServer server = start(data);
            try {
                Api api = new Api(Http1Client.builder().baseUri("http://127.0.0.1:" + server.port()).build());
                assertThat(api.get("/api/testruns", TestRunsApiTest.ALICE).json().getInt("total")).isZero();
            } finally {
                server.stop();
            }
            assertThat(list(runs)).as("after start " + start).containsExactly(".quarantine", ".tmp");
            assertThat(list(runs.resolve(".tmp"))).isEmpty();
            assertThat(list(runs.resolve(".quarantine"))).containsExactly(CORRUPT);
            assertThat(Files.readString(runs.resolve(".quarantine").resolve(CORRUPT).resolve("record.json")))
                    .isEqualTo("{\"id\":\"tr-bbbb");
        }
    }

    private static WebServer start(Path data) {
        WebServerConfig.Builder builder = WebServer.builder().host("127.0.0.1").port(0);
        ControlPlane.configure(builder, TestRunsApiTest.config(data, Map.of()));
        return builder.build().start();
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
