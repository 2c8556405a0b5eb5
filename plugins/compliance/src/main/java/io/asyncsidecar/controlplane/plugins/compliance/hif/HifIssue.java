package io.asyncsidecar.controlplane.plugins.compliance.hif;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A schema error or a warning about one place in the document.
 *
 * @param pointer        JSON pointer (RFC 6901) of the value concerned, relative to the document; {@code ""} is
 *                       the document itself
 * @param code           the failed schema keyword ({@code required}, {@code enum}, ...) or the warning's code
 *                       ({@code unknown_node}, {@code target_not_output}, {@code duplicate_id},
 *                       {@code limit_exceeded})
 * @param message        what is wrong, for a person
 * @param property       for {@code required} and {@code additionalProperties}: the member missing or not allowed;
 *                       otherwise null
 * @param schemaLocation for schema errors: where in the schema the keyword sits ({@code #/$defs/Node/...});
 *                       otherwise null
 */
public record HifIssue(String pointer, String code, String message, String property, String schemaLocation) {

    /**
     * A warning.
     *
     * @param pointer where
     * @param code    the warning's code
     * @param message what
     * @return the warning
     */
    public static HifIssue warning(String pointer, String code, String message) {
        return new HifIssue(pointer, code, message, null, null);
    }

    /**
     * @param keywordName the member name for {@link #code}: {@code keyword} for errors, {@code code} for warnings
     * @return the issue as plain values for the kit's JsonCodec
     */
    public Map<String, Object> toMap(String keywordName) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pointer", pointer);
        m.put(keywordName, code);
        if (property != null) {
            m.put("property", property);
        }
        m.put("message", message);
        if (schemaLocation != null) {
            m.put("schema_location", schemaLocation);
        }
        return m;
    }
}
