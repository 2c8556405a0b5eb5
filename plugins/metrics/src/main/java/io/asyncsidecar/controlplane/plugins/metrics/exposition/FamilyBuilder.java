package io.asyncsidecar.controlplane.plugins.metrics.exposition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A family while its exposition is being read: metadata seen so far and counts. */
final class FamilyBuilder {

    final String name;
    final byte[] nameBytes;
    MetricType type = MetricType.UNKNOWN;
    List<SampleSuffix> suffixes;
    boolean typeDeclared;
    boolean helpDeclared;
    boolean unitDeclared;
    String help;
    String unit = "";
    long samples;
    long series;
    /** Line of the first sample, 0 before any. */
    long firstSampleLine;
    // A family has a handful of label names: a linear scan of their hashes beats any set.
    private long[] labelNameHashes = NO_HASHES;
    private final List<String> labelNames = new ArrayList<>(4);
    private static final long[] NO_HASHES = new long[0];

    FamilyBuilder(String name, ExpositionFormat format) {
        this.name = name;
        this.nameBytes = name.getBytes(StandardCharsets.ISO_8859_1);
        this.suffixes = format.suffixes(type);
    }

    void type(MetricType type, ExpositionFormat format) {
        this.type = type;
        this.typeDeclared = true;
        this.suffixes = format.suffixes(type);
    }

    boolean hasSamples() {
        return samples > 0;
    }

    /** The suffix that makes {@code b[from, to)} a sample name of this family, or null. */
    SampleSuffix suffixOf(byte[] b, int from, int to) {
        int n = nameBytes.length;
        if (to - from < n || !java.util.Arrays.equals(b, from, from + n, nameBytes, 0, n)) {
            return null;
        }
        for (SampleSuffix s : suffixes) {
            if (java.util.Arrays.equals(b, from + n, to, s.bytes, 0, s.bytes.length)) {
                return s;
            }
        }
        return null;
    }

    /** Records the label names of a sample; a name becomes a string only the first time the family uses it. */
    void labelNames(LabelSet labels, UnaryOperator<String> interner) {
        for (int i = 0; i < labels.size(); i++) {
            long h = labels.nameHash(i);
            int known = labelNames.size();
            boolean seen = false;
            for (int k = 0; k < known && !seen; k++) {
                seen = labelNameHashes[k] == h;
            }
            if (!seen) {
                if (known == labelNameHashes.length) {
                    labelNameHashes = java.util.Arrays.copyOf(labelNameHashes, Math.max(4, known * 2));
                }
                labelNameHashes[known] = h;
                labelNames.add(interner.apply(labels.name(i)));
            }
        }
    }

    MetricFamily build() {
        return new MetricFamily(name, type, help, unit, samples, series, labelNames);
    }
}
