package io.asyncsidecar.controlplane.plugins.metrics.scrape;

import java.io.IOException;
import java.io.InputStream;

/** A body of a declared Content-Length: ends there, and fails if the connection closes earlier. */
final class FixedLengthInputStream extends InputStream {

    private final InputStream in;
    private final long length;
    private long remaining;

    FixedLengthInputStream(InputStream in, long length) {
        this.in = in;
        this.length = length;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new MalformedResponseException("body ended after " + (length - remaining) + " of " + length
                    + " declared bytes");
        }
        remaining -= n;
        return n;
    }
}
