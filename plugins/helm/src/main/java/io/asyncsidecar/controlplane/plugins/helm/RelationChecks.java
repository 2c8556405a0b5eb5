package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;

import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;

/**
 * The checks on how a chart's objects refer to each other: selectors, disruption budgets, autoscalers, network
 * policies, ingresses, RBAC.
 */
final class RelationChecks {

    /** The rules of this group. */
    static final List<CheckRule> RULES = List.of();

    private final WorkloadChecks owner;

    RelationChecks(WorkloadChecks owner) {
        this.owner = owner;
    }

    void check(List<WorkloadChecks.Workload> workloads, List<RenderedObject> objects, List<Finding> findings) {
    }
}
