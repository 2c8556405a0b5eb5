package io.asyncsidecar.controlplane.plugins.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import jakarta.json.JsonObject;

/**
 * What scanning one range of a log found: counts, and the matching entries, of which a page keeps only the
 * newest {@code keep} (and at most {@code keepBytes} of raw lines): older ones cannot make it into the page.
 */
final class ChunkResult {

    /**
     * A matching entry.
     *
     * @param offset   file offset of its line
     * @param length   bytes of the raw line
     * @param entry    the scrubbed entry (pages), or null
     * @param ndjson   the scrubbed entry as an NDJSON line (exports), or null
     * @param scrubbed whether scrubbing replaced anything
     */
    record Match(long offset, int length, JsonObject entry, byte[] ndjson, boolean scrubbed) {
    }

    private final ArrayDeque<Match> kept = new ArrayDeque<>();
    private final int keep;
    private final long keepBytes;
    private final boolean render;
    private long keptBytes;
    long scanned;
    long matched;
    long malformed;
    String problem;

    /**
     * @param keep      matches to keep, the newest
     * @param keepBytes raw bytes of matches to keep
     * @param render    whether to keep matches as NDJSON lines rather than trees
     */
    ChunkResult(int keep, long keepBytes, boolean render) {
        this.keep = keep;
        this.keepBytes = keepBytes;
        this.render = render;
    }

    void add(long offset, int length, JsonObject entry, boolean scrubbed) {
        matched++;
        if (keep == 0) {
            return;
        }
        Match m = render
                ? new Match(offset, length, null, (JsonCodec.write(entry) + "\n").getBytes(StandardCharsets.UTF_8), scrubbed)
                : new Match(offset, length, entry, null, scrubbed);
        kept.addLast(m);
        keptBytes += length;
        while (kept.size() > keep || keptBytes > keepBytes && kept.size() > 1) {
            keptBytes -= kept.removeFirst().length();
        }
    }

    /** @return the kept matches, newest (last in the file) first */
    List<Match> newestFirst() {
        List<Match> out = new ArrayList<>(kept.size());
        for (Iterator<Match> it = kept.descendingIterator(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
