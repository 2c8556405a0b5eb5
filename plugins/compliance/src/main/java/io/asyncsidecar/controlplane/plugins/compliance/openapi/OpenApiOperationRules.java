package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The rules about operations: {@code openapi.operation-id}, {@code openapi.operation-id-unique},
 * {@code openapi.operation-success-response}, {@code openapi.operation-tags}, {@code openapi.operation-tag-defined},
 * {@code openapi.operation-security} and {@code openapi.security-defined} (which also checks the document's own
 * security requirements).
 */
final class OpenApiOperationRules {

    private final OpenApiContext context;
    private final OpenApiFindings findings;
    private final boolean oas3;

    OpenApiOperationRules(OpenApiContext context) {
        this.context = context;
        this.findings = context.findings();
        this.oas3 = context.version().isOpenApi3();
    }

    void run() {
        OpenApiNode root = context.rootNode();
        Set<String> globalTags = new HashSet<>();
        OpenApiNode tags = root.get("tags");
        if (tags != null) {
            for (OpenApiNode t : tags.items()) {
                String name = t.text("name");
                if (name != null) {
                    globalTags.add(name);
                }
            }
        }
        OpenApiNode globalSecurity = root.get("security");
        if (globalSecurity != null) {
            securityDefined(globalSecurity, "API");
        }
        Map<JsonNode, OpenApiContext.Operation> ids = new HashMap<>();
        for (OpenApiContext.Operation op : context.operations()) {
            context.deadline().check();
            OpenApiNode o = op.operation();
            operationId(op, o, ids);
            successResponse(op, o);
            tags(op, o, globalTags);
            OpenApiNode own = o.get("security");
            if (own != null) {
                securityDefined(own, "Operation");
            }
            security(op, own != null ? own : globalSecurity, own != null);
        }
    }

    private void operationId(OpenApiContext.Operation op, OpenApiNode o, Map<JsonNode, OpenApiContext.Operation> ids) {
        OpenApiNode id = o.get("operationId");
        if (id == null) {
            findings.add(OpenApiRule.OPERATION_ID, o, "Operation", op.display() + " has no operationId.",
                    "Add a unique operationId: client generators name their methods after it.");
            return;
        }
        if (!id.value().isTextual() || id.value().textValue().isEmpty()) {
            findings.add(OpenApiRule.OPERATION_ID, id, "Operation", "The operationId of " + op.display()
                    + " is empty.", "Give the operation a non-empty, unique operationId.");
        }
        OpenApiContext.Operation first = ids.putIfAbsent(id.value(), op);
        if (first != null) {
            findings.add(OpenApiRule.OPERATION_ID_UNIQUE, id, "Operation", "operationId '" + id.value().asText()
                            + "' of " + op.display() + " is already used by " + first.display() + ".",
                    "Rename one of them: generated clients would get two methods with the same name.");
        }
    }

    private void successResponse(OpenApiContext.Operation op, OpenApiNode o) {
        OpenApiNode responses = o.get("responses");
        if (responses == null || !responses.isObject()) {
            return;
        }
        for (Map.Entry<String, OpenApiNode> e : responses.members()) {
            String code = e.getKey().trim();
            if (oas3 && (code.equals("2XX") || code.equals("3XX"))) {
                return;
            }
            try {
                int n = Integer.parseInt(code);
                if (n >= 200 && n < 400) {
                    return;
                }
            } catch (NumberFormatException ignored) {
                // default, 4XX and extensions are no success
            }
        }
        findings.add(OpenApiRule.OPERATION_SUCCESS_RESPONSE, responses, "Operation", op.display()
                + " documents no 2xx or 3xx response.", "Document the response a successful call gets.");
    }

    private void tags(OpenApiContext.Operation op, OpenApiNode o, Set<String> globalTags) {
        OpenApiNode tags = o.get("tags");
        if (tags == null) {
            findings.add(OpenApiRule.OPERATION_TAGS, o, "Operation", op.display() + " has no tags.",
                    "Tag the operation: documentation tools group operations by their first tag.");
            return;
        }
        if (!tags.value().isArray() || tags.value().isEmpty()) {
            findings.add(OpenApiRule.OPERATION_TAGS, tags, "Operation", op.display() + " has no tags.",
                    "Tag the operation: documentation tools group operations by their first tag.");
            return;
        }
        for (OpenApiNode t : tags.items()) {
            if (!t.value().isTextual() || !globalTags.contains(t.value().textValue())) {
                findings.add(OpenApiRule.OPERATION_TAG_DEFINED, t, "Operation", "Tag '" + t.value().asText()
                                + "' of " + op.display() + " is not defined in the document's tags.",
                        "Add it to the top-level tags with a description, or use a defined tag.");
            }
        }
    }

