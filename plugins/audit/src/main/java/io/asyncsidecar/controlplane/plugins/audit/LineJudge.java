package io.asyncsidecar.controlplane.plugins.audit;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * Decides on each line a {@link LineScanner} finds: counts it, parses the candidates that also hold every other
 * needle, applies the query, and hands matches to a {@link ChunkResult}. A line is malformed when it is not a JSON
 * object: every line is checked for the shape ({@code {...}}), candidates are parsed in full; a line longer than
 * the maximum is malformed without being read. Blank lines are not counted.
 *
 * <p>The live file's last line may still be being written: without its newline and not readable yet, it is left
 * for a later search instead of being counted as malformed.
 */
final class LineJudge implements LineScanner.Sink {

    private final AuditQuery query;
    private final EntryFields fields;
    private final List<Needle> others;
    private final int maxLine;
    private final boolean liveTail;
    private ChunkResult out;
    private byte[] copy = new byte[4096];

    /**
     * @param query    the query
     * @param fields   the entry fields
     * @param others   needles besides the scanner's that a line must contain
     * @param maxLine  longest line read
     * @param liveTail whether an unterminated last line may be one being written
     */
    LineJudge(AuditQuery query, EntryFields fields, List<Needle> others, int maxLine, boolean liveTail) {
        this.query = query;
        this.fields = fields;
        this.others = List.copyOf(others);
        this.maxLine = maxLine;
        this.liveTail = liveTail;
    }

    /**
     * Sets where results go.
     *
     * @param out the result of the range being read
     */
    void into(ChunkResult out) {
        this.out = out;
    }

    @Override
    public void line(ByteBuffer b, int from, int to, long offset, boolean candidate) {
        judge(b, from, to, offset, candidate, false);
    }

    @Override
    public void unterminated(ByteBuffer b, int from, int to, long offset, boolean candidate) {
        judge(b, from, to, offset, candidate, liveTail);
    }

    @Override
    public void plain(int count) {
        out.scanned += count;
    }

    @Override
    public void oversized(long offset) {
        out.scanned++;
        out.malformed++;
    }

    private void judge(ByteBuffer b, int from, int to, long offset, boolean candidate, boolean maybeIncomplete) {
        int s = from;
        int e = to;
        while (s < e && blank(b.get(s))) {
            s++;
        }
        while (e > s && blank(b.get(e - 1))) {
            e--;
        }
        if (s == e) {
            return;
        }
        if (e - s > maxLine) {
            oversized(offset);
            return;
        }
        boolean shaped = b.get(s) == '{' && b.get(e - 1) == '}';
        if (!candidate || !othersFound(b, s, e)) {
            if (!maybeIncomplete) {
                out.scanned++;
                if (!shaped) {
                    out.malformed++;
                }
            }
            return;
        }
        JsonObject raw = shaped ? parse(b, s, e) : null;
        if (raw == null) {
            if (!maybeIncomplete) {
                out.scanned++;
                out.malformed++;
            }
            return;
        }
        out.scanned++;
        JsonObject shown = query.apply(fields, raw);
        if (shown != null) {
            out.add(offset, e - s, shown, shown != raw);
        }
    }

    private boolean othersFound(ByteBuffer b, int s, int e) {
        for (Needle n : others) {
            if (!n.foundIn(b, s, e)) {
                return false;
            }
        }
        return true;
    }

    private JsonObject parse(ByteBuffer b, int s, int e) {
        int len = e - s;
        if (copy.length < len) {
            copy = new byte[Math.max(len, copy.length * 2)];
        }
        b.get(s, copy, 0, len);
        // A Reader over the decoded text: an InputStream would cost an 8 KB decoder buffer per line.
        try (JsonReader r = JsonCodec.provider().createReader(
                new StringReader(new String(copy, 0, len, StandardCharsets.UTF_8)))) {
            return r.readObject();
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    private static boolean blank(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == 0x0B;
    }
}
