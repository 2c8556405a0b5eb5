package io.asyncsidecar.controlplane.plugins.helm;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One node of a schema in the Kubernetes dialect of OpenAPI, compiled from plain values (maps, lists, strings,
 * numbers) for {@link SchemaValidator}: the built-in API's documents (OpenAPI v3 {@code components.schemas} or
 * Swagger 2.0 {@code definitions}, with {@code $ref}s between them) and a CRD version's {@code openAPIV3Schema}.
 *
 * <p>Read: {@code type}, {@code format} ({@code int32}, {@code int64}, {@code int-or-string}), {@code properties},
 * {@code required}, {@code additionalProperties} (boolean or schema), {@code items}, {@code enum},
 * {@code nullable}, {@code default} (CRDs only: the API server defaults a CRD field before it validates, but
 * decodes a built-in object into Go structs, where the documents' defaults are only informative),
 * {@code minimum}/{@code maximum} (and OpenAPI 3.0's boolean {@code exclusiveMinimum}/{@code exclusiveMaximum}),
 * {@code multipleOf}, {@code minLength}/{@code maxLength}, {@code minItems}/{@code maxItems},
 * {@code minProperties}/{@code maxProperties}, {@code pattern}, {@code allOf}/{@code anyOf}/{@code oneOf},
 * {@code x-kubernetes-preserve-unknown-fields}, {@code x-kubernetes-int-or-string},
 * {@code x-kubernetes-embedded-resource}. Everything else (descriptions, {@code x-kubernetes-validations}, list
 * types, other formats) is left out. {@code Quantity} accepts a number or a string, as its JSON decoder does.
 *
 * <p>The fields are written by the compiler below while it builds and links a document's nodes, and only read
 * afterwards ({@link SchemaValidator}); a compiled schema is shared between checks and never changed.
 */
final class StructuralSchema {

    /** What a node's {@code type} allows; {@link #ANY} when it gives none. */
    enum Type {
        ANY, OBJECT, ARRAY, STRING, INTEGER, NUMBER, BOOLEAN;

        static Type of(Object type) {
            if (!(type instanceof String s)) {
                return ANY;
            }
            return switch (s) {
                case "object" -> OBJECT;
                case "array" -> ARRAY;
                case "string" -> STRING;
                case "integer" -> INTEGER;
                case "number" -> NUMBER;
                case "boolean" -> BOOLEAN;
                default -> ANY;
            };
        }

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A schema accepting anything. */
    static final StructuralSchema ANYTHING = new StructuralSchema();

    /** The built-in API's quantity type, a string or a number on the wire. */
    private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    private static final List<String> REF_PREFIXES = List.of("#/components/schemas/", "#/definitions/");

    Type type = Type.ANY;
    String format;
    /** Declared properties, in order; null when the node declares none. */
    Map<String, StructuralSchema> properties;
    /** The schema of a map's values ({@code additionalProperties: {...}}), or null. */
    StructuralSchema additionalProperties;
    /** {@code additionalProperties: true}, or a schema. */
    boolean additionalAllowed;
    /** {@code additionalProperties: false}. */
    boolean additionalForbidden;
    List<String> required = List.of();
    StructuralSchema items;
    List<Object> enumValues;
    boolean nullable;
    boolean hasDefault;
    boolean preserveUnknownFields;
    boolean intOrString;
    boolean numberOrString;
    boolean embeddedResource;
    BigDecimal minimum;
    BigDecimal maximum;
    boolean exclusiveMinimum;
    boolean exclusiveMaximum;
    BigDecimal multipleOf;
    Long minLength;
    Long maxLength;
    Long minItems;
    Long maxItems;
    Long minProperties;
    Long maxProperties;
    Pattern pattern;
    String patternText;
    List<StructuralSchema> allOf = List.of();
    List<StructuralSchema> anyOf = List.of();
    List<StructuralSchema> oneOf = List.of();
    /** For a {@code $ref} node: the name it points at, and the node once linked (null: dangling, accepts all). */
    String ref;
    StructuralSchema target;

    private StructuralSchema() {
    }

    /**
     * Follows {@code $ref}s to the node that holds the constraints.
     *
     * @return the node; {@link #ANYTHING} for a reference that points nowhere
     */
    StructuralSchema resolve() {
        StructuralSchema s = this;
        // Bounded: a chain of references only (a -> b -> a) would otherwise never end.
        for (int hops = 0; s.ref != null && hops < 32; hops++) {
            s = s.target == null ? ANYTHING : s.target;
        }
        return s.ref != null ? ANYTHING : s;
    }

    /**
     * Compiles a CRD version's {@code openAPIV3Schema}; {@code default}s count, {@code $ref}s are not allowed
     * there and accept anything.
     *
     * @param schema the schema map
     * @return the root node
     */
    static StructuralSchema ofCrd(Map<?, ?> schema) {
        return new Compiler(Map.of(), true).compile(schema);
    }

    /**
     * Compiles every named schema of an OpenAPI v3 or Swagger 2.0 document and links their {@code $ref}s.
     *
     * @param definitions name to schema map ({@code components.schemas} or {@code definitions})
     * @return name to compiled node
     */
    static Map<String, StructuralSchema> ofDefinitions(Map<String, ?> definitions) {
        Compiler c = new Compiler(definitions, false);
        Map<String, StructuralSchema> named = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : definitions.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m) {
                named.put(e.getKey(), c.named(e.getKey(), m));
            }
        }
        for (StructuralSchema r : c.references) {
            r.target = named.get(r.ref);
        }
        return named;
    }

    /** Turns plain schema values into nodes; one per document. */
    private static final class Compiler {

        private final Map<String, ?> definitions;
        private final boolean crd;
        private final List<StructuralSchema> references = new ArrayList<>();
        private final Map<String, Pattern> patterns = new HashMap<>();

        Compiler(Map<String, ?> definitions, boolean crd) {
            this.definitions = definitions;
            this.crd = crd;
        }

        StructuralSchema named(String name, Map<?, ?> raw) {
            StructuralSchema s = compile(raw);
            if (QUANTITY.equals(name)) {
                s.numberOrString = true;
            }
            return s;
        }

        StructuralSchema compile(Object rawValue) {
            if (!(rawValue instanceof Map<?, ?> raw)) {
                return ANYTHING;
            }
            StructuralSchema s = new StructuralSchema();
            if (raw.get("$ref") instanceof String ref) {
                // OpenAPI 3.0 ignores a $ref's siblings (description, default); the target holds the constraints.
                String name = REF_PREFIXES.stream().filter(ref::startsWith).findFirst()
                        .map(p -> ref.substring(p.length())).orElse(null);
                if (name == null || crd || !definitions.containsKey(name)) {
                    return ANYTHING;
                }
                s.ref = name;
                s.nullable = Boolean.TRUE.equals(raw.get("nullable"));
                references.add(s);
                return s;
            }
            List<StructuralSchema> allOf = list(raw.get("allOf"));
            // Newer built-in documents wrap a reference as allOf: [{$ref}] to give it a description or default.
            if (allOf.size() == 1 && raw.get("type") == null && raw.get("properties") == null) {
                StructuralSchema only = allOf.getFirst();
                if (Boolean.TRUE.equals(raw.get("nullable")) && only.ref != null) {
                    StructuralSchema copy = new StructuralSchema();
                    copy.ref = only.ref;
                    copy.nullable = true;
                    references.add(copy);
                    return copy;
                }
                return only;
            }
            s.allOf = allOf;
            s.anyOf = list(raw.get("anyOf"));
            s.oneOf = list(raw.get("oneOf"));
            s.type = Type.of(raw.get("type"));
            s.format = raw.get("format") instanceof String f ? f : null;
            s.intOrString = Boolean.TRUE.equals(raw.get("x-kubernetes-int-or-string"))
                    || "int-or-string".equals(s.format);
            s.preserveUnknownFields = Boolean.TRUE.equals(raw.get("x-kubernetes-preserve-unknown-fields"));
            s.embeddedResource = Boolean.TRUE.equals(raw.get("x-kubernetes-embedded-resource"));
            s.nullable = Boolean.TRUE.equals(raw.get("nullable"));
            s.hasDefault = crd && raw.containsKey("default");
            if (raw.get("properties") instanceof Map<?, ?> props) {
                Map<String, StructuralSchema> compiled = new LinkedHashMap<>();
                props.forEach((k, v) -> compiled.put(String.valueOf(k), compile(v)));
                s.properties = compiled;
            }
            Object additional = raw.get("additionalProperties");
            if (additional instanceof Map<?, ?>) {
                s.additionalProperties = compile(additional);
                s.additionalAllowed = true;
            } else if (Boolean.TRUE.equals(additional)) {
                s.additionalAllowed = true;
            } else if (Boolean.FALSE.equals(additional)) {
                s.additionalForbidden = true;
            }
            if (raw.get("required") instanceof List<?> req) {
                s.required = req.stream().map(String::valueOf).toList();
            }
            if (raw.containsKey("items")) {
                s.items = compile(raw.get("items"));
            }
            if (raw.get("enum") instanceof List<?> values && !values.isEmpty()) {
                s.enumValues = new ArrayList<>(values);
            }
            s.minimum = number(raw.get("minimum"));
            s.maximum = number(raw.get("maximum"));
            s.exclusiveMinimum = Boolean.TRUE.equals(raw.get("exclusiveMinimum"));
            s.exclusiveMaximum = Boolean.TRUE.equals(raw.get("exclusiveMaximum"));
            s.multipleOf = number(raw.get("multipleOf"));
            s.minLength = count(raw.get("minLength"));
            s.maxLength = count(raw.get("maxLength"));
            s.minItems = count(raw.get("minItems"));
            s.maxItems = count(raw.get("maxItems"));
            s.minProperties = count(raw.get("minProperties"));
            s.maxProperties = count(raw.get("maxProperties"));
            if (raw.get("pattern") instanceof String p) {
                s.pattern = pattern(p);
                s.patternText = p;
            }
            return s;
        }

        private List<StructuralSchema> list(Object raw) {
            if (!(raw instanceof List<?> l) || l.isEmpty()) {
                return List.of();
            }
            return l.stream().map(this::compile).toList();
        }

        /** The schemas' regular expressions are RE2; one Java cannot read (or reads otherwise) is not checked. */
        private Pattern pattern(String regex) {
            return patterns.computeIfAbsent(regex, r -> {
                try {
                    return Pattern.compile(r);
                } catch (PatternSyntaxException e) {
                    return null;
                }
            });
        }

        private static BigDecimal number(Object v) {
            if (v instanceof Number n) {
                try {
                    return new BigDecimal(n.toString());
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return null;
        }

        private static Long count(Object v) {
            return v instanceof Number n ? n.longValue() : null;
        }
    }
}
