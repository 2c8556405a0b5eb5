package io.asyncsidecar.controlplane.plugins.karpenter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.BUDGETS;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.CONSOLIDATION;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.DEPRECATED_API;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.DURATIONS;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.LIMITS;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.NODE_CLASS_REF;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.REQUIREMENT_IN_VALUES;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.REQUIREMENT_MIN_VALUES;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.REQUIREMENT_NUMERIC;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.REQUIREMENT_OPERATOR;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.RESTRICTED_LABEL;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.STATIC_POOL;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.TAINT;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.WEIGHT;

/**
 * Karpenter's own validation of a node pool, offline: the OpenAPI patterns, enums and CEL rules of the
 * karpenter.sh_nodepools CRD (aws/karpenter-provider-aws pkg/apis/crds), applied to v1 NodePools and, where the
 * older APIs share them, to v1beta1 NodePools and v1alpha5 Provisioners. Messages quote the CRD's where it has one.
 */
final class NodePoolChecks {

    // patterns copied from the CRD so findings agree with what the API server would answer
    private static final Pattern BUDGET_NODES = Pattern.compile("^((100|[0-9]{1,2})%|[0-9]+)$");
    private static final Pattern BUDGET_DURATION = Pattern.compile("^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$");
    private static final Pattern BUDGET_SCHEDULE = Pattern.compile(
            "^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\\s(.+)\\s(.+)\\s(.+)\\s(.+))$");
    private static final Pattern DURATION_OR_NEVER = Pattern.compile("^(([0-9]+(s|m|h))+|Never)$");
    private static final Pattern DURATION = Pattern.compile("^([0-9]+(s|m|h))+$");
    private static final Pattern QUANTITY = Pattern.compile("^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)"
            + "|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]"
            + "([-a-z0-9]*[a-z0-9])?)*(\\/))?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");
    private static final Pattern NON_NEGATIVE_INT = Pattern.compile("[0-9]+");

    private static final Set<String> OPERATORS_V1 = Set.of("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt",
            "Gte", "Lte");
    private static final Set<String> OPERATORS_OLD = Set.of("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt");
    private static final Set<String> NUMERIC_OPERATORS = Set.of("Gt", "Lt", "Gte", "Lte");
    private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    private static final Set<String> POLICIES_V1 = Set.of("WhenEmpty", "WhenEmptyOrUnderutilized", "Balanced");
    private static final Set<String> POLICIES_V1BETA1 = Set.of("WhenEmpty", "WhenUnderutilized");
    private static final Set<String> BUDGET_REASONS = Set.of("Underutilized", "Empty", "Drifted");
    /** The karpenter.k8s.aws labels the CRD lets requirements and labels use. */
    private static final Set<String> AWS_ALLOWED = Set.of("karpenter.k8s.aws/instance-tenancy",
            "karpenter.k8s.aws/capacity-reservation-type", "karpenter.k8s.aws/capacity-reservation-id",
            "karpenter.k8s.aws/capacity-reservation-interruptible", "karpenter.k8s.aws/ec2nodeclass",
            "karpenter.k8s.aws/instance-encryption-in-transit-supported", "karpenter.k8s.aws/nitro-sandbox",
            "karpenter.k8s.aws/instance-category", "karpenter.k8s.aws/instance-hypervisor",
            "karpenter.k8s.aws/instance-family", "karpenter.k8s.aws/instance-generation",
            "karpenter.k8s.aws/instance-local-nvme", "karpenter.k8s.aws/instance-size",
            "karpenter.k8s.aws/instance-cpu", "karpenter.k8s.aws/instance-cpu-manufacturer",
            "karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz", "karpenter.k8s.aws/instance-memory",
            "karpenter.k8s.aws/instance-ebs-bandwidth", "karpenter.k8s.aws/instance-network-bandwidth",
            "karpenter.k8s.aws/instance-gpu-name", "karpenter.k8s.aws/instance-gpu-manufacturer",
            "karpenter.k8s.aws/instance-gpu-count", "karpenter.k8s.aws/instance-gpu-memory",
            "karpenter.k8s.aws/instance-accelerator-name", "karpenter.k8s.aws/instance-accelerator-manufacturer",
            "karpenter.k8s.aws/instance-accelerator-count", "karpenter.k8s.aws/instance-capability-flex",
            "karpenter.k8s.aws/placement-group-id", "karpenter.k8s.aws/placement-group-partition");

