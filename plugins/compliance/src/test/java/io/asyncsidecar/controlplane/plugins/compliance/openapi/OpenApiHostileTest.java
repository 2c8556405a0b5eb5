package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import com.sun.net.httpserver.HttpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiBodyTest.problem;
import static io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiChecks.at;
import static io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiChecks.check;
import static io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiChecks.findings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile specs cost bounded time and memory and never leave the workspace: YAML alias bombs, recursive aliases,
 * deep nesting, endless reference chains and cycles, too many files, references out of the workspace (by
 * {@code ..}, absolute path, symbolic link or URL), catastrophic regular expressions, and more findings than a
 * report should carry.
 */
@ServerTest
class OpenApiHostileTest {

    private static final AtomicInteger FETCHES = new AtomicInteger();
    private static Path workspace;
    private static HttpServer bait;

    private final Http1Client client;

    OpenApiHostileTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        Path root = Files.createTempDirectory("openapi-hostile");
        workspace = Files.createDirectory(root.resolve("workspace"));
        Files.writeString(root.resolve("outside.yaml"), "secret: outside the workspace\n");
        bait = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        bait.createContext("/", exchange -> {
            FETCHES.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        bait.start();
        write("escape.yaml", spec("""
                      /v1/a:
                        get:
                          responses:
                            "200":
                              description: ok
                              content:
                                application/json:
                                  schema: {$ref: "../outside.yaml#/secret"}
                      /v1/b: {$ref: "/etc/hostname"}
                      /v1/c: {$ref: "link.yaml"}
                      /v1/d: {$ref: "http://127.0.0.1:%d/spec.yaml#/paths/~1x"}
                      /v1/e: {$ref: "file:///etc/hostname"}
                """.formatted(bait.getAddress().getPort()), ""));
        Files.createSymbolicLink(workspace.resolve("link.yaml"), root.resolve("outside.yaml"));

        StringBuilder chain = new StringBuilder("    schemas:\n");
        for (int i = 0; i < 2000; i++) {
            chain.append("      S").append(i).append(": {$ref: \"#/components/schemas/S").append(i + 1).append("\"}\n");
        }
        chain.append("      S2000: {type: string}\n      A: {$ref: \"#/components/schemas/B\"}\n")
                .append("      B: {$ref: \"#/components/schemas/A\"}\n");
        write("chain.yaml", spec(operation("/v1/a", "S0") + operation("/v1/b", "A"), chain.toString()));

        for (int i = 0; i < 30; i++) {
            write("files/f" + i + ".yaml", "next: {$ref: \"f" + (i + 1) + ".yaml#/next\"}\n");
        }
        write("files.yaml", spec("  /v1/a: {$ref: \"files/f0.yaml#/next\"}\n", ""));

        write("redos.yaml", spec(operation("/v1/a", "Slow"), """
                    schemas:
                      Slow:
                        type: string
                        pattern: "^(.*a){12}$"
                        example: "%sb"
                """.formatted("a".repeat(40))));

        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 80; i++) {
            many.append("  /v1/p").append(i).append(":\n    get:\n      responses: {\"200\": {description: ok}}\n");
        }
        write("many.yaml", spec(many.toString(), ""));

        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", workspace.toString(),
                "data-dir", "target/test-data/openapi-hostile",
                "server.max-payload-size", "4194304",
                "plugins.compliance.openapi.path", "escape.yaml",
                "plugins.compliance.openapi.limits.max-files", "20",
                "plugins.compliance.openapi.limits.max-findings", "100",
                "plugins.compliance.openapi.limits.time-limit-ms", "1500"));
    }

    @AfterAll
    static void stopBait() {
        if (bait != null) {
            bait.stop(0);
        }
    }

    @Test
    void referencesNeverLeaveTheWorkspace() {
        JsonObject body = check(client, "escape.yaml");
        assertThat(at(body, "openapi.ref",
                "/paths/~1v1~1a/get/responses/200/content/application~1json/schema/$ref").getString("message"))
                .contains("leaves the workspace");
        assertThat(at(body, "openapi.ref", "/paths/~1v1~1b/$ref").getString("message")).contains("absolute path");
        assertThat(at(body, "openapi.ref", "/paths/~1v1~1c/$ref").getString("message")).contains("symbolic link");
        assertThat(at(body, "openapi.ref", "/paths/~1v1~1d/$ref").getString("message")).contains("not fetched");
        assertThat(at(body, "openapi.ref", "/paths/~1v1~1e/$ref").getString("message")).contains("not fetched");
        assertThat(body.toString()).doesNotContain("secret: outside");
        assertThat(body.getJsonObject("spec").getJsonArray("files")).hasSize(1);
        assertThat(FETCHES.get()).isZero();
    }

    @Test
    void endlessReferenceChainsAndCyclesStop() {
        long start = System.nanoTime();
        JsonObject body = check(client, "chain.yaml");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        assertThat(findings(body, "openapi.ref")).isEmpty();
        assertThat(body.getJsonObject("summary").getBoolean("partial")).isFalse();
    }

    @Test
    void tooManyFiles() {
        JsonObject body = check(client, "files.yaml");
        assertThat(findings(body, "openapi.ref").toString()).contains("more than 20 files");
        assertThat(body.getJsonObject("spec").getJsonArray("files")).hasSize(20);
    }

    @Test
    void aCatastrophicPatternStopsAtTheTimeLimit() {
        long start = System.nanoTime();
        JsonObject body = check(client, "redos.yaml");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(ms).isLessThan(6_000);
        assertThat(body.getJsonObject("summary").getBoolean("partial")).as(body.toString()).isTrue();
        assertThat(findings(body, "openapi.limit").getFirst().getString("message")).contains("1500 ms");
        // what ran before the limit is still there
        assertThat(body.getJsonArray("paths")).hasSize(1);
    }

    @Test
    void findingsOverTheLimitAreCounted() {
        JsonObject body = check(client, "many.yaml");
        assertThat(body.getJsonArray("findings").size()).isEqualTo(101);
        assertThat(findings(body, "openapi.limit").getFirst().getString("message"))
                .contains("more findings were made and not listed: the limit is 100");
    }

    @Test
    void yamlAliasBombsAndRecursiveAliasesAreRefused() {
        StringBuilder bomb = new StringBuilder("openapi: 3.0.0\nlol0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            bomb.append("lol").append(i).append(": &a").append(i).append(" [");
            bomb.append(("*a" + (i - 1) + ", ").repeat(8)).append("*a").append(i - 1).append("]\n");
        }
        long start = System.nanoTime();
        problem(yaml(bomb.toString()), 400, "expands to more than 2000000 values");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);

        StringBuilder aliases = new StringBuilder("openapi: 3.0.0\nbase: &b [x]\nmany:\n");
        aliases.append("  - *b\n".repeat(150));
        problem(yaml(aliases.toString()), 400, "over a safety limit");

        problem(yaml("openapi: 3.0.0\nloop: &l\n  - *l\n"), 400, "recursive alias");
    }

    @Test
    void deepNestingIsRefused() {
        String json = "{\"openapi\":\"3.0.0\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        ClientResponseTyped<String> r = client.post(OpenApiChecks.ROUTE).contentType(MediaTypes.APPLICATION_JSON)
                .submit(json, String.class);
        problem(r, 400, "max-depth");
        problem(yaml("openapi: 3.0.0\nx: " + "[".repeat(5000) + "]".repeat(5000) + "\n"), 400, "over a safety limit");
    }

    private ClientResponseTyped<String> yaml(String text) {
        return client.post(OpenApiChecks.ROUTE).contentType(MediaTypes.create("application", "yaml"))
                .submit(text.getBytes(StandardCharsets.UTF_8), String.class);
    }

    private static String operation(String path, String schema) {
        return """
                  %s:
                    get:
                      responses:
                        "200":
                          description: ok
                          content:
                            application/json:
                              schema: {$ref: "#/components/schemas/%s"}
                              example: x
                """.formatted(path, schema);
    }

    private static String spec(String paths, String components) {
        return "openapi: 3.0.3\ninfo: {title: hostile, version: \"1\"}\nservers: [{url: /}]\npaths:\n" + paths
                + "components:\n" + (components.isEmpty() ? "  {}\n" : components);
    }

    private static void write(String name, String text) {
        try {
            Path p = workspace.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
