package io.asyncsidecar.controlplane.spi.checks;

import java.util.Map;

/**
 * The Kubernetes object a finding is about. Any part may be null when the manifest lacks it.
 *
 * @param apiVersion e.g. {@code apps/v1}
 * @param kind       e.g. {@code Deployment}
 * @param namespace  the namespace, or null
 * @param name       {@code metadata.name}
 */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) {

    /**
     * Reads apiVersion, kind, metadata.namespace and metadata.name of a manifest.
     *
     * @param manifest a parsed Kubernetes object
     * @return its reference
     */
    public static ObjectRef of(Map<String, ?> manifest) {
        Object meta = manifest.get("metadata");
        String ns = null;
        String name = null;
        if (meta instanceof Map<?, ?> m) {
            ns = text(m.get("namespace"));
            name = text(m.get("name"));
        }
        return new ObjectRef(text(manifest.get("apiVersion")), text(manifest.get("kind")), ns, name);
    }

    /** @return {@code Kind/name} or {@code Kind/namespace/name}, for messages */
    public String display() {
        String k = kind == null ? "?" : kind;
        String n = name == null ? "?" : name;
        return namespace == null ? k + "/" + n : k + "/" + namespace + "/" + n;
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }
}
