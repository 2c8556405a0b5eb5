package io.asyncsidecar.controlplane.dist;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The release archive {@code control-plane-<version>.tar.gz} and the CycloneDX SBOMs that {@code mvn package}
 * makes: unpacked with the system's tar it is the launcher layout under one top folder, the unpacked launcher starts
 * with every bundled plugin active; every jar it ships is a component of the SBOM of its part (lib/ in the
 * distribution's, each plugin folder's in that folder's {@code sbom.cdx.json}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseArchiveIT {

    private static final Path ARCHIVE = Path.of(System.getProperty("release.archive",
            "target/control-plane-0.1.0-SNAPSHOT.tar.gz")).toAbsolutePath();

    private Path home;

    @BeforeAll
    void unpack() throws Exception {
        assertThat(ARCHIVE).as("mvn package makes the release archive").isRegularFile();
        Path into = Files.createTempDirectory("release-unpacked");
        Process tar = new ProcessBuilder("tar", "-xzf", ARCHIVE.toString(), "-C", into.toString())
                .redirectErrorStream(true).start();
        String out = new String(tar.getInputStream().readAllBytes());
        assertThat(tar.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as("tar: " + out).isZero();
        try (Stream<Path> top = Files.list(into)) {
            List<Path> entries = top.toList();
            String name = ARCHIVE.getFileName().toString().replace(".tar.gz", "");
            assertThat(entries).as("one top folder named like the archive").containsExactly(into.resolve(name));
        }
        home = into.resolve(ARCHIVE.getFileName().toString().replace(".tar.gz", ""));
    }

    @Test
    void unpacksToTheLauncherLayout() {
        assertThat(home.resolve("bin/control-plane")).isExecutable();
        assertThat(home.resolve("config/application.yaml")).isRegularFile();
        assertThat(home.resolve("ui/index.html")).isRegularFile();
        assertThat(home.resolve("lib")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("control-plane-server-"));
        for (String id : List.of("helm", "argocd", "keda", "karpenter", "metrics", "reports", "compliance", "audit")) {
            assertThat(home.resolve("plugins").resolve(id)).as(id)
                    .isDirectoryContaining(p -> p.getFileName().toString().endsWith(".jar"));
        }
        assertThat(home.resolve("data")).as("a local run's data never ships").doesNotExist();
    }

    @Test
    void theUnpackedLauncherStartsWithEveryBundledPluginActive() throws Exception {
        try (DistributionProcess server = DistributionProcess.start(home, Map.of())) {
            JsonObject answer = new DistHttp(server).json("/api/plugins", "demo-admin", 200);
            List<JsonObject> plugins = answer.getJsonArray("plugins").getValuesAs(JsonObject.class);
            assertThat(plugins).hasSizeGreaterThanOrEqualTo(9);
            for (JsonObject p : plugins) {
                assertThat(p.getString("status")).as(p.getString("id") + ": " + p.get("reason")).isEqualTo("active");
                assertThat(p.getString("source")).startsWith(home.resolve("plugins").toString());
                assertThat(p.getString("spi_version")).as(p.getString("id")).isEqualTo(answer.getString("spi_version"));
            }
            new DistHttp(server).json("/health/ready", null, 200);
        }
    }

    @Test
    void theSbomListsEveryJarOfLib() throws IOException {
        Path sbom;
        try (Stream<Path> s = Files.list(home.resolve("sbom"))) {
            sbom = s.filter(p -> p.getFileName().toString().endsWith(".cdx.json")).findFirst().orElseThrow();
        }
        JsonObject bom = read(sbom);
        assertThat(bom.getString("bomFormat")).isEqualTo("CycloneDX");
        assertThat(bom.getJsonObject("metadata").getJsonObject("component").getString("name")).isEqualTo("control-plane-dist");
        Set<String> components = components(bom);
        assertThat(components).anyMatch(c -> c.startsWith("helidon-webserver-"));
        assertEveryJarIsAComponent(home.resolve("lib"), components);
        assertThat(Files.readString(sbom)).isEqualTo(Files.readString(Path.of(System.getProperty("release.sbom",
                "target/" + sbom.getFileName()))));
    }

    @Test
    void eachPluginFolderCarriesAnSbomOfItsJars() throws IOException {
        List<Path> folders;
        try (Stream<Path> s = Files.list(home.resolve("plugins"))) {
            folders = s.filter(Files::isDirectory).toList();
        }
        assertThat(folders).isNotEmpty();
        for (Path folder : folders) {
            JsonObject bom = read(folder.resolve("sbom.cdx.json"));
            assertEveryJarIsAComponent(folder, components(bom));
        }
        assertThat(components(read(home.resolve("plugins/helm/sbom.cdx.json")))).anyMatch(c -> c.startsWith("helm-java-"));
    }

    private static void assertEveryJarIsAComponent(Path folder, Set<String> components) throws IOException {
        List<String> jars;
        try (Stream<Path> s = Files.list(folder)) {
            jars = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
        }
        assertThat(jars).isNotEmpty();
        for (String jar : jars) {
            // name-version.jar, or name-version-classifier.jar
            assertThat(components).as(folder + ": " + jar).anyMatch(c -> jar.equals(c + ".jar") || jar.startsWith(c + "-"));
        }
    }

    /** name-version of every component, nested ones included. */
    private static Set<String> components(JsonObject bom) {
        Set<String> out = new HashSet<>();
        collect(bom.getJsonArray("components").getValuesAs(JsonObject.class), out);
        JsonObject main = bom.getJsonObject("metadata").getJsonObject("component");
        out.add(main.getString("name") + "-" + main.getString("version"));
        return out;
    }

    private static void collect(List<JsonObject> list, Set<String> out) {
        for (JsonObject c : list) {
            out.add(c.getString("name") + "-" + c.getString("version", ""));
            if (c.containsKey("components")) {
                collect(c.getJsonArray("components").getValuesAs(JsonObject.class), out);
            }
        }
    }

    private static JsonObject read(Path file) throws IOException {
        return Json.createReader(new StringReader(Files.readString(file))).readObject();
    }
}
