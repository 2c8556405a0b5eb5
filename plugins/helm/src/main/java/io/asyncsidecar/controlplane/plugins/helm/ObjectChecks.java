package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;

import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;

/** One group of checks over a chart's objects, with the rules it reports under. */
interface ObjectChecks {

    /** @return every rule this group's findings use, for SARIF's and JUnit's rule lists and config ignores */
    List<CheckRule> rules();

    /**
     * Checks a chart.
     *
     * @param chart the chart's objects
     * @return the findings, ignore annotations applied
     */
    List<Finding> check(ChartUnderCheck chart);
}
