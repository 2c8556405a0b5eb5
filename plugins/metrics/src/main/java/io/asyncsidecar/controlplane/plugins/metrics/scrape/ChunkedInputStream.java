package io.asyncsidecar.controlplane.plugins.metrics.scrape;

import java.io.IOException;
import java.io.InputStream;

/** Decodes an HTTP/1.1 chunked body; ends after the last chunk and its trailers. */
final class ChunkedInputStream extends InputStream {

    private final HttpInput in;
    private long remaining;
    private boolean done;

    ChunkedInputStream(HttpInput in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (remaining == 0) {
            nextChunk();
            if (done) {
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new MalformedResponseException("connection closed inside a chunk");
        }
        remaining -= n;
        if (remaining == 0) {
            String crlf = in.readLine();
            if (!crlf.isEmpty()) {
                throw new MalformedResponseException("chunk not followed by CRLF");
            }
        }
        return n;
    }

    private void nextChunk() throws IOException {
        String line = in.readLine();
        int semi = line.indexOf(';');
        String size = (semi >= 0 ? line.substring(0, semi) : line).trim();
        try {
            remaining = Long.parseLong(size, 16);
        } catch (NumberFormatException e) {
            throw new MalformedResponseException("bad chunk size '" + size + "'");
        }
        if (remaining < 0) {
            throw new MalformedResponseException("bad chunk size '" + size + "'");
        }
        if (remaining == 0) {
            // trailers, up to the empty line
            while (!in.readLine().isEmpty()) {
                // ignored
            }
            done = true;
        }
    }
}
