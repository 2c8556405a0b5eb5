package io.asyncsidecar.controlplane.plugins.audit;

import java.nio.channels.FileChannel;

/**
 * A part of a log file to scan: the lines that start in {@code [start, end)}.
 *
 * @param file    the log file (named in answers and cursors)
 * @param channel where the bytes are read (the file, or its inflated copy), or null for a gzip stream
 * @param start   first offset
 * @param end     offset after the last line start; {@link Long#MAX_VALUE} for the whole rest
 * @param size    bytes of the content when the range was planned (read no further)
 * @param stream  whether the range is a gzip file read forward from its beginning
 */
record LogRange(LogFile file, FileChannel channel, long start, long end, long size, boolean stream) {
}
