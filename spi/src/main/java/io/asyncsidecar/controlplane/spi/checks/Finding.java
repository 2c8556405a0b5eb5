package io.asyncsidecar.controlplane.spi.checks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One result of a check.
 *
 * <p>The last three components are optional: the eight-component constructor and
 * {@link #of(String, Severity, ObjectRef, String, int, String, String)} still make a finding without them, and the
 * JSON only gains {@code container}, {@code field} and {@code ignored_source} when they are known.
 *
 * @param checkId       stable id such as {@code keda.target-exists}: what the ignore annotation names
 * @param severity      how much it matters
 * @param object        the object it is about, or null for file-level findings (parse errors, chart metadata)
 * @param file          the file it came from, relative to the workspace (or a rendered template's source)
 * @param line          1-based line in that file, or 0 when unknown
 * @param message       what is wrong, naming the value
 * @param remediation   what to do about it, or null
 * @param ignoredReason the reason it is ignored (an ignore annotation's or an ignore list's), or null when the
 *                      finding is active
 * @param container     the name of the container of the object's pod template the finding is about, or null when
 *                      it is about the object as a whole (or the object has no containers); a blank name is null
 * @param ignoredSource where the ignore came from, a short lower-case word such as {@code annotation} (the
 *                      object's ignore annotation) or {@code config} (the plugin's ignore list); null when the
 *                      finding is active or the source is not said; blank is null
 * @param field         the path of the field of the object the finding is about, in the object's own terms
 *                      ({@code spec.template.spec.containers[0].image}), or null when it is about the whole object;
 *                      blank is null
 */
public record Finding(String checkId, Severity severity, ObjectRef object, String file, int line, String message,
                      String remediation, String ignoredReason, String container, String ignoredSource,
                      String field) {

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
     * @param container     the container, or null
     * @param ignoredSource the ignore's source, or null
     * @param field         the field path, or null
     */
    public Finding {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0, got " + line);
        }
        container = container == null || container.isBlank() ? null : container;
        ignoredSource = ignoredSource == null || ignoredSource.isBlank() || ignoredReason == null ? null
                : ignoredSource;
        field = field == null || field.isBlank() ? null : field;
    }

    /**
     * A finding without a field path.
     *
     * @param checkId       the id
     * @param severity      the severity
     * @param object        the object, or null
     * @param file          the file, or null
     * @param line          the line, or 0
     * @param message       the message
     * @param remediation   the remediation, or null
     * @param ignoredReason the ignore reason, or null when active
     * @param container     the container, or null
     * @param ignoredSource the ignore's source, or null
     */
    public Finding(String checkId, Severity severity, ObjectRef object, String file, int line, String message,
                   String remediation, String ignoredReason, String container, String ignoredSource) {
        this(checkId, severity, object, file, line, message, remediation, ignoredReason, container, ignoredSource,
                null);
    }

    /**
     * A finding without a container or an ignore source.
     *
     * @param checkId       the id
     * @param severity      the severity
     * @param object        the object, or null
     * @param file          the file, or null
     * @param line          the line, or 0
     * @param message       the message
     * @param remediation   the remediation, or null
     * @param ignoredReason the ignore reason, or null when active
     */
    public Finding(String checkId, Severity severity, ObjectRef object, String file, int line, String message,
                   String remediation, String ignoredReason) {
        this(checkId, severity, object, file, line, message, remediation, ignoredReason, null, null);
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
        return new Finding(checkId, severity, object, file, line, message, remediation, null, null, null);
    }

    /** @return whether an ignore silenced this finding */
    public boolean ignored() {
        return ignoredReason != null;
    }

    /**
     * This finding, about one container of its object.
     *
     * @param name the container's name; null or blank for none
     * @return a copy naming the container
     */
    public Finding withContainer(String name) {
        return new Finding(checkId, severity, object, file, line, message, remediation, ignoredReason, name,
                ignoredSource, field);
    }

    /**
     * This finding, about one field of its object.
     *
     * @param path the field's path, e.g. {@code spec.replicas}; null or blank for none
     * @return a copy naming the field
     */
    public Finding withField(String path) {
        return new Finding(checkId, severity, object, file, line, message, remediation, ignoredReason, container,
                ignoredSource, path);
    }

    /**
     * This finding, silenced, without saying where the ignore came from.
     *
     * @param reason the ignore's reason
     * @return a copy marked ignored
     */
    public Finding ignore(String reason) {
        return ignore(reason, null);
    }

    /**
     * This finding, silenced.
     *
     * @param reason the ignore's reason; null or blank gives {@code (no reason given)}
     * @param source where the ignore came from, e.g. {@code annotation} or {@code config}; null when not said
     * @return a copy marked ignored
     */
    public Finding ignore(String reason, String source) {
        return new Finding(checkId, severity, object, file, line, message, remediation,
                reason == null || reason.isBlank() ? "(no reason given)" : reason, container, source, field);
    }

    /**
     * The JSON shape used by every check endpoint: {@code check}, {@code severity}, {@code object} (when known),
     * {@code container} and {@code field} (when known), {@code file}, {@code line}, {@code message}, {@code remediation}, and for an
     * ignored finding {@code ignored_reason} and (when known) {@code ignored_source}.
     *
     * @return the members, in that order
     */
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
        if (container != null) {
            m.put("container", container);
        }
        if (field != null) {
            m.put("field", field);
        }
        m.put("file", file);
        m.put("line", line);
        m.put("message", message);
        m.put("remediation", remediation);
        if (ignoredReason != null) {
            m.put("ignored_reason", ignoredReason);
            if (ignoredSource != null) {
                m.put("ignored_source", ignoredSource);
            }
        }
        return m;
    }
}
