package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.plugins.helm.PodSpecChecks.Pod;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * Who a workload's pods are to the Kubernetes API: the service account they run as and whether its token is
 * mounted.
 */
final class PodSpecIdentity {

    static final CheckRule AUTOMOUNT = new CheckRule("helm.automount-service-account-token", Severity.WARNING,
            "Pods do not mount a service-account token unless they need it: the pod, or its ServiceAccount in the"
                    + " chart, sets automountServiceAccountToken: false.");
    static final CheckRule DEFAULT_ACCOUNT = new CheckRule("helm.default-service-account", Severity.INFO,
            "Pods run as a service account of their own (serviceAccountName is set and not 'default').");
    static final CheckRule DEPRECATED_FIELD = new CheckRule("helm.deprecated-service-account-field",
            Severity.WARNING, "Pods name their service account with serviceAccountName, not the deprecated"
            + " serviceAccount.");

    static final List<CheckRule> RULES = List.of(AUTOMOUNT, DEFAULT_ACCOUNT, DEPRECATED_FIELD);

    private static final String DEFAULT = "default";

    private final PodSpecChecks checks;

    PodSpecIdentity(PodSpecChecks checks) {
        this.checks = checks;
    }

    void check(Pod pod) {
        RenderedObject o = pod.object();
        Map<String, Object> spec = pod.spec();
        String named = ManifestValues.string(spec, "serviceAccountName");
        String deprecated = ManifestValues.string(spec, "serviceAccount");
        String account = named != null && !named.isBlank() ? named
                : deprecated != null && !deprecated.isBlank() ? deprecated : DEFAULT;
        if (deprecated != null && !deprecated.isBlank()) {
            checks.report(DEPRECATED_FIELD, o, null, pod.path() + ".serviceAccount", o.line(spec, "serviceAccount"),
                    pod.display() + " sets the deprecated field serviceAccount: " + deprecated
                            + (named != null && !named.equals(deprecated) ? ", which differs from its"
                            + " serviceAccountName " + named : ""),
                    "Use serviceAccountName only.");
        }
        if (DEFAULT.equals(account) && checks.judgeable(account)
                && !checks.mayBeGenerated(pod, spec, "serviceAccountName")) {
            checks.report(DEFAULT_ACCOUNT, o, null, pod.path() + ".serviceAccountName",
                    PodSpecChecks.line(o, spec, "serviceAccountName"),
                    pod.display() + " runs as its namespace's default service account: every such pod shares its"
                            + " permissions, and a grant meant for one reaches them all",
                    "Create a ServiceAccount for the workload and set serviceAccountName.");
        }
        checkAutomount(pod, account);
    }

    /** Polaris' automountServiceAccountToken: the pod's field, else its ServiceAccount's, decides. */
    private void checkAutomount(Pod pod, String account) {
        RenderedObject o = pod.object();
        Object podValue = pod.spec().get("automountServiceAccountToken");
        Optional<Boolean> podSays = ManifestValues.bool(podValue);
        if (podSays.equals(Optional.of(false)) || (podValue != null && podSays.isEmpty())
                || !checks.judgeable(account)) {
            return;
        }
        Optional<RenderedObject> sa = checks.objects().stream()
                .filter(s -> "ServiceAccount".equals(s.kind()) && account.equals(s.name())
                        && WorkloadChecks.sameNamespace(s, o))
                .findFirst();
        boolean saSaysNo = sa.flatMap(s -> ManifestValues.bool(s.manifest(), "automountServiceAccountToken"))
                .equals(Optional.of(false));
        if (podSays.isEmpty() && (saSaysNo || checks.mayBeGenerated(pod, pod.spec(),
                "automountServiceAccountToken") || sa.filter(s -> checks.textual()
                && s.manifest().toString().contains(TemplateText.UNKNOWN)).isPresent())) {
            return;
        }
        checks.report(AUTOMOUNT, o, null, pod.path() + ".automountServiceAccountToken",
                PodSpecChecks.line(o, pod.spec(), "automountServiceAccountToken"),
                pod.display() + (podSays.isPresent() ? " sets automountServiceAccountToken: true"
                        : " mounts the token of service account '" + account + "'" + (sa.isPresent()
                        ? " (its ServiceAccount does not set automountServiceAccountToken: false)"
                        : " (automountServiceAccountToken is not false)"))
                        + ": whoever gets into a container can call the Kubernetes API as that account",
                "Set automountServiceAccountToken: false on the pod (or its ServiceAccount), and mount a projected"
                        + " token only in workloads that call the API.");
    }
}
