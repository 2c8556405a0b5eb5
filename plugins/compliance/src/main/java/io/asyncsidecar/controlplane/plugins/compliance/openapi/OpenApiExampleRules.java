package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiSchemaValidator.Relax;

/**
 * {@code openapi.media-example-valid} and {@code openapi.schema-example-valid}: every example a spec gives is valid
 * against the schema it illustrates. Media examples are those of media types, parameters and headers (and, in
 * Swagger 2.0, of responses); schema examples are a schema's own {@code example} and {@code default}
 * ({@code x-example} too in 2.0). The walk follows the document's structure through references, visiting each value
 * once; the finding stands where the example is written, so a shared component is reported once, in its file.
 */
final class OpenApiExampleRules {

    private static final String REMEDIATION = "Correct the example (or the schema, when the example shows what the"
            + " API really sends): clients and mock servers generated from the spec rely on both agreeing.";
    private static final Set<String> SCHEMA_SHAPE = Set.of("enum", "type", "format", "$ref", "properties", "items");

    private final OpenApiContext context;
    private final OpenApiFindings findings;
    private final OpenApiSchemaValidator validator;
    private final boolean oas2;
    private final Set<String> visited = new HashSet<>();
    private int validations;
    private boolean tooMany;

    OpenApiExampleRules(OpenApiContext context) {
        this.context = context;
        this.findings = context.findings();
        this.validator = new OpenApiSchemaValidator(context);
        this.oas2 = context.version() == OpenApiVersion.SWAGGER_2;
    }

    void run() {
        if (!findings.enabled(OpenApiRule.MEDIA_EXAMPLE_VALID) && !findings.enabled(OpenApiRule.SCHEMA_EXAMPLE_VALID)) {
            return;
        }
        OpenApiNode root = context.rootNode();
        for (OpenApiContext.PathEntry p : context.paths()) {
            if (p.item() != null) {
                pathItem(p.item());
            }
        }
        if (oas2) {
            each(root.get("definitions"), this::schema);
            each(root.get("parameters"), n -> parameter(n, Relax.NONE));
            each(root.get("responses"), n -> response(n, Relax.RESPONSE));
            return;
        }
        OpenApiNode components = root.get("components");
        if (components != null) {
            each(components.get("schemas"), this::schema);
            each(components.get("parameters"), n -> parameter(n, Relax.NONE));
            each(components.get("headers"), n -> header(n, Relax.NONE));
            each(components.get("requestBodies"), n -> requestBody(n, Relax.REQUEST));
            each(components.get("responses"), n -> response(n, Relax.RESPONSE));
            each(components.get("callbacks"), this::callback);
            each(components.get("pathItems"), this::pathItem);
        }
        each(root.get("webhooks"), this::pathItem);
    }

    private void pathItem(OpenApiNode raw) {
        OpenApiNode item = enter(raw, "path");
        if (item == null) {
            return;
        }
        list(item.get("parameters"), n -> parameter(n, Relax.NONE));
        for (Map.Entry<String, OpenApiNode> e : item.members()) {
            if (OpenApiContext.METHODS.contains(e.getKey())) {
                operation(e.getValue());
            }
        }
    }

    private void operation(OpenApiNode raw) {
        OpenApiNode op = enter(raw, "operation");
        if (op == null) {
            return;
        }
        list(op.get("parameters"), n -> parameter(n, Relax.NONE));
        OpenApiNode body = op.get("requestBody");
        if (body != null) {
            requestBody(body, Relax.REQUEST);
        }
        each(op.get("responses"), n -> response(n, Relax.RESPONSE));
        each(op.get("callbacks"), this::callback);
    }

    private void callback(OpenApiNode raw) {
        OpenApiNode cb = enter(raw, "callback");
        if (cb != null) {
            for (Map.Entry<String, OpenApiNode> e : cb.members()) {
                if (!e.getKey().startsWith("x-")) {
                    pathItem(e.getValue());
                }
            }
        }
    }

