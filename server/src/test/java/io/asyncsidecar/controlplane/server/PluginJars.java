package io.asyncsidecar.controlplane.server;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real jars at test time: compiles Java sources with the JDK's compiler against the test class path
 * (SPI and Helidon, as a third party would compile against them) and packs the classes plus any resources.
 */
final class PluginJars {

    private PluginJars() {
    }

    /**
     * Compiles sources and writes a jar.
     *
     * @param jar       the jar to write
     * @param sources   fully qualified class name to source text
     * @param resources jar entry name to content
     * @param extraCp   more class path entries (e.g. a library jar the sources use)
     * @throws IOException on I/O failure
     */
    static void build(Path jar, Map<String, String> sources, Map<String, String> resources, List<Path> extraCp)
            throws IOException {
        build(jar, sources, resources, extraCp, Map.of());
    }

    /**
     * Compiles sources and writes a jar whose manifest carries more main attributes.
     *
     * @param jar       the jar to write
     * @param sources   fully qualified class name to source text
     * @param resources jar entry name to content
     * @param extraCp   more class path entries (e.g. a library jar the sources use)
     * @param manifest  main attributes to add, e.g. {@code Controlplane-Spi-Version}
     * @throws IOException on I/O failure
     */
    static void build(Path jar, Map<String, String> sources, Map<String, String> resources, List<Path> extraCp,
            Map<String, String> manifest) throws IOException {
        Path work = Files.createTempDirectory("plugin-src");
        Path src = work.resolve("src");
        Path classes = work.resolve("classes");
        Files.createDirectories(classes);
        List<String> files = new ArrayList<>();
        for (var e : sources.entrySet()) {
            Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            files.add(f.toString());
        }
        List<String> cp = new ArrayList<>(testClassPath());
        extraCp.forEach(p -> cp.add(p.toString()));
        List<String> args = new ArrayList<>(List.of("-proc:none", "-nowarn", "--release", "21",
                "-cp", String.join(File.pathSeparator, cp), "-d", classes.toString()));
        args.addAll(files);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, System.err, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("test plugin sources did not compile (rc " + rc + ")");
        }
        Files.createDirectories(jar.getParent());
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "9.9.9-test");
        manifest.forEach((k, v) -> mf.getMainAttributes().put(new Attributes.Name(k), v));
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out, mf);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                jos.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                jos.write(Files.readAllBytes(p));
                jos.closeEntry();
            }
            for (var e : resources.entrySet()) {
                jos.putNextEntry(new JarEntry(e.getKey()));
                jos.write(e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                jos.closeEntry();
            }
        }
    }

    /** The test JVM's class path, expanding Surefire's manifest-only jar when it uses one. */
    private static List<String> testClassPath() throws IOException {
        List<String> entries = new ArrayList<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        if (entries.size() == 1 && entries.getFirst().endsWith(".jar")) {
            try (JarFile jf = new JarFile(entries.getFirst())) {
                String cp = jf.getManifest() == null ? null
                        : jf.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
                if (cp != null) {
                    entries.clear();
                    for (String url : cp.split(" ")) {
                        if (!url.isBlank()) {
                            entries.add(Path.of(URI.create(url)).toString());
                        }
                    }
                }
            }
        }
        return entries;
    }
}
