package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One kept-alive HTTP/1.1 connection of a load-phase virtual user: writes a prepared request, reads the
 * status and discards the body.
 *
 * <p>Why not {@code java.net.http.HttpClient}: its asynchronous pipeline (selector thread, futures, body
 * subscribers) costs several times the CPU per request of a blocking exchange, and a load generator that
 * shares two cores with its target must be lean to measure the target rather than itself (see
 * bench/testruns). The E2E phase, which needs bodies and headers, uses the JDK client.
 */
final class Http1Connection implements AutoCloseable {

    private static final long CHUNKED = -2;

    private final String host;
    private final int port;
    private final boolean tls;
    private final int timeoutMillis;
    private final byte[] buf = new byte[16 * 1024];
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int pos;
    private int lim;
    private int lineStart;
    private boolean closeConnectionAfterResponse;
    private volatile boolean closed;

    /**
     * A connection to the target of a base URL; it connects lazily.
     *
     * @param target        the base URL
     * @param timeoutMillis connect and read timeout
     */
    Http1Connection(URI target, int timeoutMillis) {
        this.host = target.getHost();
        this.tls = "https".equalsIgnoreCase(target.getScheme());
        this.port = target.getPort() > 0 ? target.getPort() : (tls ? 443 : 80);
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Encodes a request once, to be sent many times.
     *
     * @param target  the base URL (its path is the prefix of {@code path})
     * @param method  the method
     * @param path    path and query relative to the base URL
     * @param headers extra headers
     * @param body    the body or null
     * @return the request bytes
     */
    static byte[] encode(URI target, String method, String path, Map<String, String> headers, String body) {
        String prefix = target.getRawPath() == null ? "" : target.getRawPath();
        boolean defaultPort = target.getPort() < 0;
        StringBuilder sb = new StringBuilder(256)
                .append(method).append(' ').append(prefix).append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target.getHost()).append(defaultPort ? "" : ":" + target.getPort())
                .append("\r\n");
        boolean userAgent = false;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            userAgent |= h.getKey().equalsIgnoreCase("User-Agent");
        }
        if (!userAgent) {
            sb.append("User-Agent: control-plane-testruns\r\n");
        }
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            sb.append("Content-Length: ").append(content.length).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + content.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(content, 0, all, head.length, content.length);
        return all;
    }

    /**
     * Sends a request and reads its response.
     *
     * @param request bytes from {@link #encode}
     * @param head    whether the request is a HEAD (no body follows)
     * @return the response status
     * @throws IOException on connection problems, timeouts or malformed responses
     */
    int exchange(byte[] request, boolean head) throws IOException {
        boolean reused = socket != null;
        if (!reused) {
            connect();
        }
        try {
            return send(request, head);
        } catch (StaleConnectionException e) {
            // The server closed an idle kept-alive connection before our request arrived: retry once, fresh.
            closeSocket();
            if (!reused) {
                throw new EOFException("connection closed before a response");
            }
        } catch (IOException | RuntimeException e) {
            closeSocket();
            throw e;
        }
        connect();
        try {
            return send(request, head);
        } catch (StaleConnectionException e) {
            closeSocket();
            throw new EOFException("connection closed before a response");
        } catch (IOException | RuntimeException e) {
            closeSocket();
            throw e;
        }
    }

    private int send(byte[] request, boolean head) throws IOException {
        out.write(request);
        out.flush();
        int status;
        boolean first = true;
        while (true) {
            status = readStatusLine(first);
            first = false;
            if (status >= 200 || status == 101) {
                break;
            }
            readHeaders(); // 1xx interim response: skip it
        }
        long length = readHeaders();
        boolean noBody = head || status == 204 || status == 304;
        if (!noBody) {
            if (length == CHUNKED) {
                skipChunked();
            } else if (length >= 0) {
                skip(length);
            } else {
                // neither length nor chunked: the body runs to the end of the connection
                pos = 0;
                lim = 0;
                while (in.read(buf, 0, buf.length) > 0) {
                    // discard
                }
                closeConnectionAfterResponse = true;
            }
        }
        if (closeConnectionAfterResponse) {
            closeConnectionAfterResponse = false;
            closeSocket();
        }
        return status;
    }


    private int readStatusLine(boolean first) throws IOException {
        int end = readLine(first);
        int start = lineStart;
        // "HTTP/1.1 200 OK"
        if (end - start < 12 || buf[start] != 'H' || buf[start + 8] != ' ') {
            throw new ProtocolException("malformed status line: "
                    + new String(buf, start, Math.min(end - start, 60), StandardCharsets.ISO_8859_1));
        }
        int s = (buf[start + 9] - '0') * 100 + (buf[start + 10] - '0') * 10 + (buf[start + 11] - '0');
        if (s < 100 || s > 599) {
            throw new ProtocolException("malformed status code");
        }
        if (buf[start + 7] == '0') {
            // HTTP/1.0 closes unless it says keep-alive; keep it simple and reconnect
            closeConnectionAfterResponse = true;
        }
        return s;
    }

    /** Reads header lines up to the empty line; returns the content length, {@link #CHUNKED} or -1. */
    private long readHeaders() throws IOException {
        long length = -1;
        while (true) {
            int end = readLine(false);
            int start = lineStart;
            if (end == start) {
                return length;
            }
            if (matches(start, end, "content-length:")) {
                if (length != CHUNKED) {
                    length = parseLong(start + 15, end);
                }
            } else if (matches(start, end, "transfer-encoding:")) {
                if (contains(start + 18, end, "chunked")) {
                    length = CHUNKED;
                }
            } else if (matches(start, end, "connection:")) {
                if (contains(start + 11, end, "close")) {
                    closeConnectionAfterResponse = true;
                }
            }
        }
    }

    private void skipChunked() throws IOException {
        while (true) {
            int end = readLine(false);
            int start = lineStart;
            long size = 0;
            int i = start;
            for (; i < end; i++) {
                int d = Character.digit(buf[i], 16);
                if (d < 0) {
                    break;
                }
                size = size * 16 + d;
            }
            if (i == start) {
                throw new ProtocolException("malformed chunk size");
            }
            if (size == 0) {
                // trailers, then the empty line
                while (readLine(false) != lineStart) {
                    // skip a trailer field
                }
                return;
            }
            skip(size);
            if (readLine(false) != lineStart) {
                throw new ProtocolException("chunk not followed by CRLF");
            }
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == lim) {
                pos = 0;
                lim = in.read(buf, 0, buf.length);
                if (lim <= 0) {
                    lim = 0;
                    throw new EOFException("connection closed inside a response body");
                }
            }
            int step = (int) Math.min(n, lim - pos);
            pos += step;
            n -= step;
        }
    }

    /**
     * Reads the next line from the buffer, filling it as needed.
     *
     * @param responseStart whether this is the first line of a response: a connection closed before any
     *                      byte of it is a stale kept-alive connection
     * @return the end of the line (before CRLF); its start is in {@link #lineStart}
     */
    private int readLine(boolean responseStart) throws IOException {
        int scan = pos;
        while (true) {
            for (; scan < lim; scan++) {
                if (buf[scan] == '\n') {
                    lineStart = pos;
                    int end = scan > pos && buf[scan - 1] == '\r' ? scan - 1 : scan;
                    pos = scan + 1;
                    return end;
                }
            }
            if (pos > 0) {
                // move the unread part to the front so the line can grow
                int len = lim - pos;
                System.arraycopy(buf, pos, buf, 0, len);
                scan -= pos;
                lim = len;
                pos = 0;
            }
            if (lim == buf.length) {
                throw new ProtocolException("response line longer than " + buf.length + " bytes");
            }
            int n = in.read(buf, lim, buf.length - lim);
            if (n <= 0) {
                if (responseStart && lim == 0) {
                    throw new StaleConnectionException();
                }
                throw new EOFException("connection closed inside a response head");
            }
            lim += n;
        }
    }

    private boolean matches(int start, int end, String lowerPrefix) {
        int n = lowerPrefix.length();
        if (end - start < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = buf[start + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lowerPrefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean contains(int start, int end, String lower) {
        int n = lower.length();
        outer:
        for (int i = start; i + n <= end; i++) {
            for (int j = 0; j < n; j++) {
                int c = buf[i + j];
                if (c >= 'A' && c <= 'Z') {
                    c += 32;
                }
                if (c != lower.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private long parseLong(int start, int end) throws ProtocolException {
        long v = 0;
        boolean digits = false;
        for (int i = start; i < end; i++) {
            byte b = buf[i];
            if (b >= '0' && b <= '9') {
                v = v * 10 + (b - '0');
                digits = true;
            } else if (b != ' ' && b != '\t') {
                throw new ProtocolException("malformed Content-Length");
            }
        }
        if (!digits) {
            throw new ProtocolException("empty Content-Length");
        }
        return v;
    }

    private void connect() throws IOException {
        if (closed) {
            throw new IOException("connection closed by cancellation");
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            if (tls) {
                SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(s, host, port, true);
                ssl.startHandshake();
                s = ssl;
            }
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
        pos = 0;
        lim = 0;
        if (closed) {
            closeSocket();
            throw new IOException("connection closed by cancellation");
        }
    }

    private void closeSocket() {
        Socket s = socket;
        socket = null;
        pos = 0;
        lim = 0;
        closeConnectionAfterResponse = false;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing left to do with a broken socket
            }
        }
    }

    /** Closes the connection; safe from another thread, where it unblocks a pending read. */
    @Override
    public void close() {
        closed = true;
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** The kept-alive connection was closed by the server before the response began. */
    private static final class StaleConnectionException extends IOException {
        StaleConnectionException() {
            super("stale kept-alive connection", null);
        }
    }
}
