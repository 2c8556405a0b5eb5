package io.asyncsidecar.controlplane.plugins.metrics.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The buffered input side of a scrape connection. Every read waits at most until the scrape's deadline (the
 * socket timeout is re-armed with the time left before each read), so a peer that trickles bytes cannot hold
 * a scrape past its timeout.
 */
final class HttpInput extends InputStream {

    private static final int MAX_LINE = 8 * 1024;

    private final Socket socket;
    private final InputStream raw;
    private final long deadlineNanos;
    private final byte[] buffer = new byte[8 * 1024];
    private int position;
    private int limit;

    HttpInput(Socket socket, long deadlineNanos) throws IOException {
        this.socket = socket;
        this.raw = socket.getInputStream();
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public int read() throws IOException {
        if (position == limit && fill() < 0) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position == limit) {
            if (len >= buffer.length) {
                return rawRead(b, off, len);
            }
            if (fill() < 0) {
                return -1;
            }
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    /** A line without its CR LF (a bare LF is tolerated); fails on end of stream or an overlong line. */
    String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int c = read();
            if (c < 0) {
                throw new MalformedResponseException(line.isEmpty() ? "connection closed without a response"
                        : "connection closed in the middle of a line");
            }
            if (c == '\n') {
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') {
                    line.setLength(n - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new MalformedResponseException("response line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) c);
        }
    }

    private int fill() throws IOException {
        int n = rawRead(buffer, 0, buffer.length);
        position = 0;
        limit = Math.max(n, 0);
        return n;
    }

    private int rawRead(byte[] b, int off, int len) throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("timed out reading the response");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000)));
        return raw.read(b, off, len);
    }

}
