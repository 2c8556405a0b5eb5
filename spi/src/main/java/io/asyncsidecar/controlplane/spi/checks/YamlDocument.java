package io.asyncsidecar.controlplane.spi.checks;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One document of a YAML stream, as plain Java values ({@link Map} with insertion order, {@link List},
 * {@link String}, {@link Long}, {@link Double}, {@link Boolean}, null), with the line where each mapping,
 * sequence and mapping key started, so findings can point at file:line.
 *
 * @param file  the file it came from, relative to the workspace (or a rendered template's {@code # Source:})
 * @param index 0-based position of the document in its stream
 * @param line  1-based line where the document starts in {@code file}
 * @param root  the document's value; null for an empty document
 * @param lines where collections and keys start (see {@link #lineOf(Object)} and {@link #lineOf(Map, String)})
 */
public record YamlDocument(String file, int index, int line, Object root, Lines lines) {

    /**
     * The root as a mapping.
     *
     * @return the root map, or an empty map when the root is not a mapping
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> map() {
        return root instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** @return whether the root is a mapping with a {@code kind} */
    public boolean isKubernetesObject() {
        return root instanceof Map<?, ?> m && m.get("kind") instanceof String;
    }

    /** @return the object reference of a Kubernetes object document */
    public ObjectRef ref() {
        return ObjectRef.of(map());
    }

    /**
     * The line where a mapping or sequence of this document starts.
     *
     * @param node a map or list taken from {@link #root()}
     * @return the 1-based line, or the document's line when unknown
     */
    public int lineOf(Object node) {
        Integer l = lines.collections.get(node);
        return l == null ? line : l;
    }

    /**
     * The line of a key inside a mapping of this document.
     *
     * @param map a map taken from {@link #root()}
     * @param key the key
     * @return the 1-based line of the key, or the map's line when unknown
     */
    public int lineOf(Map<?, ?> map, String key) {
        Map<String, Integer> keys = lines.keys.get(map);
        Integer l = keys == null ? null : keys.get(key);
        return l == null ? lineOf(map) : l;
    }

    /**
     * Line numbers of collections and keys, by identity of the collection objects.
     */
    public static final class Lines {
        private final IdentityHashMap<Object, Integer> collections = new IdentityHashMap<>();
        private final IdentityHashMap<Object, Map<String, Integer>> keys = new IdentityHashMap<>();

        /** Creates an empty index. */
        public Lines() {
        }

        /**
         * Records where a mapping or sequence starts; called by the YAML reader that builds the document.
         *
         * @param node the map or list
         * @param line its 1-based line
         */
        public void collection(Object node, int line) {
            collections.put(node, line);
        }

        /**
         * Records where a key of a mapping starts.
         *
         * @param map  the map
         * @param key  the key
         * @param line its 1-based line
         */
        public void key(Object map, String key, int line) {
            keys.computeIfAbsent(map, k -> new java.util.HashMap<>()).put(key, line);
        }
    }
}
