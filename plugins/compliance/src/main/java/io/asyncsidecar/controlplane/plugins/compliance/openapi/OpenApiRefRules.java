package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code openapi.ref} and {@code openapi.ref-siblings}: one pass over every value of every file, the root first and
 * then each file a reference pulls in (which the pass reads as it resolves them), so the spec's whole reference
 * graph is loaded and checked whatever the other rules visit.
 */
final class OpenApiRefRules {

    private final OpenApiContext context;
    private final OpenApiFindings findings;
    private final boolean siblings;

    OpenApiRefRules(OpenApiContext context) {
        this.context = context;
        this.findings = context.findings();
        // OpenAPI 3.1 (JSON Schema 2020-12) gives $ref siblings a meaning; 2.0 and 3.0 ignore them.
        this.siblings = context.version() != OpenApiVersion.OPENAPI_3_1
                && findings.enabled(OpenApiRule.REF_SIBLINGS);
    }

    void run() {
        Set<OpenApiDocument> done = new HashSet<>();
        boolean more = true;
        while (more) {
            more = false;
            for (OpenApiDocument doc : context.refs().documents()) {
                if (done.add(doc)) {
                    scan(doc);
                    more = true;
                }
            }
        }
    }

    private void scan(OpenApiDocument doc) {
        Deque<OpenApiNode> stack = new ArrayDeque<>();
        stack.push(doc.rootNode());
        int visited = 0;
        while (!stack.isEmpty()) {
            if ((++visited & 0x3ff) == 0) {
                context.deadline().check();
            }
            OpenApiNode n = stack.pop();
            JsonNode v = n.value();
            if (v.isObject()) {
                JsonNode ref = v.get("$ref");
                if (ref != null) {
                    ref(n, ref);
                }
                for (Map.Entry<String, JsonNode> e : v.properties()) {
                    if (e.getValue().isContainerNode()) {
                        stack.push(new OpenApiNode(doc, n.pointer() + "/" + OpenApiNode.escape(e.getKey()),
                                e.getValue()));
                    }
                }
            } else if (v.isArray()) {
                for (int i = v.size() - 1; i >= 0; i--) {
                    if (v.get(i).isContainerNode()) {
                        stack.push(new OpenApiNode(doc, n.pointer() + "/" + i, v.get(i)));
                    }
                }
            }
        }
    }

    private void ref(OpenApiNode holder, JsonNode ref) {
        if (ref.isTextual()) {
            OpenApiRefs.Resolution r = context.refs().resolve(holder);
            if (r.problem() != null) {
                findings.add(OpenApiRule.REF, holder.get("$ref"), "Reference", r.problem() + ".",
                        "Point the $ref at an existing value: '#/components/...' in this file, or a relative file"
                                + " beside the spec (other.yaml#/components/...).");
            }
        }
        if (siblings && holder.value().size() > 1) {
            for (Map.Entry<String, OpenApiNode> e : holder.members()) {
                if (!e.getKey().equals("$ref")) {
                    findings.add(OpenApiRule.REF_SIBLINGS, e.getValue(), "Reference", "'" + e.getKey()
                                    + "' beside $ref is ignored: in OpenAPI " + context.version().family()
                                    + " a $ref replaces the whole object.",
                            "Move '" + e.getKey() + "' into the referenced value, or wrap the reference: allOf: [{$ref:"
                                    + " ...}] with '" + e.getKey() + "' beside allOf.");
                }
            }
        }
    }
}
