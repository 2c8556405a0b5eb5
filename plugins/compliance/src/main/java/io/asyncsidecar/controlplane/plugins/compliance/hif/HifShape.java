package io.asyncsidecar.controlplane.plugins.compliance.hif;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The four shapes a HIF document may take, each a {@code $defs} entry of the shipped schema.
 *
 * <p>The shapes exclude each other (no extra members anywhere, and each has a member or value the others
 * forbid), so the schema's {@code oneOf} holds exactly when the document is valid against the one shape its
 * top-level members point to. {@link #closest} picks that shape; validating against it alone gives the same
 * verdict as the whole {@code oneOf} (a test checks it on every document of the suite) without evaluating a
 * large document against three shapes it plainly is not, and its errors are the ones that help.
 */
public enum HifShape {
    /** The v2 explanation graph. */
    HYPERGRAPH("Hypergraph", Set.of("nodes", "hyperedges")),
    /** A finished explanation. */
    EXPLANATION_RESPONSE("ExplanationResponse", Set.of("id", "status", "hypergraph", "provider", "model", "created_at")),
    /** An explanation still being computed. */
    EXPLANATION_PENDING("ExplanationPending", Set.of("id", "status", "eta_seconds")),
    /** The v1 graph. */
    LEGACY_GRAPH("LegacyGraph", Set.of("network-type", "nodes", "incidences", "meta"));

    private static final Set<String> LEGACY_NODE_TYPES = Set.of("sae_feature", "input_token", "output_token",
            "circuit_supernode");

    private final String schemaName;
    private final Set<String> members;

    HifShape(String schemaName, Set<String> members) {
        this.schemaName = schemaName;
        this.members = members;
    }

    /** @return the shape's name in the schema's {@code $defs}, as answers report it */
    public String schemaName() {
        return schemaName;
    }

    /**
     * The shape a document is, or comes closest to: {@code status} decides between the two explanation
     * shapes, {@code network-type}, {@code incidences} or {@code meta} mean the legacy graph, {@code hyperedges}
     * the v2 graph; otherwise the shape sharing most top-level members (node types break a tie between the two
     * graphs).
     *
     * @param document the document
     * @return the shape
     */
    public static HifShape closest(ObjectNode document) {
        JsonNode status = document.get("status");
        if (status != null) {
            if ("completed".equals(status.asText(null)) || document.has("hypergraph")) {
                return EXPLANATION_RESPONSE;
            }
            return EXPLANATION_PENDING;
        }
        if (document.has("network-type") || document.has("incidences") || document.has("meta")) {
            return LEGACY_GRAPH;
        }
        if (document.has("hyperedges")) {
            return HYPERGRAPH;
        }
        HifShape best = HYPERGRAPH;
        int bestScore = -1;
        for (HifShape shape : values()) {
            int score = 0;
            for (var it = document.fieldNames(); it.hasNext(); ) {
                if (shape.members.contains(it.next())) {
                    score++;
                }
            }
            if (score > bestScore) {
                best = shape;
                bestScore = score;
            }
        }
        if (best == HYPERGRAPH && looksLegacy(document.get("nodes"))) {
            return LEGACY_GRAPH;
        }
        return best;
    }

    private static boolean looksLegacy(JsonNode nodes) {
        if (nodes == null || !nodes.isArray() || nodes.isEmpty()) {
            return false;
        }
        JsonNode type = nodes.get(0).get("type");
        return type != null && LEGACY_NODE_TYPES.contains(type.asText());
    }
}
