package io.asyncsidecar.controlplane.plugins.helm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.cel.CelEvaluator;
import io.asyncsidecar.controlplane.kit.cel.CelExpression;
import io.asyncsidecar.controlplane.kit.cel.CelResult;
import io.asyncsidecar.controlplane.kit.checks.IgnoreAnnotations;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.helidon.config.Config;

/**
 * Checks a site writes in its config as CEL expressions over one object ({@code plugins.helm.custom-checks}),
 * each reported as {@code helm.custom.<id>}:
 *
 * <pre>
 * plugins:
 *   helm:
 *     custom-checks:
 *       - id: team-label                        # required: [a-z0-9][a-z0-9-]*, unique
 *         severity: warning                     # error | warning (default) | info
 *         kinds: [Deployment, StatefulSet]      # or kind: Deployment; absent: every object
 *         apiVersion: apps/v1                   # optional
 *         expression: "has(object.metadata.labels) &amp;&amp; 'team' in object.metadata.labels"  # true = passes
 *         message: every workload names its owning team   # required
 *         remediation: Add metadata.labels.team.          # optional
 * </pre>
 *
 * <p>A bad entry (unknown key, no id, a malformed or repeated id, an unknown severity, no message, no expression,
 * an expression that does not compile or uses a library the evaluator lacks) fails the plugin's init with an
 * {@link IllegalArgumentException} naming {@code plugins.helm.custom-checks[index].key}, so a site learns at
 * start-up instead of from checks that never fire. An expression that fails on an object (no such key, a limit)
 * is a finding of its check saying so.
 */
final class CustomCelChecks implements ObjectChecks {

    static final String KEY = "custom-checks";
    static final String PREFIX = "helm.custom.";
    private static final String AT = "plugins.helm." + KEY;
    private static final List<String> KEYS = List.of("id", "severity", "kinds", "kind", "apiVersion", "expression",
            "message", "remediation");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /**
     * One configured check.
     *
     * @param id          the id, without the {@value #PREFIX} prefix
     * @param severity    the severity of its findings
     * @param kinds       the kinds it looks at; empty: every kind
     * @param apiVersion  the apiVersion it looks at, or null for any
     * @param expression  the compiled expression over {@code object}
     * @param message     what a failing object breaks
     * @param remediation what to do, or null
     */
    record Check(String id, Severity severity, List<String> kinds, String apiVersion, CelExpression expression,
                 String message, String remediation) {

        String checkId() {
            return PREFIX + id;
        }

        boolean applies(RenderedObject o) {
            return (kinds.isEmpty() || kinds.contains(o.kind()))
                    && (apiVersion == null || apiVersion.equals(ManifestValues.string(o.manifest(), "apiVersion")));
        }
    }

    private final List<Check> checks;
    private final List<CheckRule> rules;

    private CustomCelChecks(List<Check> checks) {
        this.checks = List.copyOf(checks);
        this.rules = checks.stream().map(c -> new CheckRule(c.checkId(), c.severity(), c.message())).toList();
    }

