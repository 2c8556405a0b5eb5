package io.asyncsidecar.controlplane.plugins.keda;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.kit.checks.Workloads;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

/**
 * A ScaledObject or ScaledJob with KEDA's defaults applied, and where it was read.
 *
 * @param document the manifest
 * @param origin   {@code chart} (rendered from the workspace chart) or {@code manifest} (a raw file)
 */
record Scaler(YamlDocument document, String origin) {

    /** KEDA's default polling interval, seconds. */
    static final long DEFAULT_POLLING_INTERVAL = 30;
    /** KEDA's default cooldown period, seconds. */
    static final long DEFAULT_COOLDOWN_PERIOD = 300;
    /** KEDA's default maxReplicaCount. */
    static final long DEFAULT_MAX_REPLICAS = 100;
    /** The API group KEDA left in v2. */
    static final String OLD_API_GROUP = "keda.k8s.io/";

    Map<String, Object> manifest() {
        return document.map();
    }

    ObjectRef ref() {
        return document.ref();
    }

    boolean isJob() {
        return "ScaledJob".equals(manifest().get("kind"));
    }

    boolean deprecatedApi() {
        return String.valueOf(manifest().get("apiVersion")).startsWith(OLD_API_GROUP);
    }

    Map<String, Object> spec() {
        return ManifestValues.map(manifest(), "spec");
    }

    long minReplicas() {
        return ManifestValues.integer(spec(), "minReplicaCount").orElse(0L);
    }

    long maxReplicas() {
        return ManifestValues.integer(spec(), "maxReplicaCount").orElse(DEFAULT_MAX_REPLICAS);
    }

    Optional<Long> idleReplicas() {
        return ManifestValues.integer(spec(), "idleReplicaCount");
    }

    List<Map<String, Object>> triggers() {
        return ManifestValues.maps(spec(), "triggers");
    }

    /** @return the scale target of a ScaledObject; empty for a ScaledJob or a missing name */
    Optional<ObjectRef> target() {
        return isJob() ? Optional.empty() : Workloads.scaleTarget(manifest());
    }
}
