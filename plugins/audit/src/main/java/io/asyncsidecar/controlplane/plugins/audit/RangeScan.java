package io.asyncsidecar.controlplane.plugins.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Scans one {@link LogRange} for a query, on a scanning thread: positional reads into a pooled direct buffer for
 * a plain file, a forward read of the decompressed stream for a gzip one (keeping only the newest matches
 * before the range's end). A read error ends the range with a problem; what was read counts.
 */
final class RangeScan {

    private final AuditSettings settings;
    private final BufferPool buffers;
    private final AuditQuery query;
    private final Needle primary;
    private final List<Needle> others;
    private final boolean export;
    private final BooleanSupplier stop;

    /**
     * @param settings the settings
     * @param buffers  the direct buffers
     * @param query    the query
     * @param needles  the query's needles, the one to scan for first
     * @param export   whether matches are kept as NDJSON lines, all of them
     * @param stop     true abandons the range
     */
    RangeScan(AuditSettings settings, BufferPool buffers, AuditQuery query, List<Needle> needles, boolean export,
              BooleanSupplier stop) {
        this.settings = settings;
        this.buffers = buffers;
        this.query = query;
        this.primary = needles.isEmpty() ? null : needles.getFirst();
        this.others = needles.isEmpty() ? List.of() : List.copyOf(needles.subList(1, needles.size()));
        this.export = export;
        this.stop = stop;
    }

    /**
     * @param range the range
     * @param keep  matches to keep, the newest
     * @return what the range holds
     */
    ChunkResult scan(LogRange range, int keep) {
        ChunkResult r = new ChunkResult(keep, export ? Long.MAX_VALUE : settings.maxPageBytes(), export);
        int maxLine = settings.maxLineBytes();
        LineJudge judge = new LineJudge(query, settings.fields(), others, maxLine, range.file().live());
        judge.into(r);
        if (range.stream()) {
            ByteBuffer heap = ByteBuffer.allocate(maxLine + LineScanner.BLOCK).order(ByteOrder.LITTLE_ENDIAN);
            LineScanner scanner = new LineScanner(heap, primary, maxLine, judge);
            scanner.start(0, false, range.end());
            try (InputStream in = range.file().openGzip()) {
                scanner.feed(dst -> {
                    int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                    if (n > 0) {
                        dst.position(dst.position() + n);
                    }
                    return n;
                }, stop);
                scanner.finish();
            } catch (IOException e) {
                r.problem = LogSearch.describe(e) + " (read up to there)";
            }
            return r;
        }
        ByteBuffer buf = buffers.take();
        try {
            LineScanner scanner = new LineScanner(buf, primary, maxLine, judge);
            long from = range.start() == 0 ? 0 : range.start() - 1;
            scanner.start(from, range.start() > 0, range.end());
            long[] pos = {from};
            scanner.feed(dst -> {
                long left = range.size() - pos[0];
                if (left <= 0) {
                    return -1;
                }
                if (dst.remaining() > left) {
                    dst.limit(dst.position() + (int) left);
                }
                int n = range.channel().read(dst, pos[0]);
                if (n > 0) {
                    pos[0] += n;
                }
                return n;
            }, stop);
            if (!stop.getAsBoolean()) {
                scanner.finish();
            }
        } catch (IOException e) {
            if (!stop.getAsBoolean()) {
                r.problem = LogSearch.describe(e);
            }
        } finally {
            buffers.give(buf);
        }
        return r;
    }
}
