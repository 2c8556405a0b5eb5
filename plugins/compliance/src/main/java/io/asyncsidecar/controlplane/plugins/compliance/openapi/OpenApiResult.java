package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.asyncsidecar.controlplane.spi.checks.CheckReport;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * What one OpenAPI check found: the findings, and the members the JSON answer carries before them (the original
 * GUI's {@code ok}, {@code paths_total}, {@code non_v1_paths}; the spec read; every path's verdict). {@code ok} is
 * true when the verdict is not {@code fail}.
 *
 * @param findings   every finding, ignored ones included
 * @param members    the check's own JSON members, in order
 * @param pathsTotal how many paths the spec documents
 * @param compliant  how many of them are under the prefix
 * @param operations how many operations the spec documents
 * @param partial    whether the check stopped at its time limit
 */
public record OpenApiResult(List<Finding> findings, Map<String, Object> members, int pathsTotal, int compliant,
                            int operations, boolean partial) {

    /** The engine named in the summary: the parser that read the document's structure. */
    public static final String ENGINE = "swagger-parser";

    /**
     * Copies the parts.
     *
     * @param findings   the findings
     * @param members    the members
     * @param pathsTotal paths
     * @param compliant  compliant paths
     * @param operations operations
     * @param partial    whether the check stopped early
     */
    public OpenApiResult {
        findings = List.copyOf(findings);
        members = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /**
     * The verdict: {@code fail} with any active error, {@code warn} with any active warning, else {@code pass}.
     *
     * @return the verdict
     */
    public String verdict() {
        return verdict(findings);
    }

    /**
     * The verdict of findings.
     *
     * @param findings the findings, ignored ones included (they do not count)
     * @return {@code fail}, {@code warn} or {@code pass}
     */
    public static String verdict(List<Finding> findings) {
        boolean warning = false;
        for (Finding f : findings) {
            if (f.ignored()) {
                continue;
            }
            if (f.severity() == Severity.ERROR) {
                return "fail";
            }
            warning |= f.severity() == Severity.WARNING;
        }
        return warning ? "warn" : "pass";
    }

    /**
     * The JSON answer: this check's members, then the report's summary with the verdict and counts added, then the
     * findings and ignored findings, each with its JSON pointer beside the fields every check endpoint writes.
     *
     * @param report the report made of {@link #findings()}
     * @return plain maps and lists
     */
    public Map<String, Object> toJson(CheckReport report) {
        Map<String, Object> body = new LinkedHashMap<>(members);
        body.put("summary", summary(report));
        body.put("findings", withPointers(report.active()));
        body.put("ignored", withPointers(report.ignored()));
        return body;
    }

    /**
     * The summary of a report with this check's counts.
     *
     * @param report the report
     * @return the report's summary, then verdict, paths, compliant paths, operations, partial and findings per rule
     */
    public Map<String, Object> summary(CheckReport report) {
        Map<String, Object> s = new LinkedHashMap<>(report.summary());
        s.put("verdict", verdict());
        s.put("paths", pathsTotal);
        s.put("paths_compliant", compliant);
        s.put("operations", operations);
        s.put("partial", partial);
        Map<String, Integer> byRule = new TreeMap<>();
        for (Finding f : report.active()) {
            byRule.merge(f.checkId(), 1, Integer::sum);
        }
        s.put("by_rule", byRule);
        return s;
    }

    private static List<Map<String, Object>> withPointers(List<Finding> findings) {
        List<Map<String, Object>> out = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            Map<String, Object> m = f.toJson();
            m.put("pointer", f.object() == null ? null : f.object().name());
            out.add(m);
        }
        return out;
    }
}
