package io.asyncsidecar.controlplane.plugins.metrics.scrape;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts bytes and fails with {@link BodyTooLargeException} once more than the limit has been read. */
final class ByteLimitInputStream extends FilterInputStream {

    private final long limit;
    private final String what;
    private long count;

    ByteLimitInputStream(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            add(1);
        }
        return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    private void add(int n) throws BodyTooLargeException {
        count += n;
        if (count > limit) {
            throw new BodyTooLargeException(what + " exceeds the limit of " + limit + " bytes");
        }
    }

    long count() {
        return count;
    }
}
