package io.asyncsidecar.controlplane.plugins.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The line scanner on its own: ranges cut anywhere split a file's lines exactly once, candidates are exactly the
 * lines holding the needle (either case), and a huge line or garbage costs no memory.
 */
class LineScannerTest {

    private static final int MAX_LINE = 4096;

    /** Lines seen by a scanner: offset, text, candidate. */
    private static final class Collect implements LineScanner.Sink {
        final List<String> lines = new ArrayList<>();
        final List<Long> offsets = new ArrayList<>();
        final List<Boolean> candidates = new ArrayList<>();
        final List<Long> oversized = new ArrayList<>();
        String unterminated;
        int plain;

        @Override
        public void line(ByteBuffer b, int from, int to, long offset, boolean candidate) {
            byte[] copy = new byte[to - from];
            b.get(from, copy);
            lines.add(new String(copy, StandardCharsets.ISO_8859_1));
            offsets.add(offset);
            candidates.add(candidate);
        }

        @Override
        public void unterminated(ByteBuffer b, int from, int to, long offset, boolean candidate) {
            byte[] copy = new byte[to - from];
            b.get(from, copy);
            unterminated = new String(copy, StandardCharsets.ISO_8859_1);
            offsets.add(offset);
        }

        @Override
        public void plain(int count) {
            plain += count;
        }

        @Override
        public void oversized(long offset) {
            oversized.add(offset);
        }
    }

    private static Collect scan(byte[] data, long start, long end, Needle needle) throws IOException {
        Collect c = new Collect();
        ByteBuffer buf = ByteBuffer.allocateDirect(MAX_LINE + LineScanner.BLOCK).order(ByteOrder.LITTLE_ENDIAN);
        LineScanner s = new LineScanner(buf, needle, MAX_LINE, c);
        long from = start == 0 ? 0 : start - 1;
        s.start(from, start > 0, end);
        long[] pos = {from};
        Random chunks = new Random(start);
        s.feed(dst -> {
            if (pos[0] >= data.length) {
                return -1;
            }
            // odd read sizes, to cut lines and needles at every place
            int n = (int) Math.min(Math.min(dst.remaining(), 1 + chunks.nextInt(700)), data.length - pos[0]);
            dst.put(data, (int) pos[0], n);
            pos[0] += n;
            return n;
        }, () -> false);
        s.finish();
        return c;
    }

