package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * What a workload refers to itself: its selector against its own pod template, the ServiceAccount its pods run
 * as, the Secrets and ConfigMaps its containers read variables from.
 */
final class WorkloadRelations {

    static final String SELECTOR = "helm.selector-matches-template";
    static final String SERVICE_ACCOUNT = "helm.service-account-exists";
    static final String ENV_REF = "helm.env-ref-exists";

    static final List<CheckRule> RULES = List.of(
            new CheckRule(SELECTOR, Severity.ERROR,
                    "A Deployment, StatefulSet, DaemonSet, ReplicaSet or Rollout has a spec.selector that matches its"
                            + " own pod template's labels."),
            new CheckRule(SERVICE_ACCOUNT, Severity.WARNING,
                    "A pod's serviceAccountName (other than default) names a ServiceAccount the chart renders."),
            new CheckRule(ENV_REF, Severity.ERROR,
                    "A container's env valueFrom and envFrom name a Secret or ConfigMap key the chart renders (an"
                            + " object the chart does not render is reported as info)."));

    /** Kinds whose selector the API requires and checks against the template (apps/v1, Argo Rollouts). */
    private static final Set<String> SELECTED = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
            "Rollout");

    private final RelationChecks rel;
    private final List<WorkloadChecks.Workload> workloads;
    private final List<RenderedObject> objects;

    WorkloadRelations(RelationChecks rel, List<WorkloadChecks.Workload> workloads, List<RenderedObject> objects) {
        this.rel = rel;
        this.workloads = workloads;
        this.objects = objects;
    }

    void check(List<Finding> findings) {
        for (WorkloadChecks.Workload w : workloads) {
            checkSelector(w, findings);
            checkServiceAccount(w, findings);
            checkEnvReferences(w, findings);
        }
    }

    private void checkSelector(WorkloadChecks.Workload w, List<Finding> findings) {
        Map<String, Object> spec = ManifestValues.map(w.object().manifest(), "spec");
        boolean manualJob = "Job".equals(w.kind()) && ManifestValues.bool(spec, "manualSelector").orElse(false);
        if (!(SELECTED.contains(w.kind()) && RelationChecks.hasApi(w.object(), "apps/v1", "argoproj.io/"))
                && !manualJob) {
            return;
        }
        Map<String, Object> selector = ManifestValues.map(spec, "selector");
        boolean empty = RelationChecks.emptySelector(selector);
        if (rel.unsure(w.object(), selector) || rel.labelsUnsure(List.of(w))
                || (empty && rel.unknown(w, spec, "selector"))) {
            return;
        }
        String problem;
        if (empty) {
            problem = spec.get("selector") == null ? "has no spec.selector" : "has an empty spec.selector";
        } else if (!WorkloadChecks.selects(selector, w.podLabels())) {
            problem = "selects " + selector + " but its pod template is labelled " + w.podLabels();
        } else {
            return;
        }
        findings.add(RelationChecks.finding(SELECTOR, Severity.ERROR, w.object(),
                w.object().line(spec, spec.containsKey("selector") ? "selector" : "template"), "spec.selector",
                w.display() + " " + problem + ": the API server rejects it (the selector must match the template's"
                        + " labels)",
                "Set spec.selector.matchLabels to labels the pod template carries (the stable selector labels)."));
    }

    private void checkServiceAccount(WorkloadChecks.Workload w, List<Finding> findings) {
        String key = w.podSpec().get("serviceAccountName") != null ? "serviceAccountName" : "serviceAccount";
        String account = ManifestValues.string(w.podSpec(), key);
        if (account == null || account.isBlank() || "default".equals(account) || !rel.judgeable(account)
                || rel.namesUnsure(objects, "ServiceAccount")) {
            return;
        }
        boolean exists = objects.stream().anyMatch(o -> "ServiceAccount".equals(o.kind()) && account.equals(o.name())
                && WorkloadChecks.sameNamespace(o, w.object()));
        if (!exists) {
            findings.add(RelationChecks.finding(SERVICE_ACCOUNT, Severity.WARNING, w.object(),
                    w.object().line(w.podSpec(), key), RelationChecks.templatePath(w) + ".spec." + key,
                    w.display() + " runs its pods as ServiceAccount '" + account + "', which the chart does not"
                            + " render: unless it exists already, no pod is created",
                    "Render the ServiceAccount with the chart (serviceAccount.create) or name one that exists."));
        }
    }

    private void checkEnvReferences(WorkloadChecks.Workload w, List<Finding> findings) {
        List<Map<String, Object>> containers = ManifestValues.maps(w.podSpec(), "containers");
        List<Map<String, Object>> inits = ManifestValues.maps(w.podSpec(), "initContainers");
        for (int i = 0; i < containers.size() + inits.size(); i++) {
            boolean init = i >= containers.size();
            Map<String, Object> c = init ? inits.get(i - containers.size()) : containers.get(i);
            String path = RelationChecks.templatePath(w) + ".spec." + (init ? "initContainers[" + (i
                    - containers.size()) : "containers[" + i) + "]";
            List<Map<String, Object>> env = ManifestValues.maps(c, "env");
            for (int e = 0; e < env.size(); e++) {
                for (String ref : List.of("secretKeyRef", "configMapKeyRef")) {
                    Map<String, Object> r = ManifestValues.map(env.get(e), "valueFrom", ref);
                    if (!r.isEmpty()) {
                        checkReference(w, c, r, ref, path + ".env[" + e + "].valueFrom." + ref, findings);
                    }
                }
            }
            List<Map<String, Object>> envFrom = ManifestValues.maps(c, "envFrom");
            for (int e = 0; e < envFrom.size(); e++) {
                for (String ref : List.of("secretRef", "configMapRef")) {
                    Map<String, Object> r = ManifestValues.map(envFrom.get(e), ref);
                    if (!r.isEmpty()) {
                        checkReference(w, c, r, ref, path + ".envFrom[" + e + "]." + ref, findings);
                    }
                }
            }
        }
    }

    private void checkReference(WorkloadChecks.Workload w, Map<String, Object> container, Map<String, Object> ref,
                                String refKind, String field, List<Finding> findings) {
        String kind = refKind.startsWith("secret") ? "Secret" : "ConfigMap";
        String name = ManifestValues.string(ref, "name");
        String key = ManifestValues.string(ref, "key");
        if (name == null || !rel.judgeable(name) || ManifestValues.bool(ref, "optional").orElse(false)
                || rel.namesUnsure(objects, kind)) {
            return;
        }
        String containerName = ManifestValues.string(container, "name");
        String subject = "container '" + containerName + "' of " + w.display();
        RenderedObject source = objects.stream().filter(o -> kind.equals(o.kind()) && name.equals(o.name())
                && WorkloadChecks.sameNamespace(o, w.object())).findFirst().orElse(null);
        if (source == null) {
            findings.add(RelationChecks.finding(containerName, ENV_REF, Severity.INFO, w.object(),
                    w.object().line(ref, "name"), field + ".name", subject + " reads " + kind + " '" + name
                            + "', which the chart does not render: it must exist before the pods can start",
                    "Render the " + kind + " with the chart, mark the reference optional, or document that it is"
                            + " created beforehand (e.g. by external-secrets)."));
            return;
        }
        if (key == null || !rel.judgeable(key)) {
            return;
        }
        Set<String> keys = new TreeSet<>();
        for (String data : kind.equals("Secret") ? List.of("data", "stringData") : List.of("data", "binaryData")) {
            Map<String, Object> values = ManifestValues.map(source.manifest(), data);
            if (rel.unsure(source, values)) {
                return;
            }
            keys.addAll(values.keySet());
        }
        if (rel.textual() && source.mayHoldGenerated(source.manifest(), k -> true)) {
            return;
        }
        if (!keys.contains(key)) {
            findings.add(RelationChecks.finding(containerName, ENV_REF, Severity.ERROR, w.object(),
                    w.object().line(ref, "key"), field + ".key", subject + " reads key '" + key + "' of " + kind
                            + "/" + name + ", which has no such key (keys: " + (keys.isEmpty() ? "none"
                            : String.join(", ", keys)) + "): the container does not start",
                    "Use one of the " + kind + "'s keys, add the key to it, or mark the reference optional."));
        }
    }
}
