package io.asyncsidecar.controlplane.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.asyncsidecar.controlplane.kit.checks.CheckTool;
import io.asyncsidecar.controlplane.kit.checks.JunitReport;
import io.asyncsidecar.controlplane.kit.checks.SarifLog;
import io.asyncsidecar.controlplane.spi.checks.CheckOutcome;
import io.asyncsidecar.controlplane.spi.checks.CheckParameters;
import io.asyncsidecar.controlplane.spi.checks.CheckReport;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * The combined report of one run of every plugin's workspace check ({@link WorkspaceChecks}), as JSON (the shape
 * {@code GET /api/checks} answers and the GUI's overview reads), a SARIF 2.1.0 log with one run per plugin, or JUnit
 * XML with one testsuite per plugin; the SARIF and JUnit writing is the plugin kit's, as every check route's is.
 *
 * <p>Scores are Polaris': {@code floor(100 * 2p / (2p + w + 2e))} for p passing checks, w warnings and e errors
 * (100 when there is nothing to count); active info findings and ignored findings count as neither. A plugin's p is
 * the number of rules it knows minus those that failed (had an active error or warning); an object's p is the number
 * of rules of the plugins that looked at it minus those that failed on it (a rule does not say which kinds it
 * applies to, so every rule of a plugin counts as applying to every object it looked at). The overall score adds up
 * the plugins' p, w and e. docs/CHECKS.md ("Scores") says the same.
 */
final class ChecksReport {

    /** The rule id of the finding that stands for a check that could not run, in JUnit XML. */
    static final String CHECK_FAILED = "checks.plugin-failed";

    /**
     * A plugin left out of the report: the caller lacks scopes its check needs.
     *
     * @param id     the plugin id
     * @param scopes the scopes the caller lacks, sorted
     */
    record LeftOut(String id, List<String> scopes) {
    }

    /**
     * One plugin's part: its outcome, or the problem that kept its check from answering.
     *
     * @param id       the plugin id
     * @param version  the plugin's version
     * @param rules    the rules its check knows
     * @param outcome  the outcome; null when the check failed
     * @param problem  why the check failed; null when it answered
     * @param millis   how long it ran
     */
    record PluginResult(String id, String version, List<CheckRule> rules, CheckOutcome outcome, String problem,
                        long millis) {

        PluginResult {
            rules = List.copyOf(rules);
        }

        static PluginResult of(String id, String version, List<CheckRule> rules, CheckOutcome outcome, long millis) {
            return new PluginResult(id, version, rules, Objects.requireNonNull(outcome, "outcome"), null, millis);
        }

        static PluginResult failed(String id, String version, List<CheckRule> rules, String problem, long millis) {
            return new PluginResult(id, version, rules, null, Objects.requireNonNull(problem, "problem"), millis);
        }

        /** @return the report; an empty, degraded one for a check that failed */
        CheckReport report() {
            return outcome == null ? CheckReport.of(List.of(), "none", true, millis) : outcome.report();
        }

        /** @return the check's tool as SARIF names it */
        CheckTool tool() {
            return new CheckTool("control-plane-" + id, version, rules);
        }
    }

    /** Passing checks, warnings and errors, as Polaris counts them. */
    private record Tally(int passes, int warnings, int errors) {
        Tally plus(Tally o) {
            return new Tally(passes + o.passes, warnings + o.warnings, errors + o.errors);
        }

        int score() {
            long denominator = 2L * passes + warnings + 2L * errors;
            return denominator == 0 ? 100 : (int) (200L * passes / denominator);
        }
    }

    private final CheckParameters parameters;
    private final List<PluginResult> plugins;
    private final List<LeftOut> leftOut;
    private final long millis;

    /**
     * A report.
     *
     * @param parameters the run's parameters
     * @param plugins    every plugin's part, in load order
     * @param leftOut    the plugins left out
     * @param millis     how long the whole run took
     */
    ChecksReport(CheckParameters parameters, List<PluginResult> plugins, List<LeftOut> leftOut, long millis) {
        this.parameters = parameters;
        this.plugins = List.copyOf(plugins);
        this.leftOut = List.copyOf(leftOut);
        this.millis = millis;
    }

    /** @return every plugin's part */
    List<PluginResult> plugins() {
        return plugins;
    }

    /** @return the plugins left out */
    List<LeftOut> leftOut() {
        return leftOut;
    }

    /** @return how many checks could not run */
    int problems() {
        return (int) plugins.stream().filter(p -> p.problem() != null).count();
    }

