package io.asyncsidecar.controlplane.dist;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged distribution started with its own launcher in a child process, as a user starts it: its own
 * environment only (no inherited {@code CP_*}/{@code AUTH_*}), output to a file, ready when {@code /health/ready}
 * answers 200. Tests that need the real thing end to end (plugin folders, class loaders, launcher) start one.
 */
final class DistributionProcess implements AutoCloseable {

    /** The distribution folder the build assembled. */
    static final Path DIST = Path.of(System.getProperty("dist.dir", "target/control-plane")).toAbsolutePath();

    private final Process process;
    private final Path output;
    private final int port;

    private DistributionProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /**
     * Launches the distribution and waits until it is ready.
     *
     * @param env environment variables besides {@code CP_PORT} (set here to a free port) and a fresh
     *            {@code CP_DATA_DIR} unless given
     * @return the running distribution
     * @throws Exception when it exits or is not ready within 90 s, with its output
     */
    static DistributionProcess start(Map<String, String> env) throws Exception {
        return start(DIST, env);
    }

    /**
     * Launches a distribution installed elsewhere (an unpacked release archive, say) and waits until it is ready.
     *
     * @param home the distribution's folder, holding bin/control-plane
     * @param env  as for {@link #start(Map)}
     * @return the running distribution
     * @throws Exception when it exits or is not ready within 90 s, with its output
     */
    static DistributionProcess start(Path home, Map<String, String> env) throws Exception {
        int port = freePort();
        Path output = Files.createTempFile("dist-process", ".log");
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/control-plane").toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CP_") || k.startsWith("AUTH_") || k.startsWith("PLUGINS_"));
        pb.environment().put("CP_DATA_DIR", Files.createTempDirectory("dist-data").toString());
        pb.environment().putAll(env);
        pb.environment().put("CP_PORT", Integer.toString(port));
        DistributionProcess started = new DistributionProcess(pb.start(), output, port);
        started.waitReady();
        return started;
    }

    /** @return the port it listens on, loopback */
    int port() {
        return port;
    }

    /** @return the base URL, e.g. {@code http://127.0.0.1:18088} */
    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** @return the child process */
    Process process() {
        return process;
    }

    /**
     * @return what it printed so far
     * @throws IOException when the output file cannot be read
     */
    String output() throws IOException {
        return Files.readString(output);
    }

    private void waitReady() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (res.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        close();
        throw new AssertionError("server not ready within 90 s:\n" + output());
    }

    /** Stops it with SIGTERM, and SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
