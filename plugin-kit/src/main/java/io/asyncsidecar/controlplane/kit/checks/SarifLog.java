package io.asyncsidecar.controlplane.kit.checks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.asyncsidecar.controlplane.spi.checks.CheckReport;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * A {@link CheckReport} as a SARIF 2.1.0 log, the format code scanning tools (GitHub, GitLab, IDEs) read: one run
 * per report, one result per finding; ignored findings carry an {@code external} suppression with the
 * annotation's reason, so viewers show them as suppressed rather than hide them. The log is plain maps and lists
 * in a fixed member order, ready for {@link io.asyncsidecar.controlplane.kit.JsonCodec#writeBytes(Object)}.
 */
public final class SarifLog {

    /** The SARIF version written. */
    public static final String VERSION = "2.1.0";
    /** The JSON schema the log names. */
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private SarifLog() {
    }

    /**
     * The log of one report.
     *
     * @param tool   the tool that made it
     * @param report the report
     * @return the log
     */
    public static Map<String, Object> of(CheckTool tool, CheckReport report) {
        return of(List.of(run(tool, report, Map.of())));
    }

    /**
     * A log of several runs, e.g. one per values file a chart was rendered with.
     *
     * @param runs runs made by {@link #run}
     * @return the log
     */
    public static Map<String, Object> of(List<Map<String, Object>> runs) {
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("$schema", SCHEMA);
        log.put("version", VERSION);
        log.put("runs", List.copyOf(runs));
        return log;
    }

    /**
     * One run: the tool with its rules, the results, and the report's summary as the run's properties.
     *
     * @param tool       the tool; findings with a check id it does not list get a rule made from their id
     * @param report     the report
     * @param properties more run properties after the summary's (may be empty)
     * @return the run
     */
    public static Map<String, Object> run(CheckTool tool, CheckReport report, Map<String, ?> properties) {
        Map<String, CheckRule> known = new TreeMap<>();
        for (CheckRule r : tool.rules()) {
            known.put(r.id(), r);
        }
        for (Finding f : report.findings()) {
            known.putIfAbsent(f.checkId(), new CheckRule(f.checkId(), f.severity(), f.checkId()));
        }
        Map<String, Integer> ruleIndex = new HashMap<>();
        List<Map<String, Object>> rules = new ArrayList<>(known.size());
        for (CheckRule r : known.values()) {
            ruleIndex.put(r.id(), rules.size());
            rules.add(members("id", r.id(),
                    "shortDescription", members("text", r.description()),
                    "defaultConfiguration", members("level", level(r.severity()))));
        }
        List<Map<String, Object>> results = new ArrayList<>(report.findings().size());
        for (Finding f : report.findings()) {
            results.add(result(f, ruleIndex.get(f.checkId())));
        }
        Map<String, Object> driver = members("name", tool.name(), "version", tool.version(), "rules", rules);
        Map<String, Object> runProperties = new LinkedHashMap<>(report.summary());
        runProperties.putAll(properties);
        return members("tool", members("driver", driver), "results", results, "properties", runProperties);
    }

    /**
     * The SARIF level of a severity.
     *
     * @param severity the severity
     * @return {@code error}, {@code warning} or {@code note}
     */
    public static String level(Severity severity) {
        return switch (severity) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }

    private static Map<String, Object> result(Finding f, int ruleIndex) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ruleId", f.checkId());
        result.put("ruleIndex", ruleIndex);
        result.put("level", level(f.severity()));
        String text = f.remediation() == null ? f.message() : f.message() + " Remediation: " + f.remediation();
        result.put("message", members("text", text));
        if (f.file() != null) {
            Map<String, Object> physical = new LinkedHashMap<>();
            physical.put("artifactLocation", members("uri", f.file()));
            if (f.line() > 0) {
                physical.put("region", members("startLine", f.line()));
            }
            Map<String, Object> location = new LinkedHashMap<>();
            location.put("physicalLocation", physical);
            if (f.object() != null) {
                // the field, where known, is the most specific logical place; SARIF names it fully qualified
                String name = f.object().display() + (f.field() == null ? "" : "." + f.field());
                location.put("logicalLocations", List.of(members("name", name, "kind", "resource")));
            }
            result.put("locations", List.of(location));
        }
        if (f.ignored()) {
            Map<String, Object> suppression = members("kind", "external", "justification", f.ignoredReason());
            if (f.ignoredSource() != null) {
                suppression.put("properties", members("source", f.ignoredSource()));
            }
            result.put("suppressions", List.of(suppression));
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        if (f.container() != null) {
            properties.put("container", f.container());
        }
        if (f.field() != null) {
            properties.put("field", f.field());
        }
        if (!properties.isEmpty()) {
            result.put("properties", properties);
        }
        return result;
    }

    /** An object whose members keep the order given, so the same report always gives the same bytes. */
    private static Map<String, Object> members(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }
}
