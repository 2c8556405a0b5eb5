package io.asyncsidecar.controlplane.plugins.testruns;

import java.math.BigDecimal;
import java.util.Optional;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The small path language of scenario checks: {@code a.b.0.c} (dots, numeric segments index arrays) or a
 * JSON Pointer ({@code /a/b/0/c}).
 */
final class JsonPaths {

    private JsonPaths() {
    }

    /**
     * Finds the value at a path.
     *
     * @param root the document
     * @param path the path
     * @return the value, empty when absent
     */
    static Optional<JsonValue> find(JsonValue root, String path) {
        String[] segments = path.startsWith("/")
                ? path.substring(1).split("/", -1)
                : path.split("\\.", -1);
        JsonValue current = root;
        for (String raw : segments) {
            String segment = path.startsWith("/") ? raw.replace("~1", "/").replace("~0", "~") : raw;
            if (current instanceof JsonObject o) {
                current = o.get(segment);
            } else if (current instanceof JsonArray a) {
                int i;
                try {
                    i = Integer.parseInt(segment);
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
                current = i >= 0 && i < a.size() ? a.get(i) : null;
            } else {
                return Optional.empty();
            }
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    /**
     * Whether a JSON value equals a scalar from YAML.
     *
     * @param actual   the JSON value
     * @param expected a YAML scalar: boolean, number, string or null
     * @return true when equal (numbers by value, so 1 equals 1.0)
     */
    static boolean equalsScalar(JsonValue actual, Object expected) {
        if (expected == null) {
            return actual.getValueType() == JsonValue.ValueType.NULL;
        }
        if (expected instanceof Boolean b) {
            return actual.getValueType() == (b ? JsonValue.ValueType.TRUE : JsonValue.ValueType.FALSE);
        }
        if (expected instanceof Number n) {
            return actual instanceof JsonNumber j
                    && j.bigDecimalValue().compareTo(new BigDecimal(n.toString())) == 0;
        }
        return actual instanceof JsonString s && s.getString().equals(expected.toString());
    }

    /**
     * A value as text: strings without quotes, anything else as JSON.
     *
     * @param v the value
     * @return its text
     */
    static String text(JsonValue v) {
        return v instanceof JsonString s ? s.getString() : v.toString();
    }
}
