package io.asyncsidecar.controlplane.plugins.helm;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.kit.checks.Quantities;
import io.asyncsidecar.controlplane.plugins.helm.PodSpecChecks.Container;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * Each container's CPU, memory and ephemeral-storage requests and limits, judged one by one, and whether
 * requests equal limits.
 */
final class PodSpecResources {

    static final CheckRule CPU_REQUEST = new CheckRule("helm.cpu-request", Severity.WARNING,
            "Every container sets resources.requests.cpu.");
    static final CheckRule CPU_LIMIT = new CheckRule("helm.cpu-limit", Severity.WARNING,
            "Every container sets resources.limits.cpu.");
    static final CheckRule MEMORY_REQUEST = new CheckRule("helm.memory-request", Severity.WARNING,
            "Every container sets resources.requests.memory.");
    static final CheckRule MEMORY_LIMIT = new CheckRule("helm.memory-limit", Severity.WARNING,
            "Every container sets resources.limits.memory.");
    static final CheckRule EPHEMERAL_REQUEST = new CheckRule("helm.ephemeral-storage-request", Severity.WARNING,
            "Every container sets resources.requests.ephemeral-storage.");
    static final CheckRule EPHEMERAL_LIMIT = new CheckRule("helm.ephemeral-storage-limit", Severity.WARNING,
            "Every container sets resources.limits.ephemeral-storage.");
    static final CheckRule CPU_EQUAL = new CheckRule("helm.cpu-requests-equal-limits", Severity.INFO,
            "A container's CPU request equals its CPU limit.");
    static final CheckRule MEMORY_EQUAL = new CheckRule("helm.memory-requests-equal-limits", Severity.INFO,
            "A container's memory request equals its memory limit.");
    static final CheckRule EPHEMERAL_EQUAL = new CheckRule("helm.ephemeral-storage-requests-equal-limits",
            Severity.INFO, "A container's ephemeral-storage request equals its limit.");

    static final List<CheckRule> RULES = List.of(CPU_REQUEST, CPU_LIMIT, MEMORY_REQUEST, MEMORY_LIMIT,
            EPHEMERAL_REQUEST, EPHEMERAL_LIMIT, CPU_EQUAL, MEMORY_EQUAL, EPHEMERAL_EQUAL);

    /**
     * One resource and its rules.
     *
     * @param name    the resource name
     * @param shown   how messages name it
     * @param request the rule for a missing request
     * @param limit   the rule for a missing limit
     * @param equal   the rule for a request that differs from the limit
     * @param without what a missing request means
     * @param unbound what a missing limit means
     */
    private record Resource(String name, String shown, CheckRule request, CheckRule limit, CheckRule equal,
                            String without, String unbound) {
    }

    private static final List<Resource> RESOURCES = List.of(
            new Resource("cpu", "CPU", CPU_REQUEST, CPU_LIMIT, CPU_EQUAL,
                    "the scheduler reserves no CPU for it and it is the first to be starved",
                    "it may take every idle core of the node from its neighbours"),
            new Resource("memory", "memory", MEMORY_REQUEST, MEMORY_LIMIT, MEMORY_EQUAL,
                    "the scheduler reserves no memory for it and it is among the first evicted",
                    "it may use the node's memory until the kernel kills whatever it picks"),
            new Resource("ephemeral-storage", "ephemeral-storage", EPHEMERAL_REQUEST, EPHEMERAL_LIMIT,
                    EPHEMERAL_EQUAL,
                    "the scheduler does not count its scratch space and its node's disk may fill up",
                    "its logs and writable layer may fill the node's disk until the kubelet evicts pods"));

    private final PodSpecChecks checks;

    PodSpecResources(PodSpecChecks checks) {
        this.checks = checks;
    }

    void check(Container c) {
        if (checks.mayBeGenerated(c.pod(), c.spec(), "resources")) {
            return;
        }
        Map<String, Object> resources = ManifestValues.map(c.spec(), "resources");
        Map<String, Object> requests = ManifestValues.map(resources, "requests");
        Map<String, Object> limits = ManifestValues.map(resources, "limits");
        for (Resource r : RESOURCES) {
            Object request = requests.get(r.name());
            Object limit = limits.get(r.name());
            if (unset(request)) {
                report(c, r.request(), "requests", r, "sets no " + r.shown() + " request: " + r.without(),
                        "Set resources.requests." + r.name() + " to what the container needs in normal operation.");
            }
            if (unset(limit)) {
                report(c, r.limit(), "limits", r, "sets no " + r.shown() + " limit: " + r.unbound(),
                        "Set resources.limits." + r.name() + " to the most the container may use.");
            }
            Optional<BigDecimal> req = Quantities.parse(request);
            Optional<BigDecimal> lim = Quantities.parse(limit);
            if (req.isPresent() && lim.isPresent() && req.get().compareTo(BigDecimal.ZERO) > 0
                    && req.get().compareTo(lim.get()) != 0) {
                report(c, r.equal(), "requests", r, "requests " + request + " " + r.shown() + " but is limited to "
                                + limit + ": it may be throttled or evicted when it uses more than it asked for",
                        "Set resources.requests." + r.name() + " equal to resources.limits." + r.name()
                                + " (the Guaranteed QoS class when every resource does).");
            }
        }
    }

    private void report(Container c, CheckRule rule, String section, Resource r, String what, String remediation) {
        RenderedObject o = c.pod().object();
        checks.report(rule, o, c, c.path() + ".resources." + section + "." + r.name(),
                PodSpecChecks.line(o, c.spec(), "resources", section, r.name()), c.subject() + " " + what,
                remediation);
    }

    /** Unset, blank or zero: kube-linter and kube-score count a zero amount as none. */
    private boolean unset(Object value) {
        if (value == null || value.toString().isBlank()) {
            return true;
        }
        return checks.judgeable(value) && Quantities.parse(value).map(q -> q.signum() == 0).orElse(false);
    }
}
