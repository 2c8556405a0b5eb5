package io.asyncsidecar.controlplane.plugins.helm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.helidon.config.Config;

/**
 * Every group of checks the helm plugin runs over a chart's objects, built once from the plugin's config.
 */
final class ChartChecks {

    private final List<ObjectChecks> groups;
    private final List<CheckRule> rules;

    private ChartChecks(List<ObjectChecks> groups) {
        this.groups = List.copyOf(groups);
        Map<String, CheckRule> byId = new LinkedHashMap<>();
        HelmRules.ALL.forEach(r -> byId.put(r.id(), r));
        for (ObjectChecks g : groups) {
            g.rules().forEach(r -> byId.putIfAbsent(r.id(), r));
        }
        this.rules = List.copyOf(byId.values());
    }

    /**
     * The checks as configured.
     *
     * @param config the {@code plugins.helm} subtree (may be missing)
     * @return the checks
     * @throws IllegalArgumentException naming the key of an invalid value
     */
    static ChartChecks from(Config config) {
        List<ObjectChecks> groups = new ArrayList<>();
        groups.add(new WorkloadChecks.Group(PodSpecChecks.Settings.from(config)));
        groups.add(DeprecatedApis.table());
        groups.add(SchemaChecks.from(config));
        groups.add(CelRuleChecks.from(config));
        groups.add(AdmissionPolicyChecks.from(config));
        groups.add(CustomCelChecks.from(config));
        return new ChartChecks(groups);
    }

    /** @return every rule of the plugin, HelmRules' own first */
    List<CheckRule> rules() {
        return rules;
    }

    /**
     * Runs every group.
     *
     * @param chart the chart's objects
     * @return all findings, group by group
     */
    List<Finding> check(ChartUnderCheck chart) {
        List<Finding> findings = new ArrayList<>();
        for (ObjectChecks g : groups) {
            findings.addAll(g.check(chart));
        }
        return findings;
    }
}
