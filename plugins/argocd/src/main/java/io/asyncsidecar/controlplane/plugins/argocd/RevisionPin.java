package io.asyncsidecar.controlplane.plugins.argocd;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What an Argo CD {@code targetRevision} pins. Argo CD resolves a git revision as a commit SHA, a tag or a
 * branch, and a Helm-repository revision as a chart version or a semver range; only a commit, an exact tag
 * or an exact chart version make a sync reproducible.
 */
enum RevisionPin {
    /** A full or abbreviated commit SHA. */
    COMMIT,
    /** An exact semantic version: a release tag or an exact chart version. */
    VERSION,
    /** Empty or {@code HEAD}: whatever the default branch holds at sync time. */
    HEAD,
    /** A semver range such as {@code 1.2.*} or {@code >=1.0}: the newest matching chart at sync time. */
    RANGE,
    /** Anything else: a branch name (or a tag that looks like one, which cannot be told apart offline). */
    BRANCH,
    /** A generator template such as {@code '{{ .branch }}'}: known only when the ApplicationSet runs. */
    TEMPLATED;

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{7,40}");
    private static final Pattern SEMVER = Pattern.compile(
            "v?(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
    private static final Pattern RANGE_SYNTAX = Pattern.compile(".*([*xX^~<>|]|\\s-\\s|,).*|v?[0-9]+(\\.[0-9]+)?");

    /**
     * Classifies a revision.
     *
     * @param revision the {@code targetRevision}, possibly null
     * @param helmRepo true when the source is a Helm repository chart (revision is a chart version)
     * @return the classification
     */
    static RevisionPin of(String revision, boolean helmRepo) {
        String r = revision == null ? "" : revision.trim();
        if (r.contains("{{")) {
            return TEMPLATED;
        }
        if (r.isEmpty() || r.equalsIgnoreCase("HEAD")) {
            return HEAD;
        }
        if (SEMVER.matcher(r).matches()) {
            return VERSION;
        }
        if (!helmRepo && SHA.matcher(r.toLowerCase(Locale.ROOT)).matches() && r.chars().anyMatch(Character::isDigit)) {
            return COMMIT;
        }
        if (RANGE_SYNTAX.matcher(r).matches()) {
            return RANGE;
        }
        return BRANCH;
    }

    /** @return true when a sync always deploys the same content */
    boolean pinned() {
        return this == COMMIT || this == VERSION;
    }

    /** @return the JSON name */
    String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