    private static byte[] randomLines(Random r, int count, String needle) {
        StringBuilder b = new StringBuilder();
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \":,{}";
        for (int i = 0; i < count; i++) {
            int len = r.nextInt(300);
            StringBuilder line = new StringBuilder();
            for (int k = 0; k < len; k++) {
                line.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            if (r.nextInt(5) == 0) {
                String n = r.nextBoolean() ? needle : needle.toUpperCase(Locale.ROOT);
                line.insert(r.nextInt(line.length() + 1), n);
            }
            b.append(line).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void rangesCutAnywhereSplitTheLinesExactlyOnce() throws IOException {
        Random r = new Random(1);
        byte[] data = randomLines(r, 3000, "zq9");
        Collect whole = scan(data, 0, Long.MAX_VALUE, null);
        for (int round = 0; round < 20; round++) {
            TreeSet<Long> cuts = new TreeSet<>();
            cuts.add(0L);
            cuts.add((long) data.length);
            for (int i = 0; i < 1 + r.nextInt(12); i++) {
                cuts.add((long) r.nextInt(data.length));
            }
            List<String> lines = new ArrayList<>();
            List<Long> offsets = new ArrayList<>();
            Long prev = null;
            for (long cut : cuts) {
                if (prev != null) {
                    Collect part = scan(data, prev, cut, null);
                    lines.addAll(part.lines);
                    offsets.addAll(part.offsets);
                }
                prev = cut;
            }
            assertThat(lines).as("cuts " + cuts).isEqualTo(whole.lines);
            assertThat(offsets).isEqualTo(whole.offsets);
        }
    }

    @Test
    void candidatesAreTheLinesWithTheNeedleInEitherCase() throws IOException {
        Random r = new Random(2);
        for (String text : List.of("zq9", "Tenant-X", "ab", "request_id\":\"r")) {
            byte[] data = randomLines(r, 4000, text.toLowerCase(Locale.ROOT));
            Needle needle = Needle.of(text, true);
            Collect c = scan(data, 0, Long.MAX_VALUE, needle);
            String lowerRun = Needle.longestSafeRun(text).toLowerCase(Locale.ROOT);
            for (int i = 0; i < c.lines.size(); i++) {
                boolean expected = c.lines.get(i).toLowerCase(Locale.ROOT).contains(lowerRun);
                assertThat(c.candidates.get(i)).as(text + " in " + c.lines.get(i)).isEqualTo(expected);
            }
        }
    }

    @Test
    void aCaseSensitiveNeedleMatchesOnlyItsCase() throws IOException {
        byte[] data = "{\"tenant_id\":\"tA\"}\n{\"tenant_id\":\"TA\"}\n{\"tenant_id\":\"ta\"}\n"
                .getBytes(StandardCharsets.US_ASCII);
        Collect c = scan(data, 0, Long.MAX_VALUE, Needle.ofValue("tA", false));
        // lines without the needle that look like objects may be only counted
        assertThat(c.lines.size() + c.plain).isEqualTo(3);
        assertThat(c.lines.getFirst()).isEqualTo("{\"tenant_id\":\"tA\"}");
        assertThat(c.candidates.getFirst()).isTrue();
        assertThat(c.candidates.subList(1, c.candidates.size())).containsOnly(false);
    }

    @Test
    void theLastLineWithoutNewlineIsHandedOverAsUnterminated() throws IOException {
        Collect c = scan("one\ntwo\nthr".getBytes(StandardCharsets.US_ASCII), 0, Long.MAX_VALUE, null);
        assertThat(c.lines).containsExactly("one", "two");
        assertThat(c.unterminated).isEqualTo("thr");
    }

    @Test
    void aHugeLineIsSkippedWithoutBeingKept() throws IOException {
        // 100 MB without a newline between two entries, then binary garbage
        int huge = 100 * 1024 * 1024;
        long[] pos = {0};
        byte[] head = "{\"a\":1}\n".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\n{\"b\":2}\n".getBytes(StandardCharsets.US_ASCII);
        long total = head.length + (long) huge + tail.length;
        Collect c = new Collect();
        ByteBuffer buf = ByteBuffer.allocateDirect(MAX_LINE + LineScanner.BLOCK).order(ByteOrder.LITTLE_ENDIAN);
        LineScanner s = new LineScanner(buf, Needle.of("zz", true), MAX_LINE, c);
        s.start(0, false, Long.MAX_VALUE);
        Random garbage = new Random(3);
        byte[] block = new byte[64 * 1024];
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        s.feed(dst -> {
            if (pos[0] >= total) {
                return -1;
            }
            int n = (int) Math.min(Math.min(dst.remaining(), block.length), total - pos[0]);
            for (int i = 0; i < n; i++) {
                long p = pos[0] + i;
                if (p < head.length) {
                    block[i] = head[(int) p];
                } else if (p < head.length + (long) huge) {
                    byte v = (byte) garbage.nextInt(256);
                    block[i] = v == '\n' ? 0 : v;
                } else {
                    block[i] = tail[(int) (p - head.length - huge)];
                }
            }
            dst.put(block, 0, n);
            pos[0] += n;
            return n;
        }, () -> false);
        s.finish();
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(c.lines.size() + c.plain).isEqualTo(2);
        assertThat(c.candidates).containsOnly(false);
        assertThat(c.oversized).containsExactly((long) head.length);
        // the scanner's own buffer was allocated before; reading 100 MB allocated next to nothing
        assertThat(allocated).isLessThan(1024 * 1024);
    }
}
