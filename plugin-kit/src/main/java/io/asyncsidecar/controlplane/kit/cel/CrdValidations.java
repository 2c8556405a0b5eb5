package io.asyncsidecar.controlplane.kit.cel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;

/**
 * The {@code x-kubernetes-validations} rules of a CRD's structural schema, evaluated on an object as the API
 * server does on create: the object is first defaulted ({@code default}) and pruned (fields the schema does not
 * declare are dropped unless it preserves unknown fields), then every rule is evaluated with {@code self} bound to
 * the value at its schema node; rules on a node the object does not have are not evaluated. Property names are
 * escaped as Kubernetes does ({@code self.__namespace__}, {@code self.x__dash__y}).
 *
 * <p>Transition rules (those reading {@code oldSelf}) compare an update with the stored object, which does not
 * exist offline: they are skipped, except with {@code optionalOldSelf: true}, where {@code oldSelf} is
 * {@code optional.none()} as on create. A rule using a library the evaluator lacks is skipped too, with the
 * reason. Instances are thread-safe.
 */
public final class CrdValidations {

    /** The variables a rule sees; an evaluator given to {@link #CrdValidations} declares them. */
    public static final List<String> VARIABLES = List.of("self", "oldSelf");

    private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
            "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
            "var", "void", "while");
    private static final Pattern ESCAPABLE = Pattern.compile("[a-zA-Z_.\\-/][a-zA-Z0-9_.\\-/]*");
    private static final Set<String> RESOURCE_FIELDS = Set.of("apiVersion", "kind", "metadata");

    /**
     * A rule the object breaks, or one that failed to evaluate on it.
     *
     * @param path      where the rule's node is, e.g. {@code spec.template.spec.requirements[0]} ("" for the
     *                  object itself)
     * @param fieldPath the path the rule names ({@code fieldPath}, joined to {@code path}), or {@code path}
     * @param rule      the rule's expression
     * @param message   its message ({@code messageExpression}'s value, else {@code message}, else
     *                  "failed rule: ..."), or the evaluation error
     * @param reason    its {@code reason} ({@code FieldValueInvalid} when none is given)
     * @param outcome   what the rule gave: false, or an error
     * @param anchor    for line numbers: the original map holding the node under {@code key}, or else the nearest
     *                  map or list of the original object at or above the node (a list item, the object itself)
     * @param key       the node's key in {@code anchor}, or null
     */
    public record Violation(String path, String fieldPath, String rule, String message, String reason,
                            CelResult outcome, Object anchor, String key) {
    }

    /**
     * A rule that was not evaluated.
     *
     * @param path where its node is
     * @param rule the rule
     * @param why  why not (a transition rule; a library this evaluator lacks)
     */
    public record Skipped(String path, String rule, String why) {
    }

    /**
     * The outcome of one object.
     *
     * @param violations the rules it breaks (or that failed on it)
     * @param skipped    the rules not evaluated
     * @param evaluated  how many rule evaluations ran
     */
    public record Result(List<Violation> violations, List<Skipped> skipped, int evaluated) {
    }

    private final CelEvaluator cel;

    /**
     * Validations evaluated with this evaluator.
     *
     * @param cel an evaluator declaring {@link #VARIABLES}
     */
    public CrdValidations(CelEvaluator cel) {
        if (!cel.variables().containsAll(VARIABLES)) {
            throw new IllegalArgumentException("the evaluator must declare " + VARIABLES + ", it declares "
                    + cel.variables());
        }
        this.cel = cel;
    }

    /** @return an evaluator for CRD rules, with the default limits */
    public static CrdValidations create() {
        return new CrdValidations(CelEvaluator.create(VARIABLES));
    }

    /**
     * Evaluates every rule of a schema on an object.
     *
     * @param schema the CRD version's {@code openAPIV3Schema}
     * @param object the object (a plain manifest)
     * @return violations and skipped rules
     */
    public Result validate(Map<String, Object> schema, Map<String, Object> object) {
        Walk walk = new Walk();
        Object value = prepare(object, schema, true);
        walk.node(schema, value, object, null, object, "");
        return new Result(List.copyOf(walk.violations), List.copyOf(walk.skipped), walk.evaluated);
    }

    /**
     * Whether a schema holds any rule, so callers can skip objects of CRDs without.
     *
     * @param schema a schema
     * @return true when some node has {@code x-kubernetes-validations}
     */
    public static boolean hasRules(Object schema) {
        if (schema instanceof Map<?, ?> m) {
            if (m.get("x-kubernetes-validations") instanceof List<?> l && !l.isEmpty()) {
                return true;
            }
            for (Object v : m.values()) {
                if (hasRules(v)) {
                    return true;
                }
            }
        } else if (schema instanceof List<?> l) {
            for (Object v : l) {
                if (hasRules(v)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A property name as a CEL expression reaches it, or null when it cannot be reached.
     *
     * @param name the property name
     * @return e.g. {@code __namespace__} for {@code namespace}, {@code x__dash__y} for {@code x-y}
     */
    static String escape(String name) {
        if (RESERVED.contains(name)) {
            return "__" + name + "__";
        }
        if (!ESCAPABLE.matcher(name).matches()) {
            return null;
        }
        return name.replace("__", "__underscores__").replace(".", "__dot__").replace("-", "__dash__")
                .replace("/", "__slash__");
    }

    /** The value CEL sees: defaulted, pruned, escaped, in CEL's runtime form. */
    private static Object prepare(Object value, Object schemaNode, boolean root) {
        Map<String, Object> schema = schemaNode instanceof Map<?, ?> ? ManifestValues.map(schemaNode) : Map.of();
        if (value == null) {
            return CelValues.toCel(null);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> properties = ManifestValues.map(schema, "properties");
            Object additional = schema.get("additionalProperties");
            boolean preserve = Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"))
                    || Boolean.TRUE.equals(additional)
                    || (properties.isEmpty() && !(additional instanceof Map<?, ?>) && !schema.containsKey("type"));
            boolean embedded = root || Boolean.TRUE.equals(schema.get("x-kubernetes-embedded-resource"));
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = String.valueOf(e.getKey());
                Object v = e.getValue();
                if (v == null && !isNullable(properties.get(k))) {
                    continue;
                }
                if (properties.containsKey(k)) {
                    String name = escape(k);
                    if (name != null) {
                        out.put(name, prepare(v, properties.get(k), false));
                    }
                } else if (additional instanceof Map<?, ?> a) {
                    out.put(k, prepare(v, a, false));
                } else if (preserve || (embedded && RESOURCE_FIELDS.contains(k))) {
                    out.put(k, CelValues.toCel(v));
                }
            }
            properties.forEach((k, s) -> {
                String name = escape(k);
                if (name != null && !out.containsKey(name) && s instanceof Map<?, ?> sm && sm.containsKey("default")) {
                    out.put(name, prepare(sm.get("default"), s, false));
                }
            });
            return out;
        }
        if (value instanceof List<?> l) {
            Object items = schema.get("items");
            List<Object> out = new ArrayList<>(l.size());
            for (Object v : l) {
                out.add(prepare(v, items, false));
            }
            return out;
        }
        return CelValues.toCel(value);
    }

    private static boolean isNullable(Object schema) {
        return schema instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("nullable"));
    }

    /** One object's walk along its schema. */
    private final class Walk {

        final List<Violation> violations = new ArrayList<>();
        final List<Skipped> skipped = new ArrayList<>();
        int evaluated;

        /**
         * @param schema   the schema node
         * @param value    the prepared value there
         * @param original the original value there, or null when it was defaulted
         * @param key      the node's key in {@code anchor} when {@code anchor} is the map holding it, else null
         * @param anchor   the nearest original map or list above the node
         * @param path     the node's path
         */
        void node(Map<String, Object> schema, Object value, Object original, String key, Object anchor, String path) {
            boolean container = original instanceof Map<?, ?> || original instanceof List<?>;
            Object nextAnchor = container ? original : anchor;
            // a node under a key is reported at the key's line; a list item or the root at its own first line
            if (key != null && anchor instanceof Map<?, ?>) {
                rules(schema, value, path, anchor, key);
            } else {
                rules(schema, value, path, nextAnchor, null);
            }
            if (value instanceof Map<?, ?> m) {
                Map<String, Object> properties = ManifestValues.map(schema, "properties");
                Map<?, ?> origMap = original instanceof Map<?, ?> om ? om : Map.of();
                if (!properties.isEmpty()) {
                    for (Map.Entry<String, Object> p : properties.entrySet()) {
                        String name = escape(p.getKey());
                        if (name != null && m.containsKey(name) && p.getValue() instanceof Map<?, ?>) {
                            node(ManifestValues.map(p.getValue()), m.get(name), origMap.get(p.getKey()),
                                    p.getKey(), nextAnchor, child(path, p.getKey()));
                        }
                    }
                } else if (schema.get("additionalProperties") instanceof Map<?, ?> a) {
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        String k = String.valueOf(e.getKey());
                        node(ManifestValues.map(a), e.getValue(), origMap.get(k), k, nextAnchor, child(path, k));
                    }
                }
            } else if (value instanceof List<?> l && schema.get("items") instanceof Map<?, ?> items) {
                List<?> origList = original instanceof List<?> ol ? ol : List.of();
                for (int i = 0; i < l.size(); i++) {
                    node(ManifestValues.map(items), l.get(i), i < origList.size() ? origList.get(i) : null, null,
                            nextAnchor, path + "[" + i + "]");
                }
            }
        }

        private void rules(Map<String, Object> schema, Object value, String path, Object anchor, String key) {
            for (Map<String, Object> r : ManifestValues.maps(schema, "x-kubernetes-validations")) {
                String rule = ManifestValues.string(r, "rule");
                if (rule == null) {
                    continue;
                }
                CelExpression expr = cel.compile(rule);
                if (expr.problem() != null && expr.problem().kind() == CelResult.Kind.NOT_EVALUATED) {
                    skipped.add(new Skipped(path, rule, expr.problem().message()));
                    continue;
                }
                boolean optionalOld = Boolean.TRUE.equals(r.get("optionalOldSelf"));
                if (expr.references("oldSelf") && !optionalOld) {
                    skipped.add(new Skipped(path, rule, "transition rule: it compares with the stored object"
                            + " (oldSelf), which an object being created does not have"));
                    continue;
                }
                Map<String, Object> vars = new LinkedHashMap<>();
                vars.put("self", value);
                vars.put("oldSelf", Optional.empty());
                CelResult outcome = expr.evaluateConverted(vars);
                evaluated++;
                if (outcome.isTrue()) {
                    continue;
                }
                if (outcome.kind() == CelResult.Kind.NOT_EVALUATED) {
                    skipped.add(new Skipped(path, rule, outcome.message()));
                    continue;
                }
                String message;
                if (outcome.isFalse()) {
                    message = message(r, rule, vars);
                } else if (outcome.hasValue()) {
                    message = "rule gave " + outcome.value() + " instead of a boolean";
                    outcome = CelResult.error(message);
                } else {
                    message = "rule could not be evaluated: " + outcome.message();
                }
                String fieldPath = ManifestValues.string(r, "fieldPath");
                String full = fieldPath == null || fieldPath.isBlank() ? path
                        : (path + (fieldPath.startsWith(".") || fieldPath.startsWith("[") ? "" : ".") + fieldPath)
                        .replaceFirst("^\\.", "");
                String reason = ManifestValues.string(r, "reason");
                violations.add(new Violation(path, full, rule, message, reason == null ? "FieldValueInvalid" : reason,
                        outcome, anchor, key));
            }
        }

        private String message(Map<String, Object> r, String rule, Map<String, Object> vars) {
            String expression = ManifestValues.string(r, "messageExpression");
            if (expression != null) {
                CelResult m = cel.compile(expression).evaluateConverted(vars);
                if (m.hasValue() && m.value() instanceof String s && !s.isBlank()) {
                    return s;
                }
            }
            String message = ManifestValues.string(r, "message");
            return message != null && !message.isBlank() ? message : "failed rule: " + rule;
        }

        private static String child(String path, String key) {
            String k = key.matches("[A-Za-z_][A-Za-z0-9_]*") ? key : "['" + key + "']";
            return path.isEmpty() ? k : k.startsWith("[") ? path + k : path + "." + k;
        }
    }
}
