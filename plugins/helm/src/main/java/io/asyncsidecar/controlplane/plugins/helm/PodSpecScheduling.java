package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.kit.checks.Workloads;
import io.asyncsidecar.controlplane.plugins.helm.PodSpecChecks.Pod;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * Where a workload's pods land and how many there are: spreading replicas (anti-affinity, topology spread),
 * priority for GPU pods, node affinity, DNS options, the replica count.
 */
final class PodSpecScheduling {

    static final CheckRule ANTI_AFFINITY = new CheckRule("helm.pod-anti-affinity", Severity.WARNING,
            "A workload with more than one replica, or autoscaled, spreads its pods over nodes or zones"
                    + " (podAntiAffinity or topologySpreadConstraints selecting its own pods).");
    static final CheckRule TOPOLOGY_SPREAD = new CheckRule("helm.topology-spread", Severity.WARNING,
            "A replicated workload (Deployment, StatefulSet, ReplicaSet, Rollout) sets topologySpreadConstraints.");
    static final CheckRule TOPOLOGY_SPREAD_VALID = new CheckRule("helm.topology-spread-valid", Severity.WARNING,
            "Each topology spread constraint has a labelSelector, a topologyKey, maxSkew and minDomains of at least"
                    + " 1 and whenUnsatisfiable DoNotSchedule or ScheduleAnyway.");
    static final CheckRule PRIORITY_CLASS = new CheckRule("helm.priority-class-name", Severity.WARNING,
            "A pod asking for GPUs sets a priorityClassName.");
    static final CheckRule NODE_AFFINITY = new CheckRule("helm.node-affinity", Severity.INFO,
            "Pods choose their nodes (affinity.nodeAffinity or nodeSelector).");
    static final CheckRule DNS_CONFIG = new CheckRule("helm.dns-config-options", Severity.INFO,
            "Pods set the DNS option ndots (dnsConfig.options).");
    static final CheckRule REPLICAS = new CheckRule("helm.replicas-minimum", Severity.INFO,
            "A replicated workload (Deployment, StatefulSet, ReplicaSet, Rollout) that is not autoscaled runs at"
                    + " least 3 replicas.");

    static final List<CheckRule> RULES = List.of(ANTI_AFFINITY, TOPOLOGY_SPREAD, TOPOLOGY_SPREAD_VALID,
            PRIORITY_CLASS, NODE_AFFINITY, DNS_CONFIG, REPLICAS);

    /** Kinds with a replica count (DaemonSets run one pod per node, Jobs run to completion). */
    private static final Set<String> REPLICATED = Set.of("Deployment", "StatefulSet", "Rollout", "ReplicaSet");
    /** kube-score's topology keys for host anti-affinity. */
    private static final Set<String> SPREAD_KEYS = Set.of("kubernetes.io/hostname", "topology.kubernetes.io/zone",
            "topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone",
            "failure-domain.beta.kubernetes.io/region");
    private static final Set<String> WHEN_UNSATISFIABLE = Set.of("DoNotSchedule", "ScheduleAnyway");
    private static final int MIN_REPLICAS = 3;

    private final PodSpecChecks checks;

    PodSpecScheduling(PodSpecChecks checks) {
        this.checks = checks;
    }

