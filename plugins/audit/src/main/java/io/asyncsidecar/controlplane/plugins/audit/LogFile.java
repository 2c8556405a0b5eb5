package io.asyncsidecar.controlplane.plugins.audit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * One file of a log: the live file or a rotated sibling, plain or gzip-compressed.
 *
 * @param path the file
 * @param live whether it is the file producers append to (its last line may still be being written)
 * @param gzip whether it is gzip-compressed (read forward only)
 */
record LogFile(Path path, boolean live, boolean gzip) {

    /** Bytes of a file's beginning that identify it across renames, copies and compression. */
    static final int HEAD_BYTES = 4096;

    /**
     * The beginning of a file, as a cursor records it.
     *
     * @param hash   fingerprint of the first {@code length} bytes
     * @param length how many bytes, at most {@link #HEAD_BYTES}
     */
    record Head(String hash, int length) {
    }

    /**
     * Fingerprints as much of the beginning as there is, up to {@link #HEAD_BYTES}.
     *
     * @return the head, or null for an empty file
     * @throws IOException when the file cannot be read
     */
    Head head() throws IOException {
        byte[] head = new byte[HEAD_BYTES];
        int n;
        if (gzip) {
            try (InputStream in = openGzip()) {
                n = in.readNBytes(head, 0, HEAD_BYTES);
            }
        } else {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                n = readFully(ch, ByteBuffer.wrap(head), 0);
            }
        }
        return n == 0 ? null : new Head(digest(head, n), n);
    }

    /** @return the file name, as answers show it */
    String name() {
        return path.getFileName().toString();
    }

    /**
     * Opens the decompressed content of a gzip file.
     *
     * @return the stream; close it
     * @throws IOException when it cannot be opened or is not gzip
     */
    InputStream openGzip() throws IOException {
        return new GZIPInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16), 1 << 16);
    }

    /**
     * A fingerprint of the first bytes of the (decompressed) content. Renaming, copying (copytruncate) and
     * compressing keep it; a new file started after a rotation has another, so a cursor finds its file again.
     *
     * @param length how many bytes, at most {@link #HEAD_BYTES}
     * @return the fingerprint, or null when the content is shorter than that
     * @throws IOException when the file cannot be read
     */
    String fingerprint(int length) throws IOException {
        byte[] head = new byte[length];
        int n;
        if (gzip) {
            try (InputStream in = openGzip()) {
                n = in.readNBytes(head, 0, length);
            }
        } else {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                n = readFully(ch, ByteBuffer.wrap(head), 0);
            }
        }
        return n < length ? null : digest(head, length);
    }

    static int readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    static String digest(byte[] bytes, int length) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes, 0, length);
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