    /**
     * Reads {@code plugins.helm.custom-checks}.
     *
     * @param config the {@code plugins.helm} subtree
     * @return the checks (none when the key is absent)
     * @throws IllegalArgumentException naming the entry and key of a bad value
     */
    static CustomCelChecks from(Config config) {
        Config node = config.get(KEY);
        if (!node.exists() || (node.type() == Config.Type.VALUE && node.asString().orElse("").isBlank())) {
            return new CustomCelChecks(List.of());
        }
        List<Config> items = items(node);
        if (items == null) {
            throw new IllegalArgumentException(AT + " must be a list of {id, severity, kinds, expression, message}"
                    + " entries");
        }
        CelEvaluator cel = CelEvaluator.create(List.of("object"));
        List<Check> checks = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Check c = entry(items.get(i), AT + "[" + i + "]", cel);
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException(AT + "[" + i + "].id: '" + c.id() + "' is used by an earlier"
                        + " entry; ids are unique");
            }
            checks.add(c);
        }
        return new CustomCelChecks(checks);
    }

    @Override
    public List<CheckRule> rules() {
        return rules;
    }

    @Override
    public List<Finding> check(ChartUnderCheck chart) {
        List<Finding> findings = new ArrayList<>();
        if (checks.isEmpty()) {
            return findings;
        }
        for (RenderedObject o : chart.objects()) {
            if (!CelRuleChecks.judgeable(chart, o)) {
                continue;
            }
            Map<String, Object> vars = Map.of("object", o.manifest());
            for (Check c : checks) {
                if (!c.applies(o)) {
                    continue;
                }
                CelResult r = c.expression().evaluate(vars);
                if (r.isTrue()) {
                    continue;
                }
                String message = r.isFalse() ? o.ref().display() + ": " + c.message()
                        : o.ref().display() + ": custom check " + c.id() + " could not be evaluated on it ("
                                + (r.hasValue() ? "it gave " + r.value() + ", not a boolean" : r.message()) + ")";
                String remediation = c.remediation() != null ? c.remediation()
                        : "Change the object so " + c.expression().text() + " holds (" + AT + ", id " + c.id() + ").";
                findings.add(IgnoreAnnotations.apply(Finding.of(c.checkId(), c.severity(), o.ref(),
                        o.document().file(), Math.max(0, o.line(o.manifest())), message, remediation), o.manifest()));
            }
        }
        return findings;
    }

    private static Check entry(Config node, String at, CelEvaluator cel) {
        if (node.type() != Config.Type.OBJECT) {
            throw new IllegalArgumentException(at + " must be an object with " + String.join(", ", KEYS));
        }
        for (Config child : node.asNodeList().orElse(List.of())) {
            if (!KEYS.contains(child.name())) {
                throw new IllegalArgumentException(at + ": unknown key '" + child.name() + "' (known: "
                        + String.join(", ", KEYS) + ")");
            }
        }
        String id = text(node.get("id"), at + ".id");
        if (id == null) {
            throw new IllegalArgumentException(at + ".id is missing: name the check, e.g. id: team-label (reported"
                    + " as " + PREFIX + "team-label)");
        }
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(at + ".id: '" + id + "' is not lower-case letters, digits and '-'");
        }
        String severityText = text(node.get("severity"), at + ".severity");
        Severity severity;
        try {
            severity = severityText == null ? Severity.WARNING : Severity.of(severityText.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ".severity: '" + severityText + "' is not error, warning or info",
                    e);
        }
        String message = text(node.get("message"), at + ".message");
        if (message == null) {
            throw new IllegalArgumentException(at + ".message is missing: say what a failing object breaks");
        }
        String expressionText = text(node.get("expression"), at + ".expression");
        if (expressionText == null) {
            throw new IllegalArgumentException(at + ".expression is missing: a CEL expression over 'object' that is"
                    + " true when the object passes");
        }
        CelExpression expression = cel.compile(expressionText);
        if (expression.problem() != null) {
            throw new IllegalArgumentException(at + ".expression: " + expression.problem().message() + " ("
                    + expressionText + ")");
        }
        List<String> kinds = new ArrayList<>(names(node.get("kinds"), at + ".kinds"));
        String kind = text(node.get("kind"), at + ".kind");
        if (kind != null) {
            kinds.add(kind);
        }
        return new Check(id, severity, kinds, text(node.get("apiVersion"), at + ".apiVersion"), expression, message,
                text(node.get("remediation"), at + ".remediation"));
    }

    private static List<String> names(Config node, String at) {
        if (!node.exists()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (node.type() == Config.Type.VALUE) {
            for (String s : node.asString().orElse("").split(",")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
            return out;
        }
        List<Config> items = items(node);
        if (items == null) {
            throw new IllegalArgumentException(at + " must be a list of kinds, e.g. [Deployment, StatefulSet]");
        }
        for (int i = 0; i < items.size(); i++) {
            String k = text(items.get(i), at + "[" + i + "]");
            if (k == null) {
                throw new IllegalArgumentException(at + "[" + i + "] is empty: name a kind");
            }
            out.add(k);
        }
        return out;
    }

    /** A list node, or an object whose children are named 0, 1, ... (properties and environment variables). */
    private static List<Config> items(Config node) {
        if (node.isList()) {
            return node.asNodeList().orElse(List.of());
        }
        if (node.type() == Config.Type.OBJECT) {
            List<Config> children = new ArrayList<>(node.asNodeList().orElse(List.of()));
            if (!children.isEmpty() && children.stream().allMatch(c -> c.name().matches("\\d{1,9}"))) {
                children.sort(Comparator.comparingInt(c -> Integer.parseInt(c.name())));
                return children;
            }
        }
        return null;
    }

    private static String text(Config node, String at) {
        if (!node.exists()) {
            return null;
        }
        if (node.type() != Config.Type.VALUE) {
            throw new IllegalArgumentException(at + " must be a single value");
        }
        String s = node.asString().orElse("").strip();
        return s.isEmpty() ? null : s;
    }
}
