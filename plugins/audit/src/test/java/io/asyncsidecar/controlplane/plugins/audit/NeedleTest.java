package io.asyncsidecar.controlplane.plugins.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Needles: what part of a value is looked for, and the eight-bytes-at-a-time search against a plain one.
 */
class NeedleTest {

    @Test
    void onlyCharactersWritersNeverEscapeAreLookedFor() {
        assertThat(Needle.longestSafeRun("chart/hypergraph-values")).isEqualTo("hypergraph-values");
        assertThat(Needle.longestSafeRun("a<b>&c\"quoted\"")).isEqualTo("quoted");
        assertThat(Needle.longestSafeRun("café au lait")).isEqualTo(" au lait");
        assertThat(Needle.of("é", true)).isNull();
        assertThat(Needle.ofValue("tA", false).length()).isEqualTo(4);
        assertThat(Needle.ofValue("auth.", true).length()).isEqualTo(6);
        // a number may be written without quotes
        assertThat(Needle.ofValue("42", false).length()).isEqualTo(2);
    }

    @Test
    void foundInAgreesWithAPlainSearch() {
        Random r = new Random(11);
        String alphabet = "abcxyzABCXYZ019\":,. ";
        ByteBuffer b = ByteBuffer.allocateDirect(512).order(ByteOrder.LITTLE_ENDIAN);
        for (int round = 0; round < 20_000; round++) {
            int len = r.nextInt(200);
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < len; i++) {
                s.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String text = "xA" + alphabet.charAt(r.nextInt(alphabet.length())) + (r.nextBoolean() ? "z" : "9");
            boolean ignoreCase = r.nextBoolean();
            Needle n = Needle.of(text, ignoreCase);
            if (r.nextInt(3) == 0 && len > 0) {
                s.insert(r.nextInt(s.length()), r.nextBoolean() ? text : text.toLowerCase(Locale.ROOT));
            }
            byte[] bytes = s.toString().getBytes(StandardCharsets.US_ASCII);
            b.clear();
            b.put(bytes);
            int from = bytes.length == 0 ? 0 : r.nextInt(bytes.length);
            int to = from + r.nextInt(bytes.length - from + 1);
            String hay = s.substring(from, to);
            String run = Needle.longestSafeRun(text);
            boolean expected = ignoreCase ? hay.toLowerCase(Locale.ROOT).contains(run.toLowerCase(Locale.ROOT))
                    : hay.contains(run);
            assertThat(n.foundIn(b, from, to)).as("'%s' in '%s' (ignore case %s)", text, hay, ignoreCase)
                    .isEqualTo(expected);
        }
    }
}
