package io.asyncsidecar.controlplane.plugins.helm;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Validates a Kubernetes object, as plain values (maps, lists, strings, numbers, booleans), against a
 * {@link StructuralSchema}, as {@code kubeconform -strict} does: an undeclared field of an object that declares
 * its properties is an error, unless the schema keeps unknown fields ({@code x-kubernetes-preserve-unknown-fields})
 * or is a map ({@code additionalProperties}); wrong types, missing required fields and broken value constraints
 * are errors. A null value counts as absent, as the API server's decoding and a CRD's pruning make it, unless the
 * schema says {@code nullable}.
 *
 * <p>Field paths are written as Kubernetes writes them: {@code spec.template.spec.containers[0].image} for
 * properties and list items, {@code metadata.labels[app.kubernetes.io/name]} for the keys of a map.
 */
final class SchemaValidator {

    /** What a violation is about. */
    enum Kind {
        /** A field the schema does not declare. */
        UNKNOWN_FIELD,
        /** A value of the wrong type. */
        TYPE,
        /** A required field that is absent. */
        REQUIRED,
        /** A value outside the schema's constraints (enum, bounds, pattern...). */
        VALUE
    }

    /**
     * One problem.
     *
     * @param kind      what it is about
     * @param path      the field path of the offending field (for a missing one: where it would be)
     * @param where     the path the message names: the field's for a wrong value, its object's for an unknown or
     *                  missing field; "" for the object's root
     * @param message   what is wrong, without the path
     * @param holder    with {@code key}: the map holding the field; without: the node itself (or, for a scalar
     *                  list item, its list), whose line the finding takes; for a missing field, the same for the
     *                  object that lacks it
     * @param key       the field's key in {@code holder}, or null
     * @param container the name of the pod template's container the field belongs to, or null
     * @param known     for an unknown field: the fields the schema declares there; else empty
     */
    record Violation(Kind kind, String path, String where, String message, Object holder, String key,
                     String container, Set<String> known) {
    }

    /** The fields every object has beside the ones its schema declares (a CRD root, an embedded resource). */
    private static final Set<String> RESOURCE_FIELDS = Set.of("apiVersion", "kind", "metadata");
    /** The lists of a pod spec whose items are containers, named by their {@code name}. */
    private static final Set<String> CONTAINER_LISTS = Set.of("containers", "initContainers",
            "ephemeralContainers");
    private static final BigDecimal INT32_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal INT32_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal INT64_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal INT64_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    /** Work allowed to one regular-expression match, in characters read (RE2 is linear, Java's engine is not). */
    private static final int MATCH_BUDGET = 100_000;
    private static final int MAX_SHOWN = 60;

    private final boolean onlyUnknownFields;
    private final int max;
    private final List<Violation> violations = new ArrayList<>();
    private int count;

    /**
     * A validator for one object.
     *
     * @param onlyUnknownFields true to report unknown fields only (a textual reading, where values and
     *                          generated blocks are not what Helm would produce)
     * @param max               most violations kept; {@link #count()} still counts the rest
     */
    SchemaValidator(boolean onlyUnknownFields, int max) {
        this.onlyUnknownFields = onlyUnknownFields;
        this.max = max;
    }

    /**
     * Validates a whole object.
     *
     * @param object   the object's manifest
     * @param schema   the schema of its kind
     * @param resource true when apiVersion, kind and metadata are allowed whatever the schema declares (a CRD)
     * @return this, for {@link #violations()} and {@link #count()}
     */
    SchemaValidator validate(Map<String, Object> object, StructuralSchema schema, boolean resource) {
        walk(object, schema, new At("", object, null, null), false, resource);
        return this;
    }

    /** @return the violations kept, in document order */
    List<Violation> violations() {
        return violations;
    }

    /** @return how many violations there were, kept or not */
    int count() {
        return count;
    }

    /**
     * Where a value sits.
     *
     * @param path      its field path
     * @param holder    the map holding it (with {@code key}), else the value itself or its list
     * @param key       its key in {@code holder}, or null
     * @param container the container it belongs to, or null
     */
    private record At(String path, Object holder, String key, String container) {

        At field(Map<?, ?> map, String name) {
            return new At(path.isEmpty() ? name : path + "." + name, map, name, container);
        }

        At entry(Map<?, ?> map, String name) {
            return new At(path + "[" + name + "]", map, name, container);
        }

        At item(List<?> list, int i, Object item, String in) {
            return new At(path + "[" + i + "]", item instanceof Map<?, ?> || item instanceof List<?> ? item : list,
                    null, in);
        }
    }

    private boolean passes(Object value, StructuralSchema schema, At at) {
        SchemaValidator probe = new SchemaValidator(onlyUnknownFields, 0);
        probe.walk(value, schema, at, true, false);
        return probe.count == 0;
    }

