package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.plugins.helm.PodSpecChecks.Pod;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * How a workload's pods are restarted, cleaned up and replaced: restartPolicy, a Job's time to live, a CronJob's
 * starting deadline, the update strategy.
 */
final class PodSpecLifecycle {

    static final CheckRule RESTART_POLICY = new CheckRule("helm.restart-policy", Severity.ERROR,
            "Jobs and CronJobs set restartPolicy Never or OnFailure; long-running workloads leave it Always.");
    static final CheckRule JOB_TTL = new CheckRule("helm.job-ttl-seconds-after-finished", Severity.WARNING,
            "A standalone Job sets ttlSecondsAfterFinished (or is a Helm hook with a delete policy); a CronJob"
                    + " leaves it to its history limits.");
    static final CheckRule CRONJOB_DEADLINE = new CheckRule("helm.cronjob-starting-deadline", Severity.WARNING,
            "A CronJob sets startingDeadlineSeconds.");
    static final CheckRule ROLLING_UPDATE = new CheckRule("helm.rolling-update-strategy", Severity.WARNING,
            "A workload a Service sends traffic to updates with the RollingUpdate strategy.");

    static final List<CheckRule> RULES = List.of(RESTART_POLICY, JOB_TTL, CRONJOB_DEADLINE, ROLLING_UPDATE);

    private static final Set<String> BATCH = Set.of("Job", "CronJob");
    private static final Set<String> BATCH_POLICIES = Set.of("Never", "OnFailure");
    private static final String HOOK_DELETE_POLICY = "helm.sh/hook-delete-policy";

    private final PodSpecChecks checks;

    PodSpecLifecycle(PodSpecChecks checks) {
        this.checks = checks;
    }

    void check(Pod pod) {
        RenderedObject o = pod.object();
        String policy = ManifestValues.string(pod.spec(), "restartPolicy");
        boolean batch = BATCH.contains(pod.kind());
        if (policy == null ? batch && !checks.mayBeGenerated(pod, pod.spec(), "restartPolicy")
                : checks.judgeable(policy) && (batch ? !BATCH_POLICIES.contains(policy) : !"Always".equals(policy))) {
            checks.report(RESTART_POLICY, o, null, pod.path() + ".restartPolicy",
                    PodSpecChecks.line(o, pod.spec(), "restartPolicy"),
                    pod.display() + (policy == null ? " sets no restartPolicy" : " sets restartPolicy " + policy)
                            + (batch ? ": a Job's pods must use Never or OnFailure, and the API rejects it"
                            : ": a " + pod.kind() + "'s pods must use Always, and the API rejects it"),
                    batch ? "Set restartPolicy: OnFailure (retry in place) or Never (a new pod per retry)."
                            : "Remove restartPolicy (Always is the only value a " + pod.kind() + " accepts).");
        }
        Map<String, Object> spec = ManifestValues.map(o.manifest(), "spec");
        if ("Job".equals(pod.kind()) && !spec.containsKey("ttlSecondsAfterFinished")
                && !ManifestValues.annotations(o.manifest()).containsKey(HOOK_DELETE_POLICY)
                && !checks.mayBeGenerated(pod, spec, "ttlSecondsAfterFinished")) {
            checks.report(JOB_TTL, o, null, "spec.ttlSecondsAfterFinished", o.line(spec),
                    pod.display() + " sets no ttlSecondsAfterFinished: the finished Job and its pods stay in the"
                            + " cluster until someone deletes them",
                    "Set spec.ttlSecondsAfterFinished (e.g. 3600), or make it a Helm hook with a"
                            + " helm.sh/hook-delete-policy.");
        }
        if ("CronJob".equals(pod.kind())) {
            Map<String, Object> jobSpec = ManifestValues.map(spec, "jobTemplate", "spec");
            if (jobSpec.containsKey("ttlSecondsAfterFinished")) {
                checks.report(JOB_TTL, o, null, "spec.jobTemplate.spec.ttlSecondsAfterFinished",
                        o.line(jobSpec, "ttlSecondsAfterFinished"),
                        pod.display() + " sets ttlSecondsAfterFinished on its Jobs: they are deleted behind the"
                                + " CronJob's successfulJobsHistoryLimit and failedJobsHistoryLimit, so failed runs"
                                + " vanish before anyone looks",
                        "Remove jobTemplate.spec.ttlSecondsAfterFinished and set the CronJob's history limits.");
            }
            if (!spec.containsKey("startingDeadlineSeconds")
                    && !checks.mayBeGenerated(pod, spec, "startingDeadlineSeconds")) {
                checks.report(CRONJOB_DEADLINE, o, null, "spec.startingDeadlineSeconds", o.line(spec),
                        pod.display() + " sets no startingDeadlineSeconds: after the controller misses 100"
                                + " schedules (a long outage) the CronJob stops starting Jobs at all",
                        "Set spec.startingDeadlineSeconds to how late a run may still start (e.g. 300).");
            }
        }
        checkStrategy(pod, spec);
    }

    /** kube-score's deployment-strategy, for every workload a Service of the chart selects. */
    private void checkStrategy(Pod pod, Map<String, Object> spec) {
        String key = switch (pod.kind()) {
            case "Deployment" -> "strategy";
            case "StatefulSet", "DaemonSet" -> "updateStrategy";
            default -> null;
        };
        if (key == null) {
            return;
        }
        String type = ManifestValues.string(spec, key, "type");
        if (type == null || "RollingUpdate".equals(type) || !checks.judgeable(type)) {
            return;
        }
        RenderedObject o = pod.object();
        String service = checks.objects().stream()
                .filter(s -> "Service".equals(s.kind()) && WorkloadChecks.sameNamespace(s, o))
                .filter(s -> {
                    Map<String, Object> selector = ManifestValues.map(s.manifest(), "spec", "selector");
                    return !selector.isEmpty() && checks.judgeable(selector)
                            && WorkloadChecks.containsAll(pod.workload().podLabels(), selector);
                })
                .map(RenderedObject::name).findFirst().orElse(null);
        if (service == null) {
            return;
        }
        checks.report(ROLLING_UPDATE, o, null, "spec." + key + ".type", PodSpecChecks.line(o, spec, key, "type"),
                pod.display() + " updates with the " + type + " strategy although Service/" + service + " sends"
                        + " it traffic: every update takes all its pods down before new ones are ready",
                "Use " + key + ".type: RollingUpdate (with maxUnavailable 0 or a small number), or keep " + type
                        + " only for workloads that must never run two versions at once.");
    }
}
