package io.asyncsidecar.controlplane.plugins.compliance.hif;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the schema cannot say about a HIF graph, reported as warnings (a valid document stays valid): edges and
 * incidences that name undeclared nodes, hyperedge targets that are not OUTPUT nodes, ids declared twice, and
 * a legacy graph exceeding its own {@code meta.limits}. The checks read whatever is there, so they also run on
 * an invalid document and skip values of the wrong type (the schema errors already name those).
 */
final class HifGraphChecks {

    private static final JsonNode EMPTY = JsonNodeFactory.instance.arrayNode();

    private final int max;
    private final List<HifIssue> warnings = new ArrayList<>();
    private long count;

    private HifGraphChecks(int max) {
        this.max = max;
    }

    /**
     * @param shape    the shape the document was validated as
     * @param document the document
     * @param max      warnings kept; all are counted
     * @return the checks' findings
     */
    static HifGraphChecks run(HifShape shape, ObjectNode document, int max) {
        HifGraphChecks checks = new HifGraphChecks(max);
        switch (shape) {
            case HYPERGRAPH -> checks.hypergraph(document, "");
            case EXPLANATION_RESPONSE -> {
                if (document.get("hypergraph") instanceof ObjectNode graph) {
                    checks.hypergraph(graph, "/hypergraph");
                }
            }
            case LEGACY_GRAPH -> checks.legacy(document);
            case EXPLANATION_PENDING -> {
            }
        }
        return checks;
    }

    List<HifIssue> warnings() {
        return warnings;
    }

    long count() {
        return count;
    }

    private void hypergraph(ObjectNode graph, String base) {
        JsonNode nodes = array(graph.path("nodes"));
        Map<String, Integer> ids = declared(nodes, base + "/nodes", "node");
        JsonNode edges = array(graph.path("hyperedges"));
        declared(edges, base + "/hyperedges", "hyperedge");
        for (int i = 0; i < edges.size(); i++) {
            JsonNode edge = edges.get(i);
            String at = base + "/hyperedges/" + i;
            JsonNode sources = array(edge.path("source_nodes"));
            for (int k = 0; k < sources.size(); k++) {
                if (sources.get(k).isTextual()) {
                    known(ids, sources.get(k).asText(), at + "/source_nodes/" + k, "source node");
                }
            }
            JsonNode target = edge.path("target_node");
            if (target.isTextual() && known(ids, target.asText(), at + "/target_node", "target node")) {
                JsonNode node = nodes.get(ids.get(target.asText()));
                JsonNode type = node.path("type");
                if (!"OUTPUT".equals(type.asText(null))) {
                    add(at + "/target_node", "target_not_output", "hyperedge " + label(edge) + " targets node '"
                            + target.asText() + "', which is a " + (type.isTextual() ? type.asText() : "node without a type")
                            + " node, not an OUTPUT node");
                }
            }
        }
    }

    private void legacy(ObjectNode graph) {
        JsonNode nodes = array(graph.path("nodes"));
        Map<String, Integer> ids = declared(nodes, "/nodes", "node");
        JsonNode incidences = array(graph.path("incidences"));
        declared(incidences, "/incidences", "incidence");
        for (int i = 0; i < incidences.size(); i++) {
            JsonNode members = array(incidences.get(i).path("node_ids"));
            for (int k = 0; k < members.size(); k++) {
                if (members.get(k).isTextual()) {
                    known(ids, members.get(k).asText(), "/incidences/" + i + "/node_ids/" + k, "node");
                }
            }
        }
        JsonNode limits = graph.path("meta").path("limits");
        JsonNode maxNodes = limits.path("max_nodes");
        if (maxNodes.isIntegralNumber() && nodes.size() > maxNodes.asLong()) {
            add("/nodes", "limit_exceeded", nodes.size() + " nodes exceed meta.limits.max_nodes (" + maxNodes.asLong() + ")");
        }
        JsonNode maxIncidences = limits.path("max_incidences");
        if (maxIncidences.isIntegralNumber() && incidences.size() > maxIncidences.asLong()) {
            add("/incidences", "limit_exceeded", incidences.size() + " incidences exceed meta.limits.max_incidences ("
                    + maxIncidences.asLong() + ")");
        }
        JsonNode minWeight = limits.path("min_edge_weight");
        if (minWeight.isNumber()) {
            double min = minWeight.asDouble();
            int lighter = 0;
            int first = -1;
            for (int i = 0; i < incidences.size(); i++) {
                JsonNode w = incidences.get(i).path("weight");
                if (w.isNumber() && w.asDouble() < min) {
                    lighter++;
                    first = first < 0 ? i : first;
                }
            }
            if (lighter > 0) {
                add("/incidences/" + first + "/weight", "limit_exceeded", lighter + (lighter == 1 ? " incidence weighs" : " incidences weigh")
                        + " less than meta.limits.min_edge_weight (" + minWeight.asText() + "); the first weighs "
                        + incidences.get(first).path("weight").asText());
            }
        }
    }

    /** Indexes the ids of an array of objects by first position, warning about each repeat. */
    private Map<String, Integer> declared(JsonNode items, String at, String what) {
        Map<String, Integer> ids = new HashMap<>(Math.max(16, items.size() * 2));
        for (int i = 0; i < items.size(); i++) {
            JsonNode id = items.get(i).path("id");
            if (!id.isTextual()) {
                continue;
            }
            Integer earlier = ids.putIfAbsent(id.asText(), i);
            if (earlier != null) {
                add(at + "/" + i + "/id", "duplicate_id", what + " id '" + id.asText() + "' is already declared at "
                        + at + "/" + earlier);
            }
        }
        return ids;
    }

    private boolean known(Map<String, Integer> ids, String id, String at, String what) {
        if (ids.containsKey(id)) {
            return true;
        }
        add(at, "unknown_node", what + " '" + id + "' is not a declared node id");
        return false;
    }

    /** The value if it is an array, else an empty one: the schema errors already name a wrong type. */
    private static JsonNode array(JsonNode value) {
        return value.isArray() ? value : EMPTY;
    }

    private static String label(JsonNode edge) {
        JsonNode id = edge.path("id");
        return id.isTextual() ? "'" + id.asText() + "'" : "(without id)";
    }

    private void add(String pointer, String code, String message) {
        count++;
        if (warnings.size() < max) {
            warnings.add(HifIssue.warning(pointer, code, message));
        }
    }
}
