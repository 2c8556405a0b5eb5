package io.asyncsidecar.controlplane.plugins.compliance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.asyncsidecar.controlplane.plugins.compliance.hif.HifGenerator;
import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heap budget, measured in a forked JVM with a small {@code -Xmx} that runs the real server and posts a
 * generated document to it, streamed (chunked) so the client holds none of it: a document of the default
 * {@code max-bytes} (16 MiB) validates in full under {@value #FULL_HEAP}; a 50 MB one is refused with 413 after
 * 16 MiB under the same heap, and the server serves on; {@code mode=minimal} streams a 50 MB document under
 * {@value #MINIMAL_HEAP}.
 */
class HifHeapBoundTest {

    static final String FULL_HEAP = "-Xmx160m";
    static final String MINIMAL_HEAP = "-Xmx48m";
    private static final long MIB = 1024 * 1024;

    @Test
    void sixteenMebibytesValidateInFullUnderTheBudget() throws Exception {
        List<String> out = fork(FULL_HEAP, "full", "LEGACY", 16 * MIB - 4096, 16 * MIB);
        assertThat(out).anyMatch(l -> l.startsWith("status=200 ") && l.contains("\"valid\":true")
                && l.contains("\"shape\":\"LegacyGraph\""));
    }

    @Test
    void fiftyMegabytesAreRefusedWithoutExhaustingTheHeap() throws Exception {
        List<String> out = fork(FULL_HEAP, "full", "HYPERGRAPH", 50_000_000, 16 * MIB);
        assertThat(out).anyMatch(l -> l.startsWith("status=413 ") && l.contains("exceeds plugins.compliance.hif.max-bytes")
                || l.startsWith("client: ") && l.contains("413"));
        assertThat(out).contains("after: status=200");
    }

    @Test
    void minimalModeStreamsFiftyMegabytes() throws Exception {
        List<String> out = fork(MINIMAL_HEAP, "minimal", "LEGACY", 50_000_000, 64 * MIB);
        assertThat(out).anyMatch(l -> l.startsWith("status=200 ") && l.contains("\"valid\":true")
                && l.contains("\"mode\":\"minimal\""));
    }

    private static List<String> fork(String heap, String mode, String kind, long bytes, long maxBytes) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = Files.createTempFile("hif-heap", ".log");
        try {
            Process p = new ProcessBuilder(java, heap, "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                    "-cp", System.getProperty("java.class.path"), Probe.class.getName(),
                    mode, kind, Long.toString(bytes), Long.toString(maxBytes))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = p.waitFor(5, TimeUnit.MINUTES);
            if (!done) {
                p.destroyForcibly();
            }
            List<String> out = Files.readAllLines(log, StandardCharsets.UTF_8);
            assertThat(done).as("probe finished in 5 minutes: " + out).isTrue();
            assertThat(p.exitValue()).as("probe exit code (3 is OutOfMemoryError): " + tail(out)).isZero();
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static List<String> tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 15), lines.size());
    }

    /**
     * The forked side: starts the server with the plugin from the class path, posts one generated document
     * and prints the answer, then a small one to show the server still serves.
     */
    public static final class Probe {

        private Probe() {
        }

        /**
         * @param args mode, generator kind, document bytes, {@code max-bytes}
         * @throws Exception when the probe itself breaks
         */
        public static void main(String[] args) throws Exception {
            String mode = args[0];
            HifGenerator.Kind kind = HifGenerator.Kind.valueOf(args[1]);
            long bytes = Long.parseLong(args[2]);
            WebServerConfig.Builder builder = WebServer.builder();
            ControlPlane.configure(builder, TestConfigs.of(
                    "auth.mode", "static",
                    "auth.tokens-json", "{\"t1\":{\"tenant_id\":\"tA\",\"subject\":\"probe\",\"scopes\":[\"compliance.read\"]}}",
                    "data-dir", "target/test-data/hif-heap",
                    "server.access-log.enabled", "false",
                    "server.max-payload-size", Long.toString(128 * MIB),
                    "plugins.compliance.hif.max-bytes", args[3]));
            WebServer server = builder.host("127.0.0.1").port(0).build().start();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + HifValidationApiTest.PATH
                    + (mode.equals("minimal") ? "?mode=minimal" : ""));
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build()) {
                HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer t1")
                        .header("Content-Type", "application/json").timeout(Duration.ofMinutes(3))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> HifGenerator.of(kind, bytes))).build();
                try {
                    HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
                    System.out.println("status=" + res.statusCode() + " " + res.body());
                } catch (IOException e) {
                    // a server that answers 413 mid-upload may close the connection before the client reads it
                    System.out.println("client: " + e);
                }
                HttpResponse<String> after = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer t1")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"network-type\":\"directed\",\"nodes\":[],"
                                + "\"incidences\":[],\"meta\":{\"version\":\"hif-1\"}}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                System.out.println("after: status=" + after.statusCode());
            }
            Runtime rt = Runtime.getRuntime();
            System.out.println("heap: max=" + rt.maxMemory() / MIB + " MiB");
            server.stop();
            System.exit(0);
        }
    }
}
