package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * NetworkPolicies against the chart's pods: every pod isolated by some policy, every policy and every pod
 * peer of a rule selecting pods of the chart. An empty podSelector selects every pod of the namespace.
 */
final class NetworkPolicyRelations {

    static final String COVERAGE = "helm.network-policy-coverage";
    static final String TARGET = "helm.network-policy-target";
    static final String PEER_TARGET = "helm.network-policy-peer-target";

    static final List<CheckRule> RULES = List.of(
            new CheckRule(COVERAGE, Severity.WARNING,
                    "A NetworkPolicy of the chart selects every workload's pods, for ingress and for egress."),
            new CheckRule(TARGET, Severity.WARNING,
                    "A NetworkPolicy's podSelector selects some pod template of the chart."),
            new CheckRule(PEER_TARGET, Severity.WARNING,
                    "A NetworkPolicy rule's podSelector peer (without a namespaceSelector) selects some pod template"
                            + " of the chart."));

    private static final String K8S_API = "networking.k8s.io/";

    private final RelationChecks rel;
    private final List<WorkloadChecks.Workload> workloads;
    private final List<RenderedObject> policies;
    /** Policies of other engines (Cilium, Calico): they isolate pods in ways this check does not read. */
    private final List<RenderedObject> otherPolicies;

    NetworkPolicyRelations(RelationChecks rel, List<WorkloadChecks.Workload> workloads,
                           List<RenderedObject> objects) {
        this.rel = rel;
        this.workloads = workloads;
        this.policies = RelationChecks.ofKind(objects, "NetworkPolicy", K8S_API);
        this.otherPolicies = objects.stream().filter(o -> o.kind().endsWith("NetworkPolicy")
                && !RelationChecks.hasApi(o, K8S_API)).toList();
    }

    void check(List<Finding> findings) {
        boolean labelsUnsure = rel.labelsUnsure(workloads);
        for (RenderedObject p : policies) {
            Map<String, Object> spec = ManifestValues.map(p.manifest(), "spec");
            Map<String, Object> selector = ManifestValues.map(spec, "podSelector");
            if (!labelsUnsure && !rel.unsure(p, selector) && !RelationChecks.emptySelector(selector)
                    && selected(p, selector).isEmpty()) {
                findings.add(RelationChecks.finding(TARGET, Severity.WARNING, p, p.line(spec, "podSelector"),
                        "spec.podSelector", "NetworkPolicy/" + p.name() + " selects pods labelled " + selector
                                + " but no pod template of the chart carries those labels: it isolates nothing",
                        "Make spec.podSelector match the labels of the pods the policy is for."));
            }
            if (!labelsUnsure) {
                checkPeers(p, spec, "ingress", "from", findings);
                checkPeers(p, spec, "egress", "to", findings);
            }
        }
        if (labelsUnsure || policies.stream().anyMatch(p -> rel.unsure(p, ManifestValues.map(p.manifest(), "spec")))) {
            return;
        }
        for (WorkloadChecks.Workload w : workloads) {
            checkCoverage(w, findings);
        }
    }

    private void checkPeers(RenderedObject p, Map<String, Object> spec, String direction, String peersKey,
                            List<Finding> findings) {
        List<Map<String, Object>> rules = ManifestValues.maps(spec, direction);
        for (int r = 0; r < rules.size(); r++) {
            List<Map<String, Object>> peers = ManifestValues.maps(rules.get(r), peersKey);
            for (int i = 0; i < peers.size(); i++) {
                Map<String, Object> peer = peers.get(i);
                Map<String, Object> selector = ManifestValues.map(peer, "podSelector");
                // With a namespaceSelector the peer's pods live in other namespaces, outside what the chart shows.
                if (peer.get("namespaceSelector") != null || RelationChecks.emptySelector(selector)
                        || rel.unsure(p, selector) || !selected(p, selector).isEmpty()) {
                    continue;
                }
                findings.add(RelationChecks.finding(PEER_TARGET, Severity.WARNING, p, p.line(peer, "podSelector"),
                        "spec." + direction + "[" + r + "]." + peersKey + "[" + i + "].podSelector",
                        "NetworkPolicy/" + p.name() + " " + (direction.equals("ingress") ? "admits traffic from"
                                : "allows traffic to") + " pods labelled " + selector + " but no pod template of"
                                + " the chart carries those labels: the rule matches nothing",
                        "Make the peer's podSelector match the labels of the chart's pods, or add a"
                                + " namespaceSelector when the peer lives elsewhere."));
            }
        }
    }

    private void checkCoverage(WorkloadChecks.Workload w, List<Finding> findings) {
        // NetworkPolicies do not apply to pods on the host's network.
        if (ManifestValues.bool(w.podSpec(), "hostNetwork").orElse(false)
                || otherPolicies.stream().anyMatch(o -> WorkloadChecks.sameNamespace(o, w.object()))) {
            return;
        }
        boolean ingress = false;
        boolean egress = false;
        for (RenderedObject p : policies) {
            Map<String, Object> spec = ManifestValues.map(p.manifest(), "spec");
            if (!WorkloadChecks.sameNamespace(p, w.object())
                    || !WorkloadChecks.selects(ManifestValues.map(spec, "podSelector"), w.podLabels())) {
                continue;
            }
            List<String> types = RelationChecks.strings(spec, "policyTypes");
            if (types.isEmpty()) {
                // The API's default: every policy isolates ingress, and egress when it has egress rules.
                ingress = true;
                egress |= !ManifestValues.list(spec, "egress").isEmpty();
            } else {
                ingress |= types.contains("Ingress");
                egress |= types.contains("Egress");
            }
        }
        if (ingress && egress) {
            return;
        }
        String missing = !ingress && !egress ? "no NetworkPolicy of the chart selects its pods: they accept"
                + " connections from anywhere and may connect anywhere"
                : "its pods are isolated for " + (ingress ? "ingress" : "egress") + " only: no NetworkPolicy of"
                + " the chart restricts their " + (ingress ? "egress" : "ingress");
        findings.add(RelationChecks.finding(COVERAGE, ingress || egress ? Severity.INFO : Severity.WARNING,
                w.object(), w.object().line(w.object().manifest(), "kind"),
                RelationChecks.templatePath(w) + ".metadata.labels", w.display() + ": " + missing,
                "Add a NetworkPolicy whose podSelector matches the pod template's labels, with policyTypes"
                        + " Ingress and Egress and the traffic the pods need."));
    }

    private List<WorkloadChecks.Workload> selected(RenderedObject policy, Map<String, Object> selector) {
        return workloads.stream().filter(w -> WorkloadChecks.sameNamespace(policy, w.object())
                && WorkloadChecks.selects(selector, w.podLabels())).toList();
    }
}