    /**
     * @param severity a severity
     * @return the active findings of that severity, over every plugin
     */
    int count(Severity severity) {
        return (int) plugins.stream().flatMap(p -> p.report().active().stream())
                .filter(f -> f.severity() == severity).count();
    }

    /** @return the overall score */
    int score() {
        Tally all = new Tally(0, 0, 0);
        for (PluginResult p : plugins) {
            if (p.outcome() != null) {
                all = all.plus(tally(p));
            }
        }
        return all.score();
    }

    /**
     * @param p a plugin's part
     * @return its score; null for a check that could not run
     */
    static Integer score(PluginResult p) {
        return p.outcome() == null ? null : tally(p).score();
    }

    /**
     * The JSON answer of {@code GET /api/checks}.
     *
     * @return plain maps and lists
     */
    Map<String, Object> toJson() {
        List<Map<String, Object>> objects = objects();
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("values", parameters.all("values"));
        given.put("kubeVersion", parameters.first("kubeVersion").orElse(null));
        given.put("app", parameters.first("app").orElse(null));
        body.put("parameters", given);
        Map<String, Object> summary = new LinkedHashMap<>();
        for (Severity s : Severity.values()) {
            summary.put(s.json(), count(s));
        }
        summary.put("ignored", plugins.stream().mapToInt(p -> p.report().ignored().size()).sum());
        summary.put("score", score());
        summary.put("objects", objects.size());
        summary.put("plugins", plugins.size());
        summary.put("problems", problems());
        summary.put("left_out", leftOut.size());
        summary.put("duration_ms", millis);
        body.put("summary", summary);
        List<Map<String, Object>> parts = new ArrayList<>();
        for (PluginResult p : plugins) {
            CheckReport report = p.report();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("version", p.version());
            m.put("engine", p.outcome() == null ? null : report.engine());
            m.put("degraded", report.degraded());
            m.put("score", score(p));
            Map<String, Object> s = report.summary();
            if (p.outcome() == null) {
                s.put("engine", null);
            }
            m.put("summary", s);
            if (p.problem() != null) {
                m.put("problem", p.problem());
            }
            m.put("details", p.outcome() == null ? Map.of() : p.outcome().details());
            parts.add(m);
        }
        body.put("plugins", parts);
        body.put("left_out", leftOut.stream().map(l -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", l.id());
            m.put("reason", "needs scope" + (l.scopes().size() == 1 ? " " : "s ") + String.join(", ", l.scopes()));
            m.put("scopes", l.scopes());
            return m;
        }).toList());
        body.put("objects", objects);
        body.put("findings", findings(false));
        body.put("ignored", findings(true));
        return body;
    }

    /**
     * The SARIF log: one run per plugin (its tool named {@code control-plane-<id>} with its rules), a check that
     * could not run being a run without results whose invocation says why.
     *
     * @return the log, plain maps and lists
     */
    Map<String, Object> toSarif() {
        List<Map<String, Object>> runs = new ArrayList<>();
        for (PluginResult p : plugins) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("plugin", p.id());
            if (p.outcome() != null) {
                properties.put("score", tally(p).score());
            }
            Map<String, Object> run = new LinkedHashMap<>(SarifLog.run(p.tool(), p.report(), properties));
            Map<String, Object> invocation = new LinkedHashMap<>();
            invocation.put("executionSuccessful", p.problem() == null);
            if (p.problem() != null) {
                invocation.put("toolExecutionNotifications", List.of(Map.of("level", "error",
                        "message", Map.of("text", p.problem()))));
            }
            run.put("invocations", List.of(invocation));
            runs.add(run);
        }
        return SarifLog.of(runs);
    }

    /**
     * JUnit XML: one testsuite per plugin, named {@code control-plane (<id>)}; a check that could not run is one
     * failing testcase {@value #CHECK_FAILED} with its problem.
     *
     * @param version the control plane's version
     * @return the document, UTF-8
     */
    byte[] toJunit(String version) {
        List<JunitReport.Suite> suites = new ArrayList<>();
        for (PluginResult p : plugins) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("plugin", p.id());
            properties.put("plugin.version", p.version());
            CheckReport report = p.report();
            if (p.problem() != null) {
                report = CheckReport.of(List.of(Finding.of(CHECK_FAILED, Severity.ERROR, null, null, 0,
                        "the " + p.id() + " check could not run: " + p.problem(),
                        "See the control plane's log.")), "none", true, p.millis());
            } else {
                properties.put("score", tally(p).score());
            }
            suites.add(new JunitReport.Suite(p.id(), report, properties));
        }
        return JunitReport.of(new CheckTool("control-plane", version, List.of()), suites);
    }

    private List<Map<String, Object>> findings(boolean ignored) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PluginResult p : plugins) {
            for (Finding f : ignored ? p.report().ignored() : p.report().active()) {
                Map<String, Object> m = f.toJson();
                m.put("plugin", p.id());
                out.add(m);
            }
        }
        return out;
    }

    private static Tally tally(PluginResult p) {
        Set<String> rules = new HashSet<>();
        p.rules().forEach(r -> rules.add(r.id()));
        Set<String> failed = new HashSet<>();
        int warnings = 0;
        int errors = 0;
        for (Finding f : p.report().active()) {
            if (f.severity() == Severity.INFO) {
                continue;
            }
            if (f.severity() == Severity.ERROR) {
                errors++;
            } else {
                warnings++;
            }
            if (rules.contains(f.checkId())) {
                failed.add(f.checkId());
            }
        }
        return new Tally(rules.size() - failed.size(), warnings, errors);
    }

    /** One object several plugins may report on. */
    private static final class ObjectTally {
        final String kind;
        final String namespace;
        final String name;
        String file;
        final Set<String> plugins = new TreeSet<>();
        final Set<String> failed = new HashSet<>();
        int errors;
        int warnings;
        int infos;

        ObjectTally(String kind, String namespace, String name) {
            this.kind = kind;
            this.namespace = namespace;
            this.name = name;
        }
    }

    /** Every object a finding names, and those a plugin lists in its details' {@code objects}, with scores. */
    private List<Map<String, Object>> objects() {
        Map<String, ObjectTally> byKey = new LinkedHashMap<>();
        Map<String, Set<String>> rulesOf = new HashMap<>();
        for (PluginResult p : plugins) {
            Set<String> rules = rulesOf.computeIfAbsent(p.id(), k -> new HashSet<>());
            p.rules().forEach(r -> rules.add(r.id()));
            for (Finding f : p.report().findings()) {
                ObjectRef o = f.object();
                if (o == null || o.kind() == null || o.name() == null) {
                    continue;
                }
                rules.add(f.checkId());
                ObjectTally t = byKey.computeIfAbsent(key(o.kind(), o.namespace(), o.name()),
                        k -> new ObjectTally(o.kind(), o.namespace(), o.name()));
                t.plugins.add(p.id());
                if (t.file == null) {
                    t.file = f.file();
                }
                if (f.ignored()) {
                    continue;
                }
                switch (f.severity()) {
                    case ERROR -> {
                        t.errors++;
                        t.failed.add(f.checkId());
                    }
                    case WARNING -> {
                        t.warnings++;
                        t.failed.add(f.checkId());
                    }
                    case INFO -> t.infos++;
                }
            }
            if (p.outcome() != null && p.outcome().details().get("objects") instanceof List<?> listed) {
                for (Object item : listed) {
                    if (item instanceof Map<?, ?> m && m.get("kind") instanceof String kind
                            && m.get("name") instanceof String name) {
                        String ns = m.get("namespace") instanceof String s ? s : null;
                        ObjectTally t = byKey.computeIfAbsent(key(kind, ns, name), k -> new ObjectTally(kind, ns, name));
                        t.plugins.add(p.id());
                        if (t.file == null && m.get("file") instanceof String file) {
                            t.file = file;
                        }
                    }
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (ObjectTally t : byKey.values()) {
            Set<String> applying = new HashSet<>();
            t.plugins.forEach(id -> applying.addAll(rulesOf.getOrDefault(id, Collections.emptySet())));
            int applicable = applying.size();
            int score = new Tally(Math.max(0, applicable - t.failed.size()), t.warnings, t.errors).score();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", t.kind);
            m.put("name", t.name);
            m.put("namespace", t.namespace);
            m.put("file", t.file);
            m.put("score", score);
            m.put("error", t.errors);
            m.put("warning", t.warnings);
            m.put("info", t.infos);
            m.put("plugins", List.copyOf(t.plugins));
            out.add(m);
        }
        // worst first, then by name, so the answer is the same for the same findings
        out.sort(Comparator.<Map<String, Object>>comparingInt(m -> (Integer) m.get("score"))
                .thenComparing(m -> (String) m.get("kind"))
                .thenComparing(m -> String.valueOf(m.get("namespace")))
                .thenComparing(m -> (String) m.get("name")));
        return out;
    }

    private static String key(String kind, String namespace, String name) {
        return kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
    }
}
