package io.asyncsidecar.controlplane.plugins.karpenter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.checks.IgnoreAnnotations;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.kit.checks.Workloads;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.CPU_POOL;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.CPU_POOL_REJECTS_GPU;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.GPU_POOL;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.GPU_POOL_LIMIT;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.GPU_POOL_TAINT;

/**
 * One check run over the pool manifests, the chart's objects and raw workloads: Karpenter's validation of
 * each pool and node class, the hypergraph's pool layout (a CPU and a GPU pool; GPU pools tainted and limited;
 * CPU pools closed to GPU instances), and the GPU placement cross-check.
 */
final class KarpenterScan {

    private final List<YamlDocument> poolManifests;
    private final RenderedChart chart;
    private final List<YamlDocument> workloads;
    private final String poolsFile;
    private final String cpuPoolName;
    private final String gpuPoolName;
    private final CrdRules crdRules;

    /**
     * A scan.
     *
     * @param poolManifests documents read from the pools path
     * @param poolsFile     that path (file-level findings point at it)
     * @param chart         the rendered chart for the cross-check, or null
     * @param workloads     raw workload documents for the cross-check
     * @param cpuPoolName   the preferred CPU pool name for the layout fields
     * @param gpuPoolName   the preferred GPU pool name for the layout fields
     * @param crdRules      the CRDs' own CEL rules, run instead of the restated ones on the objects they cover
     */
    KarpenterScan(List<YamlDocument> poolManifests, String poolsFile, RenderedChart chart, List<YamlDocument> workloads,
                  String cpuPoolName, String gpuPoolName, CrdRules crdRules) {
        this.poolManifests = poolManifests;
        this.poolsFile = poolsFile;
        this.chart = chart;
        this.workloads = workloads;
        this.cpuPoolName = cpuPoolName;
        this.gpuPoolName = gpuPoolName;
        this.crdRules = crdRules;
    }

    /**
     * The answer's parts; {@code validation} is {@value CrdRules#CRD_RULES} when the CRDs' rules ran on some pool
     * or node class, else {@value CrdRules#BUILT_IN}.
     */
    record Result(Map<String, Object> layout, List<Map<String, Object>> pools, List<Map<String, Object>> nodeClasses,
                  List<Map<String, Object>> gpuWorkloads, List<Finding> findings, String validation) {
    }

    Result run() {
        List<NodePool> pools = new ArrayList<>();
        List<NodeClass> classes = new ArrayList<>();
        for (YamlDocument d : poolManifests) {
            NodePool.of(d).ifPresent(pools::add);
            NodeClass.of(d).ifPresent(classes::add);
        }
        List<Finding> findings = new ArrayList<>();
        List<Map<String, Object>> poolJson = new ArrayList<>();
        List<NodePool> cpuPools = new ArrayList<>();
        List<NodePool> gpuPools = new ArrayList<>();
        boolean crdRulesRan = false;
        for (NodePool pool : pools) {
            boolean crd = crdRules.covers(pool.document());
            crdRulesRan |= crd;
            List<Finding> own = new ArrayList<>(NodePoolChecks.check(pool, classes, crd));
            if (crd) {
                own.addAll(crdRules.check(pool.document()));
            }
            PoolClass cls = PoolClass.of(pool);
            Map<String, Object> j = pool.toJson();
            j.put("validation", crd ? CrdRules.CRD_RULES : CrdRules.BUILT_IN);
            j.put("class", cls.json());
            j.put("node_class_resolves", resolve(pool, classes).isPresent());
            if (cls == PoolClass.GPU) {
                gpuPools.add(pool);
                j.put("gpu_taints", PoolClass.gpuTaints(pool));
                verifyGpuPool(pool, own);
            } else {
                cpuPools.add(pool);
                boolean closed = PoolClass.excludesGpuInstances(pool);
                j.put("excludes_gpu_instances", closed);
                if (!closed) {
                    own.add(Finding.of(CPU_POOL_REJECTS_GPU, Severity.WARNING, pool.document().ref(),
                            pool.document().file(), pool.document().lineOf(pool.template(), "requirements"),
                            pool.document().ref().display() + " does not exclude GPU instances: a GPU pod that"
                                    + " tolerates nothing can make it launch an untainted GPU node, outside the GPU"
                                    + " pool's taint and limits",
                            "Restrict it, e.g. karpenter.k8s.aws/instance-category In [c, m, r] or"
                                    + " karpenter.k8s.aws/instance-gpu-count DoesNotExist."));
                }
            }
            own.forEach(f -> findings.add(IgnoreAnnotations.apply(f, pool.document().map())));
            poolJson.add(j);
        }
        List<Map<String, Object>> classJson = new ArrayList<>();
        for (NodeClass nc : classes) {
            boolean crd = crdRules.covers(nc.document());
            crdRulesRan |= crd;
            List<Finding> own = new ArrayList<>(NodeClassChecks.check(nc, crd));
            if (crd) {
                own.addAll(crdRules.check(nc.document()));
            }
            own.forEach(f -> findings.add(IgnoreAnnotations.apply(f, nc.document().map())));
            Map<String, Object> j = nodeClassJson(nc, pools);
            j.put("validation", crd ? CrdRules.CRD_RULES : CrdRules.BUILT_IN);
            classJson.add(j);
        }
        if (cpuPools.isEmpty()) {
            findings.add(Finding.of(CPU_POOL, Severity.ERROR, null, poolsFile, 0,
                    "no CPU node pool in " + poolsFile + " (" + pools.size() + " pools read)",
                    "Add a NodePool for general-purpose workloads such as the gateway."));
        }
        if (gpuPools.isEmpty()) {
            findings.add(Finding.of(GPU_POOL, Severity.ERROR, null, poolsFile, 0,
                    "no GPU node pool in " + poolsFile + " (" + pools.size() + " pools read)",
                    "Add a NodePool selecting GPU instances (e.g. instance-family In [g5, p4d]) with a GPU taint"
                            + " and limit."));
        }

        List<YamlDocument> objects = new ArrayList<>();
        Map<YamlDocument, String> origins = new LinkedHashMap<>();
        if (chart != null) {
            chart.objects().forEach(d -> {
                objects.add(d);
                origins.put(d, "chart");
            });
        }
        for (YamlDocument d : workloads) {
            if (d.isKubernetesObject()) {
                objects.add(d);
                origins.put(d, "manifest");
            }
        }
        // workloads written beside the pools count too
        for (YamlDocument d : poolManifests) {
            if (Workloads.isWorkload(d.map()) || "ScaledObject".equals(d.map().get("kind"))) {
                objects.add(d);
                origins.put(d, "manifest");
            }
        }
        List<Map<String, Object>> gpuWorkloads = GpuPlacement.check(gpuPools, objects, origins, findings);

        Map<String, Object> layout = new LinkedHashMap<>();
        NodePool cpu = preferred(cpuPools, cpuPoolName);
        NodePool gpu = preferred(gpuPools, gpuPoolName);
        layout.put("cpu_pool", cpu != null);
        layout.put("gpu_pool", gpu != null);
        layout.put("cpu_class", cpu != null && resolve(cpu, classes).isPresent());
        layout.put("gpu_class", gpu != null && resolve(gpu, classes).isPresent());
        layout.put("cpu_pool_name", cpu == null ? null : cpu.name());
        layout.put("gpu_pool_name", gpu == null ? null : gpu.name());
        return new Result(layout, poolJson, classJson, gpuWorkloads, findings,
                crdRulesRan ? CrdRules.CRD_RULES : CrdRules.BUILT_IN);
    }

