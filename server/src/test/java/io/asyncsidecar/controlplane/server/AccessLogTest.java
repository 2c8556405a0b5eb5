package io.asyncsidecar.controlplane.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

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
 * The access log through a started server: a writer that is stuck never holds a request up (entries beyond the
 * bounded queue are dropped and counted in /metrics), probes and scrapes are excluded, JSON lines carry the
 * request without its query string and never a token.
 */
@ServerTest
class AccessLogTest {

    // Held strongly: JUL keeps loggers only weakly, and the handler must stay attached.
    private static final Logger ACCESS = Logger.getLogger(AccessLog.LOGGER);
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final List<String> LINES = new CopyOnWriteArrayList<>();

    private final Http1Client client;

    AccessLogTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ACCESS.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                try {
                    RELEASE.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                LINES.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", "{\"secret-token-123\":{\"tenant_id\":\"tA\",\"subject\":\"alice\",\"scopes\":\"tests.read\"}}",
                "server.access-log.format", "json",
                "server.access-log.output", "logger",
                "server.access-log.queue-size", "2"));
    }

    @Test
    @org.junit.jupiter.api.Timeout(60) // a log that blocked requests would hang here instead of failing
    void aStuckWriterNeverHoldsARequestUpAndDropsAreCounted() throws Exception {
        int requests = 40;
        for (int i = 0; i < requests; i++) {
            try (Http1ClientResponse res = client.get("/api/echo/whoami").queryParam("q", "in-query")
                    .header(io.helidon.http.HeaderNames.AUTHORIZATION, "Bearer secret-token-123").request()) {
                assertThat(res.status()).isEqualTo(Status.OK_200);
                assertThat(res.as(String.class)).contains("alice");
            }
        }
        // the stuck writer holds its first entry and at most one queue's worth taken with it, and the queue (2)
        // is full again: every other entry was dropped
        assertThat(dropped()).isGreaterThanOrEqualTo(requests - 1 - 2 * 2);

        RELEASE.countDown();
        try (Http1ClientResponse res = client.get("/healthz").request()) {
            assertThat(res.status()).isEqualTo(Status.OK_200);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (LINES.size() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(LINES).hasSizeBetween(1, 5);
        JsonObject line = (JsonObject) JsonCodec.read(LINES.getFirst());
        assertThat(line.getString("method")).isEqualTo("GET");
        assertThat(line.getString("path")).isEqualTo("/api/echo/whoami");
        assertThat(line.getInt("status")).isEqualTo(200);
        assertThat(line.getString("subject")).isEqualTo("alice");
        assertThat(line.getString("tenant")).isEqualTo("tA");
        assertThat(String.join("\n", LINES)).doesNotContain("secret-token-123").doesNotContain("/healthz")
                .doesNotContain("/metrics").doesNotContain("q=");
    }

    private long dropped() {
        try (Http1ClientResponse res = client.get("/metrics").request()) {
            return res.as(String.class).lines()
                    .filter(l -> l.startsWith("controlplane_access_log_dropped_total "))
                    .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(' ') + 1).strip()))
                    .findFirst().orElseThrow(() -> new AssertionError("no dropped counter in /metrics"));
        }
    }
}
