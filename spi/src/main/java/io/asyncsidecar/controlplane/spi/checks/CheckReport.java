package io.asyncsidecar.controlplane.spi.checks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The findings of one check run with its summary: what a check plugin answers, and what crosses to whoever
 * combines several plugins' checks. The plugin kit writes it as JSON or as a SARIF log.
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

    /** @return the findings not silenced by an ignore (annotation or config) */
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
     * @param extra the plugin's own members (what it read and what it describes), in order; may be empty
     * @return plain maps and lists, ready to write as JSON
     */
    public Map<String, Object> toJson(Map<String, ?> extra) {
        Map<String, Object> m = new LinkedHashMap<>(extra);
        m.put("summary", summary());
        m.put("findings", active().stream().map(Finding::toJson).toList());
        m.put("ignored", ignored().stream().map(Finding::toJson).toList());
        return m;
    }
}
