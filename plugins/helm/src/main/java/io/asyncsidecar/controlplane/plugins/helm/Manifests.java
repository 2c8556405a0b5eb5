package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;
import java.util.Map;

/**
 * Reads parsed Kubernetes manifests (plain maps and lists from SafeYaml) without casts at every step.
 */
final class Manifests {

    private Manifests() {
    }

    /**
     * Follows mapping keys.
     *
     * @param node a map (or anything)
     * @param path keys to follow
     * @return the map at the end, or an empty map when a step is missing or not a map
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... path) {
        Object o = at(node, path);
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /**
     * Follows mapping keys to a list.
     *
     * @param node a map
     * @param path keys to follow
     * @return the list, or an empty list
     */
    static List<?> list(Object node, String... path) {
        Object o = at(node, path);
        return o instanceof List<?> l ? l : List.of();
    }

    /**
     * Follows mapping keys to a scalar, as text.
     *
     * @param node a map
     * @param path keys to follow
     * @return the scalar's text, or null when missing or not a scalar
     */
    static String text(Object node, String... path) {
        Object o = at(node, path);
        return o == null || o instanceof Map<?, ?> || o instanceof List<?> ? null : o.toString();
    }

    /**
     * Follows mapping keys.
     *
     * @param node a map
     * @param path keys to follow
     * @return the value, or null
     */
    static Object at(Object node, String... path) {
        Object o = node;
        for (String key : path) {
            if (!(o instanceof Map<?, ?> m)) {
                return null;
            }
            o = m.get(key);
        }
        return o;
    }

    /**
     * Whether a map holds the key with a value that is not null and not an empty collection.
     *
     * @param map the map
     * @param key the key
     * @return true when set
     */
    static boolean isSet(Map<String, Object> map, String key) {
        Object v = map.get(key);
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        return v != null && !v.toString().isBlank();
    }
}
