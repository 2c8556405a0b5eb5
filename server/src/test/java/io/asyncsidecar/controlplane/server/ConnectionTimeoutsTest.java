package io.asyncsidecar.controlplane.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.asyncsidecar.controlplane.server.testing.RawRequests;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow and silent clients lose their connections within the configured times ({@code server.connection.*}), while
 * a normal request still answers at once: a request head sent one byte at a time (slowloris), a connection that
 * sends nothing, a kept-alive connection left idle, a body that trickles. A WebSocket may stay silent. The server is
 * built as {@link Main} builds it: the test extension's server would list the connection guard twice, and Helidon
 * then reads a connection's first bytes before handing it over.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionTimeoutsTest {

    private static final long HEAD_MS = 2000;
    private static final long IDLE_MS = 1500;
    private static final long BODY_MS = 1500;
    /** The guard looks every quarter of the shortest limit; scheduling on a busy machine adds some. */
    private static final long SLACK_MS = 2500;

    private WebServer server;
    private ControlPlane controlPlane;
    private int port;

    @BeforeAll
    void start() {
        WebServerConfig.Builder builder = WebServer.builder();
        controlPlane = ControlPlane.configure(builder, TestConfigs.of("auth.mode", "none",
                "server.connection.head-timeout-seconds", Double.toString(HEAD_MS / 1000.0),
                "server.connection.idle-timeout-seconds", Double.toString(IDLE_MS / 1000.0),
                "server.connection.body-timeout-seconds", Double.toString(BODY_MS / 1000.0)));
        server = builder.host("127.0.0.1").port(0).build().start();
        port = server.port();
    }

    @AfterAll
    void stop() {
        server.stop();
        controlPlane.close();
    }

    @Test
    void slowHeadsAreClosedWhileANormalRequestAnswers() throws Exception {
        List<Socket> slow = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            Socket s = new Socket("127.0.0.1", port);
            s.getOutputStream().write("GET /api/plugins HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            slow.add(s);
        }
        List<Long> closedAfter = new ArrayList<>();
        for (int i = 0; i < 30 && closedAfter.size() < slow.size(); i++) {
            long sent = System.nanoTime();
            String normal = RawRequests.request(port, "GET /api/echo/whoami HTTP/1.1");
            assertThat(RawRequests.status(normal)).as(normal).isEqualTo(200);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).as("a normal request meanwhile")
                    .isLessThan(2000);
            for (Socket s : slow) {
                if (!s.isClosed() && !trickle(s, "X-Slow: a".charAt(i % 9))) {
                    closedAfter.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    s.close();
                }
            }
            Thread.sleep(400);
        }
        assertThat(closedAfter).as("slow connections closed").hasSize(slow.size());
        assertThat(closedAfter).allSatisfy(ms -> assertThat(ms).isBetween(HEAD_MS - 100, HEAD_MS + SLACK_MS));
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            long start = System.nanoTime();
            s.setSoTimeout((int) (IDLE_MS + SLACK_MS + 2000));
            assertThat(s.getInputStream().read()).as("end of stream").isEqualTo(-1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .isBetween(IDLE_MS - 100, IDLE_MS + SLACK_MS);
        }
    }

    @Test
    void aKeptAliveConnectionServesThenIsClosedWhenIdle() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout((int) (IDLE_MS + SLACK_MS + 2000));
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < 3; i++) {
                out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 200");
                int length = Integer.parseInt(head.replaceAll("(?is).*content-length:\\s*(\\d+).*", "$1"));
                in.readNBytes(length);
                Thread.sleep(IDLE_MS / 2);
            }
            long start = System.nanoTime();
            assertThat(in.read()).as("end of stream").isEqualTo(-1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(IDLE_MS + SLACK_MS);
        }
    }

    @Test
    void aTricklingBodyIsClosedAfterTheBodyTimeout() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(("POST /api/echo/body HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                    + "\r\nContent-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            boolean open = true;
            while (open && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(BODY_MS + SLACK_MS + 3000)) {
                Thread.sleep(300);
                open = trickle(s, ' ');
            }
            assertThat(open).as("closed").isFalse();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(BODY_MS - 100,
                    BODY_MS + SLACK_MS + 300);
        }
    }

    @Test
    void aWebSocketMayStaySilentLongerThanTheIdleTimeout() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/echo/quiet"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        received.add(data.toString());
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).get(10, TimeUnit.SECONDS);
        assertThat(received.poll(10, TimeUnit.SECONDS)).startsWith("hello quiet");
        Thread.sleep(Math.max(IDLE_MS, HEAD_MS) + SLACK_MS + 500);
        ws.sendText("still there", true).get(5, TimeUnit.SECONDS);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("echo:still there");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }

    /** Writes one byte and looks whether the server has closed: false once it has. */
    private static boolean trickle(Socket s, char c) {
        try {
            s.getOutputStream().write(c);
            s.getOutputStream().flush();
            s.setSoTimeout(1);
            return s.getInputStream().read() != -1;
        } catch (SocketTimeoutException stillOpen) {
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }
}
