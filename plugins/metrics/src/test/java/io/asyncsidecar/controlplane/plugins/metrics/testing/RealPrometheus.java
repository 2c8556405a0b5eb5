package io.asyncsidecar.controlplane.plugins.metrics.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.asyncsidecar.controlplane.server.testing.SharedFixtures;

import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus server (Debian's {@code prometheus}) on a free loopback port, with its TSDB in a folder of the
 * test's own and one scrape job, every second, of a loopback target. Absent binary: the test is skipped with a
 * message, or fails in CI (where {@code .ci/run} installs it). A test class that starts one before its server
 * (in {@code @SetUpServer}) is guarded with {@code @EnabledIf(RealPrometheus.AVAILABLE)}, since a skip thrown
 * from there would count as an error.
 */
public final class RealPrometheus implements AutoCloseable {

    /** For {@code @EnabledIf}: the condition method {@link #available()}. */
    public static final String AVAILABLE =
            "io.asyncsidecar.controlplane.plugins.metrics.testing.RealPrometheus#available";

    private static final Duration START = Duration.ofSeconds(30);
    /** Why a test that needs one is skipped. */
    public static final String MISSING =
            "prometheus not installed (apt-get install prometheus, or set PROMETHEUS_BIN)";

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private RealPrometheus(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts one that scrapes a target every second, and waits until it is ready.
     *
     * @param job    the scrape job's name (the series' {@code job} label)
     * @param target {@code host:port} of the target, whose {@code /metrics} is scraped
     * @param dir    an empty folder for its config, TSDB and log
     * @return the running server
     * @throws Exception when it cannot start
     */
    public static RealPrometheus start(String job, String target, Path dir) throws Exception {
        Path binary = binary();
        if (binary == null && SharedFixtures.required()) {
            throw new AssertionError(MISSING);
        }
        Assumptions.assumeTrue(binary != null, MISSING);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: %s
                    static_configs:
                      - targets: ['%s']
                """.formatted(job, target));
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(List.of(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        RealPrometheus prometheus = new RealPrometheus(p, port, log);
        try {
            prometheus.awaitReady();
        } catch (Exception | AssertionError e) {
            prometheus.close();
            throw e;
        }
        return prometheus;
    }

    /**
     * Whether a test can start one; logs why not.
     *
     * @return true when the binary is installed
     * @throws AssertionError when it is not and real components are required (CI)
     */
    public static boolean available() {
        if (binary() != null) {
            return true;
        }
        if (SharedFixtures.required()) {
            throw new AssertionError(MISSING);
        }
        System.err.println("skipped: " + MISSING);
        return false;
    }

    /**
     * The binary: {@code PROMETHEUS_BIN}, else Debian's {@code /usr/bin/prometheus}, else {@code prometheus} on the
     * PATH.
     *
     * @return the path, or null when none is installed
     */
    public static Path binary() {
        String configured = System.getenv("PROMETHEUS_BIN");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return Path.of(configured);
        }
        Path debian = Path.of("/usr/bin/prometheus");
        if (Files.isExecutable(debian)) {
            return debian;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, "prometheus");
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** @return its base URL, e.g. {@code http://127.0.0.1:41234} */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * Waits until an instant query returns at least one series, i.e. the target was scraped.
     *
     * @param query   a PromQL expression
     * @param timeout how long to wait
     * @throws Exception when it does not within the time
     */
    public void awaitSeries(String query, Duration timeout) throws Exception {
        URI uri = URI.create(url() + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = get(uri);
            if (last.contains("\"result\":[{")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Prometheus returned no series for " + query + " within " + timeout.toSeconds()
                + " s; last answer " + last + "; log " + log);
    }

    private void awaitReady() throws Exception {
        URI ready = URI.create(url() + "/-/ready");
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("prometheus was not ready on " + url() + " within " + START.toSeconds()
                + " s; log " + log);
    }

    private String get(URI uri) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
