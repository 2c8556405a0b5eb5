package io.asyncsidecar.controlplane.plugins.karpenter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

/**
 * A node pool in one shape whatever API wrote it: karpenter.sh/v1 NodePool, the older v1beta1 NodePool, or the
 * v1alpha5 Provisioner. Each field keeps the map it was read from, so findings point at its line.
 *
 * @param document     the manifest
 * @param api          which API: {@code v1}, {@code v1beta1} or {@code v1alpha5}
 * @param name         {@code metadata.name}
 * @param template     where requirements, taints and the node class reference live ({@code spec.template.spec},
 *                     or {@code spec} of a Provisioner)
 * @param labels       node labels ({@code spec.template.metadata.labels}, or {@code spec.labels})
 * @param limits       resource limits ({@code spec.limits}, or {@code spec.limits.resources})
 * @param disruption   {@code spec.disruption} (empty for a Provisioner)
 * @param nodeClassRef the node class reference ({@code nodeClassRef}, or a Provisioner's {@code providerRef})
 */
record NodePool(YamlDocument document, String api, String name, Map<String, Object> template,
                Map<String, Object> labels, Map<String, Object> limits, Map<String, Object> disruption,
                Map<String, Object> nodeClassRef) {

    static final String V1 = "v1";
    static final String V1BETA1 = "v1beta1";
    static final String V1ALPHA5 = "v1alpha5";

    /**
     * Reads a pool, or nothing for other objects.
     *
     * @param doc a document
     * @return the pool
     */
    static Optional<NodePool> of(YamlDocument doc) {
        Map<String, Object> m = doc.map();
        String apiVersion = String.valueOf(m.get("apiVersion"));
        Object kind = m.get("kind");
        String name = ManifestValues.string(m, "metadata", "name");
        if ("NodePool".equals(kind) && apiVersion.startsWith("karpenter.sh/")) {
            String api = apiVersion.substring("karpenter.sh/".length());
            Map<String, Object> template = ManifestValues.map(m, "spec", "template", "spec");
            return Optional.of(new NodePool(doc, api, name, template,
                    ManifestValues.map(m, "spec", "template", "metadata", "labels"),
                    ManifestValues.map(m, "spec", "limits"), ManifestValues.map(m, "spec", "disruption"),
                    ManifestValues.map(template, "nodeClassRef")));
        }
        if ("Provisioner".equals(kind) && apiVersion.startsWith("karpenter.sh/")) {
            Map<String, Object> spec = ManifestValues.map(m, "spec");
            return Optional.of(new NodePool(doc, V1ALPHA5, name, spec, ManifestValues.map(spec, "labels"),
                    ManifestValues.map(spec, "limits", "resources"), Map.of(),
                    ManifestValues.map(spec, "providerRef")));
        }
        return Optional.empty();
    }

    Map<String, Object> spec() {
        return ManifestValues.map(document.map(), "spec");
    }

    List<Map<String, Object>> requirements() {
        return ManifestValues.maps(template, "requirements");
    }

    List<Map<String, Object>> taints() {
        return ManifestValues.maps(template, "taints");
    }

    boolean deprecatedApi() {
        return !V1.equals(api);
    }

    /** @return the kind the reference names (EC2NodeClass unless it says otherwise; AWSNodeTemplate for v1alpha5) */
    String nodeClassKind() {
        if (V1ALPHA5.equals(api)) {
            return Optional.ofNullable(ManifestValues.string(nodeClassRef, "kind")).orElse("AWSNodeTemplate");
        }
        return Optional.ofNullable(ManifestValues.string(nodeClassRef, "kind")).orElse("EC2NodeClass");
    }

    String nodeClassName() {
        return ManifestValues.string(nodeClassRef, "name");
    }

    /** @return the summary of requirements, taints and limits shown in the answer */
    Map<String, Object> toJson() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("name", name);
        j.put("apiVersion", document.map().get("apiVersion"));
        j.put("kind", document.map().get("kind"));
        j.put("deprecated_api", deprecatedApi());
        j.put("file", document.file());
        j.put("line", document.line());
        j.put("requirements", requirements());
        j.put("taints", taints());
        j.put("labels", labels);
        j.put("limits", limits);
        j.put("disruption", V1ALPHA5.equals(api) ? provisionerDisruption() : disruption);
        j.put("weight", ManifestValues.integer(spec(), "weight").orElse(null));
        if (spec().containsKey("replicas")) {
            j.put("replicas", spec().get("replicas"));
        }
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("kind", nodeClassKind());
        ref.put("name", nodeClassName());
        ref.put("group", ManifestValues.string(nodeClassRef, "group"));
        j.put("nodeClassRef", ref);
        return j;
    }

    private Map<String, Object> provisionerDisruption() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("consolidation", ManifestValues.bool(template, "consolidation", "enabled").orElse(false));
        d.put("ttlSecondsAfterEmpty", template.get("ttlSecondsAfterEmpty"));
        d.put("ttlSecondsUntilExpired", template.get("ttlSecondsUntilExpired"));
        return d;
    }
}
