package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.checks.IgnoreAnnotations;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.kit.checks.Workloads;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * The checks on a chart's workloads (Deployment, StatefulSet, DaemonSet, Job, CronJob and Argo Rollout pod
 * templates); {@link PodSpecChecks} and {@link RelationChecks} (the objects around them: Services,
 * PodDisruptionBudgets, autoscalers, NetworkPolicies, RBAC) run from here on the same workloads.
 *
 * <p>On a textual reading of the raw templates (no Helm engine could render) a missing field may just come from
 * a helper or a values block that was taken out; there a "missing" finding is only reported when the template
 * does not mention the field at all, and values only rendering knows ({@value TemplateText#UNKNOWN}) are not
 * judged.
 */
final class WorkloadChecks {

    private static final Set<String> POD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob",
            "Rollout", "ReplicaSet");
    /** Kinds whose pods serve continuously and so want probes. */
    private static final Set<String> LONG_RUNNING = Set.of("Deployment", "StatefulSet", "DaemonSet", "Rollout",
            "ReplicaSet");
    /**
     * The GPU resources issue 3 names, in the order findings are reported. Not {@link Workloads#isGpuResource}: that
     * also counts Neuron, Gaudi, Intel and any name ending in {@code /gpu}, which would add findings helm never
     * gave; and its gpuResources skips amounts that do not parse, where helm only asks whether the key is there.
     */
    private static final List<String> GPU_RESOURCES = List.of("nvidia.com/gpu", "amd.com/gpu");

    // Textual reading: which generated blocks (by the key they belong to) may hold a field.
    private static final Predicate<String> CONTAINER_LEVEL = key -> key.startsWith("- ") || key.endsWith("ontainers")
            || key.endsWith("Probe");
    private static final Predicate<String> SECURITY = CONTAINER_LEVEL.or(key -> key.equals("securityContext")
            || key.equals("spec"));
    private static final Predicate<String> TOLERATIONS = key -> key.equals("tolerations") || key.equals("spec");

    private final boolean textual;
    private final Path workspace;
    private final PodSpecChecks.Settings podSettings;
    private final Map<String, String> rawTemplates = new HashMap<>();

    /**
     * Checks for one chart.
     *
     * @param textual   true when the objects come from a textual reading, not from Helm
     * @param workspace the workspace root (textual mode reads the raw templates from it)
     */
    WorkloadChecks(boolean textual, Path workspace) {
        this(textual, workspace, PodSpecChecks.Settings.DEFAULTS);
    }

    /**
     * Checks for one chart.
     *
     * @param textual     true when the objects come from a textual reading, not from Helm
     * @param workspace   the workspace root (textual mode reads the raw templates from it)
     * @param podSettings what the pod-spec checks are configured with
     */
    WorkloadChecks(boolean textual, Path workspace, PodSpecChecks.Settings podSettings) {
        this.textual = textual;
        this.workspace = workspace;
        this.podSettings = podSettings;
    }

    /** Whether the objects come from a textual reading (see the class comment). */
    boolean textual() {
        return textual;
    }

    /** The workload checks as one group of the chart's checks. */
    static final class Group implements ObjectChecks {

        private final PodSpecChecks.Settings podSettings;

        Group(PodSpecChecks.Settings podSettings) {
            this.podSettings = podSettings;
        }

        @Override
        public List<CheckRule> rules() {
            List<CheckRule> rules = new ArrayList<>(PodSpecChecks.RULES);
            rules.addAll(RelationChecks.RULES);
            return rules;
        }

        @Override
        public List<Finding> check(ChartUnderCheck chart) {
            return new WorkloadChecks(chart.textual(), chart.workspace(), podSettings).check(chart.objects());
        }
    }

    /** A workload and its pod template. */
    record Workload(RenderedObject object, Map<String, Object> podTemplate, Map<String, Object> podSpec) {

        String kind() {
            return object.kind();
        }

        Map<String, Object> podLabels() {
            return ManifestValues.map(podTemplate, "metadata", "labels");
        }

        /**
         * Not Workloads.replicas: that trims quoted numbers and reads a non-number as unset (1), where helm
         * reports -1 so a templated count is never judged.
         *
         * @return spec.replicas, 1 when absent, -1 when not a number (textual reading)
         */
        long replicas() {
            Object r = ManifestValues.at(object.manifest(), "spec", "replicas");
            if (r == null) {
                return 1;
            }
            try {
                return Long.parseLong(r.toString());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        String display() {
            return object.kind() + "/" + object.name();
        }
    }

    /**
     * Runs every check.
     *
     * @param objects the chart's objects
     * @return the findings, ignore annotations applied
     */
    List<Finding> check(List<RenderedObject> objects) {
        List<Finding> findings = new ArrayList<>();
        List<Workload> workloads = new ArrayList<>();
        for (RenderedObject o : objects) {
            Map<String, Object> template = podTemplate(o);
            if (template != null) {
                // Same map as template.spec for every kind podTemplate accepts; the fallback only keeps helm's reading
                // should the shared rule ever drop one of those kinds.
                Map<String, Object> podSpec = Workloads.podSpec(o.manifest())
                        .orElseGet(() -> ManifestValues.map(template, "spec"));
                workloads.add(new Workload(o, template, podSpec));
            }
        }
        for (Workload w : workloads) {
            checkContainers(w, findings);
            checkGpuToleration(w, findings);
        }
        new PodSpecChecks(this, podSettings).check(workloads, objects, findings);
        new RelationChecks(this).check(workloads, objects, findings);
        return findings;
    }

    static Map<String, Object> podTemplate(RenderedObject o) {
        if (!POD_KINDS.contains(o.kind())) {
            return null;
        }
        if ("Rollout".equals(o.kind()) && !String.valueOf(o.manifest().get("apiVersion")).startsWith("argoproj.io/")) {
            return null;
        }
        Map<String, Object> template = "CronJob".equals(o.kind())
                ? ManifestValues.map(o.manifest(), "spec", "jobTemplate", "spec", "template")
                : ManifestValues.map(o.manifest(), "spec", "template");
        return template.isEmpty() ? null : template;
    }

    private void checkContainers(Workload w, List<Finding> findings) {
        Map<String, Object> podSecurity = ManifestValues.map(w.podSpec(), "securityContext");
        boolean podNonRoot = Boolean.TRUE.equals(podSecurity.get("runAsNonRoot"));
        List<Map<String, Object>> containers = ManifestValues.maps(w.podSpec(), "containers");
        List<Map<String, Object>> initContainers = ManifestValues.maps(w.podSpec(), "initContainers");
        List<Map<String, Object>> all = new ArrayList<>(containers);
        all.addAll(initContainers);
        for (int i = 0; i < all.size(); i++) {
            Map<String, Object> c = all.get(i);
            boolean init = i >= containers.size();
            String container = ManifestValues.string(c, "name");
            String name = Objects.requireNonNullElse(container, "?");
            String subject = (init ? "init container '" : "container '") + name + "' of " + w.display();
            checkImage(w, c, container, subject, findings);
            if (!init && LONG_RUNNING.contains(w.kind())) {
                if (!isSet(c, "livenessProbe") && !unknown(w, c, "livenessProbe", CONTAINER_LEVEL)) {
                    findings.add(finding(container, HelmRules.LIVENESS_PROBE, Severity.WARNING, w.object(),
                            w.object().line(c),
                            subject + " has no livenessProbe: a hung process is never restarted",
                            "Add a livenessProbe (httpGet, tcpSocket or exec) that fails only when a restart helps."));
                }
                if (!isSet(c, "readinessProbe") && !unknown(w, c, "readinessProbe", CONTAINER_LEVEL)) {
                    findings.add(finding(container, HelmRules.READINESS_PROBE, Severity.WARNING, w.object(),
                            w.object().line(c),
                            subject + " has no readinessProbe: it receives traffic before it can serve",
                            "Add a readinessProbe that succeeds once the container can serve requests."));
                }
            }
            Map<String, Object> security = ManifestValues.map(c, "securityContext");
            int securityLine = security.isEmpty() ? w.object().line(c) : w.object().line(c, "securityContext");
            Object nonRoot = security.get("runAsNonRoot");
            boolean nonRootSet = Boolean.TRUE.equals(nonRoot) || (podNonRoot && nonRoot == null);
            if (!nonRootSet && !unknown(w, w.podSpec(), "runAsNonRoot", SECURITY)) {
                findings.add(finding(container, HelmRules.RUN_AS_NON_ROOT, Severity.WARNING, w.object(), securityLine,
                        subject + " may run as root: neither it nor its pod sets securityContext.runAsNonRoot: true",
                        "Set runAsNonRoot: true (and a non-zero runAsUser) in the pod or container securityContext."));
            }
            if (!Boolean.TRUE.equals(security.get("readOnlyRootFilesystem"))
                    && !unknown(w, c, "readOnlyRootFilesystem", SECURITY)) {
                findings.add(finding(container, HelmRules.READ_ONLY_ROOT_FS, Severity.WARNING, w.object(), securityLine,
                        subject + " has a writable root file system"
                                + " (securityContext.readOnlyRootFilesystem is not true)",
                        "Set readOnlyRootFilesystem: true and mount an emptyDir where the process must write."));
            }
            if (!Boolean.FALSE.equals(security.get("allowPrivilegeEscalation"))
                    && !unknown(w, c, "allowPrivilegeEscalation", SECURITY)) {
                findings.add(finding(container, HelmRules.NO_PRIVILEGE_ESCALATION, Severity.WARNING, w.object(),
                        securityLine,
                        subject + " does not set securityContext.allowPrivilegeEscalation: false",
                        "Set allowPrivilegeEscalation: false (and drop ALL capabilities)."));
            }
        }
    }

    private void checkImage(Workload w, Map<String, Object> c, String container, String subject,
                            List<Finding> findings) {
        String image = ManifestValues.string(c, "image");
        int line = c.containsKey("image") ? w.object().line(c, "image") : w.object().line(c);
        if (image == null || image.isBlank()) {
            if (!textual) {
                findings.add(finding(container, HelmRules.IMAGE_TAG_PINNED, Severity.ERROR, w.object(), line,
                        subject + " has no image", "Set the container's image, with a pinned tag or a digest."));
            }
            return;
        }
        if (textual && image.contains(TemplateText.UNKNOWN)) {
            return;
        }
        String tag = imageTag(image);
        if (tag == null) {
            findings.add(finding(container, HelmRules.IMAGE_TAG_PINNED, Severity.WARNING, w.object(), line,
                    subject + " uses image '" + image + "' without a tag, which means 'latest'",
                    "Pin the image to a version tag or a digest (@sha256:...)."));
        } else if ("latest".equals(tag)) {
            findings.add(finding(container, HelmRules.IMAGE_TAG_PINNED, Severity.WARNING, w.object(), line,
                    subject + " uses image '" + image + "' with the moving tag 'latest'",
                    "Pin the image to a version tag or a digest (@sha256:...)."));
        }
    }

    /**
     * The tag of an image reference.
     *
     * @param image e.g. {@code ghcr.io/kedacore/keda:2.20.2}, {@code repo/x@sha256:...}, {@code localhost:5000/x}
     * @return the tag, "" for a digest reference (pinned), or null when the reference has no tag
     */
    static String imageTag(String image) {
        if (image.contains("@")) {
            return "";
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        int colon = last.lastIndexOf(':');
        return colon < 0 || colon == last.length() - 1 ? null : last.substring(colon + 1);
    }

    private void checkGpuToleration(Workload w, List<Finding> findings) {
        List<Map<String, Object>> all = new ArrayList<>(ManifestValues.maps(w.podSpec(), "containers"));
        all.addAll(ManifestValues.maps(w.podSpec(), "initContainers"));
        for (Map<String, Object> c : all) {
            Map<String, Object> resources = ManifestValues.map(c, "resources");
            for (String gpu : GPU_RESOURCES) {
                boolean asks = ManifestValues.map(resources, "limits").containsKey(gpu)
                        || ManifestValues.map(resources, "requests").containsKey(gpu);
                if (asks && !toleratesGpu(w.podSpec(), gpu) && !unknown(w, w.podSpec(), "tolerations", TOLERATIONS)) {
                    int line = w.podSpec().containsKey("tolerations") ? w.object().line(w.podSpec(), "tolerations")
                            : w.object().line(c, "resources");
                    findings.add(finding(ManifestValues.string(c, "name"), HelmRules.GPU_TOLERATION, Severity.ERROR,
                            w.object(), line,
                            "container '" + ManifestValues.string(c, "name") + "' of " + w.display() + " asks for "
                                    + gpu + " but the pod tolerates no GPU taint: it cannot land on tainted GPU nodes",
                            "Add a toleration for the GPU pool's taint, e.g. {key: " + gpu
                                    + ", operator: Exists, effect: NoSchedule}."));
                    return;
                }
            }
        }
    }

    private static boolean toleratesGpu(Map<String, Object> podSpec, String gpu) {
        // Not Workloads.tolerates: issue 3 asks for "a GPU taint", and the taint's exact key and value are not in
        // the chart, so any toleration whose key names a GPU counts, whatever its operator or value.
        for (Map<String, Object> t : Workloads.tolerations(podSpec)) {
            String key = ManifestValues.string(t, "key");
            String operator = ManifestValues.string(t, "operator");
            String effect = ManifestValues.string(t, "effect");
            if ((key == null || key.isEmpty()) && "Exists".equals(operator)) {
                return true;
            }
            boolean gpuKey = key != null && (key.equals(gpu) || key.toLowerCase(Locale.ROOT).contains("gpu"));
            if (gpuKey && (effect == null || effect.isEmpty() || effect.startsWith("NoSchedule")
                    || effect.equals("NoExecute"))) {
                return true;
            }
        }
        return false;
    }

    static boolean isScaledObject(RenderedObject o) {
        String api = String.valueOf(o.manifest().get("apiVersion"));
        return "ScaledObject".equals(o.kind()) && (api.startsWith("keda.sh/") || api.startsWith("keda.k8s.io/"));
    }

    static boolean sameNamespace(RenderedObject a, RenderedObject b) {
        return a.namespace() == null || b.namespace() == null || a.namespace().equals(b.namespace());
    }

    /** Kubernetes label selector semantics: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist). */
    static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
        Map<String, Object> matchLabels = ManifestValues.map(selector, "matchLabels");
        List<?> expressions = ManifestValues.list(selector, "matchExpressions");
        if (matchLabels.isEmpty() && expressions.isEmpty()) {
            // An empty selector in policy/v1 selects every pod of the namespace.
            return true;
        }
        if (!containsAll(labels, matchLabels)) {
            return false;
        }
        for (Object e : expressions) {
            String key = ManifestValues.string(e, "key");
            String op = Objects.requireNonNullElse(ManifestValues.string(e, "operator"), "");
            List<String> values = ManifestValues.list(e, "values").stream().map(String::valueOf).toList();
            Object v = labels.get(key);
            boolean ok = switch (op) {
                case "In" -> v != null && values.contains(v.toString());
                case "NotIn" -> v == null || !values.contains(v.toString());
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean containsAll(Map<String, Object> labels, Map<String, Object> wanted) {
        for (Map.Entry<String, Object> e : wanted.entrySet()) {
            Object have = labels.get(e.getKey());
            if (have == null || !have.toString().equals(String.valueOf(e.getValue()))) {
                return false;
            }
        }
        return true;
    }


    /**
     * Whether a map holds the key with a value that is not null, not blank and not an empty collection. Kept here
     * because ManifestValues has no such test, and an empty probe ({@code livenessProbe: {}}) must count as missing.
     */
    static boolean isSet(Map<String, Object> map, String key) {
        Object v = map.get(key);
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        return v != null && !v.toString().isBlank();
    }

    /**
     * In textual mode, whether a field's absence may be an artefact of taking the template actions out: the
     * template mentions the field somewhere, or an action that generates YAML sat inside the node.
     */
    boolean unknown(Workload w, Object node, String field, Predicate<String> parents) {
        if (!textual) {
            return false;
        }
        if (w.object().mayHoldGenerated(node, parents)) {
            return true;
        }
        String file = w.object().document().file();
        String text = rawTemplates.computeIfAbsent(file, f -> {
            try {
                // Comments do not set fields: "# no readinessProbe here" must not count as a mention.
                return WorkspaceFiles.of(workspace).readString(workspace.resolve(f)).lines()
                        .filter(l -> !l.stripLeading().startsWith("#"))
                        .collect(Collectors.joining("\n"));
            } catch (IOException | RuntimeException e) {
                return "";
            }
        });
        return text.contains(field);
    }

    boolean judgeable(Object value) {
        return !textual || !String.valueOf(value).contains(TemplateText.UNKNOWN);
    }

    static Finding finding(String check, Severity severity, RenderedObject object, int line, String message,
                                   String remediation) {
        return finding(null, check, severity, object, line, message, remediation);
    }

    /**
     * A finding, about one container of the object when {@code container} is given (so that an ignore annotation
     * limited to containers, or a config ignore naming one, can tell it apart), with the object's ignore
     * annotation applied.
     */
    static Finding finding(String container, String check, Severity severity, RenderedObject object,
                                   int line, String message, String remediation) {
        Finding f = Finding.of(check, severity, object.ref(), object.document().file(), Math.max(0, line), message,
                remediation).withContainer(container);
        return IgnoreAnnotations.apply(f, object.manifest());
    }
}
