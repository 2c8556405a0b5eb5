package io.asyncsidecar.controlplane.plugins.karpenter;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.checks.IgnoreAnnotations;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.kit.checks.Quantities;
import io.asyncsidecar.controlplane.kit.checks.Workloads;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.GPU_WORKLOAD_CAPACITY;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.GPU_WORKLOAD_POOL;

/**
 * The cross-check between the chart and the pools: every workload that asks for GPUs must tolerate the taints
 * of exactly one GPU pool (zero: its pods stay Pending; more: placement is left to pool weights), and at its
 * largest replica count (a KEDA ScaledObject's maxReplicaCount, else an HPA's maxReplicas, else spec.replicas)
 * its requests must fit under that pool's limits. Karpenter's limits count whole nodes, so a workload that
 * passes here can still hit the limit through node overhead; one that fails here certainly will.
 */
final class GpuPlacement {

    static final String NODEPOOL_LABEL = "karpenter.sh/nodepool";

    private GpuPlacement() {
    }

    /**
     * Checks the GPU workloads among the objects.
     *
     * @param gpuPools  the GPU pools
     * @param objects   the chart's objects and raw workloads (ScaledObjects and HPAs among them give the ceilings)
     * @param origins   where each object came from ({@code chart} or {@code manifest})
     * @param findings  where findings go (ignore annotations of the workload applied)
     * @return one JSON entry per GPU workload
     */
    static List<Map<String, Object>> check(List<NodePool> gpuPools, List<YamlDocument> objects,
                                           Map<YamlDocument, String> origins, List<Finding> findings) {
        List<Map<String, Object>> manifests = objects.stream().map(YamlDocument::map).toList();
        List<Map<String, Object>> out = new ArrayList<>();
        for (YamlDocument doc : objects) {
            Optional<Map<String, Object>> podSpec = Workloads.podSpec(doc.map());
            if (podSpec.isEmpty()) {
                continue;
            }
            Map<String, BigDecimal> gpus = Workloads.podGpuResources(podSpec.get());
            if (gpus.isEmpty()) {
                continue;
            }
            ObjectRef ref = doc.ref();
            List<String> selected = selectedPools(podSpec.get());
            List<NodePool> candidates = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            for (NodePool pool : gpuPools) {
                if (!selected.isEmpty() && !selected.contains(pool.name())) {
                    continue;
                }
                List<String> untolerated = untoleratedTaints(pool, podSpec.get());
                if (untolerated.isEmpty()) {
                    candidates.add(pool);
                } else {
                    refused.add(pool.name() + " (taint " + String.join(", ", untolerated) + " not tolerated)");
                }
            }
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("kind", ref.kind());
            j.put("name", ref.name());
            j.put("namespace", ref.namespace());
            j.put("origin", origins.get(doc));
            j.put("file", doc.file());
            j.put("line", doc.line());
            j.put("gpu_per_pod", gpus);
            j.put("node_selector_pools", selected);
            j.put("pools", candidates.stream().map(NodePool::name).toList());
            List<Finding> own = new ArrayList<>();
            int line = doc.lineOf(podSpec.get(), "tolerations");
            if (candidates.isEmpty()) {
                String why = gpuPools.isEmpty() ? "there is no GPU pool"
                        : !refused.isEmpty() ? "GPU pools: " + String.join("; ", refused)
                        : "its nodeSelector/affinity names " + selected + ", which is no GPU pool";
                own.add(Finding.of(GPU_WORKLOAD_POOL, Severity.ERROR, ref, doc.file(), line,
                        ref.display() + " asks for " + describe(gpus) + " but tolerates the taint of no GPU pool ("
                                + why + "): its pods stay Pending",
                        "Add a toleration for the GPU pool's taint (e.g. key nvidia.com/gpu, operator Exists,"
                                + " effect NoSchedule) and select the pool with karpenter.sh/nodepool."));
            } else if (candidates.size() > 1) {
                own.add(Finding.of(GPU_WORKLOAD_POOL, Severity.WARNING, ref, doc.file(), line,
                        ref.display() + " tolerates the taints of " + candidates.size() + " GPU pools ("
                                + String.join(", ", candidates.stream().map(NodePool::name).toList())
                                + "): which one launches its nodes depends on pool weights and prices",
                        "Select one pool with nodeSelector karpenter.sh/nodepool: <pool>."));
            } else {
                NodePool pool = candidates.getFirst();
                Workloads.ReplicaCeiling ceiling = Workloads.maxReplicas(doc.map(), manifests);
                j.put("pool", pool.name());
                j.put("max_replicas", ceiling.replicas());
                j.put("max_replicas_source", ceiling.source());
                Map<String, BigDecimal> perPod = Workloads.podRequests(podSpec.get());
                Map<String, Object> needs = new LinkedHashMap<>();
                boolean fits = true;
                for (Map.Entry<String, Object> limit : pool.limits().entrySet()) {
                    String resource = limit.getKey();
                    Optional<BigDecimal> max = Quantities.parse(limit.getValue());
                    BigDecimal each = perPod.get(resource);
                    if (resource.equals("nodes") || max.isEmpty() || each == null) {
                        continue;
                    }
                    BigDecimal need = each.multiply(BigDecimal.valueOf(ceiling.replicas()));
                    needs.put(resource, Map.of("need", need.stripTrailingZeros().toPlainString(),
                            "limit", String.valueOf(limit.getValue())));
                    if (need.compareTo(max.get()) > 0) {
                        fits = false;
                        own.add(Finding.of(GPU_WORKLOAD_CAPACITY, Severity.ERROR, ref, doc.file(), doc.line(),
                                ref.display() + " at " + ceiling.replicas() + " replicas (" + ceiling.source() + ") needs "
                                        + need.stripTrailingZeros().toPlainString() + " " + resource + " ("
                                        + each.stripTrailingZeros().toPlainString() + " per pod), over the limit "
                                        + limit.getValue() + " of NodePool " + pool.name(),
                                "Raise the pool's limits." + resource + " or lower the workload's maximum replica count."));
                    }
                }
                j.put("needs", needs);
                j.put("fits", fits);
            }
            own.forEach(f -> findings.add(IgnoreAnnotations.apply(f, doc.map())));
            out.add(j);
        }
        return out;
    }

