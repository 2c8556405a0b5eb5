package io.asyncsidecar.controlplane.plugins.metrics.scrape;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import javax.net.ssl.SSLContext;

import io.asyncsidecar.controlplane.plugins.metrics.exposition.ExpositionParser;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The scrape client against raw loopback sockets that answer exactly what each case needs. */
class ScrapeClientTest {

    private static final String BODY = "# TYPE up gauge\nup 1\n";

    private final ScrapeClient client;
    private ServerSocket server;

    ScrapeClientTest() throws Exception {
        client = new ScrapeClient(TargetGuard.of(TargetGuard.DEFAULT_ALLOWED, List.of(), TargetGuard.systemResolver()),
                Duration.ofSeconds(1), 1024 * 1024, 3, SSLContext.getDefault());
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void closeDelimitedBodyOfAnHttp10Server() throws Exception {
        URI url = serve(out -> out.write(("HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n\r\n" + BODY)
                .getBytes(StandardCharsets.US_ASCII)));
        ScrapeOutcome o = scrape(url, 2000);
        assertThat(o.status()).as(o.error()).isEqualTo(ScrapeStatus.UP);
        assertThat(o.bytes()).isEqualTo(BODY.length());
        assertThat(o.exposition().families().getFirst().name()).isEqualTo("up");
    }

    @Test
    void aTrickleCannotOutliveTheDeadline() throws Exception {
        URI url = serve(out -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100; i++) {
                out.write(("a" + i + " 1\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                sleep(100);
            }
        });
        ScrapeOutcome o = scrape(url, 500);
        assertThat(o.status()).isEqualTo(ScrapeStatus.TIMEOUT);
        assertThat(o.durationMs()).isBetween(450L, 1500L);
    }

    @Test
    void aGzipBombIsTooLargeAfterDecompression() throws Exception {
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(packed)) {
            byte[] line = "bomb 1\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 2 * 1024 * 1024 / line.length + 10; i++) {
                gz.write(line);
            }
        }
        byte[] body = packed.toByteArray();
        assertThat(body.length).isLessThan(1024 * 1024);
        URI url = serve(out -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
        });
        ScrapeOutcome o = scrape(url, 2000);
        assertThat(o.status()).isEqualTo(ScrapeStatus.TOO_LARGE);
        assertThat(o.error()).isEqualTo("decompressed body exceeds the limit of 1048576 bytes");
    }

    @Test
    void aDeclaredLengthOverTheLimitIsNotRead() throws Exception {
        URI url = serve(out -> out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 52428800\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII)));
        ScrapeOutcome o = scrape(url, 2000);
        assertThat(o.status()).isEqualTo(ScrapeStatus.TOO_LARGE);
        assertThat(o.error()).contains("declared Content-Length 52428800");
    }

    @Test
    void somethingThatIsNotHttpIsInvalid() throws Exception {
        URI url = serve(out -> out.write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII)));
        ScrapeOutcome o = scrape(url, 2000);
        assertThat(o.status()).isEqualTo(ScrapeStatus.INVALID);
        assertThat(o.error()).isEqualTo("malformed response: not an HTTP/1.x response: 'SSH-2.0-OpenSSH_9.2'");
    }

    @Test
    void aRedirectLoopStops() throws Exception {
        URI url = serve(out -> out.write("HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII)));
        ScrapeOutcome o = scrape(url, 2000);
        assertThat(o.status()).isEqualTo(ScrapeStatus.DOWN);
        assertThat(o.error()).isEqualTo("more than 3 redirects");
        assertThat(o.httpStatus()).isEqualTo(302);
    }

    @Test
    void aClosedPortIsDown() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ScrapeOutcome o = scrape(URI.create("http://127.0.0.1:" + port + "/metrics"), 2000);
        assertThat(o.status()).isEqualTo(ScrapeStatus.DOWN);
        assertThat(o.error()).startsWith("cannot connect");
    }

    private ScrapeOutcome scrape(URI url, long timeoutMillis) {
        return client.scrape(url, Duration.ofMillis(timeoutMillis), ExpositionParser::of);
    }

    interface Answer {
        void write(OutputStream out) throws IOException;
    }

    /** Accepts connections on a loopback port, reads each request head and writes the answer. */
    private URI serve(Answer answer) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket s = server;
        Thread.startVirtualThread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket c = s.accept();
                    Thread.startVirtualThread(() -> {
                        try (c) {
                            InputStream in = c.getInputStream();
                            int matched = 0;
                            while (matched < 4) {
                                int b = in.read();
                                if (b < 0) {
                                    return;
                                }
                                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
                            }
                            answer.write(c.getOutputStream());
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return URI.create("http://127.0.0.1:" + s.getLocalPort() + "/metrics");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
