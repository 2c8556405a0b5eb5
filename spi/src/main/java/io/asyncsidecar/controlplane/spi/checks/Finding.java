package io.asyncsidecar.controlplane.spi.checks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One result of a check.
 *
 * @param checkId       stable id such as {@code keda.target-exists}: what the ignore annotation names
 * @param severity      how much it matters
 * @param object        the object it is about, or null for file-level findings (parse errors, chart metadata)
 * @param file          the file it came from, relative to the workspace (or a rendered template's source)
 * @param line          1-based line in that file, or 0 when unknown
 * @param message       what is wrong, naming the value
 * @param remediation   what to do about it, or null
 * @param ignoredReason the reason from the object's ignore annotation, or null when the finding is active
 */
public record Finding(String checkId, Severity severity, ObjectRef object, String file, int line, String message,
                      String remediation, String ignoredReason) {

    /**
     * Checks the required parts.
     *
     * @param checkId       the id
     * @param severity      the severity
     * @param object        the object
     * @param file          the file
     * @param line          the line
     * @param message       the message
     * @param remediation   the remediation
     * @param ignoredReason the ignore reason
     */
    public Finding {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0, got " + line);
        }
    }

    /**
     * An active finding.
     *
     * @param checkId     the id
     * @param severity    the severity
     * @param object      the object, or null
     * @param file        the file, or null
     * @param line        the line, or 0
     * @param message     the message
     * @param remediation the remediation, or null
     * @return the finding
     */
    public static Finding of(String checkId, Severity severity, ObjectRef object, String file, int line,
                             String message, String remediation) {
        return new Finding(checkId, severity, object, file, line, message, remediation, null);
    }

    /** @return whether an ignore annotation silenced this finding */
    public boolean ignored() {
        return ignoredReason != null;
    }

    /**
     * This finding, silenced.
     *
     * @param reason the annotation's value
     * @return a copy marked ignored
     */
    public Finding ignore(String reason) {
        return new Finding(checkId, severity, object, file, line, message, remediation,
                reason == null || reason.isBlank() ? "(no reason given)" : reason);
    }

    /** @return the JSON shape used by every check endpoint */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("check", checkId);
        m.put("severity", severity.json());
        if (object != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("apiVersion", object.apiVersion());
            o.put("kind", object.kind());
            o.put("namespace", object.namespace());
            o.put("name", object.name());
            m.put("object", o);
        }
        m.put("file", file);
        m.put("line", line);
        m.put("message", message);
        m.put("remediation", remediation);
        if (ignoredReason != null) {
            m.put("ignored_reason", ignoredReason);
        }
        return m;
    }
}
