package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaContext;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.OpenApi30;
import com.networknt.schema.dialect.OpenApi31;
import com.networknt.schema.format.Format;
import com.networknt.schema.regex.RegularExpression;

/**
 * Validates example values against the schemas of a spec with networknt's JSON Schema validator, the way Spectral's
 * example rules do: OpenAPI 2.0 and 3.0 schemas as draft 4 with {@code nullable} (2.0's {@code x-nullable} read as
 * such), 3.1 schemas as JSON Schema 2020-12, formats asserted (with OpenAPI's int32, int64, float, double, byte,
 * binary and password), and required {@code readOnly} properties not required in request examples
 * ({@code writeOnly} ones in responses).
 *
 * <p>Each schema is first copied with its {@code $ref}s replaced by what they name (through {@link OpenApiRefs},
 * so nothing outside the workspace is read), recursion cut to an empty schema, and identifiers, meta-schema
 * declarations and discriminators dropped: the validator then has nothing to load, from the network or anywhere.
 * Patterns run on text that checks the check's deadline, so a catastrophic regular expression stops with it.
 */
final class OpenApiSchemaValidator {

    /** Which properties an example may leave out although the schema requires them. */
    enum Relax {
        /** None. */
        NONE,
        /** A request body: readOnly properties are not sent. */
        REQUEST,
        /** A response: writeOnly properties are not returned. */
        RESPONSE
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Keywords whose value is one schema. */
    private static final Set<String> SCHEMA = Set.of("additionalProperties", "additionalItems", "not", "if", "then",
            "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema");
    /** Keywords whose value is a list of schemas. */
    private static final Set<String> SCHEMA_LIST = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
    /** Keywords whose value maps names to schemas. */
    private static final Set<String> SCHEMA_MAP = Set.of("properties", "patternProperties", "dependentSchemas",
            "$defs", "definitions");
    /**
     * Keywords that would make the validator load or look up something, or that AJV ignores in Spectral. A
     * {@code $ref} left after inlining is not a string (a broken spec): it must not reach the validator either.
     */
    private static final Set<String> DROPPED = Set.of("$ref", "$schema", "$id", "$anchor", "$dynamicAnchor",
            "$dynamicRef", "$recursiveRef", "$recursiveAnchor", "discriminator", "$comment");
    private static final int MAX_INLINED_NODES = 200_000;