    void check(Pod pod) {
        boolean replicated = REPLICATED.contains(pod.kind());
        boolean autoscaled = replicated && autoscaled(pod);
        long replicas = pod.workload().replicas();
        boolean spreadReported = false;
        if (replicated && (replicas > 1 || autoscaled)) {
            spreadReported = checkAntiAffinity(pod, autoscaled ? "is autoscaled" : "runs " + replicas + " replicas");
        }
        RenderedObject o = pod.object();
        if (replicated && !spreadReported && !pod.spec().containsKey("topologySpreadConstraints")
                && !checks.mayBeGenerated(pod, pod.spec(), "topologySpreadConstraints")) {
            checks.report(TOPOLOGY_SPREAD, o, null, pod.path() + ".topologySpreadConstraints",
                    o.line(pod.spec()),
                    pod.display() + " sets no topologySpreadConstraints: the scheduler may put all its pods in one"
                            + " zone or on one node",
                    "Add topologySpreadConstraints (topologyKey topology.kubernetes.io/zone, a labelSelector of"
                            + " the pod's labels).");
        }
        checkSpreadConstraints(pod);
        checkGpuPriority(pod);
        if (!ManifestValues.isMap(pod.spec(), "affinity", "nodeAffinity")
                && ManifestValues.map(pod.spec(), "nodeSelector").isEmpty()
                && !checks.mayBeGenerated(pod, pod.spec(), "nodeSelector")
                && !checks.mayBeGenerated(pod, pod.spec(), "affinity")) {
            checks.report(NODE_AFFINITY, o, null, pod.path() + ".affinity.nodeAffinity",
                    PodSpecChecks.line(o, pod.spec(), "affinity"),
                    pod.display() + " sets neither a nodeSelector nor a nodeAffinity: its pods may land on any"
                            + " node pool",
                    "Select the node pool the workload is meant for (nodeSelector or affinity.nodeAffinity).");
        }
        boolean ndots = ManifestValues.maps(pod.spec(), "dnsConfig", "options").stream()
                .anyMatch(opt -> "ndots".equals(ManifestValues.string(opt, "name")));
        if (!ndots && !checks.mayBeGenerated(pod, pod.spec(), "dnsConfig")) {
            checks.report(DNS_CONFIG, o, null, pod.path() + ".dnsConfig.options",
                    PodSpecChecks.line(o, pod.spec(), "dnsConfig", "options"),
                    pod.display() + " does not set the DNS option ndots: with the cluster default of 5, every"
                            + " external name is first looked up in each search domain",
                    "Add dnsConfig.options: [{name: ndots, value: \"2\"}] (or use fully qualified names ending"
                            + " in a dot).");
        }
        if (replicated && !autoscaled && replicas >= 0 && replicas < MIN_REPLICAS) {
            Map<String, Object> spec = ManifestValues.map(o.manifest(), "spec");
            checks.report(REPLICAS, o, null, "spec.replicas", PodSpecChecks.line(o, spec, "replicas"),
                    pod.display() + " runs " + replicas + (replicas == 1 ? " replica" : " replicas")
                            + (spec.containsKey("replicas") ? "" : " (spec.replicas unset)") + ": fewer than "
                            + MIN_REPLICAS + ", so one node drain or failed pod takes a large share of its capacity",
                    "Run at least " + MIN_REPLICAS + " replicas, or autoscale the workload.");
        }
    }

    /** @return whether a HorizontalPodAutoscaler or KEDA ScaledObject of the chart scales the workload */
    private boolean autoscaled(Pod pod) {
        return checks.objects().stream().anyMatch(s -> Workloads.scaleTarget(s.manifest())
                .filter(t -> Workloads.isTarget(t, pod.object().manifest())).isPresent());
    }

    /** @return whether a finding was reported */
    private boolean checkAntiAffinity(Pod pod, String why) {
        Map<String, Object> labels = pod.workload().podLabels();
        if (!checks.judgeable(labels) || checks.mayBeGenerated(pod, pod.spec(), "affinity")
                || checks.mayBeGenerated(pod, pod.spec(), "topologySpreadConstraints")) {
            return false;
        }
        String namespace = pod.object().namespace();
        Map<String, Object> anti = ManifestValues.map(pod.spec(), "affinity", "podAntiAffinity");
        List<Map<String, Object>> terms = new java.util.ArrayList<>(
                ManifestValues.maps(anti, "requiredDuringSchedulingIgnoredDuringExecution"));
        ManifestValues.maps(anti, "preferredDuringSchedulingIgnoredDuringExecution")
                .forEach(p -> terms.add(ManifestValues.map(p, "podAffinityTerm")));
        boolean spreadByAffinity = terms.stream().anyMatch(t -> SPREAD_KEYS.contains(
                ManifestValues.string(t, "topologyKey"))
                && WorkloadChecks.selects(ManifestValues.map(t, "labelSelector"), labels)
                && !ManifestValues.map(t, "labelSelector").isEmpty()
                && (ManifestValues.list(t, "namespaces").isEmpty() || namespace == null
                        || ManifestValues.list(t, "namespaces").contains(namespace)));
        boolean spreadByTopology = ManifestValues.maps(pod.spec(), "topologySpreadConstraints").stream()
                .anyMatch(t -> ManifestValues.string(t, "topologyKey") != null
                        && !ManifestValues.map(t, "labelSelector").isEmpty()
                        && WorkloadChecks.selects(ManifestValues.map(t, "labelSelector"), labels));
        if (spreadByAffinity || spreadByTopology) {
            return false;
        }
        RenderedObject o = pod.object();
        checks.report(ANTI_AFFINITY, o, null, pod.path() + ".affinity.podAntiAffinity",
                PodSpecChecks.line(o, pod.spec(), "affinity", "podAntiAffinity"),
                pod.display() + " " + why + " but neither a podAntiAffinity term nor a topology spread constraint"
                        + " selects its own pods: they may all run on one node, which then takes them all down",
                "Add topologySpreadConstraints (or a preferred podAntiAffinity term) with topologyKey"
                        + " kubernetes.io/hostname or topology.kubernetes.io/zone and a labelSelector of the pod's"
                        + " labels.");
        return true;
    }

