package io.asyncsidecar.controlplane.kit.checks;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.asyncsidecar.controlplane.spi.checks.ObjectRef;

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
        return perPod(podSpec, Workloads::gpuResources);
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

    /**
     * The object a ScaledObject ({@code keda.sh} or the old {@code keda.k8s.io}) or a HorizontalPodAutoscaler
     * scales, with KEDA's defaults (apiVersion {@code apps/v1}, kind {@code Deployment}) and the scaler's namespace.
     *
     * @param scaler a ScaledObject or HorizontalPodAutoscaler manifest
     * @return the target, or empty for other kinds or a missing target name
     */
    public static Optional<ObjectRef> scaleTarget(Map<String, ?> scaler) {
        Object kind = scaler.get("kind");
        Map<String, Object> ref;
        if ("ScaledObject".equals(kind)) {
            ref = ManifestValues.map(scaler, "spec", "scaleTargetRef");
        } else if ("HorizontalPodAutoscaler".equals(kind)) {
            ref = ManifestValues.map(scaler, "spec", "scaleTargetRef");
        } else {
            return Optional.empty();
        }
        String name = ManifestValues.string(ref, "name");
        if (name == null) {
            // keda.k8s.io/v1alpha1 named the target deploymentName
            name = ManifestValues.string(ref, "deploymentName");
        }
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String apiVersion = ManifestValues.string(ref, "apiVersion");
        String targetKind = ManifestValues.string(ref, "kind");
        return Optional.of(new ObjectRef(apiVersion == null ? "apps/v1" : apiVersion,
                targetKind == null ? "Deployment" : targetKind,
                ManifestValues.string(scaler, "metadata", "namespace"), name));
    }

    /**
     * Whether a target reference names a manifest: same kind and name, and the same namespace when both say one.
     *
     * @param target   a scale target
     * @param manifest a candidate object
     * @return true when it is the target
     */
    public static boolean isTarget(ObjectRef target, Map<String, ?> manifest) {
        ObjectRef ref = ObjectRef.of(manifest);
        if (!target.name().equals(ref.name()) || !target.kind().equals(ref.kind())) {
            return false;
        }
        return target.namespace() == null || ref.namespace() == null || target.namespace().equals(ref.namespace());
    }

    /**
     * The most replicas a workload may run: the {@code maxReplicaCount} of a ScaledObject targeting it (KEDA's
     * default 100 when unset), else an HPA's {@code maxReplicas}, else its own {@code spec.replicas} (default 1).
     *
     * @param workload a workload manifest
     * @param objects  the objects deployed with it (ScaledObjects and HPAs are looked up here)
     * @return the replica ceiling and where it came from
     */
    public static ReplicaCeiling maxReplicas(Map<String, ?> workload, Collection<? extends Map<String, ?>> objects) {
        for (Map<String, ?> o : objects) {
            if ("ScaledObject".equals(o.get("kind"))
                    && scaleTarget(o).filter(t -> isTarget(t, workload)).isPresent()) {
                long max = ManifestValues.integer(o, "spec", "maxReplicaCount").orElse(100L);
                return new ReplicaCeiling(max, ObjectRef.of(o).display() + " maxReplicaCount");
            }
        }
        for (Map<String, ?> o : objects) {
            if ("HorizontalPodAutoscaler".equals(o.get("kind"))
                    && scaleTarget(o).filter(t -> isTarget(t, workload)).isPresent()) {
                Optional<Long> max = ManifestValues.integer(o, "spec", "maxReplicas");
                if (max.isPresent()) {
                    return new ReplicaCeiling(max.get(), ObjectRef.of(o).display() + " maxReplicas");
                }
            }
        }
        return new ReplicaCeiling(replicas(workload).orElse(1L), ObjectRef.of(workload).display() + " spec.replicas");
    }

    /**
     * A replica ceiling and its origin, e.g. {@code ScaledObject/ns/x maxReplicaCount}.
     *
     * @param replicas the number
     * @param source   where it was read
     */
    public record ReplicaCeiling(long replicas, String source) {
    }

    /**
     * The resources one pod asks for, per resource name (requests, or limits where a container sets no request),
     * summed over containers; init containers count by their maximum, as the scheduler does.
     *
     * @param podSpec a pod spec
     * @return resource name to amount
     */
    public static Map<String, BigDecimal> podRequests(Map<String, ?> podSpec) {
        return perPod(podSpec, Workloads::containerRequests);
    }

    /**
     * A per-container amount for the whole pod, as the scheduler counts it: regular containers run together, so
     * they add up; init containers run one after the other, so only the largest counts.
     */
    private static Map<String, BigDecimal> perPod(Map<String, ?> podSpec,
                                                  Function<Map<String, ?>, Map<String, BigDecimal>> perContainer) {
        Map<String, BigDecimal> sum = new LinkedHashMap<>();
        for (Map<String, Object> c : ManifestValues.maps(podSpec, "containers")) {
            perContainer.apply(c).forEach((k, v) -> sum.merge(k, v, BigDecimal::add));
        }
        for (Map<String, Object> c : ManifestValues.maps(podSpec, "initContainers")) {
            perContainer.apply(c).forEach((k, v) -> sum.merge(k, v, BigDecimal::max));
        }
        return sum;
    }

    private static Map<String, BigDecimal> containerRequests(Map<String, ?> container) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        // Kubernetes defaults a missing request to the limit
        for (String section : List.of("requests", "limits")) {
            ManifestValues.map(container, "resources", section)
                    .forEach((name, value) -> Quantities.parse(value).ifPresent(q -> out.putIfAbsent(name, q)));
        }
        return out;
    }
}
