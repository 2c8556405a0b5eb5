package io.asyncsidecar.controlplane.plugins.audit;

import static io.asyncsidecar.controlplane.plugins.audit.AuditTestServer.ALICE;
import static io.asyncsidecar.controlplane.plugins.audit.LogFiles.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import io.asyncsidecar.controlplane.server.ControlPlane;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile input of size: a 100 MB line of binary garbage in the live file and a 100 MB line in a gzip sibling.
 * Both are counted as malformed, the entries around them are found, and the whole JVM allocates a small fraction
 * of that while answering (the lines are skipped, never held).
 */
@ServerTest
class AuditHugeLineTest {

    static final Path DIR = LogFiles.folder("huge");
    static final Path LOG = DIR.resolve("audit.log");
    static final int HUGE = 100 * 1024 * 1024;

    static {
        try (OutputStream out = Files.newOutputStream(LOG)) {
            out.write((entry("before", "2026-12-01T10:00:00Z", "tA", "alice", "a", "r") + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            byte[] block = new byte[1 << 20];
            Random r = new Random(5);
            for (int written = 0; written < HUGE; written += block.length) {
                r.nextBytes(block);
                for (int i = 0; i < block.length; i++) {
                    if (block[i] == '\n') {
                        block[i] = '"';
                    }
                }
                out.write(block);
            }
            out.write(("\n" + entry("after", "2026-12-01T10:00:01Z", "tA", "alice", "a", "r") + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(DIR.resolve("audit.log.1.gz")))) {
            out.write((entry("gz-before", "2026-11-30T10:00:00Z", "tA", "alice", "a", "r") + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write("{\"tenant_id\":\"tA\",\"blob\":\"".getBytes(StandardCharsets.UTF_8));
            byte[] x = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 100; i++) {
                out.write(x);
            }
            out.write(("\"}\n" + entry("gz-after", "2026-11-30T10:00:01Z", "tA", "alice", "a", "r") + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final Http http;

    AuditHugeLineTest(Http1Client client, WebServer server) {
        this.http = new Http(client, server.port());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, AuditTestServer.config(DIR, LOG.toString(), List.of(), Map.of()));
    }

    @AfterAll
    static void removeTheBigFiles() throws IOException {
        Files.deleteIfExists(LOG);
        Files.deleteIfExists(DIR.resolve("audit.log.1.gz"));
    }

    @Test
    void hugeLinesAreCountedAndSkippedInBoundedMemory() {
        // warm up once, so class loading and the pooled buffers do not count
        http.get("/api/audit/search", ALICE, "q", "nothing");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getTotalThreadAllocatedBytes();
        Http.Reply r = http.get("/api/audit/search", ALICE);
        long allocated = mx.getTotalThreadAllocatedBytes() - before;
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonObject body = r.json();
        assertThat(r.ids()).containsExactly("after", "before", "gz-after", "gz-before");
        assertThat(body.getInt("malformed")).isEqualTo(2);
        assertThat(body.getInt("scanned")).isEqualTo(6);
        // 200 MB of lines went through; what the JVM allocated is a few buffers' worth
        assertThat(allocated).as("bytes allocated").isLessThan(8L * 1024 * 1024);

        before = mx.getTotalThreadAllocatedBytes();
        Http.Reply export = http.get("/api/audit/search", ALICE, "format", "ndjson");
        allocated = mx.getTotalThreadAllocatedBytes() - before;
        assertThat(export.ndjsonIds()).containsExactly("after", "before", "gz-after", "gz-before");
        assertThat(allocated).as("bytes allocated by the export").isLessThan(8L * 1024 * 1024);
    }
}
