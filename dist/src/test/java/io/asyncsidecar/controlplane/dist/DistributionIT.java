package io.asyncsidecar.controlplane.dist;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged distribution, started with its launcher as the README's run command does: every bundled plugin
 * loads from its own folder, the GUI and health answer, a bad config stops start-up naming the key, and SIGTERM
 * stops it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributionIT {

    static final List<String> BUNDLED = List.of("argocd", "helm", "karpenter", "keda", "metrics", "reports", "testruns");

    private final Path dist = DistributionProcess.DIST;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private DistributionProcess server;
    private int port;

    @BeforeAll
    void start() throws Exception {
        server = DistributionProcess.start(Map.of());
        port = server.port();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyBundledPluginIsActiveFromItsOwnFolder() throws Exception {
        JsonObject body = json(get(port, "/api/plugins", "demo-admin"), 200);
        var plugins = body.getJsonArray("plugins").getValuesAs(JsonObject.class);
        assertThat(plugins).extracting(p -> p.getString("id")).containsAll(BUNDLED);
        for (JsonObject p : plugins) {
            assertThat(p.getString("status")).as("plugin %s: %s", p.getString("id"), p.get("reason")).isEqualTo("active");
            assertThat(p.getString("source")).isEqualTo(dist.resolve("plugins").resolve(p.getString("id")).toString());
            assertThat(p.getString("version")).isEqualTo("0.1.0-SNAPSHOT");
        }
    }

    @Test
    void kedaAndKarpenterCheckTheChartTheHelmPluginRendered() throws Exception {
        // Crosses three plugin class loaders: helm publishes RenderedManifests through the SPI registry.
        JsonObject helm = json(get(port, "/api/helm/checks", "demo-admin"), 200);
        assertThat(helm.getBoolean("rendered")).as(helm.toString()).isTrue();
        for (String path : List.of("/api/keda/scalers", "/api/karpenter/nodepools")) {
            JsonObject body = json(get(port, path, "demo-admin"), 200);
            assertThat(body.getJsonObject("summary").getBoolean("degraded")).as(path + ": " + body.getJsonObject("summary"))
                    .isFalse();
        }
    }

    @Test
    void healthAndGuiAnswerWithoutToken() throws Exception {
        assertThat(json(get(port, "/health/ready", null), 200).getString("status")).isEqualTo("UP");
        HttpResponse<String> index = get(port, "/", null);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("Async Sidecar Control Plane");
    }

    @Test
    void staticContentDoesNotLeaveTheUiFolder() throws Exception {
        for (String path : List.of("/../config/application.yaml", "/%2e%2e/config/application.yaml",
                "/..%2fconfig%2fapplication.yaml", "/ui/../../config/application.yaml")) {
            HttpResponse<String> res = get(port, path, null);
            assertThat(res.statusCode()).as(path).isIn(400, 404);
            assertThat(res.body()).as(path).doesNotContain("tokens-json");
        }
    }

    @Test
    void apiWithoutTokenIs401() throws Exception {
        HttpResponse<String> res = get(port, "/api/plugins", null);
        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(res.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void aPluginFolderDroppedOutIsNotLoaded() throws Exception {
        Path plugins = Files.createTempDirectory("plugins-without-keda");
        for (String id : BUNDLED) {
            if (!id.equals("keda")) {
                copyTree(dist.resolve("plugins").resolve(id), plugins.resolve(id));
            }
        }
        try (DistributionProcess other = DistributionProcess.start(Map.of("CP_PLUGINS_DIR", plugins.toString()))) {
            int otherPort = other.port();
            JsonObject body = json(get(otherPort, "/api/plugins", "demo-admin"), 200);
            assertThat(body.getJsonArray("plugins").getValuesAs(JsonObject.class)).extracting(p -> p.getString("id"))
                    .doesNotContain("keda").contains("helm", "karpenter");
            assertThat(get(otherPort, "/api/keda/scalers", "demo-admin").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void invalidConfigurationStopsStartupNamingTheKey() throws Exception {
        assertStartupFails(Map.of("AUTH_MODE", "bogus"), "auth.mode (AUTH_MODE)", "bogus");
        assertStartupFails(Map.of("CP_PORT", "99999"), "server.port (CP_PORT)", "65535");
        assertStartupFails(Map.of("AUTH_TOKENS_JSON", "{not json"), "auth.tokens-json (AUTH_TOKENS_JSON)", "JSON");
    }

    @Test
    void sigtermLetsAnInFlightRequestFinishThenStops() throws Exception {
        // a scrape target that answers after 3 s keeps an aggregate call in flight while SIGTERM arrives
        HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slow.createContext("/metrics", exchange -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "# TYPE up gauge\nup 1\n".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        slow.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        slow.start();
        DistributionProcess started = DistributionProcess.start(Map.of());
        Process other = started.process();
        int otherPort = started.port();
        try {
            String url = "http://127.0.0.1:" + slow.getAddress().getPort() + "/metrics";
            var inFlight = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + otherPort
                            + "/api/metrics/aggregate"))
                    .header("Authorization", "Bearer demo-admin").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"endpoints\":[\"" + url + "\"],\"timeout_ms\":10000}"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(1000);
            other.destroy(); // SIGTERM while the scrape is still waiting for its target
            HttpResponse<String> res = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            assertThat(res.body()).contains("\"status\":\"up\"");
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            assertThat(other.exitValue()).isIn(0, 143);
        } finally {
            other.destroyForcibly();
            slow.stop(0);
        }
    }

    private void assertStartupFails(Map<String, String> env, String key, String detail) throws Exception {
        Path out = Files.createTempFile("dist-it-bad", ".log");
        Process p = launch(env, out);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(out);
        assertThat(p.exitValue()).as(text).isEqualTo(2);
        assertThat(text).contains("invalid configuration").contains(key).contains(detail);
    }

    private Process launch(Map<String, String> env, Path output) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/control-plane").toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CP_") || k.startsWith("AUTH_"));
        pb.environment().putAll(env);
        return pb.start();
    }

    private HttpResponse<String> get(int p, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + path))
                .timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> res, int status) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        return Json.createReader(new StringReader(res.body())).readObject();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

}