    private static void verifyGpuPool(NodePool pool, List<Finding> out) {
        YamlDocument doc = pool.document();
        if (PoolClass.gpuTaints(pool).isEmpty()) {
            out.add(Finding.of(GPU_POOL_TAINT, Severity.ERROR, doc.ref(), doc.file(),
                    doc.lineOf(pool.template(), pool.template().containsKey("taints") ? "taints" : "requirements"),
                    doc.ref().display() + " launches GPU nodes without a GPU taint (e.g. nvidia.com/gpu:NoSchedule):"
                            + " any pod may land on them and hold the GPUs' capacity",
                    "Add taints: [{key: nvidia.com/gpu, effect: NoSchedule}] and tolerate it in GPU workloads."));
        }
        if (pool.limits().keySet().stream().noneMatch(Workloads::isGpuResource)) {
            out.add(Finding.of(GPU_POOL_LIMIT, Severity.ERROR, doc.ref(), doc.file(),
                    doc.lineOf(pool.spec(), pool.spec().containsKey("limits") ? "limits" : "template"),
                    doc.ref().display() + " sets no GPU limit: a scale-out can launch GPU nodes without bound",
                    "Add limits: {nvidia.com/gpu: <count>} sized for the GPU workloads' maximum replicas."));
        }
    }

    private static Optional<NodeClass> resolve(NodePool pool, List<NodeClass> classes) {
        String name = pool.nodeClassName();
        return classes.stream().filter(c -> c.kind().equals(pool.nodeClassKind()) && c.name() != null
                && c.name().equals(name)).findFirst();
    }

    private static NodePool preferred(List<NodePool> pools, String name) {
        return pools.stream().filter(p -> name.equals(p.name())).findFirst()
                .orElse(pools.isEmpty() ? null : pools.getFirst());
    }

    private static Map<String, Object> nodeClassJson(NodeClass nc, List<NodePool> pools) {
        Map<String, Object> spec = nc.spec();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("kind", nc.kind());
        j.put("apiVersion", nc.document().map().get("apiVersion"));
        j.put("name", nc.name());
        j.put("deprecated_api", nc.deprecatedApi());
        j.put("file", nc.document().file());
        j.put("line", nc.document().line());
        j.put("role", spec.get("role"));
        j.put("instanceProfile", spec.get("instanceProfile"));
        j.put("amiFamily", spec.get("amiFamily"));
        j.put("amiSelectorTerms", ManifestValues.list(spec, "amiSelectorTerms"));
        j.put("subnetSelectorTerms", ManifestValues.list(spec, "subnetSelectorTerms").size());
        j.put("securityGroupSelectorTerms", ManifestValues.list(spec, "securityGroupSelectorTerms").size());
        j.put("used_by", pools.stream().filter(p -> p.nodeClassKind().equals(nc.kind())
                && nc.name() != null && nc.name().equals(p.nodeClassName())).map(NodePool::name).toList());
        return j;
    }
}