    /** Thrown when a schema, its references inlined, is too large to validate against. */
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("schema too large", null, false, false);
        }
    }

    private final OpenApiContext context;
    private final SchemaRegistry registry;
    private final Map<String, JsonNode> inlined = new HashMap<>();
    private final Map<JsonNode, Schema> compiled = new IdentityHashMap<>();
    private int budget;

    OpenApiSchemaValidator(OpenApiContext context) {
        this.context = context;
        OpenApiDeadline deadline = context.deadline();
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .regularExpressionFactory(regex -> guarded(regex, deadline))
                .build();
        Dialect base = context.version() == OpenApiVersion.OPENAPI_3_1 ? OpenApi31.getInstance()
                : OpenApi30.getInstance();
        Dialect dialect = Dialect.builder(base).formats(OpenApiSchemaValidator::openApiFormats).build();
        this.registry = SchemaRegistry.withDefaultDialect(dialect, b -> b.schemaRegistryConfig(config));
    }

    /**
     * Validates a value.
     *
     * @param schema the schema (maybe a reference)
     * @param value  the value
     * @param relax  which required properties the value may leave out
     * @return what is wrong, as {@code location: problem}; empty when the value is valid or the schema cannot be
     *         compiled (a malformed schema is the structure check's business, not an example's)
     * @throws TooLarge when the schema with its references inlined is over the size limit
     */
    List<String> problems(OpenApiNode schema, JsonNode value, Relax relax) {
        JsonNode s = inline(schema, relax);
        Schema compiledSchema = compiled.get(s);
        if (compiledSchema == null) {
            try {
                compiledSchema = registry.getSchema(s);
            } catch (RuntimeException e) {
                rethrowDeadline(e);
                return List.of();
            }
            compiled.put(s, compiledSchema);
        }
        List<Error> errors;
        try {
            errors = compiledSchema.validate(value);
        } catch (RuntimeException e) {
            rethrowDeadline(e);
            return List.of();
        }
        List<String> out = new ArrayList<>(errors.size());
        for (Error e : errors) {
            String location = String.valueOf(e.getInstanceLocation());
            String message = e.getMessage();
            out.add(message != null && message.startsWith(location) ? message : location + ": " + message);
        }
        return out;
    }

    /** The validator may wrap what a pattern throws; the deadline must still end the check. */
    private static void rethrowDeadline(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OpenApiDeadline.Exceeded exceeded) {
                throw exceeded;
            }
        }
    }

    /** The schema with references replaced, memoised per schema and relaxation when no recursion was cut in it. */
    private JsonNode inline(OpenApiNode schema, Relax relax) {
        OpenApiNode target = context.deref(schema);
        if (target == null) {
            return NODES.objectNode();
        }
        String key = target + "\u0000" + relax;
        JsonNode known = inlined.get(key);
        if (known != null) {
            return known;
        }
        budget = MAX_INLINED_NODES;
        boolean[] cut = {false};
        JsonNode out = copy(target, relax, new HashSet<>(), cut);
        if (!cut[0]) {
            inlined.put(key, out);
        }
        return out;
    }

    private JsonNode copy(OpenApiNode node, Relax relax, Set<String> open, boolean[] cut) {
        if (--budget < 0) {
            throw new TooLarge();
        }
        JsonNode v = node.value();
        if (!v.isObject()) {
            return v;
        }
        String here = node.toString();
        if (!open.add(here)) {
            cut[0] = true;
            return NODES.objectNode();
        }
        try {
            ObjectNode out = NODES.objectNode();
            boolean oas2 = context.version() == OpenApiVersion.SWAGGER_2;
            for (Map.Entry<String, OpenApiNode> e : node.members()) {
                String k = e.getKey();
                OpenApiNode child = e.getValue();
                if (DROPPED.contains(k) || (k.equals("id") && child.value().isTextual())) {
                    continue;
                }
                if (oas2 && k.equals("required") && child.value().isBoolean()) {
                    continue;
                }
                if (oas2 && k.equals("type") && "file".equals(child.value().asText())) {
                    continue;
                }
                if (oas2 && k.equals("x-nullable")) {
                    out.set("nullable", child.value());
                    continue;
                }
                Relax inner = k.equals("not") ? Relax.NONE : relax;
                if (SCHEMA.contains(k) || (k.equals("items") && child.value().isObject())) {
                    out.set(k, schemaCopy(child, inner, open, cut));
                } else if (k.equals("items") && child.value().isArray() || SCHEMA_LIST.contains(k)) {
                    ArrayNode list = NODES.arrayNode();
                    for (OpenApiNode item : child.items()) {
                        list.add(schemaCopy(item, inner, open, cut));
                    }
                    out.set(k, child.value().isArray() ? list : child.value());
                } else if (k.equals("dependencies") && child.isObject()) {
                    // draft 4: a schema per property, or a list of the properties it requires
                    ObjectNode map = NODES.objectNode();
                    for (Map.Entry<String, OpenApiNode> p : child.members()) {
                        map.set(p.getKey(), p.getValue().value().isObject()
                                ? schemaCopy(p.getValue(), inner, open, cut) : p.getValue().value());
                    }
                    out.set(k, map);
                } else if (SCHEMA_MAP.contains(k) && child.isObject()) {
                    ObjectNode map = NODES.objectNode();
                    for (Map.Entry<String, OpenApiNode> p : child.members()) {
                        map.set(p.getKey(), schemaCopy(p.getValue(), inner, open, cut));
                    }
                    out.set(k, map);
                } else {
                    out.set(k, child.value());
                }
            }
            if (relax != Relax.NONE) {
                relaxRequired(out, relax);
            }
            return out;
        } finally {
            open.remove(here);
        }
    }

    private JsonNode schemaCopy(OpenApiNode node, Relax relax, Set<String> open, boolean[] cut) {
        if (!node.value().isObject()) {
            return node.value();
        }
        OpenApiNode target = context.deref(node);
        if (target == null) {
            return NODES.objectNode();
        }
        return copy(target, relax, open, cut);
    }

    /** As Spectral: a required property marked readOnly (request) or writeOnly (response) is not required. */
    private static void relaxRequired(ObjectNode schema, Relax relax) {
        JsonNode required = schema.get("required");
        JsonNode properties = schema.get("properties");
        if (required == null || !required.isArray() || properties == null || !properties.isObject()) {
            return;
        }
        String flag = relax == Relax.REQUEST ? "readOnly" : "writeOnly";
        ArrayNode kept = NODES.arrayNode();
        for (JsonNode name : required) {
            JsonNode property = properties.get(name.asText());
            boolean skip = property != null && property.path(flag).asBoolean(false);
            if (!skip) {
                kept.add(name);
            }
        }
        if (kept.isEmpty()) {
            schema.remove("required");
        } else if (kept.size() != required.size()) {
            schema.set("required", kept);
        }
    }

    private static RegularExpression guarded(String regex, OpenApiDeadline deadline) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            // ECMA syntax Java does not read: accept every value rather than report the pattern as the example's fault.
            return value -> true;
        }
        return value -> pattern.matcher(deadline.guard(value)).find();
    }

    /** OpenAPI's formats, with ajv-formats' meaning, since Spectral validates with it. */
    private static void openApiFormats(Map<String, Format> formats) {
        formats.put("int32", new NumberFormat("int32", Integer.MIN_VALUE, Integer.MAX_VALUE));
        formats.put("int64", new NumberFormat("int64", -9007199254740991d, 9007199254740991d));
        formats.put("float", new AnyFormat("float"));
        formats.put("double", new AnyFormat("double"));
        formats.put("binary", new AnyFormat("binary"));
        formats.put("password", new AnyFormat("password"));
        formats.put("byte", new ByteFormat());
    }

    /** An integer format: integral numbers in a range; other types pass. */
    private record NumberFormat(String name, double min, double max) implements Format {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean matches(ExecutionContext executionContext, SchemaContext schemaContext, JsonNode value) {
            if (!value.isNumber()) {
                return true;
            }
            double d = value.asDouble();
            return d == Math.rint(d) && d >= min && d <= max;
        }
    }

    /** A format that describes and asserts nothing. */
    private record AnyFormat(String name) implements Format {

        @Override
        public String getName() {
            return name;
        }
    }

    /** Base64 text, as ajv-formats checks {@code byte}. */
    private static final class ByteFormat implements Format {

        private static final Pattern BASE64 = Pattern.compile(
                "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$");

        @Override
        public String getName() {
            return "byte";
        }

        @Override
        public boolean matches(ExecutionContext executionContext, String value) {
            return BASE64.matcher(value).matches();
        }
    }
}