    private NodePoolChecks() {
    }

    /**
     * Checks a pool.
     *
     * @param pool        the pool
     * @param nodeClasses the node classes read beside it
     * @return findings, before ignore annotations
     */
    static List<Finding> check(NodePool pool, List<NodeClass> nodeClasses) {
        return check(pool, nodeClasses, false);
    }

    /**
     * Checks a pool, leaving out the restated CEL rules when the pool's CRD rules run instead.
     *
     * @param pool        the pool
     * @param nodeClasses the node classes read beside it
     * @param crdRules    true when the CRD's own x-kubernetes-validations are evaluated on the pool
     * @return findings, before ignore annotations
     */
    static List<Finding> check(NodePool pool, List<NodeClass> nodeClasses, boolean crdRules) {
        List<Finding> out = new ArrayList<>();
        Context c = new Context(pool, out, crdRules);
        if (pool.deprecatedApi()) {
            String replacement = NodePool.V1ALPHA5.equals(pool.api()) ? "a karpenter.sh/v1 NodePool" : "karpenter.sh/v1";
            c.add(DEPRECATED_API, Severity.WARNING, pool.document().lineOf(pool.document().map(), "apiVersion"),
                    "uses " + pool.document().map().get("apiVersion")
                            + ", which Karpenter v1 no longer serves",
                    "Migrate to " + replacement + " (see the Karpenter v1 migration guide); still verified below.");
        }
        requirements(c);
        labels(c);
        taints(c, "taints");
        taints(c, "startupTaints");
        disruption(c);
        durations(c);
        limits(c);
        weightAndReplicas(c);
        nodeClassRef(c, nodeClasses);
        return out;
    }

    private static void requirements(Context c) {
        Set<String> operators = NodePool.V1.equals(c.pool.api()) ? OPERATORS_V1 : OPERATORS_OLD;
        for (Map<String, Object> r : c.pool.requirements()) {
            int line = c.doc().lineOf(r);
            String key = ManifestValues.string(r, "key");
            String op = ManifestValues.string(r, "operator");
            List<Object> values = ManifestValues.list(r, "values");
            if (op == null || !operators.contains(op)) {
                c.add(REQUIREMENT_OPERATOR, Severity.ERROR, c.doc().lineOf(r, "operator"),
                        "requirement " + key + " has operator '" + op + "'; valid: " + String.join(", ", sorted(operators)),
                        "Use one of the listed operators.");
                continue;
            }
            if (op.equals("In") && values.isEmpty()) {
                c.cel(REQUIREMENT_IN_VALUES, Severity.ERROR, line,
                        "requirements with operator 'In' must have a value defined (" + key + ")",
                        "List the allowed values, or use operator Exists.");
            }
            if (NUMERIC_OPERATORS.contains(op)
                    && (values.size() != 1 || !NON_NEGATIVE_INT.matcher(String.valueOf(values.getFirst())).matches())) {
                c.cel(REQUIREMENT_NUMERIC, Severity.ERROR, line,
                        "requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single positive integer value ("
                                + key + " " + op + " " + values + ")",
                        "Give exactly one non-negative integer, e.g. values: [\"5\"].");
            }
            Optional<Long> minValues = ManifestValues.integer(r, "minValues");
            if (minValues.isPresent()) {
                long mv = minValues.get();
                if (mv < 1 || mv > 50) {
                    c.add(REQUIREMENT_MIN_VALUES, Severity.ERROR, c.doc().lineOf(r, "minValues"),
                            "minValues of " + key + " is " + mv + "; it must be between 1 and 50",
                            "Use a minValues from 1 to 50.");
                } else if (op.equals("In") && values.size() < mv) {
                    c.cel(REQUIREMENT_MIN_VALUES, Severity.ERROR, c.doc().lineOf(r, "minValues"),
                            "requirements with 'minValues' must have at least that many values specified in the"
                                    + " 'values' field (" + key + ": minValues " + mv + ", " + values.size() + " values)",
                            "List at least minValues values, or lower minValues.");
                }
            }
            restricted(c, key, line, "requirement");
        }
    }