    /** kube-score's pod-topology-spread-constraints. */
    private void checkSpreadConstraints(Pod pod) {
        RenderedObject o = pod.object();
        List<Map<String, Object>> constraints = ManifestValues.maps(pod.spec(), "topologySpreadConstraints");
        for (int i = 0; i < constraints.size(); i++) {
            Map<String, Object> t = constraints.get(i);
            String at = pod.path() + ".topologySpreadConstraints[" + i + "]";
            String problem = null;
            String key = null;
            Object maxSkew = t.get("maxSkew");
            Object minDomains = t.get("minDomains");
            String when = ManifestValues.string(t, "whenUnsatisfiable");
            String topologyKey = ManifestValues.string(t, "topologyKey");
            if (missing(pod, t, "labelSelector")) {
                key = "labelSelector";
                problem = "has no labelSelector, so it counts no pods and spreads nothing";
            } else if (missing(pod, t, "topologyKey") || (topologyKey != null && topologyKey.isBlank())) {
                key = "topologyKey";
                problem = "has no topologyKey";
            } else if (missing(pod, t, "maxSkew")
                    || (maxSkew != null && checks.judgeable(maxSkew)
                    && ManifestValues.integer(maxSkew).orElse(0L) < 1)) {
                key = "maxSkew";
                problem = maxSkew == null ? "has no maxSkew" : "has maxSkew " + maxSkew + " (it must be at least 1)";
            } else if (minDomains != null && checks.judgeable(minDomains)
                    && ManifestValues.integer(minDomains).orElse(0L) < 1) {
                key = "minDomains";
                problem = "has minDomains " + minDomains + " (it must be at least 1)";
            } else if (missing(pod, t, "whenUnsatisfiable")
                    || (when != null && checks.judgeable(when) && !WHEN_UNSATISFIABLE.contains(when))) {
                key = "whenUnsatisfiable";
                problem = (when == null ? "has no whenUnsatisfiable" : "has whenUnsatisfiable " + when)
                        + " (DoNotSchedule or ScheduleAnyway)";
            }
            if (problem != null) {
                checks.report(TOPOLOGY_SPREAD_VALID, o, null, at + "." + key, o.line(t, key),
                        pod.display() + "'s topology spread constraint " + i + " " + problem,
                        "Give the constraint a labelSelector of the pod's labels, a topologyKey, maxSkew: 1 and"
                                + " whenUnsatisfiable: ScheduleAnyway (or DoNotSchedule).");
            }
        }
    }

    /** Absent from a constraint, and not possibly generated on a textual reading. */
    private boolean missing(Pod pod, Map<String, Object> constraint, String key) {
        Object v = constraint.get(key);
        return (v == null || (v instanceof Map<?, ?> m && m.isEmpty()))
                && !checks.mayBeGenerated(pod, constraint, key);
    }

    private void checkGpuPriority(Pod pod) {
        List<String> gpus = pod.containers().stream()
                .flatMap(c -> java.util.stream.Stream.of("limits", "requests")
                        .flatMap(s -> ManifestValues.map(c.spec(), "resources", s).keySet().stream()))
                .filter(Workloads::isGpuResource).distinct().toList();
        String priority = ManifestValues.string(pod.spec(), "priorityClassName");
        if (gpus.isEmpty() || (priority != null && !priority.isBlank())
                || checks.mayBeGenerated(pod, pod.spec(), "priorityClassName")) {
            return;
        }
        RenderedObject o = pod.object();
        checks.report(PRIORITY_CLASS, o, null, pod.path() + ".priorityClassName",
                PodSpecChecks.line(o, pod.spec(), "priorityClassName"),
                pod.display() + " asks for " + String.join(", ", gpus) + " but sets no priorityClassName: on a"
                        + " full GPU pool it waits behind, or is preempted by, any other pod",
                "Set priorityClassName to the cluster's class for GPU workloads.");
    }
}
