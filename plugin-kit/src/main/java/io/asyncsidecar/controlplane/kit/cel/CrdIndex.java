package io.asyncsidecar.controlplane.kit.cel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;

/**
 * CustomResourceDefinitions ({@code apiextensions.k8s.io/v1}) by the apiVersion and kind of their objects: the
 * served version's {@code openAPIV3Schema} (with its {@code x-kubernetes-validations}), the resource's plural
 * and scope. The first definition read for a group and kind wins, so a caller lists the chart's own before
 * configured folders. Instances are immutable.
 */
public final class CrdIndex {

    /** The apiVersion of the CustomResourceDefinitions read. */
    public static final String API_VERSION = "apiextensions.k8s.io/v1";

    /**
     * One served version of a custom resource.
     *
     * @param group      the API group
     * @param version    the version name
     * @param kind       the kind
     * @param plural     the resource's plural name ({@code spec.names.plural})
     * @param namespaced whether objects live in a namespace ({@code spec.scope})
     * @param schema     the version's {@code openAPIV3Schema}, or an empty map when it has none
     * @param crdName    the definition's {@code metadata.name}
     */
    public record Version(String group, String version, String kind, String plural, boolean namespaced,
                          Map<String, Object> schema, String crdName) {

        /** @return {@code group/version} */
        public String apiVersion() {
            return group + "/" + version;
        }
    }

    private static final CrdIndex EMPTY = new CrdIndex(Map.of());

    private final Map<String, Version> byApiAndKind;

    private CrdIndex(Map<String, Version> byApiAndKind) {
        this.byApiAndKind = Map.copyOf(byApiAndKind);
    }

    /** @return an index without definitions */
    public static CrdIndex empty() {
        return EMPTY;
    }

    /**
     * Indexes the definitions among manifests; other objects are skipped.
     *
     * @param manifests parsed objects, definitions among them
     * @return the index
     */
    public static CrdIndex of(Collection<? extends Map<String, Object>> manifests) {
        Map<String, Version> map = new LinkedHashMap<>();
        for (Map<String, Object> m : manifests) {
            if (!isDefinition(m)) {
                continue;
            }
            String group = ManifestValues.string(m, "spec", "group");
            String kind = ManifestValues.string(m, "spec", "names", "kind");
            String plural = ManifestValues.string(m, "spec", "names", "plural");
            if (group == null || kind == null) {
                continue;
            }
            boolean namespaced = !"Cluster".equals(ManifestValues.string(m, "spec", "scope"));
            String name = ManifestValues.string(m, "metadata", "name");
            for (Map<String, Object> v : ManifestValues.maps(ManifestValues.map(m, "spec"), "versions")) {
                String version = ManifestValues.string(v, "name");
                if (version == null || Boolean.FALSE.equals(v.get("served"))) {
                    continue;
                }
                Map<String, Object> schema = ManifestValues.map(ManifestValues.map(v, "schema"), "openAPIV3Schema");
                map.putIfAbsent(group + "/" + version + " " + kind, new Version(group, version, kind,
                        plural == null ? "" : plural, namespaced, schema, name));
            }
        }
        return map.isEmpty() ? EMPTY : new CrdIndex(map);
    }

    /**
     * Whether a manifest is a CustomResourceDefinition this index reads.
     *
     * @param manifest a parsed object
     * @return true for an {@value #API_VERSION} CustomResourceDefinition
     */
    public static boolean isDefinition(Map<String, Object> manifest) {
        return API_VERSION.equals(manifest.get("apiVersion")) && "CustomResourceDefinition".equals(manifest.get("kind"));
    }

    /**
     * The served version objects of this apiVersion and kind belong to.
     *
     * @param apiVersion the object's apiVersion
     * @param kind       the object's kind
     * @return the version, if a definition serves it
     */
    public Optional<Version> find(String apiVersion, String kind) {
        return Optional.ofNullable(byApiAndKind.get(apiVersion + " " + kind));
    }

    /**
     * The plural of a kind of a group, whatever the version.
     *
     * @param group the API group
     * @param kind  the kind
     * @return the plural, if a definition names it
     */
    public Optional<String> plural(String group, String kind) {
        return byApiAndKind.values().stream().filter(v -> v.group().equals(group) && v.kind().equals(kind))
                .map(Version::plural).filter(p -> !p.isEmpty()).findFirst();
    }

    /** @return every served version, in the order read */
    public List<Version> versions() {
        return new ArrayList<>(byApiAndKind.values());
    }

    /** @return whether there are none */
    public boolean isEmpty() {
        return byApiAndKind.isEmpty();
    }
}
