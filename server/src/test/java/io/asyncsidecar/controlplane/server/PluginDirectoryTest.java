package io.asyncsidecar.controlplane.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plugins loaded from a real plugins directory, built at test time: each folder in its own class loader, two of
 * them bundling different versions of one library; a corrupt jar, a failing init, a route without scopes and a
 * duplicate id are reported while the others serve; disabled plugins never run.
 */
@ServerTest
class PluginDirectoryTest {

    private static final Path DIR = Path.of("target/test-plugins-dir").toAbsolutePath();
    private static final Path MARKER = DIR.resolveSibling("test-plugins-markers");
    private static final Path EXTRA = DIR.resolveSibling("test-plugins-extra");

    private final Http1Client client;

    PluginDirectoryTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        buildPluginsDirectory();
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "plugins.dir", DIR.toString(),
                "plugins.extra-dir", EXTRA.toString(),
                "plugins.disabled.0", "gamma",
                "plugins.delta.enabled", "false"));
    }

    @Test
    void pluginsWithDifferentVersionsOfOneLibraryBothServe() {
        assertThat(text("/api/alpha/version")).isEqualTo("alpha uses lib-v1");
        assertThat(text("/api/beta/version")).isEqualTo("beta uses lib-v2");
    }

    @Test
    void goodPluginIsListedActiveWithItsFolderAndManifestVersion() {
        JsonObject alpha = plugin("alpha");
        assertThat(alpha.getString("status")).isEqualTo("active");
        assertThat(alpha.getString("version")).isEqualTo("9.9.9-test");
        assertThat(alpha.getString("source")).endsWith("alpha");
        assertThat(alpha.getJsonArray("routes").getJsonObject(0).getString("path")).isEqualTo("/api/alpha/version");
    }

    @Test
    void corruptJarIsReportedFailed() {
        JsonObject p = plugin("corrupt");
        assertThat(p.getString("status")).isEqualTo("failed");
        assertThat(p.getString("reason")).startsWith("corrupt jar ").contains("corrupt.jar");
    }

    @Test
    void failingInitIsReportedAndItsRoutesAreNotMounted() {
        JsonObject p = plugin("broken");
        assertThat(p.getString("status")).isEqualTo("failed");
        assertThat(p.getString("reason")).contains("init failed").contains("database unreachable");
        try (Http1ClientResponse res = client.get("/api/broken/version").request()) {
            assertThat(res.status()).isEqualTo(Status.NOT_FOUND_404);
        }
    }

    @Test
    void routeWithoutScopesFailsThePlugin() {
        JsonObject p = plugin("noscope");
        assertThat(p.getString("status")).isEqualTo("failed");
        assertThat(p.getString("reason")).contains("declares no scopes");
    }

    @Test
    void duplicateIdIsRefused() {
        List<JsonObject> alphas = plugins().stream().filter(p -> p.getString("id").equals("alpha"))
                .filter(p -> p.getString("source").startsWith(DIR.toString())).toList();
        assertThat(alphas).hasSize(2);
        assertThat(alphas.get(1).getString("status")).isEqualTo("failed");
        assertThat(alphas.get(1).getString("reason")).contains("duplicate plugin id 'alpha'");
        assertThat(alphas.get(1).getString("source")).endsWith("zeta-copy-of-alpha");
    }

    @Test
    void siteFolderLoadsAfterTheBundledOneAndCannotTakeABundledId() {
        assertThat(text("/api/omega/version")).isEqualTo("omega uses lib-v1");
        List<JsonObject> alphas = plugins().stream().filter(p -> p.getString("id").equals("alpha")).toList();
        JsonObject site = alphas.stream().filter(p -> p.getString("source").startsWith(EXTRA.toString()))
                .findFirst().orElseThrow();
        // "aaa-..." sorts before "alpha", yet the bundled folder wins: bundled folders load first
        assertThat(site.getString("source")).endsWith("aaa-site-alpha");
        assertThat(site.getString("status")).isEqualTo("failed");
        assertThat(site.getString("reason")).contains("duplicate plugin id 'alpha'")
                .contains(DIR.resolve("alpha").toString());
        assertThat(text("/api/alpha/version")).isEqualTo("alpha uses lib-v1");
    }

    @Test
    void undeclaredDependencyFailsAtLoadTimeNamingTheClass() {
        // the server has SnakeYAML on its class path, but it is not shared: the plugin must bundle it
        JsonObject p = plugin("undeclared");
        assertThat(p.getString("status")).isEqualTo("failed");
        assertThat(p.getString("reason")).contains("org.yaml.snakeyaml.Yaml").contains("bundle it");
        assertThat(MARKER.resolve("undeclared")).doesNotExist();
    }

    @Test
    void disabledPluginsAreListedButNeverRun() {
        assertThat(plugin("gamma").getString("status")).isEqualTo("disabled");
        assertThat(plugin("delta").getString("status")).isEqualTo("disabled");
        // both plugins write a marker from their constructor: a disabled plugin's code must not run at all
        assertThat(MARKER.resolve("gamma")).doesNotExist();
        assertThat(MARKER.resolve("delta")).doesNotExist();
        assertThat(MARKER.resolve("alpha")).exists();
        try (Http1ClientResponse res = client.get("/api/gamma/version").request()) {
            assertThat(res.status()).isEqualTo(Status.NOT_FOUND_404);
        }
    }

    @Test
    void readinessListsFailedPlugins() {
        try (Http1ClientResponse res = client.get("/health/ready").request()) {
            JsonObject body = res.as(JsonObject.class);
            assertThat(res.status()).isEqualTo(Status.OK_200);
            assertThat(body.getString("status")).isEqualTo("DEGRADED");
            assertThat(body.getJsonArray("plugins_failed").getValuesAs(JsonObject.class))
                    .extracting(o -> o.getString("id")).contains("corrupt", "broken", "noscope");
        }
    }

    private String text(String path) {
        try (Http1ClientResponse res = client.get(path).request()) {
            assertThat(res.status()).isEqualTo(Status.OK_200);
            return res.as(String.class);
        }
    }

    private List<JsonObject> plugins() {
        try (Http1ClientResponse res = client.get("/api/plugins").header(HeaderNames.ACCEPT, "application/json").request()) {
            return res.as(JsonObject.class).getJsonArray("plugins").getValuesAs(JsonObject.class);
        }
    }

    private JsonObject plugin(String id) {
        return plugins().stream().filter(p -> p.getString("id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("plugin " + id + " not listed"));
    }

    private static void buildPluginsDirectory() throws IOException {
        deleteRecursively(DIR);
        deleteRecursively(EXTRA);
        deleteRecursively(MARKER);
        Files.createDirectories(MARKER);
        Path libs = DIR.resolveSibling("test-plugin-libs");
        Path v1 = libs.resolve("greeting-1.0.jar");
        Path v2 = libs.resolve("greeting-2.0.jar");
        PluginJars.build(v1, Map.of("com.sun.demolib.Greeting", library("lib-v1")), Map.of(), List.of());
        PluginJars.build(v2, Map.of("com.sun.demolib.Greeting", library("lib-v2")), Map.of(), List.of());

        plugin("alpha", "alpha", "", v1, "alpha");
        plugin("beta", "beta", "", v2, "beta");
        plugin("broken", "broken", "throw new IllegalStateException(\"database unreachable\");", v1, "broken");
        plugin("gamma", "gamma", "", v1, "gamma");
        plugin("delta", "delta", "", v1, "delta");
        plugin("zeta-copy-of-alpha", "alpha", "", v2, "zeta");
        plugin(EXTRA, "aaa-site-alpha", "alpha", "", v2, "sitealpha");
        plugin(EXTRA, "omega", "omega", "", v1, "omega");
        Path undeclared = DIR.resolve("undeclared");
        PluginJars.build(undeclared.resolve("undeclared.jar"), Map.of("demo.undeclared.UndeclaredPlugin", """
                package demo.undeclared;
                import io.asyncsidecar.controlplane.spi.*;
                public final class UndeclaredPlugin implements Plugin {
                    private org.yaml.snakeyaml.Yaml yaml;
                    public UndeclaredPlugin() {
                        try {
                            java.nio.file.Files.writeString(java.nio.file.Path.of("%s").resolve("undeclared"), "x");
                        } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
                    }
                    public String id() { return "undeclared"; }
                    public void init(PluginContext c) { }
                    public void routes(PluginRoutes r) { r.get("/x", RequiredScopes.authenticated(), (q, s) -> s.send("x")); }
                }
                """.formatted(MARKER.toString().replace("\\", "\\\\"))), services("demo.undeclared.UndeclaredPlugin"), List.of());
        Path noscope = DIR.resolve("noscope");
        PluginJars.build(noscope.resolve("noscope.jar"), Map.of("demo.noscope.NoScopePlugin", """
                package demo.noscope;
                import io.asyncsidecar.controlplane.spi.*;
                public final class NoScopePlugin implements Plugin {
                    public String id() { return "noscope"; }
                    public void init(PluginContext c) { }
                    public void routes(PluginRoutes r) { r.get("/x", null, (req, res) -> res.send("x")); }
                }
                """), services("demo.noscope.NoScopePlugin"), List.of());
        Path corrupt = DIR.resolve("corrupt");
        Files.createDirectories(corrupt);
        Files.write(corrupt.resolve("corrupt.jar"), "this is not a zip file".getBytes());
    }

    private static void plugin(String folder, String id, String initBody, Path lib, String pkg) throws IOException {
        plugin(DIR, folder, id, initBody, lib, pkg);
    }

    private static void plugin(Path parent, String folder, String id, String initBody, Path lib, String pkg)
            throws IOException {
        Path dir = parent.resolve(folder);
        Files.createDirectories(dir);
        Files.copy(lib, dir.resolve(lib.getFileName()));
        String cls = "demo." + pkg + ".DemoPlugin";
        String src = """
                package demo.%s;
                import io.asyncsidecar.controlplane.spi.*;
                public final class DemoPlugin implements Plugin {
                    public DemoPlugin() {
                        try {
                            java.nio.file.Files.writeString(java.nio.file.Path.of("%s").resolve("%s"), "constructed");
                        } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
                    }
                    public String id() { return "%s"; }
                    public void init(PluginContext c) { %s }
                    public void routes(PluginRoutes r) {
                        r.get("/version", RequiredScopes.of("tests.read"),
                              (req, res) -> res.send("%s uses " + com.sun.demolib.Greeting.version()));
                    }
                }
                """.formatted(pkg, MARKER.toString().replace("\\", "\\\\"), id, id, initBody, id);
        PluginJars.build(dir.resolve(folder + "-plugin.jar"), Map.of(cls, src), services(cls), List.of(lib));
    }

    private static Map<String, String> services(String cls) {
        return Map.of("META-INF/services/io.asyncsidecar.controlplane.spi.Plugin", cls + "\n");
    }

    private static String library(String version) {
        // com.sun.* on purpose: bundled libraries such as JNA (com.sun.jna) live there and must load from the plugin.
        return "package com.sun.demolib; public final class Greeting { public static String version() { return \"" + version
                + "\"; } }";
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
