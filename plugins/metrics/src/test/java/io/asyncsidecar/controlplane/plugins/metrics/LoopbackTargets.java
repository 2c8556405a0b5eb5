package io.asyncsidecar.controlplane.plugins.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Scrape targets that misbehave in every way the issue lists, on one loopback port: an OpenMetrics service
 * (gzip), a text-format service, a slow one, one that answers 500, one that sends garbage, one that streams
 * 50 MiB, one that never answers, redirects (to itself and to the cloud metadata address), HTML.
 */
public final class LoopbackTargets implements AutoCloseable {

    /** An OpenMetrics exposition of a gateway-like service. */
    public static final String OPENMETRICS = """
            # TYPE http_requests counter
            # HELP http_requests Requests served.
            http_requests_total{code="200"} 10 # {trace_id="abc"} 1
            http_requests_created{code="200"} 1.7e9
            http_requests_total{code="500"} 1
            http_requests_created{code="500"} 1.7e9
            # TYPE http_request_duration_seconds histogram
            # UNIT http_request_duration_seconds seconds
            # HELP http_request_duration_seconds Request latency.
            http_request_duration_seconds_bucket{le="0.1"} 1
            http_request_duration_seconds_bucket{le="+Inf"} 2
            http_request_duration_seconds_count 2
            http_request_duration_seconds_sum 0.3
            # TYPE build info
            # HELP build Build information.
            build_info{version="1.2.3"} 1
            # TYPE queue_wait_milliseconds gauge
            # HELP queue_wait_milliseconds Wait in the queue.
            queue_wait_milliseconds 3
            # EOF
            """;
    /** A text-format exposition with naming problems. */
    public static final String TEXT = """
            # HELP jobs_processed Jobs done.
            # TYPE jobs_processed counter
            jobs_processed 5
            # TYPE requestLatency gauge
            requestLatency{workerId="1"} 0.2
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            http_requests_total{code="200"} 7
            """;
    /** Delay of the slow target. */
    public static final int SLOW_MILLIS = 300;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch released = new CountDownLatch(1);

    private LoopbackTargets() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        server.setExecutor(executor);
        server.createContext("/om", ex -> {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                out.write(OPENMETRICS.getBytes(StandardCharsets.UTF_8));
            }
            boolean gzip = ex.getRequestHeaders().getFirst("Accept-Encoding").contains("gzip");
            boolean openMetrics = ex.getRequestHeaders().getFirst("Accept").startsWith("application/openmetrics-text");
            byte[] body = gzip ? gz.toByteArray() : OPENMETRICS.getBytes(StandardCharsets.UTF_8);
            if (gzip) {
                ex.getResponseHeaders().add("Content-Encoding", "gzip");
            }
            send(ex, 200, openMetrics ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                    : "text/plain", body);
        });
        server.createContext("/text", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", TEXT));
        server.createContext("/slow", ex -> {
            sleep(SLOW_MILLIS);
            send(ex, 200, "text/plain; version=0.0.4", TEXT);
        });
        server.createContext("/error", ex -> send(ex, 500, "text/plain", "internal error\n"));
        server.createContext("/garbage", ex -> send(ex, 200, "text/plain; version=0.0.4",
                "<html><body>this is {not metrics</body></html>\n"));
        server.createContext("/html", ex -> send(ex, 200, "text/html", "<html></html>\n"));
        server.createContext("/huge", LoopbackTargets::huge);
        server.createContext("/hang", ex -> {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.createContext("/redirect-to-metadata", ex -> redirect(ex, "http://169.254.169.254/latest/meta-data/"));
        server.createContext("/redirect-to-text", ex -> redirect(ex, "/text"));
        server.start();
    }

    /**
     * Starts the targets.
     *
     * @return the running targets
     * @throws IOException when the port cannot be opened
     */
    public static LoopbackTargets start() throws IOException {
        return new LoopbackTargets();
    }

    /**
     * A target's URL.
     *
     * @param path e.g. {@code /slow}
     * @return the URL
     */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    /** 50 MiB of valid samples, streamed until the client hangs up. */
    private static void huge(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
        ex.sendResponseHeaders(200, 0);
        StringBuilder chunk = new StringBuilder(64 * 1024);
        long sent = 0;
        int n = 0;
        try (OutputStream out = ex.getResponseBody()) {
            while (sent < 50L * 1024 * 1024) {
                chunk.setLength(0);
                while (chunk.length() < 60 * 1024) {
                    chunk.append("huge_series{n=\"").append(n++).append("\"} 1\n");
                }
                byte[] b = chunk.toString().getBytes(StandardCharsets.US_ASCII);
                out.write(b);
                sent += b.length;
            }
        } catch (IOException clientHungUp) {
            // expected: the scraper stops reading at its limit
        }
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
