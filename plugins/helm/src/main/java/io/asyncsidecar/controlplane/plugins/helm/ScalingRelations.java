package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * How disruption budgets and autoscalers relate to the workloads they are about: a PodDisruptionBudget that
 * blocks every eviction (so a node drain, and with it Karpenter's consolidation, never finishes), one that
 * selects nothing, an HPA aiming at nothing, a replica count the chart and an autoscaler both set.
 */
final class ScalingRelations {

    static final String ALLOWS_DISRUPTION = "helm.pdb-allows-disruption";
    static final String PDB_TARGET = "helm.pdb-target";
    static final String PDB_POLICY = "helm.pdb-has-policy";
    static final String UNHEALTHY_POLICY = "helm.pdb-unhealthy-pod-eviction-policy";
    static final String REPLICAS_WITH_HPA = "helm.replicas-with-hpa";
    static final String HPA_TARGET = "helm.hpa-target";
    static final String HPA_MIN = "helm.hpa-min-replicas";
    static final String HPA_RANGE = "helm.hpa-max-above-min";

    static final List<CheckRule> RULES = List.of(
            new CheckRule(ALLOWS_DISRUPTION, Severity.ERROR,
                    "A PodDisruptionBudget lets at least one pod go: not maxUnavailable 0, not minAvailable 100%"
                            + " or at least the replicas (or the autoscaler's minimum) of what it selects."),
            new CheckRule(PDB_TARGET, Severity.WARNING,
                    "A PodDisruptionBudget has a selector, and it selects some pod template of the chart."),
            new CheckRule(PDB_POLICY, Severity.WARNING,
                    "A PodDisruptionBudget sets exactly one of minAvailable and maxUnavailable."),
            new CheckRule(UNHEALTHY_POLICY, Severity.INFO,
                    "A policy/v1 PodDisruptionBudget sets unhealthyPodEvictionPolicy (AlwaysAllow lets drains evict"
                            + " pods that never became ready)."),
            new CheckRule(REPLICAS_WITH_HPA, Severity.WARNING,
                    "A workload an HPA or a KEDA ScaledObject scales does not set spec.replicas itself."),
            new CheckRule(HPA_TARGET, Severity.WARNING,
                    "A HorizontalPodAutoscaler's scaleTargetRef names an object the chart renders."),
            new CheckRule(HPA_MIN, Severity.WARNING,
                    "A HorizontalPodAutoscaler keeps at least 2 replicas (3 for full availability)."),
            new CheckRule(HPA_RANGE, Severity.WARNING,
                    "A HorizontalPodAutoscaler sets maxReplicas above minReplicas (and minReplicas of at least 1)."));

    /** Kinds with a replica count that voluntary disruptions may take down together. */
    private static final Set<String> REPLICATED = Set.of("Deployment", "StatefulSet", "Rollout", "ReplicaSet");

    /**
     * An autoscaler of a workload.
     *
     * @param object the HPA or ScaledObject
     * @param min    the fewest replicas it keeps while the workload runs (at least 1), or -1 when unknown
     * @param max    its maximum as written, or null
     */
    private record Scaler(RenderedObject object, long min, String max) {

        /** As the existing helm.pdb message names it: "ScaledObject/x (max 4 replicas)". */
        String display() {
            return object.kind() + "/" + object.name() + (max == null ? "" : " (max " + max + " replicas)");
        }
    }

    /**
     * A minAvailable or maxUnavailable: an integer or a percentage.
     *
     * @param value   the number
     * @param percent whether it is a percentage
     */
    private record Amount(long value, boolean percent) {

        /** @return the amount, or null when the value is absent or neither form */
        static Amount parse(Object v) {
            if (v == null) {
                return null;
            }
            String s = v.toString().strip();
            boolean percent = s.endsWith("%");
            try {
                return new Amount(Long.parseLong(percent ? s.substring(0, s.length() - 1).strip() : s), percent);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /** The pods this minAvailable keeps out of {@code replicas}: Kubernetes rounds a percentage up. */
        long of(long replicas) {
            return percent ? (replicas * value + 99) / 100 : value;
        }

        @Override
        public String toString() {
            return value + (percent ? "%" : "");
        }
    }

    private final RelationChecks rel;
    private final List<WorkloadChecks.Workload> workloads;
    private final List<RenderedObject> objects;

    ScalingRelations(RelationChecks rel, List<WorkloadChecks.Workload> workloads, List<RenderedObject> objects) {
        this.rel = rel;
        this.workloads = workloads;
        this.objects = objects;
    }

    void check(List<Finding> findings) {
        List<RenderedObject> budgets = RelationChecks.ofKind(objects, "PodDisruptionBudget");
        checkMissingBudgets(budgets, findings);
        for (RenderedObject b : budgets) {
            checkPolicy(b, findings);
            checkDisruptionAllowed(b, findings);
            checkBudgetTarget(b, findings);
            checkUnhealthyPolicy(b, findings);
        }
        checkReplicasWithScaler(findings);
        for (RenderedObject hpa : RelationChecks.ofKind(objects, "HorizontalPodAutoscaler")) {
            checkHpaTarget(hpa, findings);
            checkHpaReplicas(hpa, findings);
        }
        checkKedaTargets(findings);
    }

    private void checkMissingBudgets(List<RenderedObject> budgets, List<Finding> findings) {
        for (WorkloadChecks.Workload w : workloads) {
            if (!REPLICATED.contains(w.kind())) {
                continue;
            }
            Optional<Scaler> scaler = scaler(w);
            long replicas = w.replicas();
            if (replicas <= 1 && scaler.isEmpty()) {
                continue;
            }
            boolean covered = budgets.stream().anyMatch(b -> {
                Map<String, Object> selector = ManifestValues.map(b.manifest(), "spec", "selector");
                if (rel.unsure(b, selector) || rel.unsure(w.object(), w.podLabels())) {
                    return true;
                }
                return WorkloadChecks.sameNamespace(b, w.object()) && WorkloadChecks.selects(selector, w.podLabels());
            });
            if (!covered) {
                String why = scaler.map(s -> "is autoscaled by " + s.display()).orElse("runs " + replicas
                        + " replicas");
                findings.add(WorkloadChecks.finding(HelmRules.PDB, Severity.WARNING, w.object(),
                        w.object().line(w.object().manifest(), "kind"),
                        w.display() + " " + why + " but no PodDisruptionBudget selects its pods: a node drain may"
                                + " evict all of them at once",
                        "Add a PodDisruptionBudget (minAvailable or maxUnavailable) whose selector matches the pod"
                                + " template's labels."));
            }
        }
    }

    private void checkPolicy(RenderedObject b, List<Finding> findings) {
        Map<String, Object> spec = ManifestValues.map(b.manifest(), "spec");
        boolean min = spec.get("minAvailable") != null;
        boolean max = spec.get("maxUnavailable") != null;
        String name = "PodDisruptionBudget/" + b.name();
        if (min && max) {
            findings.add(RelationChecks.finding(PDB_POLICY, Severity.ERROR, b, b.line(spec, "maxUnavailable"),
                    "spec.maxUnavailable", name + " sets both minAvailable (" + spec.get("minAvailable")
                            + ") and maxUnavailable (" + spec.get("maxUnavailable") + "): the API server rejects it",
                    "Keep one of minAvailable and maxUnavailable (maxUnavailable suits autoscaled workloads)."));
        } else if (!min && !max && !(rel.textual() && b.mayHoldGenerated(spec, key -> true))) {
            findings.add(RelationChecks.finding(PDB_POLICY, Severity.WARNING, b, b.line(b.manifest(), "spec"),
                    "spec", name + " sets neither minAvailable nor maxUnavailable: it allows every eviction and"
                            + " protects nothing",
                    "Set maxUnavailable (e.g. 1) or minAvailable on the PodDisruptionBudget."));
        }
    }

    private void checkDisruptionAllowed(RenderedObject b, List<Finding> findings) {
        Map<String, Object> spec = ManifestValues.map(b.manifest(), "spec");
        String name = "PodDisruptionBudget/" + b.name();
        String blocks = ": no pod it selects may be evicted, so node drains never finish and Karpenter cannot"
                + " consolidate or replace the node";
        Amount maxUnavailable = Amount.parse(spec.get("maxUnavailable"));
        if (maxUnavailable != null && maxUnavailable.value() == 0) {
            findings.add(RelationChecks.finding(ALLOWS_DISRUPTION, Severity.ERROR, b, b.line(spec, "maxUnavailable"),
                    "spec.maxUnavailable", name + " has maxUnavailable " + maxUnavailable + blocks,
                    "Set maxUnavailable to 1 (or a percentage that rounds up to at least one pod)."));
            return;
        }
        Amount minAvailable = Amount.parse(spec.get("minAvailable"));
        if (minAvailable == null || spec.get("maxUnavailable") != null) {
            return;
        }
        int line = b.line(spec, "minAvailable");
        String remediation = "Lower minAvailable below the replica count, or use maxUnavailable: 1.";
        if (minAvailable.percent() && minAvailable.value() >= 100) {
            findings.add(RelationChecks.finding(ALLOWS_DISRUPTION, Severity.ERROR, b, line, "spec.minAvailable",
                    name + " has minAvailable " + minAvailable + blocks, remediation));
            return;
        }
        for (WorkloadChecks.Workload w : selected(b)) {
            Optional<Scaler> scaler = scaler(w);
            if (scaler.isPresent()) {
                long floor = scaler.get().min();
                if (floor > 0 && minAvailable.of(floor) >= floor) {
                    findings.add(RelationChecks.finding(ALLOWS_DISRUPTION, Severity.WARNING, b, line,
                            "spec.minAvailable", name + " has minAvailable " + minAvailable + " but "
                                    + scaler.get().object().kind() + "/" + scaler.get().object().name()
                                    + " may scale " + w.display() + " down to " + floor + " replica"
                                    + (floor == 1 ? "" : "s") + ": at that size no pod may be evicted, and node"
                                    + " drains block",
                            "Keep minAvailable below the autoscaler's minimum replicas, or use maxUnavailable: 1."));
                }
                continue;
            }
            long replicas = w.replicas();
            if (replicas > 0 && REPLICATED.contains(w.kind()) && minAvailable.of(replicas) >= replicas) {
                findings.add(RelationChecks.finding(ALLOWS_DISRUPTION, Severity.ERROR, b, line, "spec.minAvailable",
                        name + " has minAvailable " + minAvailable + " but " + w.display() + " runs " + replicas
                                + " replica" + (replicas == 1 ? "" : "s") + blocks, remediation));
            }
        }
    }

    private void checkBudgetTarget(RenderedObject b, List<Finding> findings) {
        Map<String, Object> spec = ManifestValues.map(b.manifest(), "spec");
        String name = "PodDisruptionBudget/" + b.name();
        String remediation = "Make spec.selector match the labels of the pod template the budget protects.";
        if (spec.get("selector") == null) {
            if (!(rel.textual() && b.mayHoldGenerated(spec, key -> true))) {
                findings.add(RelationChecks.finding(PDB_TARGET, Severity.WARNING, b, b.line(b.manifest(), "spec"),
                        "spec.selector", name + " has no spec.selector: it selects no pods and protects nothing",
                        remediation));
            }
            return;
        }
        Map<String, Object> selector = ManifestValues.map(spec, "selector");
        boolean empty = RelationChecks.emptySelector(selector);
        if (empty && !v1beta1(b)) {
            // policy/v1: an empty selector covers every pod of the namespace, the chart's or not.
            return;
        }
        if (rel.unsure(b, selector) || rel.labelsUnsure(workloads) || !selected(b).isEmpty()) {
            return;
        }
        findings.add(RelationChecks.finding(PDB_TARGET, Severity.WARNING, b, b.line(spec, "selector"),
                "spec.selector", name + (empty ? " (policy/v1beta1) has an empty selector, which selects no pods"
                        : " selects " + selector + " but no pod template of the chart carries those labels")
                        + ": it protects nothing", remediation));
    }

    private void checkUnhealthyPolicy(RenderedObject b, List<Finding> findings) {
        Map<String, Object> spec = ManifestValues.map(b.manifest(), "spec");
        if (!RelationChecks.hasApi(b, "policy/v1") || v1beta1(b) || spec.get("unhealthyPodEvictionPolicy") != null
                || (rel.textual() && b.mayHoldGenerated(spec, key -> true))) {
            return;
        }
        findings.add(RelationChecks.finding(UNHEALTHY_POLICY, Severity.INFO, b, b.line(b.manifest(), "spec"),
                "spec.unhealthyPodEvictionPolicy", "PodDisruptionBudget/" + b.name() + " does not set"
                        + " unhealthyPodEvictionPolicy: a pod that is running but never gets ready counts against the"
                        + " budget and can hold up a node drain",
                "Set spec.unhealthyPodEvictionPolicy: AlwaysAllow (or IfHealthyBudget, to say it is chosen)."));
    }

    private void checkReplicasWithScaler(List<Finding> findings) {
        if (rel.textual()) {
            // Charts set replicas under "if not autoscaling.enabled"; a textual reading keeps both branches.
            return;
        }
        for (WorkloadChecks.Workload w : workloads) {
            Map<String, Object> spec = ManifestValues.map(w.object().manifest(), "spec");
            Optional<Scaler> scaler = scaler(w);
            if (!REPLICATED.contains(w.kind()) || spec.get("replicas") == null || scaler.isEmpty()) {
                continue;
            }
            findings.add(RelationChecks.finding(REPLICAS_WITH_HPA, Severity.WARNING, w.object(),
                    w.object().line(spec, "replicas"), "spec.replicas", w.display() + " sets spec.replicas ("
                            + spec.get("replicas") + ") but " + scaler.get().display() + " owns its replica count:"
                            + " every upgrade resets it to " + spec.get("replicas") + " until the autoscaler scales"
                            + " it back",
                    "Leave spec.replicas out while the autoscaler is enabled (e.g. wrap it in"
                            + " {{- if not .Values.autoscaling.enabled }})."));
        }
    }

    private void checkHpaTarget(RenderedObject hpa, List<Finding> findings) {
        Map<String, Object> spec = ManifestValues.map(hpa.manifest(), "spec");
        Map<String, Object> target = ManifestValues.map(spec, "scaleTargetRef");
        String kind = Objects.requireNonNullElse(ManifestValues.string(target, "kind"), "Deployment");
        String name = ManifestValues.string(target, "name");
        if (name == null || !rel.judgeable(name) || !rel.judgeable(kind) || rel.namesUnsure(objects, kind)) {
            return;
        }
        boolean found = objects.stream().anyMatch(o -> kind.equals(o.kind()) && name.equals(o.name())
                && WorkloadChecks.sameNamespace(o, hpa));
        if (!found) {
            findings.add(RelationChecks.finding(HPA_TARGET, Severity.WARNING, hpa, hpa.line(target, "name"),
                    "spec.scaleTargetRef.name", "HorizontalPodAutoscaler/" + hpa.name() + " scales " + kind + "/"
                            + name + ", which the chart does not render: unless it exists already, the HPA scales"
                            + " nothing",
                    "Point scaleTargetRef at the chart's workload (same kind and name), or drop the HPA."));
        }
    }

    private void checkHpaReplicas(RenderedObject hpa, List<Finding> findings) {
        if (rel.textual()) {
            // A textual reading also reads the HPA a disabled "autoscaling.enabled" leaves out.
            return;
        }
        Map<String, Object> spec = ManifestValues.map(hpa.manifest(), "spec");
        String name = "HorizontalPodAutoscaler/" + hpa.name();
        Optional<Long> minSet = ManifestValues.integer(spec, "minReplicas");
        long min = minSet.orElse(1L);
        Optional<Long> max = ManifestValues.integer(spec, "maxReplicas");
        int minLine = hpa.line(spec, minSet.isPresent() ? "minReplicas" : "maxReplicas");
        if (max.isEmpty()) {
            findings.add(RelationChecks.finding(HPA_RANGE, Severity.ERROR, hpa, hpa.line(hpa.manifest(), "spec"),
                    "spec.maxReplicas", name + " has no numeric spec.maxReplicas, which the API requires",
                    "Set spec.maxReplicas above minReplicas."));
        } else if (max.get() < min) {
            findings.add(RelationChecks.finding(HPA_RANGE, Severity.ERROR, hpa, hpa.line(spec, "maxReplicas"),
                    "spec.maxReplicas", name + " has maxReplicas " + max.get() + " below minReplicas " + min
                            + ": the API server rejects it", "Set maxReplicas above minReplicas."));
        } else if (max.get() == min) {
            findings.add(RelationChecks.finding(HPA_RANGE, Severity.WARNING, hpa, hpa.line(spec, "maxReplicas"),
                    "spec.maxReplicas", name + " has maxReplicas equal to minReplicas (" + min + "): it never"
                            + " scales",
                    "Set maxReplicas above minReplicas, or drop the HPA and set the replica count."));
        }
        if (min < 1) {
            findings.add(RelationChecks.finding(HPA_RANGE, Severity.WARNING, hpa, minLine, "spec.minReplicas",
                    name + " has minReplicas " + min + ": scaling to zero needs the HPAScaleToZero feature gate,"
                            + " else the API server rejects it",
                    "Set minReplicas to at least 1 (use KEDA for scale to zero)."));
        } else if (min < 3) {
            findings.add(RelationChecks.finding(HPA_MIN, min < 2 ? Severity.WARNING : Severity.INFO, hpa, minLine,
                    "spec.minReplicas", name + " may scale down to " + min + " replica" + (min == 1 ? "" : "s")
                            + (minSet.isPresent() ? "" : " (minReplicas unset)") + ": "
                            + (min == 1 ? "a single pod, so any restart or eviction is an outage"
                            : "losing one pod halves the capacity"),
                    "Set spec.minReplicas to at least 2, or 3 to stay available through a zone or node loss."));
        }
    }

    private void checkKedaTargets(List<Finding> findings) {
        for (RenderedObject so : objects) {
            if (!WorkloadChecks.isScaledObject(so)) {
                continue;
            }
            Map<String, Object> target = ManifestValues.map(so.manifest(), "spec", "scaleTargetRef");
            String kind = Objects.requireNonNullElse(ManifestValues.string(target, "kind"), "Deployment");
            String name = ManifestValues.string(target, "name");
            if (!rel.judgeable(name)) {
                continue;
            }
            for (RenderedObject hpa : objects) {
                if (!"HorizontalPodAutoscaler".equals(hpa.kind()) || !WorkloadChecks.sameNamespace(so, hpa)) {
                    continue;
                }
                Map<String, Object> hpaTarget = ManifestValues.map(hpa.manifest(), "spec", "scaleTargetRef");
                if (kind.equals(ManifestValues.string(hpaTarget, "kind")) && Objects.equals(name,
                        ManifestValues.string(hpaTarget, "name"))) {
                    Map<String, Object> spec = ManifestValues.map(hpa.manifest(), "spec");
                    findings.add(RelationChecks.finding(HelmRules.KEDA_TARGET_HPA, Severity.ERROR, hpa,
                            hpa.line(spec, "scaleTargetRef"), "spec.scaleTargetRef",
                            "HorizontalPodAutoscaler/" + hpa.name() + " scales " + kind + "/" + name
                                    + ", which ScaledObject/" + so.name() + " already scales (KEDA creates its own"
                                    + " HPA): the two fight over the replica count and KEDA's webhook rejects it",
                            "Remove the chart's HPA for this workload (or disable it when KEDA is enabled)."));
                }
            }
        }
    }

    /** The workloads a budget's selector takes (policy/v1beta1: an empty selector takes none). */
    private List<WorkloadChecks.Workload> selected(RenderedObject budget) {
        Map<String, Object> spec = ManifestValues.map(budget.manifest(), "spec");
        if (spec.get("selector") == null) {
            return List.of();
        }
        Map<String, Object> selector = ManifestValues.map(spec, "selector");
        boolean empty = RelationChecks.emptySelector(selector);
        if (empty && v1beta1(budget)) {
            return List.of();
        }
        return workloads.stream().filter(w -> WorkloadChecks.sameNamespace(budget, w.object())
                && WorkloadChecks.selects(selector, w.podLabels())).toList();
    }

    private static boolean v1beta1(RenderedObject budget) {
        return RelationChecks.hasApi(budget, "policy/v1beta1");
    }

    /** The ScaledObject or HPA scaling a workload, if the chart has one. */
    private Optional<Scaler> scaler(WorkloadChecks.Workload w) {
        for (RenderedObject o : objects) {
            if (!WorkloadChecks.sameNamespace(o, w.object())) {
                continue;
            }
            boolean keda = WorkloadChecks.isScaledObject(o);
            if (keda || "HorizontalPodAutoscaler".equals(o.kind())) {
                Map<String, Object> target = ManifestValues.map(o.manifest(), "spec", "scaleTargetRef");
                String kind = Objects.requireNonNullElse(ManifestValues.string(target, "kind"), "Deployment");
                if (kind.equals(w.kind()) && w.object().name().equals(ManifestValues.string(target, "name"))
                        && rel.judgeable(w.object().name())) {
                    Map<String, Object> spec = ManifestValues.map(o.manifest(), "spec");
                    String minKey = keda ? "minReplicaCount" : "minReplicas";
                    // While pods run an autoscaler keeps one at least: KEDA's own HPA too, whatever
                    // minReplicaCount says.
                    long min = spec.get(minKey) == null ? 1
                            : ManifestValues.integer(spec, minKey).map(m -> Math.max(1, m)).orElse(-1L);
                    return Optional.of(new Scaler(o, min, ManifestValues.string(spec, keda ? "maxReplicaCount"
                            : "maxReplicas")));
                }
            }
        }
        return Optional.empty();
    }
}