    private void parameter(OpenApiNode raw, Relax relax) {
        OpenApiNode p = enter(raw, "parameter");
        if (p == null) {
            return;
        }
        if (oas2) {
            if ("body".equals(p.text("in"))) {
                OpenApiNode s = p.get("schema");
                if (s != null) {
                    schema(s);
                }
            } else {
                schemaNode(p);
            }
            return;
        }
        mediaLike(p, relax);
    }

    private void header(OpenApiNode raw, Relax relax) {
        OpenApiNode h = enter(raw, "header");
        if (h == null) {
            return;
        }
        if (oas2) {
            schemaNode(h);
            return;
        }
        mediaLike(h, relax);
    }

    /** A 3.x parameter or header: a schema and its examples, or content. */
    private void mediaLike(OpenApiNode node, Relax relax) {
        OpenApiNode s = node.get("schema");
        if (s != null) {
            schema(s);
            mediaExamples(node, s, relax);
        }
        each(node.get("content"), m -> mediaType(m, relax));
    }

    private void requestBody(OpenApiNode raw, Relax relax) {
        OpenApiNode rb = enter(raw, "requestBody");
        if (rb != null) {
            each(rb.get("content"), m -> mediaType(m, relax));
        }
    }

    private void response(OpenApiNode raw, Relax relax) {
        OpenApiNode r = enter(raw, "response");
        if (r == null) {
            return;
        }
        each(r.get("headers"), h -> header(h, relax));
        if (oas2) {
            OpenApiNode s = r.get("schema");
            if (s != null) {
                schema(s);
                OpenApiNode examples = r.get("examples");
                if (examples != null && examples.isObject()) {
                    for (Map.Entry<String, OpenApiNode> e : examples.members()) {
                        validate(OpenApiRule.MEDIA_EXAMPLE_VALID, s, e.getValue(), relax);
                    }
                }
            }
            return;
        }
        each(r.get("content"), m -> mediaType(m, relax));
    }

    private void mediaType(OpenApiNode raw, Relax relax) {
        OpenApiNode m = enter(raw, "media-" + relax);
        if (m == null) {
            return;
        }
        OpenApiNode s = m.get("schema");
        if (s != null) {
            schema(s);
            mediaExamples(m, s, relax);
        }
        OpenApiNode encoding = m.get("encoding");
        if (encoding != null) {
            for (Map.Entry<String, OpenApiNode> e : encoding.members()) {
                each(e.getValue().get("headers"), h -> header(h, relax));
            }
        }
    }

    /**
     * {@code example}, or else each of {@code examples} (Example objects; external ones are not fetched), as
     * Spectral reads them.
     */
    private void mediaExamples(OpenApiNode holder, OpenApiNode schema, Relax relax) {
        OpenApiNode example = holder.get("example");
        if (example != null) {
            validate(OpenApiRule.MEDIA_EXAMPLE_VALID, schema, example, relax);
            return;
        }
        OpenApiNode examples = holder.get("examples");
        if (examples == null || !examples.isObject()) {
            return;
        }
        for (Map.Entry<String, OpenApiNode> e : examples.members()) {
            OpenApiNode ex = context.deref(e.getValue());
            if (ex == null || !ex.isObject() || ex.get("externalValue") != null) {
                continue;
            }
            OpenApiNode value = ex.get("value");
            if (value == null) {
                if (findings.enabled(OpenApiRule.MEDIA_EXAMPLE_VALID)) {
                    findings.add(OpenApiRule.MEDIA_EXAMPLE_VALID, ex, "Example", "Example '" + e.getKey()
                            + "' has neither a value nor an externalValue, so it shows nothing to check.", REMEDIATION);
                }
                continue;
            }
            validate(OpenApiRule.MEDIA_EXAMPLE_VALID, schema, value, relax);
        }
    }

