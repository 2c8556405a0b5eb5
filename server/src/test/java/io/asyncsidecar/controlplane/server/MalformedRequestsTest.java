package io.asyncsidecar.controlplane.server;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.asyncsidecar.controlplane.server.testing.RawRequests;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed requests sent over raw sockets, as issue 13's probe sent them: JSON nested too deep or with numbers too
 * long, broken chunked encodings, legal chunk extensions and trailers, bad Content-Length and Transfer-Encoding,
 * truncated bodies, non-ASCII methods, control characters in the query. Each is a 4xx problem document (or, when
 * legal, answered), never a 500, and the log gets no stack trace and never the body.
 */
@ServerTest
class MalformedRequestsTest {

    private static final String SECRET = "super-secret-token-xyz";

    private final int port;
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (records) {
                records.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    MalformedRequestsTest(WebServer server) {
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of("auth.mode", "none"));
    }

    @BeforeEach
    void capture() {
        Logger.getLogger("").addHandler(capture);
        capture.setLevel(Level.ALL);
    }

    @AfterEach
    void release() {
        Logger.getLogger("").removeHandler(capture);
    }

    private String post(String headers, String body) throws Exception {
        return RawRequests.raw(port, "POST /api/echo/body HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + headers + "Connection: close\r\n\r\n" + body);
    }

    private static String sized(String body) {
        return "Content-Length: " + body.length() + "\r\n";
    }

    @Test
    void jsonTooDeepOrWithHugeNumbersIsA400NamingTheLimit() throws Exception {
        for (String body : List.of("{\"a\":" + "[".repeat(1100) + "]".repeat(1100) + "}",
                "{\"a\":" + "[".repeat(300) + "]".repeat(300) + "}", "[".repeat(100_000))) {
            String answer = post(sized(body), body);
            assertProblem(answer, 400, "JSON nested deeper than " + 256);
        }
        String number = "{\"a\":" + "1".repeat(1200) + "}";
        assertProblem(post(sized(number), number), 400, "JSON number longer than 1000");
        String fine = "{\"a\":" + "[".repeat(200) + "]".repeat(200) + ",\"b\":\"[[[[\\\"[[\"}";
        assertThat(RawRequests.status(post(sized(fine), fine))).isEqualTo(200);
        assertQuietLog();
    }

    @Test
    void brokenChunkedBodiesAre400AndNeverQuoted() throws Exception {
        for (String body : List.of("zz\r\n" + SECRET + "\r\n0\r\n\r\n",
                "2\r\n{}\r\n{\"token\":\"" + SECRET + "\"}\r\n0\r\n\r\n",
                "7\n{\"a\":1}\r\n0\r\n\r\n", "\r\n" + SECRET + "\r\n", "fffffffff\r\n" + SECRET)) {
            for (String target : List.of("POST /api/echo/body", "GET /api/echo/whoami", "POST /api/echo/nothing")) {
                String answer = RawRequests.raw(port, target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type:"
                        + " application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + body);
                // a handler that reads no body may answer before Helidon reads (or, closing, skips) the broken one
                assertThat(RawRequests.status(answer)).as(target + " " + body + "\n" + answer)
                        .isBetween(target.endsWith("body") ? 400 : 200, 499);
                assertThat(answer).as(target).doesNotContain(SECRET);
                if (RawRequests.status(answer) >= 400) {
                    assertThat(answer).as(target).contains("application/problem+json");
                }
            }
        }
        assertQuietLog();
    }

    @Test
    void chunkExtensionsAndTrailersAreAccepted() throws Exception {
        String answer = post("Transfer-Encoding: chunked\r\n",
                "7;foo=bar\r\n{\"a\":1}\r\n0\r\n\r\n");
        assertThat(RawRequests.status(answer)).as(answer).isEqualTo(200);
        assertThat(answer).endsWith("{\"a\":1}");
        String split = post("Transfer-Encoding: chunked\r\n",
                "3 ; a=\"x;y\" ; b\r\n{\"a\r\n4;c=d\r\n\":2}\r\n0;last\r\nX-Checksum: abc\r\nX-More: 1\r\n\r\n");
        assertThat(RawRequests.status(split)).as(split).isEqualTo(200);
        assertThat(split).endsWith("{\"a\":2}");
        assertQuietLog();
    }

    @Test
    void badFramingIsA400AndClosesTheConnection() throws Exception {
        for (String headers : List.of("Content-Length: -1\r\n", "Content-Length: 1e3\r\n",
                "Content-Length: 2\r\nContent-Length: 2\r\n", "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n",
                "Transfer-Encoding: gzip, chunked\r\n")) {
            String answer = post(headers, "{}");
            assertThat(RawRequests.status(answer)).as(headers + "\n" + answer).isEqualTo(400);
            assertThat(answer).as(headers).contains("application/problem+json").containsIgnoringCase("connection: close");
        }
        assertProblem(post("Content-Length: 100\r\n", "{\"a\":"), 400, "ended before its Content-Length");
        assertQuietLog();
    }

    @Test
    void aMethodWithNonAsciiBytesIsA400() throws Exception {
        for (String method : List.of("G\u00c9T", "GET\u0085", "\u00ff")) {
            String answer = RawRequests.raw(port, method + " /api/plugins HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n");
            assertProblem(answer, 400, "malformed request");
        }
        assertQuietLog();
    }

    @Test
    void controlCharactersInTheQueryAreA400AndNeverForgeALogLine() throws Exception {
        for (String query : List.of("x=%00", "x=a%00b", "%01=1", "x=%1b%5b31m")) {
            String answer = RawRequests.raw(port, "GET /api/echo/whoami?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n");
            assertProblem(answer, 400, "control character");
        }
        String lf = RawRequests.raw(port, "GET /api/echo/whoami?x=a%0a2026-01-01T00:00:00.000%20SEVERE%20forged HTTP/1.1"
                + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(RawRequests.status(lf)).isEqualTo(200);
        assertQuietLog();
    }

    private static void assertProblem(String answer, int status, String detail) {
        assertThat(RawRequests.status(answer)).as(answer).isEqualTo(status);
        assertThat(answer).contains("application/problem+json").contains(detail).doesNotContain("Exception")
                .doesNotContain("java.");
    }

    /** Nothing logged at WARNING or above, no stack trace, no request body: these are the client's faults. */
    private void assertQuietLog() {
        synchronized (records) {
            for (LogRecord r : records) {
                String text = r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown());
                assertThat(r.getThrown()).as(r.getLoggerName() + ": " + text).isNull();
                assertThat(r.getLevel().intValue()).as(r.getLoggerName() + ": " + text).isLessThan(Level.WARNING.intValue());
                assertThat(text).doesNotContain(SECRET);
            }
        }
    }
}