    /** Whether a call can be made without credentials: no requirement, {@code security: []}, or an empty one. */
    private void security(OpenApiContext.Operation op, OpenApiNode effective, boolean own) {
        String why = null;
        if (effective == null) {
            why = "neither the document nor the operation sets security";
        } else if (!effective.value().isArray() || effective.value().isEmpty()) {
            why = own ? "its security is empty, which turns the document's security off"
                    : "the document's security is empty";
        } else {
            for (OpenApiNode req : effective.items()) {
                if (req.isObject() && req.value().isEmpty()) {
                    why = (own ? "its" : "the document's") + " security lists an empty requirement ({}), which"
                            + " allows anonymous calls";
                    break;
                }
            }
        }
        if (why != null) {
            findings.add(OpenApiRule.OPERATION_SECURITY, op.operation(), "Operation", op.display()
                    + " can be called without authentication: " + why + ".", "Require a security scheme at the top"
                    + " level (security:) or on the operation; if the operation is public on purpose, say so with "
                    + OpenApiFindings.IGNORE_EXTENSION + ".");
        }
    }

    private void securityDefined(OpenApiNode requirements, String object) {
        if (!requirements.value().isArray()) {
            return;
        }
        OpenApiNode root = context.rootNode();
        OpenApiNode schemes = oas3 ? (root.get("components") == null ? null : root.get("components")
                .get("securitySchemes")) : root.get("securityDefinitions");
        String where = oas3 ? "components.securitySchemes" : "securityDefinitions";
        for (OpenApiNode req : requirements.items()) {
            if (!req.isObject()) {
                continue;
            }
            for (Map.Entry<String, OpenApiNode> e : req.members()) {
                String name = e.getKey();
                OpenApiNode scheme = schemes == null ? null : schemes.get(name);
                if (scheme == null) {
                    findings.add(OpenApiRule.SECURITY_DEFINED, e.getValue(), "SecurityRequirement", object
                                    + " security names scheme '" + name + "', which " + where + " does not define.",
                            "Define the scheme under " + where + ", or fix the name.");
                    continue;
                }
                scopes(e.getValue(), name, context.deref(scheme));
            }
        }
    }

    /**
     * OAuth2 scopes must be the flows' own; OpenID Connect scopes come from its discovery document; other schemes
     * take no scopes in 2.0 and 3.0, and role names in 3.1.
     */
    private void scopes(OpenApiNode scopes, String name, OpenApiNode scheme) {
        if (!scopes.value().isArray() || scheme == null || !scheme.isObject()) {
            return;
        }
        String type = scheme.text("type");
        if ("openIdConnect".equals(type)
                || (!"oauth2".equals(type) && context.version() == OpenApiVersion.OPENAPI_3_1)) {
            return;
        }
        Set<String> defined = new HashSet<>();
        if ("oauth2".equals(type)) {
            if (oas3) {
                OpenApiNode flows = scheme.get("flows");
                if (flows != null) {
                    for (Map.Entry<String, OpenApiNode> f : flows.members()) {
                        f.getValue().value().path("scopes").fieldNames().forEachRemaining(defined::add);
                    }
                }
            } else {
                scheme.value().path("scopes").fieldNames().forEachRemaining(defined::add);
            }
        }
        List<OpenApiNode> items = scopes.items();
        for (OpenApiNode s : items) {
            String scope = s.value().asText();
            if (!defined.contains(scope)) {
                findings.add(OpenApiRule.SECURITY_DEFINED, s, "SecurityRequirement", "Scope '" + scope
                                + "' is not among the scopes of security scheme '" + name + "'"
                                + ("oauth2".equals(type) ? "." : ": it is of type " + type + ", which takes no scopes."),
                        "Define the scope in the scheme's flows, or remove it from the requirement.");
            }
        }
    }
}
