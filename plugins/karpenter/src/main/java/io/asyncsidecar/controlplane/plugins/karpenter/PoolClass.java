package io.asyncsidecar.controlplane.plugins.karpenter;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.kit.checks.Workloads;

/**
 * Whether a node pool is for GPU or CPU work, read from what it declares: a GPU taint, a GPU limit, or
 * requirements that select accelerated EC2 instances (families g*, p*, inf*, trn*, dl*, categories g/p/inf/trn/dl,
 * a GPU count, name or manufacturer). And, for a CPU pool, whether its requirements keep GPU instances out.
 */
enum PoolClass {
    /** Launches general-purpose instances. */
    CPU,
    /** Launches accelerated instances for GPU workloads. */
    GPU;

    static final String CATEGORY = "karpenter.k8s.aws/instance-category";
    static final String FAMILY = "karpenter.k8s.aws/instance-family";
    static final String TYPE = "node.kubernetes.io/instance-type";
    static final String GPU_COUNT = "karpenter.k8s.aws/instance-gpu-count";
    private static final Set<String> GPU_CATEGORIES = Set.of("g", "p", "inf", "trn", "dl", "gr");
    private static final Pattern GPU_FAMILY = Pattern.compile("^(g|gr|p|inf|trn|dl)[0-9].*");
    private static final Set<String> GPU_KEYS = Set.of(GPU_COUNT, "karpenter.k8s.aws/instance-gpu-name",
            "karpenter.k8s.aws/instance-gpu-manufacturer", "karpenter.k8s.aws/instance-gpu-memory",
            "karpenter.k8s.aws/instance-accelerator-name", "karpenter.k8s.aws/instance-accelerator-manufacturer",
            "karpenter.k8s.aws/instance-accelerator-count");

    static PoolClass of(NodePool pool) {
        if (!gpuTaints(pool).isEmpty() || pool.limits().keySet().stream().anyMatch(Workloads::isGpuResource)) {
            return GPU;
        }
        for (Map<String, Object> r : pool.requirements()) {
            String key = ManifestValues.string(r, "key");
            String op = ManifestValues.string(r, "operator");
            List<String> values = values(r);
            if (key == null || op == null) {
                continue;
            }
            boolean in = op.equals("In") && !values.isEmpty();
            if (in && key.equals(CATEGORY) && values.stream().allMatch(GPU_CATEGORIES::contains)) {
                return GPU;
            }
            if (in && (key.equals(FAMILY) || key.equals(TYPE))
                    && values.stream().allMatch(v -> GPU_FAMILY.matcher(v).matches())) {
                return GPU;
            }
            if (GPU_KEYS.contains(key) && requiresAccelerator(op, values)) {
                return GPU;
            }
        }
        return CPU;
    }

    /**
     * Whether the pool's requirements keep GPU instances out, so a GPU pod cannot make it launch one.
     *
     * @param pool a pool
     * @return true when some requirement excludes every accelerated instance
     */
    static boolean excludesGpuInstances(NodePool pool) {
        for (Map<String, Object> r : pool.requirements()) {
            String key = ManifestValues.string(r, "key");
            String op = ManifestValues.string(r, "operator");
            List<String> values = values(r);
            if (key == null || op == null) {
                continue;
            }
            if (op.equals("In") && key.equals(CATEGORY) && values.stream().noneMatch(GPU_CATEGORIES::contains)) {
                return true;
            }
            if (op.equals("In") && (key.equals(FAMILY) || key.equals(TYPE))
                    && values.stream().noneMatch(v -> GPU_FAMILY.matcher(v).matches())) {
                return true;
            }
            if (op.equals("NotIn") && key.equals(CATEGORY) && values.containsAll(List.of("g", "p"))) {
                return true;
            }
            if (key.equals(GPU_COUNT) && (op.equals("DoesNotExist") || op.equals("In") && values.equals(List.of("0"))
                    || op.equals("Lt") && values.equals(List.of("1")))) {
                return true;
            }
        }
        return false;
    }

    /** @return the pool's taints on GPU resource keys that keep other pods off (NoSchedule, NoExecute) */
    static List<Map<String, Object>> gpuTaints(NodePool pool) {
        return pool.taints().stream().filter(t -> {
            String key = ManifestValues.string(t, "key");
            String effect = ManifestValues.string(t, "effect");
            return key != null && Workloads.isGpuResource(key)
                    && ("NoSchedule".equals(effect) || "NoExecute".equals(effect));
        }).toList();
    }

    /** Exists, In with a non-zero value, Gt n (n >= 0) and Gte n (n >= 1) all demand at least one accelerator. */
    private static boolean requiresAccelerator(String op, List<String> values) {
        return switch (op) {
            case "Exists" -> true;
            case "In" -> values.stream().anyMatch(v -> !v.equals("0"));
            case "Gt" -> !values.isEmpty() && values.getFirst().matches("[0-9]+");
            case "Gte" -> !values.isEmpty() && values.getFirst().matches("[0-9]+") && !values.getFirst().equals("0");
            default -> false;
        };
    }

    private static List<String> values(Map<String, Object> requirement) {
        return ManifestValues.list(requirement, "values").stream().map(v -> String.valueOf(v).toLowerCase(Locale.ROOT))
                .toList();
    }

    String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
