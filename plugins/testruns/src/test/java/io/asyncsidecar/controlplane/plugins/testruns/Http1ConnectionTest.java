package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Http1ConnectionTest {

    @Test
    void keepsTheConnectionAcrossLengthAndChunkedBodies() throws Exception {
        try (LoopbackTarget target = LoopbackTarget.start();
             Http1Connection c = new Http1Connection(URI.create(target.baseUrl()), 5000)) {
            URI uri = URI.create(target.baseUrl());
            byte[] healthz = Http1Connection.encode(uri, "GET", "/healthz", Map.of(), null);
            byte[] chunked = Http1Connection.encode(uri, "GET", "/chunked", Map.of(), null);
            byte[] missing = Http1Connection.encode(uri, "GET", "/missing", Map.of(), null);
            for (int i = 0; i < 20; i++) {
                assertThat(c.exchange(healthz, false)).isEqualTo(200);
                assertThat(c.exchange(chunked, false)).isEqualTo(200);
                assertThat(c.exchange(missing, false)).isEqualTo(404);
            }
            assertThat(c.exchange(Http1Connection.encode(uri, "GET", "/close", Map.of(), null), false)).isEqualTo(503);
            // the server closed that one: the next request opens a new connection
            assertThat(c.exchange(healthz, false)).isEqualTo(200);
            assertThat(target.requests()).isEqualTo(62);
        }
    }

    @Test
    void encodesHostPrefixHeadersAndBody() {
        String req = new String(Http1Connection.encode(URI.create("http://gw.ns.svc:8080/base"), "POST", "/v1/chat",
                Map.of("Content-Type", "application/json"), "{\"a\":1}"), StandardCharsets.ISO_8859_1);
        assertThat(req).startsWith("POST /base/v1/chat HTTP/1.1\r\nHost: gw.ns.svc:8080\r\n")
                .contains("Content-Type: application/json\r\n", "Content-Length: 7\r\n")
                .endsWith("\r\n\r\n{\"a\":1}");
    }

    @Test
    void retriesOnceWhenAnIdleConnectionWasClosedByTheServer() throws Exception {
        // a server that answers one request per connection and then closes without saying so
        try (ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        InputStream in = s.getInputStream();
                        byte[] buf = new byte[4096];
                        in.read(buf);
                        OutputStream out = s.getOutputStream();
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort());
            try (Http1Connection c = new Http1Connection(uri, 2000)) {
                byte[] req = Http1Connection.encode(uri, "GET", "/", Map.of(), null);
                assertThat(c.exchange(req, false)).isEqualTo(200);
                Thread.sleep(50);
                assertThat(c.exchange(req, false)).isEqualTo(200);
            }
        }
    }

    @Test
    void refusedConnectionIsAnIoError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI uri = URI.create("http://127.0.0.1:" + port);
        try (Http1Connection c = new Http1Connection(uri, 1000)) {
            assertThatThrownBy(() -> c.exchange(Http1Connection.encode(uri, "GET", "/", Map.of(), null), false))
                    .isInstanceOf(java.net.ConnectException.class);
        }
    }
}
