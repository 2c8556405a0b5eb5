package io.asyncsidecar.controlplane.plugins.metrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.asyncsidecar.controlplane.server.testing.SharedFixtures;

import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus node exporter (Debian's {@code prometheus-node-exporter}) on a free loopback port. Absent
 * binary: the test is skipped with a message, or fails in CI where it must be installed.
 */
public final class NodeExporter implements AutoCloseable {

    private final Process process;
    private final int port;

    private NodeExporter(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts one and waits until it accepts connections.
     *
     * @return the running exporter
     * @throws Exception when it cannot start
     */
    public static NodeExporter start() throws Exception {
        Path binary = binary();
        String why = "prometheus-node-exporter not installed (apt-get install prometheus-node-exporter, or set"
                + " NODE_EXPORTER_BIN)";
        if (binary == null && SharedFixtures.required()) {
            throw new AssertionError(why);
        }
        Assumptions.assumeTrue(binary != null, why);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(List.of(binary.toString(), "--web.listen-address=127.0.0.1:" + port))
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "node-exporter-" + port + ".log").toFile())
                .start();
        NodeExporter exporter = new NodeExporter(p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("node exporter exited with " + p.exitValue() + ", see target/node-exporter-"
                        + port + ".log");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return exporter;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        exporter.close();
        throw new IllegalStateException("node exporter did not listen on 127.0.0.1:" + port + " within 15 s");
    }

    /**
     * The binary: {@code NODE_EXPORTER_BIN}, else Debian's path, else {@code node_exporter} on the PATH.
     *
     * @return the path, or null when none is installed
     */
    public static Path binary() {
        String configured = System.getenv("NODE_EXPORTER_BIN");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return Path.of(configured);
        }
        for (String name : List.of("prometheus-node-exporter", "node_exporter")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        Path debian = Path.of("/usr/bin/prometheus-node-exporter");
        return Files.isExecutable(debian) ? debian : null;
    }

    /** @return its metrics URL */
    public URI metricsUrl() {
        return URI.create("http://127.0.0.1:" + port + "/metrics");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
