package io.asyncsidecar.controlplane.dist;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example third-party plugin (examples/hello-plugin) as a site uses it: its packaged folder dropped into the
 * distribution's extra plugins directory ({@code CP_EXTRA_PLUGINS_DIR}), listed active with the SPI version it was
 * built against, its route answering with the greeting configured by environment; the same folder with its jar's
 * manifest claiming the next SPI major is refused, naming both versions.
 */
class HelloPluginIT {

    private static final Path HELLO = Path.of(System.getProperty("hello.plugin.dir",
            "../examples/hello-plugin/target/plugin/hello")).toAbsolutePath().normalize();
    private static final String TOKENS = """
            {"greeter":{"tenant_id":"site","subject":"carol","scopes":["hello.read"]},
             "viewer":{"tenant_id":"site","subject":"dave","scopes":["tests.read"]}}""";

    @Test
    void droppedInFolderIsActiveAndServesItsRoute() throws Exception {
        Path extra = Files.createTempDirectory("extra-plugins");
        copyFolder(HELLO, extra.resolve("hello"));
        try (DistributionProcess server = DistributionProcess.start(Map.of("CP_EXTRA_PLUGINS_DIR", extra.toString(),
                "AUTH_TOKENS_JSON", TOKENS, "PLUGINS_HELLO_GREETING", "Welcome"))) {
            DistHttp http = new DistHttp(server);
            JsonObject answer = http.json("/api/plugins", "greeter", 200);
            JsonObject hello = http.plugin("greeter", "hello");
            assertThat(hello.getString("status")).as(hello.toString()).isEqualTo("active");
            assertThat(hello.getString("source")).isEqualTo(extra.resolve("hello").toString());
            assertThat(hello.getString("spi_version")).isEqualTo(answer.getString("spi_version"));
            assertThat("hello-plugin-" + hello.getString("version") + ".jar").isEqualTo(pluginJar(HELLO).getFileName().toString());
            JsonObject greeting = http.json("/api/hello/greeting", "greeter", 200);
            assertThat(greeting.getString("greeting")).isEqualTo("Welcome, carol");
            assertThat(greeting.getString("tenant_id")).isEqualTo("site");
            assertThat(http.json("/api/hello/greeting", "viewer", 403).toString()).contains("hello.read");
            // the bundled plugins are untouched by the site's folder
            for (JsonObject p : answer.getJsonArray("plugins").getValuesAs(JsonObject.class)) {
                assertThat(p.getString("status")).as(p.getString("id") + ": " + p.get("reason")).isEqualTo("active");
            }
        }
    }

    @Test
    void folderBuiltForTheNextSpiMajorIsRefusedWithTheReason() throws Exception {
        Path extra = Files.createTempDirectory("extra-plugins");
        Path folder = extra.resolve("hello");
        copyFolder(HELLO, folder);
        String serverSpi = distributionSpiVersion();
        String next = (Integer.parseInt(serverSpi.substring(0, serverSpi.indexOf('.'))) + 1) + ".0";
        rewriteSpiVersion(pluginJar(folder), next);
        try (DistributionProcess server = DistributionProcess.start(Map.of("CP_EXTRA_PLUGINS_DIR", extra.toString(),
                "AUTH_TOKENS_JSON", TOKENS))) {
            DistHttp http = new DistHttp(server);
            JsonObject hello = http.plugin("greeter", "hello");
            assertThat(hello.getString("status")).isEqualTo("failed");
            assertThat(hello.getString("spi_version")).isEqualTo(next);
            assertThat(hello.getString("reason")).contains("built for SPI " + next)
                    .contains("this server provides SPI " + serverSpi).contains("incompatible major version");
            http.json("/api/hello/greeting", "greeter", 404);
            assertThat(http.json("/health/ready", null, 200).getJsonArray("plugins_failed").toString()).contains("hello");
        }
    }

    @Test
    void theSpiJarOfTheDistributionDeclaresTheVersionTheServerReports() throws Exception {
        String declared = distributionSpiVersion();
        assertThat(declared).matches("\\d+\\.\\d+");
        try (DistributionProcess server = DistributionProcess.start(Map.of("AUTH_TOKENS_JSON", TOKENS))) {
            assertThat(new DistHttp(server).json("/api/plugins", "greeter", 200).getString("spi_version"))
                    .isEqualTo(declared);
        }
    }

    /** The Controlplane-Spi-Version of the spi jar in the distribution's lib/. */
    private static String distributionSpiVersion() throws IOException {
        Path spi;
        try (Stream<Path> s = Files.list(DistributionProcess.DIST.resolve("lib"))) {
            spi = s.filter(p -> p.getFileName().toString().startsWith("control-plane-spi-")).findFirst().orElseThrow();
        }
        try (JarInputStream in = new JarInputStream(Files.newInputStream(spi))) {
            return in.getManifest().getMainAttributes().getValue("Controlplane-Spi-Version");
        }
    }

    private static Path pluginJar(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().startsWith("hello-plugin-")).findFirst().orElseThrow();
        }
    }

    private static void rewriteSpiVersion(Path jar, String version) throws IOException {
        Path rewritten = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest mf = in.getManifest();
            assertThat(mf.getMainAttributes().getValue("Controlplane-Spi-Version")).as("the build's entry").isNotNull();
            mf.getMainAttributes().put(new Attributes.Name("Controlplane-Spi-Version"), version);
            try (OutputStream out = Files.newOutputStream(rewritten); JarOutputStream jos = new JarOutputStream(out, mf)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    jos.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(jos);
                    jos.closeEntry();
                }
            }
        }
        Files.move(rewritten, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        assertThat(from.resolve(".")).as("the example plugin's folder: build examples/hello-plugin first").isDirectory();
        Files.createDirectories(to);
        List<Path> files;
        try (Stream<Path> s = Files.list(from)) {
            files = s.sorted(Comparator.naturalOrder()).toList();
        }
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                Files.copy(in, to.resolve(f.getFileName().toString()));
            }
        }
    }
}
