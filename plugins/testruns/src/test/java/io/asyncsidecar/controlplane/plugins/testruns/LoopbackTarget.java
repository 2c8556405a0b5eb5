package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP service for tests to run against: {@code /healthz} and {@code /metrics} as the generic
 * scenario expects them, {@code /health/ready} absent (404), optionally slow {@code /metrics}, and
 * {@code /chunked}, {@code /close} for client edge cases.
 */
final class LoopbackTarget implements AutoCloseable {

    private final HttpServer server;
    private final AtomicLong requests = new AtomicLong();

    private LoopbackTarget(int metricsDelayMillis) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/healthz", ex -> reply(ex, 200, "application/json",
                "{\"ok\":true,\"ts\":" + System.currentTimeMillis() / 1000 + "}"));
        server.createContext("/metrics", ex -> {
            sleep(metricsDelayMillis);
            reply(ex, 200, "text/plain; version=0.0.4",
                    "# HELP target_requests_total Requests.\n# TYPE target_requests_total counter\n"
                            + "target_requests_total " + requests.get() + "\n");
        });
        server.createContext("/health/live", ex -> reply(ex, 200, "application/json", "{\"status\":\"UP\"}"));
        server.createContext("/chunked", ex -> {
            requests.incrementAndGet();
            ex.getResponseHeaders().set("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, 0); // 0: chunked
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 50; i++) {
                    out.write(("chunk " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });
        server.createContext("/close", ex -> {
            ex.getResponseHeaders().set("Connection", "close");
            reply(ex, 503, "text/plain", "going away");
        });
        server.createContext("/", ex -> reply(ex, 404, "text/plain", "not found"));
        server.start();
    }

    static LoopbackTarget start() throws IOException {
        return new LoopbackTarget(0);
    }

    /** A target whose /metrics takes this long. */
    static LoopbackTarget withSlowMetrics(int delayMillis) throws IOException {
        return new LoopbackTarget(delayMillis);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long requests() {
        return requests.get();
    }

    private void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        requests.incrementAndGet();
        ex.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(int millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
