package io.asyncsidecar.controlplane.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import io.asyncsidecar.controlplane.spi.SpiVersion;

import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SPI version check of the plugin loader, through a started server and plugin jars built here whose manifests
 * declare the SPI version they were "built against": the same or an older minor loads, another major or a newer
 * minor is refused (before the plugin's constructor runs) with the reason in {@code GET /api/plugins}, a jar
 * without the entry loads and shows {@code spi_version: null}.
 */
@ServerTest
class SpiVersionLoadingTest {

    private static final Path DIR = Path.of("target/test-spi-plugins").toAbsolutePath();
    private static final Path MARKER = DIR.resolveSibling("test-spi-markers");
    private static final SpiVersion SERVER = SpiVersion.CURRENT;

    private final Http1Client client;

    SpiVersionLoadingTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        deleteRecursively(DIR);
        deleteRecursively(MARKER);
        Files.createDirectories(MARKER);
        plugin("same", SERVER.toString());
        plugin("oldminor", SERVER.major() + ".0");
        plugin("patch", SERVER + ".7");
        plugin("nextmajor", (SERVER.major() + 1) + ".0");
        plugin("prevmajor", SERVER.major() == 0 ? null : (SERVER.major() - 1) + "." + (SERVER.minor() + 3));
        plugin("newerminor", SERVER.major() + "." + (SERVER.minor() + 1));
        plugin("garbled", "one point oh");
        plugin("unversioned", null);
        ControlPlane.configure(server, TestConfigs.of("auth.mode", "none", "plugins.dir", DIR.toString()));
    }

    @Test
    void serverReportsTheSpiVersionItProvides() {
        assertThat(pluginsAnswer().getString("spi_version")).isEqualTo(SERVER.toString()).matches("\\d+\\.\\d+");
    }

    @Test
    void sameAndOlderMinorLoadAndServe() {
        for (String id : List.of("same", "oldminor", "patch")) {
            JsonObject p = plugin(id);
            assertThat(p.getString("status")).as(id).isEqualTo("active");
            assertThat(p.isNull("reason")).as(id).isTrue();
            assertThat(text("/api/" + id + "/hello")).isEqualTo(id + " says hello");
        }
        assertThat(plugin("oldminor").getString("spi_version")).isEqualTo(SERVER.major() + ".0");
    }

    @Test
    void anotherMajorIsRefusedWithAClearReasonAndItsCodeNeverRuns() {
        JsonObject p = plugin("nextmajor");
        assertThat(p.getString("status")).isEqualTo("failed");
        assertThat(p.getString("spi_version")).isEqualTo((SERVER.major() + 1) + ".0");
        assertThat(p.getString("reason")).contains("built for SPI " + (SERVER.major() + 1) + ".0")
                .contains("this server provides SPI " + SERVER).contains("incompatible major version");
        assertThat(MARKER.resolve("nextmajor")).doesNotExist();
        assertThat(MARKER.resolve("same")).exists();
        try (Http1ClientResponse res = client.get("/api/nextmajor/hello").request()) {
            assertThat(res.status()).isEqualTo(Status.NOT_FOUND_404);
        }
        if (SERVER.major() > 0) {
            assertThat(plugin("prevmajor").getString("reason")).contains("incompatible major version");
        }
    }

    @Test
    void newerMinorIsRefused() {
        JsonObject p = plugin("newerminor");
        assertThat(p.getString("status")).isEqualTo("failed");
        assertThat(p.getString("reason")).contains("newer than this server's SPI " + SERVER);
        assertThat(MARKER.resolve("newerminor")).doesNotExist();
    }

    @Test
    void unreadableVersionIsRefusedNamingTheValue() {
        JsonObject p = plugin("garbled");
        assertThat(p.getString("status")).isEqualTo("failed");
        assertThat(p.getString("reason")).contains(SpiVersion.MANIFEST_ATTRIBUTE).contains("'one point oh'");
    }

    @Test
    void pluginWithoutTheEntryLoadsAndSaysSo() {
        JsonObject p = plugin("unversioned");
        assertThat(p.getString("status")).isEqualTo("active");
        assertThat(p.get("spi_version")).isEqualTo(JsonValue.NULL);
        assertThat(text("/api/unversioned/hello")).isEqualTo("unversioned says hello");
    }

    private String text(String path) {
        try (Http1ClientResponse res = client.get(path).request()) {
            assertThat(res.status()).as(path).isEqualTo(Status.OK_200);
            return res.as(String.class);
        }
    }

    private JsonObject pluginsAnswer() {
        try (Http1ClientResponse res = client.get("/api/plugins").request()) {
            assertThat(res.status()).isEqualTo(Status.OK_200);
            return res.as(JsonObject.class);
        }
    }

    private JsonObject plugin(String id) {
        return pluginsAnswer().getJsonArray("plugins").getValuesAs(JsonObject.class).stream()
                .filter(p -> p.getString("id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("plugin " + id + " not listed"));
    }

    /** A plugin whose constructor leaves a marker (so a refused plugin provably never ran) and serves /hello. */
    private static void plugin(String id, String spi) throws IOException {
        String cls = "demo.spi" + id + ".HelloPlugin";
        String src = """
                package demo.spi%s;
                import io.asyncsidecar.controlplane.spi.*;
                public final class HelloPlugin implements Plugin {
                    public HelloPlugin() {
                        try {
                            java.nio.file.Files.writeString(java.nio.file.Path.of("%s").resolve("%s"), "constructed");
                        } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
                    }
                    public String id() { return "%s"; }
                    public void init(PluginContext c) { }
                    public void routes(PluginRoutes r) {
                        r.get("/hello", RequiredScopes.authenticated(), (req, res) -> res.send("%s says hello"));
                    }
                }
                """.formatted(id, MARKER.toString().replace("\\", "\\\\"), id, id, id);
        PluginJars.build(DIR.resolve(id).resolve(id + ".jar"), Map.of(cls, src),
                Map.of("META-INF/services/io.asyncsidecar.controlplane.spi.Plugin", cls + "\n"), List.of(),
                spi == null ? Map.of() : Map.of(SpiVersion.MANIFEST_ATTRIBUTE, spi));
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
