package io.asyncsidecar.controlplane.plugins.karpenter;

import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

/**
 * An AWS node class: karpenter.k8s.aws/v1 or v1beta1 EC2NodeClass, or the v1alpha1 AWSNodeTemplate.
 *
 * @param document the manifest
 * @param api      {@code v1}, {@code v1beta1} or {@code v1alpha1}
 * @param kind     {@code EC2NodeClass} or {@code AWSNodeTemplate}
 * @param name     {@code metadata.name}
 */
record NodeClass(YamlDocument document, String api, String kind, String name) {

    static final String GROUP = "karpenter.k8s.aws";

    static Optional<NodeClass> of(YamlDocument doc) {
        Map<String, Object> m = doc.map();
        String apiVersion = String.valueOf(m.get("apiVersion"));
        Object kind = m.get("kind");
        if (apiVersion.startsWith(GROUP + "/") && ("EC2NodeClass".equals(kind) || "AWSNodeTemplate".equals(kind))) {
            return Optional.of(new NodeClass(doc, apiVersion.substring(GROUP.length() + 1), (String) kind,
                    ManifestValues.string(m, "metadata", "name")));
        }
        return Optional.empty();
    }

    Map<String, Object> spec() {
        return ManifestValues.map(document.map(), "spec");
    }

    boolean deprecatedApi() {
        return !"v1".equals(api);
    }
}