    private static void labels(Context c) {
        for (String key : c.pool.labels().keySet()) {
            restricted(c, key, c.doc().lineOf(c.pool.labels(), key), "label");
        }
    }

    private static void restricted(Context c, String key, int line, String what) {
        if (key == null) {
            return;
        }
        String reason = restrictedReason(key);
        if (reason != null) {
            c.cel(RESTRICTED_LABEL, Severity.ERROR, line, what + " " + key + ": " + reason,
                    "Karpenter sets these labels itself; select nodes with a label of your own domain instead.");
        }
        if (!QUALIFIED_NAME.matcher(key).matches() || key.length() > 316) {
            c.add(RESTRICTED_LABEL, Severity.ERROR, line, what + " key '" + key + "' is not a valid label key",
                    "Use a qualified name such as example.com/pool.");
        }
    }

    /** The CEL rules on requirement keys and template labels (karpenter.sh_nodepools.yaml). */
    static String restrictedReason(String key) {
        String domain = key.contains("/") ? key.substring(0, key.indexOf('/')) : key;
        if (key.equals("karpenter.sh/nodepool")) {
            return "label \"karpenter.sh/nodepool\" is restricted";
        }
        if (key.equals("kubernetes.io/hostname")) {
            return "label \"kubernetes.io/hostname\" is restricted";
        }
        if (domain.endsWith("karpenter.sh") && !key.equals("karpenter.sh/capacity-type")) {
            return "label domain \"karpenter.sh\" is restricted";
        }
        if (domain.endsWith("karpenter.k8s.aws") && !AWS_ALLOWED.contains(key)) {
            return "label domain \"karpenter.k8s.aws\" is restricted";
        }
        return null;
    }

    private static void taints(Context c, String field) {
        for (Map<String, Object> t : ManifestValues.maps(c.pool.template(), field)) {
            String key = ManifestValues.string(t, "key");
            String effect = ManifestValues.string(t, "effect");
            if (key == null || !QUALIFIED_NAME.matcher(key).matches()) {
                c.add(TAINT, Severity.ERROR, c.doc().lineOf(t), field + " entry has an invalid key '" + key + "'",
                        "Use a qualified name such as nvidia.com/gpu.");
            }
            if (effect == null || !EFFECTS.contains(effect)) {
                c.add(TAINT, Severity.ERROR, c.doc().lineOf(t, "effect"),
                        field + " entry " + key + " has effect '" + effect + "'; valid: NoSchedule, PreferNoSchedule,"
                                + " NoExecute", "Set a valid effect.");
            }
        }
    }

