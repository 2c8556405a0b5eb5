package io.asyncsidecar.controlplane.spi.checks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The findings of one check run with its summary, rendered as the JSON every check endpoint answers by default
 * or as SARIF 2.1.0 ({@code ?format=sarif}).
 *
 * <p>JSON shape: {@code {"summary": {"error","warning","info","ignored","engine","degraded","duration_ms"},
 * "findings": [...], "ignored": [...]}}; plugins add their own members beside these.
 */
public final class CheckReport {

    private final List<Finding> findings;
    private final String engine;
    private final boolean degraded;
    private final long durationMillis;

    private CheckReport(List<Finding> findings, String engine, boolean degraded, long durationMillis) {
        this.findings = List.copyOf(findings);
        this.engine = Objects.requireNonNull(engine, "engine");
        this.degraded = degraded;
        this.durationMillis = durationMillis;
    }

    /**
     * A report.
     *
     * @param findings       all findings, active and ignored
     * @param engine         what produced the inspected objects, e.g. {@code helm-binary}, {@code helm-java},
     *                       {@code text}, {@code raw}
     * @param degraded       true when a better engine or a peer plugin was missing
     * @param durationMillis how long the check took
     * @return the report
     */
    public static CheckReport of(Collection<Finding> findings, String engine, boolean degraded, long durationMillis) {
        return new CheckReport(new ArrayList<>(findings), engine, degraded, durationMillis);
    }

    /** @return every finding, active and ignored */
    public List<Finding> findings() {
        return findings;
    }

    /** @return the findings not silenced by an ignore annotation */
    public List<Finding> active() {
        return findings.stream().filter(f -> !f.ignored()).toList();
    }

    /** @return the ignored findings */
    public List<Finding> ignored() {
        return findings.stream().filter(Finding::ignored).toList();
    }

    /** @return the engine name */
    public String engine() {
        return engine;
    }

    /** @return whether the report was made in a degraded mode */
    public boolean degraded() {
        return degraded;
    }

    /** @return counts per severity of active findings, plus ignored, engine, degraded and duration */
    public Map<String, Object> summary() {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, 0);
        }
        int ignored = 0;
        for (Finding f : findings) {
            if (f.ignored()) {
                ignored++;
            } else {
                counts.merge(f.severity(), 1, Integer::sum);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        counts.forEach((s, n) -> m.put(s.json(), n));
        m.put("ignored", ignored);
        m.put("engine", engine);
        m.put("degraded", degraded);
        m.put("duration_ms", durationMillis);
        return m;
    }

    /**
     * The JSON body: summary, findings and ignored, after the plugin's own members.
     *
     * @param extra the plugin's members (seed fields and details), in order; may be empty
     * @return a map ready for JSON-B
     */
    public Map<String, Object> toJson(Map<String, ?> extra) {
        Map<String, Object> m = new LinkedHashMap<>(extra);
        m.put("summary", summary());
        m.put("findings", active().stream().map(Finding::toJson).toList());
        m.put("ignored", ignored().stream().map(Finding::toJson).toList());
        return m;
    }

    /**
     * The SARIF 2.1.0 log of this report: one run, one result per finding; ignored findings carry an
     * {@code external} suppression with the annotation's reason.
     *
     * @param toolName    the tool's name, e.g. {@code control-plane-helm}
     * @param toolVersion the tool's version
     * @param rules       the checks the tool knows (findings with other ids get a rule made from their id)
     * @return a map ready for JSON-B
     */
    public Map<String, Object> toSarif(String toolName, String toolVersion, Collection<CheckRule> rules) {
        Map<String, CheckRule> known = new TreeMap<>();
        for (CheckRule r : rules) {
            known.put(r.id(), r);
        }
        for (Finding f : findings) {
            known.putIfAbsent(f.checkId(), new CheckRule(f.checkId(), f.severity(), f.checkId()));
        }
        List<String> ruleIds = new ArrayList<>(known.keySet());
        List<Map<String, Object>> ruleList = new ArrayList<>();
        for (CheckRule r : known.values()) {
            ruleList.add(Map.of("id", r.id(),
                    "shortDescription", Map.of("text", r.description()),
                    "defaultConfiguration", Map.of("level", r.severity().sarifLevel())));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", f.checkId());
            result.put("ruleIndex", ruleIds.indexOf(f.checkId()));
            result.put("level", f.severity().sarifLevel());
            String text = f.remediation() == null ? f.message() : f.message() + " Remediation: " + f.remediation();
            result.put("message", Map.of("text", text));
            if (f.file() != null) {
                Map<String, Object> physical = new LinkedHashMap<>();
                physical.put("artifactLocation", Map.of("uri", f.file()));
                if (f.line() > 0) {
                    physical.put("region", Map.of("startLine", f.line()));
                }
                Map<String, Object> location = new LinkedHashMap<>();
                location.put("physicalLocation", physical);
                if (f.object() != null) {
                    location.put("logicalLocations", List.of(Map.of("name", f.object().display(),
                            "kind", "resource")));
                }
                result.put("locations", List.of(location));
            }
            if (f.ignored()) {
                result.put("suppressions", List.of(Map.of("kind", "external", "justification", f.ignoredReason())));
            }
            results.add(result);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", toolName);
        driver.put("version", toolVersion);
        driver.put("rules", ruleList);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        run.put("results", results);
        run.put("properties", summary());
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        log.put("version", "2.1.0");
        log.put("runs", List.of(run));
        return log;
    }
}
