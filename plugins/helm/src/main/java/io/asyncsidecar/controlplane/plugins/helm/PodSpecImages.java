package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.plugins.helm.PodSpecChecks.Container;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * Where a container's image comes from and how it is pulled: the pull policy, a digest, an allowed registry.
 * (A missing or moving tag is {@link HelmRules#IMAGE_TAG_PINNED}, checked by {@link WorkloadChecks}.)
 */
final class PodSpecImages {

    static final CheckRule PULL_POLICY = new CheckRule("helm.image-pull-policy-always", Severity.WARNING,
            "Containers pull their image with imagePullPolicy: Always, unless it is pinned by digest.");
    static final CheckRule DIGEST = new CheckRule("helm.image-digest", Severity.INFO,
            "Images are pinned by digest (@sha256:...).");
    static final CheckRule REGISTRY = new CheckRule("helm.image-registry", Severity.WARNING,
            "Images come from a registry of plugins.helm.allowed-registries (off when the list is empty).");

    static final List<CheckRule> RULES = List.of(PULL_POLICY, DIGEST, REGISTRY);

    /** Docker Hub, which an image reference without a registry names. */
    static final String DOCKER_HUB = "docker.io";

    private final PodSpecChecks checks;
    private final List<String> allowed;
    /** An entry matches the registry... */
    private final List<Pattern> allowedPatterns;
    /** ...or is a prefix of the repository ({@code ghcr.io/my-org}). */
    private final List<Pattern> allowedPrefixes;

    PodSpecImages(PodSpecChecks checks, List<String> allowed) {
        this.checks = checks;
        this.allowed = List.copyOf(allowed);
        this.allowedPatterns = allowed.stream().map(PodSpecImages::glob).toList();
        this.allowedPrefixes = allowed.stream().map(a -> glob(a + "/*")).toList();
    }

    void check(Container c) {
        String image = ManifestValues.string(c.spec(), "image");
        if (image == null || image.isBlank() || !checks.judgeable(image)) {
            return;
        }
        image = image.strip();
        RenderedObject o = c.pod().object();
        String at = c.path();
        boolean digest = image.contains("@");
        String policy = ManifestValues.string(c.spec(), "imagePullPolicy");
        String tag = WorkloadChecks.imageTag(image);
        // kube-score: an unset policy with no tag or 'latest' defaults to Always.
        boolean defaultsToAlways = policy == null && (tag == null || "latest".equals(tag));
        if (!digest && !"Always".equals(policy) && !defaultsToAlways && checks.judgeable(String.valueOf(policy))
                && (policy != null || !checks.mayBeGenerated(c.pod(), c.spec(), "imagePullPolicy"))) {
            checks.report(PULL_POLICY, o, c, at + ".imagePullPolicy",
                    c.spec().containsKey("imagePullPolicy") ? o.line(c.spec(), "imagePullPolicy")
                            : o.line(c.spec(), "image"),
                    c.subject() + " pulls image '" + image + "' with imagePullPolicy "
                            + (policy == null ? "unset (IfNotPresent for a tag)" : policy)
                            + ": a node with a cached copy runs it without the registry's authorisation, and a"
                            + " re-pushed tag differs from node to node",
                    "Set imagePullPolicy: Always, or pin the image by digest.");
        }
        if (!digest) {
            checks.report(DIGEST, o, c, at + ".image", o.line(c.spec(), "image"),
                    c.subject() + " uses image '" + image + "' by tag: the registry may serve other bytes under"
                            + " it tomorrow",
                    "Pin the image by digest (repository:tag@sha256:...), e.g. with the digest your CI built.");
        }
        if (!allowed.isEmpty()) {
            String registry = registry(image);
            String repository = registry + "/" + repository(image);
            if (allowedPatterns.stream().noneMatch(p -> p.matcher(registry).matches())
                    && allowedPrefixes.stream().noneMatch(p -> p.matcher(repository).matches())) {
                checks.report(REGISTRY, o, c, at + ".image", o.line(c.spec(), "image"),
                        c.subject() + " uses image '" + image + "' from " + registry + ", which is not one of the"
                                + " allowed registries " + allowed,
                        "Pull the image through an allowed registry (a mirror or pull-through cache), or add the"
                                + " registry to plugins.helm.allowed-registries.");
            }
        }
    }

    /**
     * The registry an image reference names: its first part when that has a dot, a colon or is localhost, else
     * Docker Hub.
     */
    static String registry(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return DOCKER_HUB;
        }
        String first = image.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
            return first.equals("index.docker.io") || first.equals("registry-1.docker.io") ? DOCKER_HUB : first;
        }
        return DOCKER_HUB;
    }

    /** The repository path without registry, tag or digest; Docker Hub's official images are under library/. */
    static String repository(String image) {
        String registry = registry(image);
        String rest = image;
        int slash = image.indexOf('/');
        if (slash >= 0 && !registry.equals(DOCKER_HUB) || image.startsWith("docker.io/")
                || image.startsWith("index.docker.io/") || image.startsWith("registry-1.docker.io/")) {
            rest = image.substring(slash + 1);
        }
        int at = rest.indexOf('@');
        if (at >= 0) {
            rest = rest.substring(0, at);
        }
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            rest = rest.substring(0, colon);
        }
        return registry.equals(DOCKER_HUB) && !rest.contains("/") ? "library/" + rest : rest;
    }

    /** {@code *} matches any run of characters; everything else itself. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
