package io.asyncsidecar.controlplane.plugins.karpenter;

import java.util.List;

import io.asyncsidecar.controlplane.kit.checks.WorkspaceManifests;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * The karpenter plugin's check ids and their descriptions (SARIF rules).
 */
final class KarpenterRules {

    static final String DEPRECATED_API = "karpenter.deprecated-api";
    static final String REQUIREMENT_OPERATOR = "karpenter.requirement-operator";
    static final String REQUIREMENT_IN_VALUES = "karpenter.requirement-in-values";
    static final String REQUIREMENT_NUMERIC = "karpenter.requirement-numeric";
    static final String REQUIREMENT_MIN_VALUES = "karpenter.requirement-min-values";
    static final String RESTRICTED_LABEL = "karpenter.restricted-label";
    static final String TAINT = "karpenter.taint";
    static final String BUDGETS = "karpenter.disruption-budgets";
    static final String CONSOLIDATION = "karpenter.consolidation";
    static final String DURATIONS = "karpenter.durations";
    static final String LIMITS = "karpenter.limits";
    static final String WEIGHT = "karpenter.weight";
    static final String STATIC_POOL = "karpenter.static-pool";
    static final String NODE_CLASS_REF = "karpenter.node-class-ref";
    static final String NODECLASS_ROLE = "karpenter.nodeclass-role";
    static final String NODECLASS_SUBNETS = "karpenter.nodeclass-subnets";
    static final String NODECLASS_SECURITY_GROUPS = "karpenter.nodeclass-security-groups";
    static final String NODECLASS_AMI = "karpenter.nodeclass-ami";
    static final String NODECLASS_TAGS = "karpenter.nodeclass-tags";
    static final String AMI_PINNED = "karpenter.ami-pinned";
    static final String CPU_POOL = "karpenter.cpu-pool-present";
    static final String GPU_POOL = "karpenter.gpu-pool-present";
    static final String GPU_POOL_TAINT = "karpenter.gpu-pool-taint";
    static final String GPU_POOL_LIMIT = "karpenter.gpu-pool-limit";
    static final String CPU_POOL_REJECTS_GPU = "karpenter.cpu-pool-rejects-gpu";
    static final String GPU_WORKLOAD_POOL = "karpenter.gpu-workload-pool";
    static final String GPU_WORKLOAD_CAPACITY = "karpenter.gpu-workload-capacity";
    static final String CRD_RULE = "karpenter.crd-rule";

    static final List<CheckRule> RULES = WorkspaceManifests.withReadingRules(List.of(
            new CheckRule(DEPRECATED_API, Severity.WARNING,
                    "pools and node classes use karpenter.sh/v1 and karpenter.k8s.aws/v1, not v1beta1 or v1alpha5"),
            new CheckRule(REQUIREMENT_OPERATOR, Severity.ERROR, "requirement operators are ones Karpenter knows"),
            new CheckRule(REQUIREMENT_IN_VALUES, Severity.ERROR, "requirements with operator 'In' have a value"),
            new CheckRule(REQUIREMENT_NUMERIC, Severity.ERROR,
                    "'Gt', 'Lt', 'Gte' and 'Lte' have exactly one non-negative integer value"),
            new CheckRule(REQUIREMENT_MIN_VALUES, Severity.ERROR,
                    "minValues is 1..50 and not above the number of 'In' values"),
            new CheckRule(RESTRICTED_LABEL, Severity.ERROR,
                    "requirements and labels avoid Karpenter's restricted label domains"),
            new CheckRule(TAINT, Severity.ERROR, "taints have a valid key and effect"),
            new CheckRule(BUDGETS, Severity.ERROR,
                    "disruption budgets have a nodes count or percentage, and schedule and duration together"),
            new CheckRule(CONSOLIDATION, Severity.ERROR, "consolidationPolicy is one the API version knows and"
                    + " consolidateAfter, when set, is a duration or Never (v1 defaults it to 0s); on v1beta1,"
                    + " consolidateAfter is set with WhenEmpty and, unless Never, not with WhenUnderutilized"),
            new CheckRule(DURATIONS, Severity.ERROR, "expireAfter and terminationGracePeriod are durations"),
            new CheckRule(LIMITS, Severity.ERROR, "limits are resource quantities"),
            new CheckRule(WEIGHT, Severity.ERROR, "weight is between 1 and 100"),
            new CheckRule(STATIC_POOL, Severity.ERROR, "static pools (replicas) limit only nodes and have no weight"),
            new CheckRule(NODE_CLASS_REF, Severity.ERROR, "nodeClassRef is complete and resolves to a node class"),
            new CheckRule(NODECLASS_ROLE, Severity.ERROR, "a node class has exactly one of role or instanceProfile"),
            new CheckRule(NODECLASS_SUBNETS, Severity.ERROR, "a node class selects subnets"),
            new CheckRule(NODECLASS_SECURITY_GROUPS, Severity.ERROR, "a node class selects security groups"),
            new CheckRule(NODECLASS_AMI, Severity.ERROR, "a node class selects AMIs by a valid alias or term, or an AMI"
                    + " family"),
            new CheckRule(NODECLASS_TAGS, Severity.ERROR, "node class tags avoid keys Karpenter reserves"),
            new CheckRule(AMI_PINNED, Severity.WARNING, "AMIs are pinned, so new AMI releases do not replace nodes"
                    + " unannounced"),
            new CheckRule(CPU_POOL, Severity.ERROR, "there is a CPU node pool"),
            new CheckRule(GPU_POOL, Severity.ERROR, "there is a GPU node pool"),
            new CheckRule(GPU_POOL_TAINT, Severity.ERROR, "GPU pools taint their nodes so only GPU pods land there"),
            new CheckRule(GPU_POOL_LIMIT, Severity.ERROR, "GPU pools limit their GPU count"),
            new CheckRule(CPU_POOL_REJECTS_GPU, Severity.WARNING, "CPU pools cannot launch GPU instances"),
            new CheckRule(GPU_WORKLOAD_POOL, Severity.ERROR,
                    "each GPU workload tolerates the taint of exactly one GPU pool"),
            new CheckRule(GPU_WORKLOAD_CAPACITY, Severity.ERROR,
                    "each GPU workload fits under its pool's limits at its maximum replica count"),
            new CheckRule(CRD_RULE, Severity.ERROR, "pools and node classes pass the CEL rules"
                    + " (x-kubernetes-validations) of the CRDs given in plugins.karpenter.crds")));

    private KarpenterRules() {
    }
}
