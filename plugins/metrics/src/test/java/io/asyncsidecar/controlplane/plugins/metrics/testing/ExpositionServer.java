package io.asyncsidecar.controlplane.plugins.metrics.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

/**
 * A workload's {@code /metrics} on a free loopback port: serves whatever exposition text it was last given, in the
 * Prometheus text format, and counts the requests it answered (so a test can tell that nothing was fetched).
 */
public final class ExpositionServer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicReference<String> body;
    private final AtomicInteger requests = new AtomicInteger();

    private ExpositionServer(String text) throws IOException {
        body = new AtomicReference<>(text);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", ex -> {
            requests.incrementAndGet();
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    /**
     * Starts one.
     *
     * @param text the exposition to serve
     * @return the running server
     * @throws IOException when it cannot listen
     */
    public static ExpositionServer start(String text) throws IOException {
        return new ExpositionServer(text);
    }

    /**
     * Serves another exposition from now on.
     *
     * @param text the exposition
     */
    public void serve(String text) {
        body.set(text);
    }

    /** @return {@code 127.0.0.1:<port>}, as a Prometheus scrape target */
    public String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return its metrics URL */
    public URI metricsUrl() {
        return URI.create("http://" + hostPort() + "/metrics");
    }

    /** @return how many scrapes it answered */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
