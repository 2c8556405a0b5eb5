package io.asyncsidecar.controlplane.plugins.compliance.hif;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Large, valid HIF documents made on the fly: an input stream that writes a legacy graph or a v2 hypergraph of
 * about the asked size piece by piece, so a test can send 50 MB without holding them.
 */
public final class HifGenerator extends InputStream {

    /** Which shape to write. */
    public enum Kind {
        /** {@code LegacyGraph}: half the bytes nodes, half incidences over 2..4 of them. */
        LEGACY,
        /** {@code Hypergraph}: half the bytes nodes, half hyperedges with 1..3 sources and an OUTPUT target. */
        HYPERGRAPH
    }

    private final Kind kind;
    private final long target;
    private final SplittableRandom random = new SplittableRandom(42);
    private byte[] piece = new byte[0];
    private int offset;
    private long written;
    private int phase;
    private int nodes;
    private int edges;

    private HifGenerator(Kind kind, long target) {
        this.kind = kind;
        this.target = target;
    }

    /**
     * @param kind   the shape
     * @param target about how many bytes (the document closes after it passes this)
     * @return the stream
     */
    public static HifGenerator of(Kind kind, long target) {
        return new HifGenerator(kind, target);
    }

    /** @return bytes handed out so far */
    public long written() {
        return written;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (offset == piece.length && !next()) {
            return -1;
        }
        int n = Math.min(len, piece.length - offset);
        System.arraycopy(piece, offset, b, off, n);
        offset += n;
        written += n;
        return n;
    }

    private boolean next() {
        String s = switch (phase) {
            case 0 -> {
                phase = 1;
                yield kind == Kind.LEGACY
                        ? "{\"network-type\":\"directed\",\"meta\":{\"version\":\"hif-1\",\"model_name\":\"gpt2-small\","
                          + "\"granularity\":\"token\",\"created_at\":\"2026-11-30T12:00:00Z\"},\"nodes\":["
                        : "{\"nodes\":[";
            }
            case 1 -> {
                if (written + piece.length >= target / 2 && nodes >= 2) {
                    phase = 2;
                    yield kind == Kind.LEGACY ? "],\"incidences\":[" : "],\"hyperedges\":[";
                }
                yield (nodes == 0 ? "" : ",") + node(nodes++);
            }
            case 2 -> {
                if (written + piece.length >= target && edges >= 1) {
                    phase = 3;
                    yield "]}";
                }
                yield (edges == 0 ? "" : ",") + edge(edges++);
            }
            default -> null;
        };
        if (s == null) {
            return false;
        }
        piece = s.getBytes(StandardCharsets.UTF_8);
        offset = 0;
        return true;
    }

    private String node(int i) {
        if (kind == Kind.LEGACY) {
            String type = i % 3 == 0 ? "input_token" : "sae_feature";
            return "{\"id\":\"n" + i + "\",\"type\":\"" + type + "\",\"label\":\"feature " + i + " fires on plural nouns\","
                    + "\"layer\":" + (i % 12) + ",\"position\":" + (i % 512) + ",\"activation_strength\":"
                    + round(random.nextDouble() * 10) + ",\"attributes\":{\"sae\":\"res-jb\",\"index\":" + i + "}}";
        }
        String type = i % 2 == 0 ? "OUTPUT" : "CONCEPT";
        return "{\"id\":\"n" + i + "\",\"type\":\"" + type + "\",\"text\":\"concept " + i + " about rivers and banks\","
                + "\"span\":{\"start\":" + i + ",\"end\":" + (i + 12) + "},\"metadata\":{\"layer\":" + (i % 12) + "}}";
    }

    private String edge(int i) {
        StringBuilder sb = new StringBuilder(160);
        if (kind == Kind.LEGACY) {
            sb.append("{\"id\":\"i").append(i).append("\",\"node_ids\":[");
            int k = 2 + random.nextInt(3);
            for (int j = 0; j < k; j++) {
                sb.append(j == 0 ? "" : ",").append("\"n").append(random.nextInt(nodes)).append('"');
            }
            sb.append("],\"weight\":").append(round(random.nextDouble()))
                    .append(",\"metadata\":{\"type\":\"attribution\",\"method\":\"integrated_gradients\",\"window\":8,"
                            + "\"provenance\":{\"capture_layers\":[3,4,5],\"sae_version\":\"v5\"}}}");
            return sb.toString();
        }
        sb.append("{\"id\":\"e").append(i).append("\",\"source_nodes\":[");
        int k = 1 + random.nextInt(3);
        for (int j = 0; j < k; j++) {
            sb.append(j == 0 ? "" : ",").append("\"n").append(2 * random.nextInt(nodes / 2) + 1).append('"');
        }
        sb.append("],\"target_node\":\"n").append(2 * random.nextInt((nodes + 1) / 2)).append("\",\"weight\":")
                .append(round(random.nextDouble())).append(",\"interaction_type\":\"SYNERGY\",\"description\":\"joint effect\"}");
        return sb.toString();
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
