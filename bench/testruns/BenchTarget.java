import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;

/**
 * The loopback target of the test-run benchmark: a bare Helidon SE route with a fixed 11-byte JSON body
 * and a Content-Length, TCP_NODELAY on (the delayed-ACK pitfall of STACK.md).
 * Run: java -cp "$CP" bench/testruns/BenchTarget.java <port>
 */
public final class BenchTarget {

    private BenchTarget() {
    }

    public static void main(String[] args) {
        byte[] body = "{\"ok\":true}".getBytes();
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(Integer.parseInt(args[0]))
                .connectionOptions(o -> o.tcpNoDelay(true))
                .routing(r -> r.get("/hello", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send(body);
                }))
                .build()
                .start();
        System.out.println("target listening on " + server.port());
    }
}