    /**
     * @param lenient true inside allOf/anyOf/oneOf members: structural schemas keep the fields in the outer
     *                schema there, so members judge values, not unknown fields
     */
    private void walk(Object value, StructuralSchema schemaNode, At at, boolean lenient, boolean resource) {
        StructuralSchema s = schemaNode.resolve();
        if (value == null) {
            return;
        }
        if (!typeMatches(value, s)) {
            if (!onlyUnknownFields) {
                add(Kind.TYPE, at, at.path(), "expected " + expected(s) + ", got " + describe(value), Set.of());
            }
            return;
        }
        if (!onlyUnknownFields) {
            checkValue(value, s, at);
        }
        if (value instanceof Map<?, ?> map) {
            walkObject(map, s, at, lenient, resource || s.embeddedResource);
        } else if (value instanceof List<?> list && s.items != null) {
            boolean containers = CONTAINER_LISTS.contains(lastSegment(at.path()));
            for (int i = 0; i < list.size(); i++) {
                Object item = list.get(i);
                String c = at.container();
                if (containers && item instanceof Map<?, ?> m && m.get("name") instanceof String n) {
                    c = n;
                }
                walk(item, s.items, at.item(list, i, item, c), lenient, false);
            }
        }
        for (StructuralSchema member : s.allOf) {
            walk(value, member, at, true, resource);
        }
        if (onlyUnknownFields) {
            return;
        }
        if (!s.anyOf.isEmpty() && s.anyOf.stream().noneMatch(m -> passes(value, m, at))) {
            add(Kind.VALUE, at, at.path(), describe(value) + " matches none of the schemas anyOf allows", Set.of());
        }
        if (!s.oneOf.isEmpty()) {
            long matching = s.oneOf.stream().filter(m -> passes(value, m, at)).count();
            if (matching != 1) {
                add(Kind.VALUE, at, at.path(), describe(value) + " matches " + matching
                        + " of the schemas oneOf allows, not exactly one", Set.of());
            }
        }
    }

