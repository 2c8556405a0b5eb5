package io.asyncsidecar.controlplane.server.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Requests written by hand over a socket, for what an HTTP client will not send or cannot read: a request head
 * announcing a body the server refuses before reading it (a client still writing that body races the server's
 * close and sees a broken pipe instead of the answer).
 */
public final class RawRequests {

    private RawRequests() {
    }

    /**
     * Sends only a request's head, with {@code Connection: close}, and reads the whole answer.
     *
     * @param port          the server's port on 127.0.0.1
     * @param method        e.g. {@code POST}
     * @param path          the request target
     * @param contentType   the Content-Type to announce
     * @param contentLength the Content-Length to announce (no body follows)
     * @return the answer's status line, headers and body as text
     * @throws IOException when the connection fails
     */
    public static String head(int port, String method, String path, String contentType, long contentLength)
            throws IOException {
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + contentLength + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
