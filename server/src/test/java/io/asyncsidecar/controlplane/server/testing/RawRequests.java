package io.asyncsidecar.controlplane.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests written by hand over a socket, for what an HTTP client will not send or cannot read: a request head
 * announcing a body the server refuses before reading it (a client still writing that body races the server's
 * close and sees a broken pipe instead of the answer), and request targets an HTTP client would normalise
 * ({@code //api}, {@code /./api}, {@code %2F}, absolute form).
 */
public final class RawRequests {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("\r\ncontent-length:\\s*(\\d+)");

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
        return send(port, head);
    }

    /**
     * Sends a request line and headers exactly as given (no Host, no Connection header added), then
     * {@code Connection: close} and the blank line, and reads the whole answer.
     *
     * @param port        the server's port on 127.0.0.1
     * @param requestLine e.g. {@code GET //api/plugins HTTP/1.1}, sent byte for byte (ISO-8859-1)
     * @param headers     header lines such as {@code Authorization: Bearer x}; {@code Host: 127.0.0.1} is
     *                    added unless one is given
     * @return the answer's status line, headers and body as text
     * @throws IOException when the connection fails
     */
    public static String request(int port, String requestLine, String... headers) throws IOException {
        StringBuilder sb = new StringBuilder(requestLine).append("\r\n");
        boolean host = false;
        for (String h : headers) {
            host |= h.regionMatches(true, 0, "Host:", 0, 5);
            sb.append(h).append("\r\n");
        }
        if (!host) {
            sb.append("Host: 127.0.0.1\r\n");
        }
        sb.append("Connection: close\r\n\r\n");
        return send(port, sb.toString());
    }

    /**
     * Sends bytes exactly as given (a whole request, head and body, or a deliberately broken one) and reads the
     * answer; nothing is added. The client's side of the connection is shut after the bytes, so a body
     * shorter than its Content-Length ends there. When the server answers before the whole body is written and
     * closes, that answer is returned.
     *
     * @param port    the server's port on 127.0.0.1
     * @param request the bytes to send, as ISO-8859-1 text (one char, one byte)
     * @return the answer's status line, headers and body as text, or what arrived before the server closed
     * @throws IOException when the connection fails
     */
    public static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                // end of what the client sends: a truncated body is then truncated for the server too
                socket.shutdownOutput();
            } catch (IOException writeFailed) {
                // the server answered before reading the whole body (a 405, a 413) and closed: read its answer
                String answer;
                try {
                    answer = readAnswer(socket.getInputStream());
                } catch (IOException readFailed) {
                    throw writeFailed;
                }
                if (answer.isEmpty()) {
                    throw writeFailed;
                }
                return answer;
            }
            return readAnswer(socket.getInputStream());
        }
    }

    /**
     * The status code of a raw answer.
     *
     * @param answer what {@link #request} returned
     * @return the code from its status line, or -1 when there is none (the server closed without answering)
     */
    public static int status(String answer) {
        if (!answer.startsWith("HTTP/")) {
            return -1;
        }
        int sp = answer.indexOf(' ');
        return Integer.parseInt(answer.substring(sp + 1, sp + 4));
    }

    private static String send(int port, String head) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readAnswer(socket.getInputStream());
        }
    }

    /**
     * Reads one answer: to the end of its Content-Length or its last chunk, else to the end of the stream; the
     * server may keep the connection open after an answer even when asked to close it.
     */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            int headEnd = -1;
            while (headEnd < 0) {
                int b = in.read();
                if (b < 0) {
                    return out.toString(StandardCharsets.UTF_8);
                }
                out.write(b);
                headEnd = out.size() >= 4 && out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")
                        ? out.size() : -1;
            }
            String headText = out.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            Matcher length = CONTENT_LENGTH.matcher(headText);
            if (length.find()) {
                out.write(in.readNBytes(Integer.parseInt(length.group(1))));
            } else if (headText.contains("\r\ntransfer-encoding: chunked")) {
                while (!out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    out.write(b);
                }
            } else {
                out.write(in.readAllBytes());
            }
        } catch (SocketTimeoutException e) {
            // what arrived before the server went quiet is the answer
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
