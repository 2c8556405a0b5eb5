package io.asyncsidecar.controlplane.plugins.compliance.hif;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import io.asyncsidecar.controlplane.spi.ProblemException;

/**
 * Counts the bytes read and refuses (413) the first byte beyond the limit, so an oversized body sent without a
 * Content-Length is cut off after {@code limit} bytes instead of being read whole.
 */
final class HifBodyLimit extends FilterInputStream {

    private final long limit;
    private long count;

    HifBodyLimit(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    /** @return the bytes read so far */
    long count() {
        return count;
    }

    static ProblemException tooLarge(long limit) {
        return ProblemException.of(413, "Content Too Large", "HIF document exceeds plugins.compliance.hif.max-bytes ("
                + limit + " bytes); the server's server.max-payload-size applies too");
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }

    private void counted(long n) {
        count += n;
        if (count > limit) {
            throw tooLarge(limit);
        }
    }
}