    private void walkObject(Map<?, ?> map, StructuralSchema s, At at, boolean lenient, boolean resource) {
        if (!onlyUnknownFields) {
            for (String r : s.required) {
                StructuralSchema p = s.properties == null ? null : s.properties.get(r);
                boolean present = map.get(r) != null || (map.containsKey(r) && p != null && p.resolve().nullable);
                if (!present && (p == null || !p.resolve().hasDefault)) {
                    // At the line of the object that lacks it (its key, or its first line in a list).
                    At missing = at.field(map, r);
                    add(Kind.REQUIRED, new At(missing.path(), at.holder(), at.key(), at.container()), at.path(),
                            "missing required field \"" + r + "\"", Set.of());
                }
            }
        }
        boolean strict = !lenient && !s.preserveUnknownFields && !s.additionalAllowed
                && (s.properties != null || s.additionalForbidden);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            StructuralSchema p = s.properties == null ? null : s.properties.get(key);
            if (p != null) {
                walk(e.getValue(), p, at.field(map, key), lenient, false);
            } else if (s.additionalProperties != null) {
                walk(e.getValue(), s.additionalProperties, at.entry(map, key), lenient, false);
            } else if (strict && !(resource && RESOURCE_FIELDS.contains(key))) {
                add(Kind.UNKNOWN_FIELD, at.field(map, key), at.path(), "unknown field \"" + key + "\"",
                        s.properties == null ? Set.of() : s.properties.keySet());
            }
        }
    }

    private void checkValue(Object value, StructuralSchema s, At at) {
        if (s.enumValues != null && s.enumValues.stream().noneMatch(v -> same(v, value))) {
            value(at, describe(value) + " is not one of " + s.enumValues.stream()
                    .map(SchemaValidator::describeShort).collect(Collectors.joining(", ")));
        }
        switch (value) {
            case String str -> {
                long length = str.codePointCount(0, str.length());
                if (s.minLength != null && length < s.minLength) {
                    value(at, describe(value) + " is " + length + " characters long, shorter than the minimum "
                            + s.minLength);
                }
                if (s.maxLength != null && length > s.maxLength) {
                    value(at, describe(value) + " is " + length + " characters long, longer than the maximum "
                            + s.maxLength);
                }
                if (s.pattern != null && Boolean.FALSE.equals(matches(s, str))) {
                    value(at, describe(value) + " does not match the pattern " + s.patternText);
                }
            }
            case Number n -> checkNumber(n, s, at);
            case List<?> l -> {
                if (s.minItems != null && l.size() < s.minItems) {
                    value(at, "has " + l.size() + " items, fewer than the minimum " + s.minItems);
                }
                if (s.maxItems != null && l.size() > s.maxItems) {
                    value(at, "has " + l.size() + " items, more than the maximum " + s.maxItems);
                }
            }
            case Map<?, ?> m -> {
                if (s.minProperties != null && m.size() < s.minProperties) {
                    value(at, "has " + m.size() + " fields, fewer than the minimum " + s.minProperties);
                }
                if (s.maxProperties != null && m.size() > s.maxProperties) {
                    value(at, "has " + m.size() + " fields, more than the maximum " + s.maxProperties);
                }
            }
            default -> {
            }
        }
    }

    private void checkNumber(Number n, StructuralSchema s, At at) {
        BigDecimal d = decimal(n);
        if (d == null) {
            return;
        }
        if ("int32".equals(s.format) && (d.compareTo(INT32_MIN) < 0 || d.compareTo(INT32_MAX) > 0)) {
            value(at, n + " does not fit a 32-bit integer (int32)");
        } else if ("int64".equals(s.format) && (d.compareTo(INT64_MIN) < 0 || d.compareTo(INT64_MAX) > 0)) {
            value(at, n + " does not fit a 64-bit integer (int64)");
        }
        if (s.minimum != null) {
            int c = d.compareTo(s.minimum);
            if (c < 0 || (c == 0 && s.exclusiveMinimum)) {
                value(at, n + " is below the " + (s.exclusiveMinimum ? "exclusive " : "") + "minimum "
                        + s.minimum.toPlainString());
            }
        }
        if (s.maximum != null) {
            int c = d.compareTo(s.maximum);
            if (c > 0 || (c == 0 && s.exclusiveMaximum)) {
                value(at, n + " is above the " + (s.exclusiveMaximum ? "exclusive " : "") + "maximum "
                        + s.maximum.toPlainString());
            }
        }
        if (s.multipleOf != null && s.multipleOf.signum() > 0 && d.remainder(s.multipleOf).signum() != 0) {
            value(at, n + " is not a multiple of " + s.multipleOf.toPlainString());
        }
    }

    private static boolean typeMatches(Object value, StructuralSchema s) {
        if (s.intOrString) {
            return value instanceof String || isInteger(value);
        }
        if (s.numberOrString) {
            return value instanceof String || value instanceof Number;
        }
        return switch (s.type) {
            case ANY -> true;
            case OBJECT -> value instanceof Map<?, ?>;
            case ARRAY -> value instanceof List<?>;
            case STRING -> value instanceof String;
            case INTEGER -> isInteger(value);
            case NUMBER -> value instanceof Number && decimal((Number) value) != null;
            case BOOLEAN -> value instanceof Boolean;
        };
    }

    /**
     * YAML's {@code 3.0} reaches the API server as JSON {@code 3} (kubectl and Helm convert through float64), so
     * a whole float is an integer here too.
     */
    private static boolean isInteger(Object value) {
        return switch (value) {
            case Long l -> true;
            case Integer i -> true;
            case BigInteger b -> true;
            case Double d -> !d.isNaN() && !d.isInfinite() && d == Math.rint(d);
            default -> false;
        };
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return null;
        }
        try {
            return new BigDecimal(n.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean same(Object allowed, Object value) {
        if (allowed instanceof Number a && value instanceof Number v) {
            BigDecimal x = decimal(a);
            BigDecimal y = decimal(v);
            return x != null && y != null && x.compareTo(y) == 0;
        }
        return allowed == null ? value == null : allowed.equals(value);
    }

    /** @return whether the string matches, or null when the match ran out of its budget (not judged) */
    private static Boolean matches(StructuralSchema s, String str) {
        try {
            return s.pattern.matcher(new Budgeted(str, MATCH_BUDGET)).find();
        } catch (Budgeted.Exhausted e) {
            return null;
        }
    }

    private static String expected(StructuralSchema s) {
        if (s.intOrString) {
            return "an integer or a string";
        }
        if (s.numberOrString) {
            return "a number or a string (a quantity)";
        }
        return switch (s.type) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case INTEGER -> "an integer";
            default -> "a " + s.type.word();
        };
    }

    /** A value as messages show it: its JSON type and, for scalars, the value (long strings cut). */
    static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "string " + describeShort(s);
            case Boolean b -> "boolean " + b;
            case Number n -> (isInteger(n) ? "integer " : "number ") + n;
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            default -> value.getClass().getSimpleName();
        };
    }

    private static String describeShort(Object value) {
        if (value instanceof String s) {
            String shown = s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "..." : s;
            return "\"" + shown.replace("\n", "\\n") + "\"";
        }
        return String.valueOf(value);
    }

    private void value(At at, String message) {
        add(Kind.VALUE, at, at.path(), message, Set.of());
    }

    private void add(Kind kind, At at, String where, String message, Set<String> known) {
        count++;
        if (violations.size() < max) {
            violations.add(new Violation(kind, at.path(), where, message, at.holder(), at.key(), at.container(),
                    known));
        }
    }

    private static String lastSegment(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    /** A string whose characters may be read a bounded number of times, to stop a backtracking match. */
    private record Budgeted(String text, int[] left) implements CharSequence {

        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super(null, null, false, false);
            }
        }

        Budgeted(String text, int budget) {
            this(text, new int[] {budget});
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (--left[0] < 0) {
                throw new Exhausted();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budgeted(text.substring(start, end), left);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
