package io.asyncsidecar.controlplane.spi.checks;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the pod template inside workload manifests (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
 * CronJob, Argo Rollout, Pod) and reads what checks ask of it: containers, GPU resources, tolerations.
 * Shared by every plugin that inspects what a chart schedules, so they agree on what a workload is.
 */
public final class Workloads {

    /** Extended resource names of GPUs that node pools taint and limit. */
    public static final Set<String> GPU_RESOURCES = Set.of("nvidia.com/gpu", "amd.com/gpu", "aws.amazon.com/neuron",
            "aws.amazon.com/neurondevice", "gpu.intel.com/i915", "habana.ai/gaudi");

    private static final Set<String> TEMPLATED_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
            "ReplicationController", "Job", "Rollout");

    private Workloads() {
    }

    /**
     * Whether a manifest is a workload with a pod template.
     *
     * @param manifest a Kubernetes object
     * @return true for the kinds listed in the class comment
     */
    public static boolean isWorkload(Map<String, ?> manifest) {
        return podSpec(manifest).isPresent();
    }

    /**
     * The pod spec of a workload.
     *
     * @param manifest a Kubernetes object
     * @return {@code spec.template.spec} (CronJob: {@code spec.jobTemplate.spec.template.spec}; Pod: {@code spec}),
     *         or empty for other kinds
     */
    public static Optional<Map<String, Object>> podSpec(Map<String, ?> manifest) {
        Object kind = manifest.get("kind");
        if (!(kind instanceof String k)) {
            return Optional.empty();
        }
        Object spec;
        if (TEMPLATED_KINDS.contains(k)) {
            spec = ManifestValues.at(manifest, "spec", "template", "spec");
        } else if (k.equals("CronJob")) {
            spec = ManifestValues.at(manifest, "spec", "jobTemplate", "spec", "template", "spec");
        } else if (k.equals("Pod")) {
            spec = manifest.get("spec");
        } else {
            return Optional.empty();
        }
        return spec instanceof Map<?, ?> ? Optional.of(ManifestValues.map(spec)) : Optional.of(Map.of());
    }

    /**
     * The pod template's labels.
     *
     * @param manifest a workload
     * @return {@code spec.template.metadata.labels} (or the CronJob's / Pod's), empty when absent
     */
    public static Map<String, Object> podLabels(Map<String, ?> manifest) {
        Object kind = manifest.get("kind");
        if ("CronJob".equals(kind)) {
            return ManifestValues.map(manifest, "spec", "jobTemplate", "spec", "template", "metadata", "labels");
        }
        if ("Pod".equals(kind)) {
            return ManifestValues.map(manifest, "metadata", "labels");
        }
        return ManifestValues.map(manifest, "spec", "template", "metadata", "labels");
    }

    /**
     * The containers and init containers of a pod spec.
     *
     * @param podSpec a pod spec
     * @return the container mappings, init containers first
     */
    public static List<Map<String, Object>> containers(Map<String, ?> podSpec) {
        List<Map<String, Object>> all = new ArrayList<>(ManifestValues.maps(podSpec, "initContainers"));
        all.addAll(ManifestValues.maps(podSpec, "containers"));
        return all;
    }

    /**
     * The GPU resources a container asks for: its limits, or its requests where no limit is set (Kubernetes
     * requires extended resources to have equal requests and limits, so either names the amount).
     *
     * @param container a container mapping
     * @return resource name to amount, e.g. {@code nvidia.com/gpu -> 1}; empty when it uses no GPU
     */
    public static Map<String, BigDecimal> gpuResources(Map<String, ?> container) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        for (String section : List.of("limits", "requests")) {
            ManifestValues.map(container, "resources", section).forEach((name, value) -> {
                if (isGpuResource(name)) {
                    Quantities.parse(value).ifPresent(q -> out.putIfAbsent(name, q));
                }
            });
        }
        return out;
    }

    /**
     * The GPU resources of a whole pod: the sum over its regular containers, or the largest init container's,
     * whichever is larger, as the scheduler counts them.
     *
     * @param podSpec a pod spec
     * @return resource name to amount per pod
     */
    public static Map<String, BigDecimal> podGpuResources(Map<String, ?> podSpec) {
        Map<String, BigDecimal> sum = new LinkedHashMap<>();
        for (Map<String, Object> c : ManifestValues.maps(podSpec, "containers")) {
            gpuResources(c).forEach((k, v) -> sum.merge(k, v, BigDecimal::add));
        }
        for (Map<String, Object> c : ManifestValues.maps(podSpec, "initContainers")) {
            gpuResources(c).forEach((k, v) -> sum.merge(k, v, BigDecimal::max));
        }
        return sum;
    }

    /**
     * Whether a resource name is a GPU (or similar accelerator) resource.
     *
     * @param name a resource name
     * @return true for the names in {@link #GPU_RESOURCES} and any {@code *\/gpu}
     */
    public static boolean isGpuResource(String name) {
        return GPU_RESOURCES.contains(name) || name.endsWith("/gpu");
    }

    /**
     * The tolerations of a pod spec.
     *
     * @param podSpec a pod spec
     * @return the toleration mappings
     */
    public static List<Map<String, Object>> tolerations(Map<String, ?> podSpec) {
        return ManifestValues.maps(podSpec, "tolerations");
    }

    /**
     * Whether a toleration tolerates a taint, with Kubernetes' matching rules: an empty key with
     * {@code Exists} tolerates everything; an empty effect matches every effect; {@code Equal} (the default)
     * compares values.
     *
     * @param toleration a toleration mapping
     * @param taint      a taint mapping (key, value, effect)
     * @return true when the taint is tolerated
     */
    public static boolean tolerates(Map<String, ?> toleration, Map<String, ?> taint) {
        String effect = ManifestValues.string(toleration, "effect");
        String taintEffect = ManifestValues.string(taint, "effect");
        if (effect != null && !effect.isEmpty() && !effect.equals(taintEffect)) {
            return false;
        }
        String key = ManifestValues.string(toleration, "key");
        String operator = ManifestValues.string(toleration, "operator");
        boolean exists = "Exists".equals(operator);
        if (key == null || key.isEmpty()) {
            return exists;
        }
        if (!key.equals(ManifestValues.string(taint, "key"))) {
            return false;
        }
        if (exists) {
            return true;
        }
        String value = ManifestValues.string(toleration, "value");
        String taintValue = ManifestValues.string(taint, "value");
        return (value == null ? "" : value).equals(taintValue == null ? "" : taintValue);
    }

    /**
     * The replica count a workload declares.
     *
     * @param manifest a workload
     * @return {@code spec.replicas}, or empty when unset (Kubernetes then defaults to 1)
     */
    public static Optional<Long> replicas(Map<String, ?> manifest) {
        return ManifestValues.integer(manifest, "spec", "replicas");
    }
}
