package io.asyncsidecar.controlplane.kit.checks;

import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.spi.checks.Finding;

/**
 * Per-object ignores: an object annotated {@code ignore-check.controlplane.asyncsidecar.io/<check-id>: <reason>}
 * has that check's findings listed as ignored, with the reason, instead of counted.
 */
public final class IgnoreAnnotations {

    /** The annotation prefix; the check id follows it. */
    public static final String PREFIX = "ignore-check.controlplane.asyncsidecar.io/";

    private IgnoreAnnotations() {
    }

    /**
     * The reason an object gives for ignoring a check.
     *
     * @param manifest the object's manifest (may be null)
     * @param checkId  the check id
     * @return the reason ("" when the annotation has no value), or empty when the check is not ignored
     */
    public static Optional<String> reason(Map<String, ?> manifest, String checkId) {
        if (manifest == null) {
            return Optional.empty();
        }
        if (manifest.get("metadata") instanceof Map<?, ?> meta && meta.get("annotations") instanceof Map<?, ?> ann) {
            Object v = ann.get(PREFIX + checkId);
            if (v != null || ann.containsKey(PREFIX + checkId)) {
                return Optional.of(v == null ? "" : v.toString());
            }
        }
        return Optional.empty();
    }

    /**
     * Applies the object's ignore annotation to a finding.
     *
     * @param finding  the finding
     * @param manifest the object it is about
     * @return the finding, marked ignored when the object says so
     */
    public static Finding apply(Finding finding, Map<String, ?> manifest) {
        return reason(manifest, finding.checkId()).map(finding::ignore).orElse(finding);
    }
}
