package io.asyncsidecar.controlplane.plugins.compliance.hif;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of validating one document in full.
 *
 * @param schema        the schema's name
 * @param shape         for the shipped schema: the shape the document is (valid) or comes closest to (invalid);
 *                      otherwise null
 * @param errors        the schema errors kept (at most {@code max-errors})
 * @param errorCount    all schema errors
 * @param warnings      the warnings kept (at most {@code max-warnings})
 * @param warningCount  all warnings
 * @param bytes         the body's size
 * @param nanos         time spent reading and validating
 */
public record HifReport(String schema, HifShape shape, List<HifIssue> errors, long errorCount, List<HifIssue> warnings,
                        long warningCount, long bytes, long nanos) {

    /**
     * @param schema       see above
     * @param shape        see above
     * @param errors       see above
     * @param errorCount   see above
     * @param warnings     see above
     * @param warningCount see above
     * @param bytes        see above
     * @param nanos        see above
     */
    public HifReport {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /** @return whether the document is valid (warnings do not change that) */
    public boolean valid() {
        return errorCount == 0;
    }

    /** @return the one-line summary given as {@code message} when the document is invalid */
    public String message() {
        String against = shape != null ? "not a valid HIF document (closest shape: " + shape.schemaName() + ")"
                : "not valid against schema '" + schema + "'";
        HifIssue first = errors.isEmpty() ? null : errors.getFirst();
        String where = first == null ? "" : "; first at " + (first.pointer().isEmpty() ? "the document root" : first.pointer())
                + ": " + first.message();
        return against + ": " + errorCount + (errorCount == 1 ? " error" : " errors") + where;
    }

    /** @return the answer's body as plain values for the kit's JsonCodec */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", valid());
        m.put("mode", "full");
        m.put("schema", schema);
        if (shape != null) {
            m.put(valid() ? "shape" : "closest_shape", shape.schemaName());
        }
        if (!valid()) {
            m.put("message", message());
        }
        m.put("errors", errors.stream().map(e -> e.toMap("keyword")).toList());
        m.put("error_count", errorCount);
        m.put("warnings", warnings.stream().map(w -> w.toMap("code")).toList());
        m.put("warning_count", warningCount);
        m.put("bytes", bytes);
        m.put("took_ms", Math.round(nanos / 1e4) / 100.0);
        return m;
    }
}
