import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scrape targets for the fan-out benchmark: one loopback port where every path {@code /m/<n>} is a distinct
 * endpoint that answers after a delay with the same node-exporter payload. One virtual thread per connection.
 *
 * <p>Usage: {@code java bench/metrics/FanoutTargets.java PORT PAYLOAD DELAY_MS}
 */
public class FanoutTargets {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        byte[] body = Files.readAllBytes(Path.of(args[1]));
        long delay = Long.parseLong(args[2]);
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] notFound = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        AtomicLong served = new AtomicLong();
        try (ServerSocket server = new ServerSocket(port, 4096, InetAddress.getLoopbackAddress())) {
            System.out.println("fan-out targets on http://127.0.0.1:" + port + "/m/<n>, " + body.length + " bytes after "
                    + delay + " ms");
            while (true) {
                Socket s = server.accept();
                Thread.startVirtualThread(() -> {
                    try (s) {
                        String path = requestPath(new BufferedInputStream(s.getInputStream()));
                        OutputStream out = s.getOutputStream();
                        if (path != null && path.startsWith("/m/")) {
                            Thread.sleep(delay);
                            out.write(head);
                            out.write(body);
                            served.incrementAndGet();
                        } else {
                            out.write(notFound);
                        }
                        out.flush();
                    } catch (IOException | InterruptedException e) {
                        // the scraper went away
                    }
                });
            }
        }
    }

    /** Reads the request head; returns the path of the request line. */
    private static String requestPath(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
            if (head.length() > 16 * 1024) {
                return null;
            }
        }
        String[] parts = head.toString().split(" ", 3);
        return parts.length >= 2 ? parts[1] : null;
    }
}
