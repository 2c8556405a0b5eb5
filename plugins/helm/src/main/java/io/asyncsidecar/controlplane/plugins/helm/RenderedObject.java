package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

/**
 * A Kubernetes object of a rendered (or textually read) chart, with the way back from a line of its document to
 * a line of the template it came from.
 *
 * @param document   the parsed document; its {@code file} is the template, relative to the workspace
 * @param toTemplate maps a line of {@link #document()} ({@link YamlDocument#lineOf}) to a template line
 * @param generated  for a textual reading, the template lines where an action that generates YAML (an
 *                   {@code include}, {@code toYaml}...) was taken out, with the key its output belongs to;
 *                   null for objects Helm rendered
 */
record RenderedObject(YamlDocument document, IntUnaryOperator toTemplate, NavigableMap<Integer, String> generated) {

    /**
     * An object Helm rendered.
     *
     * @param document   the document
     * @param toTemplate the line map
     */
    RenderedObject(YamlDocument document, IntUnaryOperator toTemplate) {
        this(document, toTemplate, null);
    }

    /** @return the object's manifest */
    Map<String, Object> manifest() {
        return document.map();
    }

    /** @return apiVersion, kind, namespace, name */
    ObjectRef ref() {
        return document.ref();
    }

    /** @return the kind, or "" */
    String kind() {
        Object k = manifest().get("kind");
        return k == null ? "" : k.toString();
    }

    /** @return metadata.name, or "" */
    String name() {
        String n = ManifestValues.string(manifest(), "metadata", "name");
        return n == null ? "" : n;
    }

    /** @return metadata.namespace, or null */
    String namespace() {
        return ManifestValues.string(manifest(), "metadata", "namespace");
    }

    /**
     * The template line of a node of this document.
     *
     * @param node a map or list of the manifest
     * @return 1-based template line
     */
    int line(Object node) {
        return toTemplate.applyAsInt(document.lineOf(node));
    }

    /**
     * The template line of a key of a map of this document.
     *
     * @param map a map of the manifest
     * @param key the key
     * @return 1-based template line
     */
    int line(Map<?, ?> map, String key) {
        return toTemplate.applyAsInt(document.lineOf(map, key));
    }

    /**
     * For a textual reading: whether an action that was taken out may have generated part of a node, i.e. one
     * lies between the node's first line and the line after its last, and its output belongs to a key the
     * caller cares about.
     *
     * @param node   a map or list of the manifest
     * @param parent which parent keys matter (e.g. {@code securityContext}); see {@link TemplateText#parentKey}
     * @return true when the node may hold more than the textual reading shows
     */
    boolean mayHoldGenerated(Object node, Predicate<String> parent) {
        if (generated == null) {
            return false;
        }
        int first = document.lineOf(node);
        int last = lastLine(node, first);
        return generated.subMap(first, true, last + 1, true).values().stream().anyMatch(parent);
    }

    private int lastLine(Object node, int last) {
        int max = last;
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                max = Math.max(max, document.lineOf(m, String.valueOf(e.getKey())));
                max = Math.max(max, lastLine(e.getValue(), max));
            }
        } else if (node instanceof List<?> l) {
            max = Math.max(max, document.lineOf(l));
            for (Object o : l) {
                max = Math.max(max, lastLine(o, max));
            }
        }
        return max;
    }
}