    /** A schema and every schema inside it. */
    private void schema(OpenApiNode raw) {
        OpenApiNode s = enter(raw, "schema");
        if (s != null && s.isObject()) {
            schemaNode(s);
        }
    }

    /** Checks a schema's own examples, then walks into its subschemas. */
    private void schemaNode(OpenApiNode s) {
        context.deadline().check();
        boolean shaped = false;
        for (String k : SCHEMA_SHAPE) {
            if (s.get(k) != null) {
                shaped = true;
                break;
            }
        }
        if (shaped) {
            for (String field : oas2 ? List.of("example", "x-example", "default") : List.of("example", "default")) {
                OpenApiNode value = s.get(field);
                if (value != null) {
                    validate(OpenApiRule.SCHEMA_EXAMPLE_VALID, s, value, Relax.NONE);
                }
            }
        }
        for (Map.Entry<String, OpenApiNode> e : s.members()) {
            String k = e.getKey();
            OpenApiNode v = e.getValue();
            switch (k) {
                case "properties", "patternProperties", "dependentSchemas", "$defs", "definitions" ->
                        each(v, this::schema);
                case "allOf", "anyOf", "oneOf", "prefixItems" -> list(v, this::schema);
                case "items" -> {
                    if (v.value().isArray()) {
                        list(v, this::schema);
                    } else {
                        schema(v);
                    }
                }
                case "additionalProperties", "additionalItems", "not", "if", "then", "else", "contains",
                     "propertyNames", "unevaluatedItems", "unevaluatedProperties" -> {
                    if (v.isObject()) {
                        schema(v);
                    }
                }
                default -> {
                }
            }
        }
    }

    private void validate(OpenApiRule rule, OpenApiNode schema, OpenApiNode example, Relax relax) {
        if (!findings.enabled(rule) || tooMany) {
            return;
        }
        if (++validations > context.settings().limits().maxExamples()) {
            tooMany = true;
            findings.add(OpenApiRule.LIMIT, example, "Example", "More than "
                    + context.settings().limits().maxExamples() + " examples; the rest were not validated"
                    + " (plugins.compliance.openapi.limits.max-examples).", null);
            return;
        }
        context.deadline().check();
        List<String> problems;
        try {
            problems = validator.problems(schema, example.value(), relax);
        } catch (OpenApiSchemaValidator.TooLarge e) {
            findings.add(OpenApiRule.LIMIT, example, "Example", "The schema of this example is too large to validate"
                    + " against once its references are inlined; it was skipped.", null);
            return;
        }
        if (problems.isEmpty()) {
            return;
        }
        String what = rule == OpenApiRule.SCHEMA_EXAMPLE_VALID
                ? "The schema's " + last(example) + " does not match the schema: "
                : "Example does not match its schema: ";
        String detail = String.join("; ", problems.subList(0, Math.min(3, problems.size())))
                + (problems.size() > 3 ? " (and " + (problems.size() - 3) + " more)" : "");
        findings.add(rule, example, "Example", what + detail, REMEDIATION);
    }

    /** Follows a reference and remembers the target, so each value is walked once per role. */
    private OpenApiNode enter(OpenApiNode raw, String role) {
        OpenApiNode node = context.deref(raw);
        if (node == null || !visited.add(role + "\u0000" + node)) {
            return null;
        }
        return node;
    }

    private static String last(OpenApiNode n) {
        List<String> s = n.segments();
        return s.isEmpty() ? "example" : s.getLast();
    }

    private static void each(OpenApiNode map, java.util.function.Consumer<OpenApiNode> action) {
        if (map == null || !map.isObject()) {
            return;
        }
        for (Map.Entry<String, OpenApiNode> e : map.members()) {
            action.accept(e.getValue());
        }
    }

    private static void list(OpenApiNode list, java.util.function.Consumer<OpenApiNode> action) {
        if (list == null) {
            return;
        }
        for (OpenApiNode item : list.items()) {
            action.accept(item);
        }
    }
}