    /** Pools named by a nodeSelector or a required node affinity on karpenter.sh/nodepool. */
    private static List<String> selectedPools(Map<String, Object> podSpec) {
        List<String> pools = new ArrayList<>();
        String selector = ManifestValues.string(podSpec, "nodeSelector", NODEPOOL_LABEL);
        if (selector != null) {
            pools.add(selector);
        }
        for (Map<String, Object> term : ManifestValues.maps(podSpec, "affinity", "nodeAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")) {
            for (Map<String, Object> expr : ManifestValues.maps(term, "matchExpressions")) {
                if (NODEPOOL_LABEL.equals(expr.get("key")) && "In".equals(expr.get("operator"))) {
                    ManifestValues.list(expr, "values").forEach(v -> pools.add(String.valueOf(v)));
                }
            }
        }
        return pools;
    }

    private static List<String> untoleratedTaints(NodePool pool, Map<String, Object> podSpec) {
        List<String> untolerated = new ArrayList<>();
        for (Map<String, Object> taint : pool.taints()) {
            String effect = ManifestValues.string(taint, "effect");
            if (!"NoSchedule".equals(effect) && !"NoExecute".equals(effect)) {
                continue;
            }
            boolean tolerated = Workloads.tolerations(podSpec).stream().anyMatch(t -> Workloads.tolerates(t, taint));
            if (!tolerated) {
                String value = ManifestValues.string(taint, "value");
                untolerated.add(taint.get("key") + (value == null ? "" : "=" + value) + ":" + effect);
            }
        }
        return untolerated;
    }

    private static String describe(Map<String, BigDecimal> gpus) {
        List<String> parts = new ArrayList<>();
        gpus.forEach((k, v) -> parts.add(v.stripTrailingZeros().toPlainString() + " " + k));
        return String.join(" + ", parts) + " per pod";
    }
}