    private static void disruption(Context c) {
        Map<String, Object> d = c.pool.disruption();
        if (d.isEmpty() || NodePool.V1ALPHA5.equals(c.pool.api())) {
            return;
        }
        boolean v1 = NodePool.V1.equals(c.pool.api());
        String policy = ManifestValues.string(d, "consolidationPolicy");
        Set<String> policies = v1 ? POLICIES_V1 : POLICIES_V1BETA1;
        if (policy != null && !policies.contains(policy)) {
            c.add(CONSOLIDATION, Severity.ERROR, c.doc().lineOf(d, "consolidationPolicy"),
                    "consolidationPolicy '" + policy + "' is not one of " + String.join(", ", sorted(policies))
                            + (v1 && policy.equals("WhenUnderutilized") ? " (v1 renamed it WhenEmptyOrUnderutilized)" : ""),
                    "Use a valid consolidationPolicy.");
        }
        // v1 (karpenter.sh_nodepools.yaml, kubernetes-sigs/karpenter #3220, after v1.14.0): consolidateAfter is
        // optional with "default: 0s" and no CEL rule ties it to consolidationPolicy, so only its pattern is checked.
        // v1beta1 had no default and two CEL rules on spec.disruption, evaluated after consolidationPolicy
        // defaults to WhenUnderutilized.
        String after = ManifestValues.string(d, "consolidateAfter");
        if (after != null && !DURATION_OR_NEVER.matcher(after).matches()) {
            c.add(CONSOLIDATION, Severity.ERROR, c.doc().lineOf(d, "consolidateAfter"),
                    "consolidateAfter '" + after + "' is not a duration (e.g. 30s, 5m, 1h) or Never",
                    "Use a Go duration in s, m or h, or Never.");
        }
        String effectivePolicy = policy != null ? policy : "WhenUnderutilized";
        if (!v1 && "WhenUnderutilized".equals(effectivePolicy) && after != null && !"Never".equals(after)) {
            c.cel(CONSOLIDATION, Severity.ERROR, c.doc().lineOf(d, "consolidateAfter"),
                    "consolidateAfter cannot be combined with consolidationPolicy=WhenUnderutilized (consolidateAfter '"
                            + after + "'" + (policy == null ? ", consolidationPolicy defaults to WhenUnderutilized" : "")
                            + ")",
                    "Remove consolidateAfter or set it to Never, use consolidationPolicy WhenEmpty, or migrate to v1"
                            + " where both may be set.");
        }
        if (!v1 && "WhenEmpty".equals(policy) && after == null) {
            c.cel(CONSOLIDATION, Severity.ERROR, c.doc().lineOf(d, "consolidationPolicy"),
                    "consolidateAfter must be specified with consolidationPolicy=WhenEmpty",
                    "Set consolidateAfter, e.g. 30s, or Never.");
        }
        for (Map<String, Object> b : ManifestValues.maps(d, "budgets")) {
            int line = c.doc().lineOf(b);
            String nodes = ManifestValues.string(b, "nodes");
            if (nodes == null || !BUDGET_NODES.matcher(nodes).matches()) {
                c.add(BUDGETS, Severity.ERROR, line, "budget nodes '" + nodes + "' is neither a count nor a percentage"
                                + " from 0% to 100%", "Use a string such as \"10%\" or \"1\".");
            }
            boolean schedule = b.containsKey("schedule");
            boolean duration = b.containsKey("duration");
            if (schedule != duration) {
                c.cel(BUDGETS, Severity.ERROR, line, "'schedule' must be set with 'duration'",
                        "Give both (the budget applies for duration after each schedule hit) or neither.");
            }
            String s = ManifestValues.string(b, "schedule");
            if (s != null && !BUDGET_SCHEDULE.matcher(s).matches()) {
                c.add(BUDGETS, Severity.ERROR, c.doc().lineOf(b, "schedule"), "budget schedule '" + s
                        + "' is not a cron expression", "Use five cron fields or a macro such as @daily.");
            }
            String dur = ManifestValues.string(b, "duration");
            if (dur != null && !BUDGET_DURATION.matcher(dur).matches()) {
                c.add(BUDGETS, Severity.ERROR, c.doc().lineOf(b, "duration"), "budget duration '" + dur
                        + "' must be hours and/or minutes (e.g. 8h, 1h30m)", "Cron has no seconds: use h and m only.");
            }
            for (Object reason : ManifestValues.list(b, "reasons")) {
                if (!BUDGET_REASONS.contains(String.valueOf(reason))) {
                    c.add(BUDGETS, Severity.ERROR, c.doc().lineOf(b, "reasons"), "budget reason '" + reason
                            + "' is not one of Underutilized, Empty, Drifted", "Use a valid reason.");
                }
            }
        }
    }

    private static void durations(Context c) {
        // v1 keeps expireAfter in the template; v1beta1 had it under disruption
        duration(c, c.pool.template(), "expireAfter", DURATION_OR_NEVER);
        duration(c, c.pool.disruption(), "expireAfter", DURATION_OR_NEVER);
        duration(c, c.pool.template(), "terminationGracePeriod", DURATION);
    }

    private static void duration(Context c, Map<String, Object> map, String key, Pattern pattern) {
        String v = ManifestValues.string(map, key);
        if (v != null && !pattern.matcher(v).matches()) {
            c.add(DURATIONS, Severity.ERROR, c.doc().lineOf(map, key), key + " '" + v + "' is not a duration"
                            + (pattern == DURATION_OR_NEVER ? " or Never" : ""),
                    "Use a Go duration in s, m or h, e.g. 720h.");
        }
    }

    private static void limits(Context c) {
        c.pool.limits().forEach((resource, value) -> {
            if (value == null || !QUANTITY.matcher(String.valueOf(value)).matches()) {
                c.add(LIMITS, Severity.ERROR, c.doc().lineOf(c.pool.limits(), resource),
                        "limit " + resource + ": '" + value + "' is not a resource quantity",
                        "Use a quantity such as 100, 500m or 64Gi.");
            }
        });
    }

