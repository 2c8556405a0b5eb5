import java.nio.charset.StandardCharsets;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;

/**
 * The peer of the request-path benchmark: a bare Helidon 4.2.6 SE server with one {@code GET /bare} route that
 * sends a fixed JSON body as a byte[] with a Content-Length, TCP_NODELAY on, nothing else (no auth, no access
 * log, no filters, no metrics).
 *
 * <p>Run as a single-file program with the distribution's libraries:
 * {@code java -cp '<dist>/lib/*' bench/server/BareHelidon.java [PORT=8099] [BODY_BYTES=692]}.
 * The default body size is the size of the demo's {@code GET /api/metrics/profiles} answer, so both servers
 * write the same number of bytes per response. Prints {@code bare helidon listening on <port>} once started.
 */
public final class BareHelidon {

    private BareHelidon() {
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8099;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 692;
        byte[] body = body(size);
        String length = Integer.toString(body.length);
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .connectionOptions(o -> o.tcpNoDelay(true))
                .routing(r -> r.get("/bare", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.header(HeaderNames.CONTENT_LENGTH, length);
                    res.send(body);
                }))
                .build()
                .start();
        System.out.println("bare helidon listening on " + server.port() + " (body " + body.length + " bytes)");
    }

    /** A valid JSON object of exactly {@code size} bytes (at least 13). */
    private static byte[] body(int size) {
        String head = "{\"pad\":\"";
        String tail = "\"}";
        int pad = Math.max(3, size - head.length() - tail.length());
        return (head + "x".repeat(pad) + tail).getBytes(StandardCharsets.US_ASCII);
    }
}
