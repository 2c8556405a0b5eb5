package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A value of a spec with where it is: its document and its JSON pointer there. Rules walk these so that a finding
 * made through a {@code $ref} points at the file and place the value really is, as Spectral reports it.
 *
 * @param document the document
 * @param pointer  RFC 6901 pointer of the value in the document, {@code ""} for its root
 * @param value    the value
 */
public record OpenApiNode(OpenApiDocument document, String pointer, JsonNode value) {

    /**
     * A member of this object.
     *
     * @param key the member name
     * @return the member, or null when this is not an object or has no such member
     */
    public OpenApiNode get(String key) {
        if (!value.isObject()) {
            return null;
        }
        JsonNode v = value.get(key);
        return v == null ? null : new OpenApiNode(document, pointer + "/" + escape(key), v);
    }

    /**
     * An item of this array.
     *
     * @param index the index
     * @return the item, or null when this is not an array or is shorter
     */
    public OpenApiNode get(int index) {
        if (!value.isArray() || index < 0 || index >= value.size()) {
            return null;
        }
        return new OpenApiNode(document, pointer + "/" + index, value.get(index));
    }

    /** @return the members of this object in document order; empty when this is not an object */
    public List<Map.Entry<String, OpenApiNode>> members() {
        if (!value.isObject()) {
            return List.of();
        }
        List<Map.Entry<String, OpenApiNode>> out = new ArrayList<>(value.size());
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            out.add(Map.entry(e.getKey(), new OpenApiNode(document, pointer + "/" + escape(e.getKey()), e.getValue())));
        }
        return out;
    }

    /** @return the items of this array; empty when this is not an array */
    public List<OpenApiNode> items() {
        if (!value.isArray()) {
            return List.of();
        }
        List<OpenApiNode> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            out.add(new OpenApiNode(document, pointer + "/" + i, value.get(i)));
        }
        return out;
    }

    /** @return whether the value is an object */
    public boolean isObject() {
        return value.isObject();
    }

    /**
     * A member's text.
     *
     * @param key the member
     * @return its text when it is a string, else null
     */
    public String text(String key) {
        JsonNode v = value.isObject() ? value.get(key) : null;
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** @return whether this is an object with a string {@code $ref} */
    public boolean isRef() {
        if (!value.isObject()) {
            return false;
        }
        JsonNode r = value.get("$ref");
        return r != null && r.isTextual();
    }

    /** @return the pointer's segments, unescaped */
    public List<String> segments() {
        return segments(pointer);
    }

    /**
     * Escapes a member name for a JSON pointer ({@code ~} as {@code ~0}, {@code /} as {@code ~1}).
     *
     * @param key the name
     * @return the escaped segment
     */
    public static String escape(String key) {
        if (key.indexOf('~') < 0 && key.indexOf('/') < 0) {
            return key;
        }
        return key.replace("~", "~0").replace("/", "~1");
    }

    /**
     * Splits a JSON pointer into unescaped segments.
     *
     * @param pointer the pointer, {@code ""} for the root
     * @return the segments
     */
    public static List<String> segments(String pointer) {
        List<String> out = new ArrayList<>();
        if (pointer.isEmpty()) {
            return out;
        }
        int start = 1;
        while (start <= pointer.length()) {
            int slash = pointer.indexOf('/', start);
            int end = slash < 0 ? pointer.length() : slash;
            out.add(pointer.substring(start, end).replace("~1", "/").replace("~0", "~"));
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        return out;
    }

    @Override
    public String toString() {
        return document.name() + "#" + pointer;
    }
}