    private static void weightAndReplicas(Context c) {
        Map<String, Object> spec = c.pool.spec();
        Optional<Long> weight = ManifestValues.integer(spec, "weight");
        if (spec.containsKey("weight") && (weight.isEmpty() || weight.get() < 1 || weight.get() > 100)) {
            c.add(WEIGHT, Severity.ERROR, c.doc().lineOf(spec, "weight"),
                    "weight " + spec.get("weight") + " is not an integer from 1 to 100", "Use a weight from 1 to 100.");
        }
        if (spec.containsKey("replicas")) {
            if (spec.containsKey("weight")) {
                c.cel(STATIC_POOL, Severity.ERROR, c.doc().lineOf(spec, "weight"),
                        "'weight' is not supported on static NodePools", "Remove weight or replicas.");
            }
            Map<String, Object> limits = c.pool.limits();
            if (!limits.isEmpty() && !(limits.size() == 1 && limits.containsKey("nodes"))) {
                c.cel(STATIC_POOL, Severity.ERROR, c.doc().lineOf(spec, "limits"),
                        "only 'limits.nodes' is supported on static NodePools", "Limit nodes only, or remove replicas.");
            }
        }
    }

    private static void nodeClassRef(Context c, List<NodeClass> nodeClasses) {
        NodePool pool = c.pool;
        Map<String, Object> ref = pool.nodeClassRef();
        int line = c.doc().lineOf(pool.template(), NodePool.V1ALPHA5.equals(pool.api()) ? "providerRef" : "nodeClassRef");
        if (NodePool.V1ALPHA5.equals(pool.api()) && ref.isEmpty()) {
            if (!pool.template().containsKey("provider")) {
                c.add(NODE_CLASS_REF, Severity.ERROR, line, "the Provisioner has neither providerRef nor provider",
                        "Reference an AWSNodeTemplate with providerRef.name.");
            }
            return;
        }
        List<String> missing = new ArrayList<>();
        List<String> parts = NodePool.V1.equals(pool.api()) ? List.of("group", "kind", "name") : List.of("name");
        for (String part : parts) {
            String v = ManifestValues.string(ref, part);
            if (v == null || v.isEmpty()) {
                missing.add(part);
            }
        }
        if (!missing.isEmpty()) {
            c.add(NODE_CLASS_REF, Severity.ERROR, line, "nodeClassRef " + String.join(", ", missing)
                    + " may not be empty", "Set nodeClassRef group, kind and name.");
            return;
        }
        String group = ManifestValues.string(ref, "group");
        if (group != null && !group.equals(NodeClass.GROUP)) {
            return; // another provider's node class: nothing in this file to resolve it against
        }
        String kind = pool.nodeClassKind();
        String name = pool.nodeClassName();
        boolean resolves = nodeClasses.stream().anyMatch(n -> n.kind().equals(kind) && name.equals(n.name()));
        if (!resolves) {
            c.add(NODE_CLASS_REF, Severity.ERROR, c.doc().lineOf(ref, "name"),
                    "nodeClassRef names " + kind + " '" + name + "', which is not among the "
                            + nodeClasses.size() + " node classes read",
                    "Define the " + kind + " beside the pool, or fix nodeClassRef.name; nodes cannot launch without it.");
        }
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    /**
     * The pool being checked and where its findings go.
     *
     * @param crdRules true when the CRD's own CEL rules run, so {@link #cel} restatements of them are left out
     */
    private record Context(NodePool pool, List<Finding> out, boolean crdRules) {
        YamlDocument doc() {
            return pool.document();
        }

        void add(String check, Severity severity, int line, String message, String remediation) {
            ObjectRef ref = pool.document().ref();
            out.add(Finding.of(check, severity, ref, pool.document().file(), line,
                    ref.display() + ": " + message, remediation));
        }

        /** A finding restating one of the CRD's CEL rules. */
        void cel(String check, Severity severity, int line, String message, String remediation) {
            if (!crdRules) {
                add(check, severity, line, message, remediation);
            }
        }
    }
}
