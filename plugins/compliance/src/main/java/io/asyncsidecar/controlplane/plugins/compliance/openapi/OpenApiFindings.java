package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.Severity;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The findings of one check while it runs: rules off in the config make none, configured severities replace the
 * rules' own, the same finding made twice (a component reached through two references) is kept once, and past
 * {@link OpenApiLimits#maxFindings()} findings are only counted. {@link #toFindings()} then adds source lines and
 * applies the {@value #IGNORE_EXTENSION} extension.
 */
final class OpenApiFindings {

    /**
     * The extension that silences checks on an object and everything inside it: a map from check id to reason,
     * e.g. {@code x-controlplane-ignore-checks: {openapi.operation-security: "health probes are public"}}.
     */
    static final String IGNORE_EXTENSION = "x-controlplane-ignore-checks";

    /**
     * A finding before its line is known.
     *
     * @param rule        the rule
     * @param severity    its severity, configuration applied
     * @param document    the file it is in
     * @param pointer     where in the file
     * @param kind        what the value is (Operation, Parameter, Schema, ...)
     * @param message     what is wrong, naming the value
     * @param remediation what to do, or null
     */
    record Pending(OpenApiRule rule, Severity severity, OpenApiDocument document, String pointer, String kind,
                   String message, String remediation) {
    }

    private final OpenApiSettings settings;
    private final Set<String> seen = new HashSet<>();
    private final List<Pending> pending = new ArrayList<>();
    private final List<Finding> fileFindings = new ArrayList<>();
    private int dropped;

    OpenApiFindings(OpenApiSettings settings) {
        this.settings = settings;
    }

    /**
     * Whether a rule is on, so a rule can skip work whose findings nobody wants.
     *
     * @param rule the rule
     * @return true unless configured off
     */
    boolean enabled(OpenApiRule rule) {
        return settings.enabled(rule);
    }

    /**
     * Adds a finding at a value, at the rule's default severity.
     *
     * @param rule        the rule
     * @param at          the value
     * @param kind        what the value is
     * @param message     what is wrong
     * @param remediation what to do, or null
     */
    void add(OpenApiRule rule, OpenApiNode at, String kind, String message, String remediation) {
        add(rule, rule.defaultSeverity(), at.document(), at.pointer(), kind, message, remediation);
    }

    /**
     * Adds a finding.
     *
     * @param rule        the rule
     * @param severity    the finding's own severity (the config may replace it)
     * @param document    the file
     * @param pointer     where in the file
     * @param kind        what the value is
     * @param message     what is wrong
     * @param remediation what to do, or null
     */
    void add(OpenApiRule rule, Severity severity, OpenApiDocument document, String pointer, String kind,
             String message, String remediation) {
        if (!settings.enabled(rule)) {
            return;
        }
        if (!seen.add(rule.id() + '\u0000' + document.name() + '\u0000' + pointer + '\u0000' + message)) {
            return;
        }
        if (pending.size() >= settings.limits().maxFindings()) {
            dropped++;
            return;
        }
        pending.add(new Pending(rule, settings.severity(rule, severity), document, pointer, kind, message,
                remediation));
    }

    /**
     * Adds a finding about a whole file that has no tree (it could not be parsed), before the others.
     *
     * @param rule        the rule
     * @param file        the file's name
     * @param line        the line, or 0
     * @param message     what is wrong
     * @param remediation what to do, or null
     */
    void addFile(OpenApiRule rule, String file, int line, String message, String remediation) {
        if (settings.enabled(rule) && seen.add(rule.id() + '\u0000' + file + '\u0000' + message)) {
            fileFindings.add(Finding.of(rule.id(), settings.severity(rule, rule.defaultSeverity()),
                    new ObjectRef(null, "Document", null, ""), file, line, message, remediation));
        }
    }

    /** @return the findings so far, in the order made */
    List<Pending> pending() {
        return pending;
    }

    /** @return the findings with their lines, ignored ones marked, and a note for those over the limit */
    List<Finding> toFindings() {
        Map<OpenApiDocument, Set<String>> pointers = new IdentityHashMap<>();
        for (Pending p : pending) {
            pointers.computeIfAbsent(p.document(), d -> new LinkedHashSet<>()).add(p.pointer());
        }
        Map<OpenApiDocument, Map<String, Integer>> lines = new IdentityHashMap<>();
        pointers.forEach((doc, ps) -> lines.put(doc, doc.lines(ps)));
        List<Finding> out = new ArrayList<>(fileFindings.size() + pending.size() + 1);
        out.addAll(fileFindings);
        for (Pending p : pending) {
            int line = lines.get(p.document()).getOrDefault(p.pointer(), 0);
            Finding f = Finding.of(p.rule().id(), p.severity(), new ObjectRef(null, p.kind(), null, p.pointer()),
                    p.document().name(), line, p.message(), p.remediation());
            String reason = ignoreReason(p);
            out.add(reason == null ? f : f.ignore(reason));
        }
        if (dropped > 0) {
            out.add(Finding.of(OpenApiRule.LIMIT.id(), Severity.WARNING, null, null, 0, dropped
                            + " more findings were made and not listed: the limit is "
                            + settings.limits().maxFindings() + " (plugins.compliance.openapi.limits.max-findings)",
                    "Fix or turn off the rule with the most findings and check again."));
        }
        return out;
    }

    /** The reason the finding's value or one of its ancestors in the same file gives for ignoring its rule. */
    private static String ignoreReason(Pending p) {
        JsonNode root = p.document().root();
        if (root == null) {
            return null;
        }
        List<String> segments = OpenApiNode.segments(p.pointer());
        JsonNode node = root;
        String reason = reason(node, p.rule().id());
        for (String s : segments) {
            if (node.isObject()) {
                node = node.get(s);
            } else if (node.isArray() && s.chars().allMatch(Character::isDigit) && !s.isEmpty()) {
                node = node.get(Integer.parseInt(s));
            } else {
                node = null;
            }
            if (node == null) {
                break;
            }
            String r = reason(node, p.rule().id());
            if (r != null) {
                reason = r;
            }
        }
        return reason;
    }

    private static String reason(JsonNode node, String ruleId) {
        JsonNode ext = node.isObject() ? node.get(IGNORE_EXTENSION) : null;
        if (ext == null || !ext.isObject() || !ext.has(ruleId)) {
            return null;
        }
        JsonNode r = ext.get(ruleId);
        return r.isTextual() ? r.textValue() : "";
    }
}
