package io.asyncsidecar.controlplane.kit.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

/**
 * Reads values out of parsed manifests (the plain maps and lists of {@link YamlDocument}) without casts at every
 * step: a missing key, a null, or a value of another type reads as absent, because manifests in the wild are
 * written by hand and checks must report what is wrong rather than throw.
 */
public final class ManifestValues {

    private ManifestValues() {
    }

    /**
     * The value at a path of mapping keys.
     *
     * @param node the start (usually a manifest map)
     * @param path keys to follow
     * @return the value, or null when any step is missing or not a mapping
     */
    public static Object at(Object node, String... path) {
        Object cur = node;
        for (String key : path) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(key);
        }
        return cur;
    }

    /**
     * The mapping at a path.
     *
     * @param node the start
     * @param path keys to follow
     * @return the mapping, or an empty map when absent or not a mapping
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object node, String... path) {
        return at(node, path) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /**
     * Whether a path leads to a mapping (even an empty one).
     *
     * @param node the start
     * @param path keys to follow
     * @return true when the value is a mapping
     */
    public static boolean isMap(Object node, String... path) {
        return at(node, path) instanceof Map<?, ?>;
    }

    /**
     * The sequence at a path.
     *
     * @param node the start
     * @param path keys to follow
     * @return the list, or an empty list when absent or not a sequence
     */
    @SuppressWarnings("unchecked")
    public static List<Object> list(Object node, String... path) {
        return at(node, path) instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /**
     * The mappings of the sequence at a path; items that are not mappings are skipped.
     *
     * @param node the start
     * @param path keys to follow
     * @return the mappings, in order
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> maps(Object node, String... path) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : list(node, path)) {
            if (o instanceof Map<?, ?> m) {
                out.add((Map<String, Object>) m);
            }
        }
        return out;
    }

    /**
     * The scalar at a path, as text.
     *
     * @param node the start
     * @param path keys to follow
     * @return the text of a string, number or boolean; null when absent or a collection
     */
    public static String string(Object node, String... path) {
        Object v = at(node, path);
        return v instanceof Map<?, ?> || v instanceof List<?> || v == null ? null : v.toString();
    }

    /**
     * The integer at a path. Strings holding an integer count too, since YAML authors quote numbers.
     *
     * @param node the start
     * @param path keys to follow
     * @return the value, or empty when absent or not an integer
     */
    public static Optional<Long> integer(Object node, String... path) {
        Object v = at(node, path);
        if (v instanceof Long l) {
            return Optional.of(l);
        }
        if (v instanceof Integer i) {
            return Optional.of(i.longValue());
        }
        if (v instanceof String s) {
            try {
                return Optional.of(Long.parseLong(s.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The boolean at a path. The strings {@code "true"} and {@code "false"} count too.
     *
     * @param node the start
     * @param path keys to follow
     * @return the value, or empty when absent or not a boolean
     */
    public static Optional<Boolean> bool(Object node, String... path) {
        Object v = at(node, path);
        if (v instanceof Boolean b) {
            return Optional.of(b);
        }
        if ("true".equals(v) || "false".equals(v)) {
            return Optional.of(Boolean.parseBoolean((String) v));
        }
        return Optional.empty();
    }

    /**
     * The object's {@code metadata.labels} as text values.
     *
     * @param manifest a Kubernetes object
     * @return the labels (values of other types shown as text)
     */
    public static Map<String, String> labels(Map<String, ?> manifest) {
        return texts(map(manifest, "metadata", "labels"));
    }

    /**
     * The object's {@code metadata.annotations} as text values.
     *
     * @param manifest a Kubernetes object
     * @return the annotations
     */
    public static Map<String, String> annotations(Map<String, ?> manifest) {
        return texts(map(manifest, "metadata", "annotations"));
    }

    private static Map<String, String> texts(Map<String, Object> m) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v == null ? "" : v.toString()));
        return out;
    }
}
