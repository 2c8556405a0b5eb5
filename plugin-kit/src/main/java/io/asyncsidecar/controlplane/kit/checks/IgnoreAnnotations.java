package io.asyncsidecar.controlplane.kit.checks;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.spi.checks.Finding;

/**
 * Per-object ignores: an object annotated {@code ignore-check.controlplane.asyncsidecar.io/<check-id>: <reason>}
 * has that check's findings listed as ignored, with the reason and {@code ignored_source: annotation}, instead of
 * counted.
 *
 * <p>A value may name containers of the object's pod template, so that only findings about them are ignored:
 * {@code "containers=sidecar,init-db; reason: vendor image"}. The value then starts with {@code containers=}
 * (blanks around it and around the names do not matter); the names, separated by commas, run up to the first
 * {@code ;}, and what follows is the reason (a leading {@code reason:} is dropped). A name may use {@code *} for
 * any run of characters ({@code containers=istio-*}). Such an ignore covers only findings that name one of those
 * containers (see {@link Finding#container()}); findings about the object as a whole (a missing
 * PodDisruptionBudget, say) stay active, and so does every finding when no name is given ({@code containers=;
 * ...}): an ignore that names nothing ignores nothing. Any other value is the reason, unchanged, and covers the
 * whole object, as before.
 */
public final class IgnoreAnnotations {

    /** The annotation prefix; the check id follows it. */
    public static final String PREFIX = "ignore-check.controlplane.asyncsidecar.io/";

    /** What {@link Finding#ignoredSource()} says for an ignore annotation. */
    public static final String SOURCE = "annotation";

    /** The word that starts a value limited to containers ({@code containers=a,b; reason}). */
    public static final String CONTAINERS = "containers";

    private static final Pattern CONTAINERS_VALUE = Pattern.compile("^\\s*" + CONTAINERS + "\\s*=([^;]*)(?:;(.*))?$",
            Pattern.DOTALL);
    private static final Pattern REASON_LABEL = Pattern.compile("^reason\\s*:\\s*", Pattern.CASE_INSENSITIVE);

    private IgnoreAnnotations() {
    }

    /**
     * One ignore annotation, parsed.
     *
     * @param reason     the reason, "" when the value gives none
     * @param containers the containers it is limited to (names or {@code *} patterns), or null when it covers the
     *                   whole object; an empty list covers nothing
     */
    public record Ignore(String reason, List<String> containers) {

        /**
         * Copies the list.
         *
         * @param reason     the reason
         * @param containers the containers, or null
         */
        public Ignore {
            reason = reason == null ? "" : reason;
            containers = containers == null ? null : List.copyOf(containers);
        }

        /** @return whether the ignore covers every finding of its check on the object */
        public boolean wholeObject() {
            return containers == null;
        }

        /**
         * Whether the ignore covers a finding about a container.
         *
         * @param container the finding's container, or null for a finding about the object as a whole
         * @return true for a whole-object ignore, else whether the container is one of those named
         */
        public boolean covers(String container) {
            if (containers == null) {
                return true;
            }
            return container != null && containers.stream().anyMatch(p -> Glob.matches(p, container));
        }
    }

    /**
     * Parses an annotation's value.
     *
     * @param value the value (null: no reason)
     * @return the ignore: limited to containers when the value starts with {@code containers=}
     */
    public static Ignore parse(String value) {
        String v = value == null ? "" : value;
        Matcher m = CONTAINERS_VALUE.matcher(v);
        if (!m.matches()) {
            return new Ignore(v, null);
        }
        List<String> names = Arrays.stream(m.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
        String reason = m.group(2) == null ? "" : REASON_LABEL.matcher(m.group(2).strip()).replaceFirst("");
        return new Ignore(reason.strip(), names);
    }

    /**
     * The ignore an object's annotation sets for a check.
     *
     * @param manifest the object's manifest (may be null)
     * @param checkId  the check id
     * @return the parsed annotation, or empty when the object has none for the check
     */
    public static Optional<Ignore> find(Map<String, ?> manifest, String checkId) {
        if (manifest == null) {
            return Optional.empty();
        }
        if (manifest.get("metadata") instanceof Map<?, ?> meta && meta.get("annotations") instanceof Map<?, ?> ann) {
            Object v = ann.get(PREFIX + checkId);
            if (v != null || ann.containsKey(PREFIX + checkId)) {
                return Optional.of(parse(v == null ? null : v.toString()));
            }
        }
        return Optional.empty();
    }

    /**
     * The reason an object gives for ignoring a check. For a value limited to containers this is the reason part
     * only; {@link #find} tells which containers it covers.
     *
     * @param manifest the object's manifest (may be null)
     * @param checkId  the check id
     * @return the reason ("" when the annotation has none), or empty when the check is not ignored
     */
    public static Optional<String> reason(Map<String, ?> manifest, String checkId) {
        return find(manifest, checkId).map(Ignore::reason);
    }

    /**
     * Applies the object's ignore annotation to a finding: a whole-object annotation ignores it, one limited to
     * containers only when the finding names one of them.
     *
     * @param finding  the finding
     * @param manifest the object it is about
     * @return the finding, marked ignored (source {@value #SOURCE}) when the object says so; an already ignored
     *         finding unchanged
     */
    public static Finding apply(Finding finding, Map<String, ?> manifest) {
        if (finding.ignored()) {
            return finding;
        }
        return find(manifest, finding.checkId()).filter(i -> i.covers(finding.container()))
                .map(i -> finding.ignore(i.reason(), SOURCE)).orElse(finding);
    }
}
