package io.asyncsidecar.controlplane.plugins.keda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.checks.IgnoreAnnotations;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.kit.checks.Quantities;
import io.asyncsidecar.controlplane.kit.checks.Workloads;
import io.asyncsidecar.controlplane.kit.checks.WorkspaceManifests;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

/**
 * Reads the KEDA objects of the rendered chart and the raw manifests, and checks them the way KEDA's
 * admission webhook (keda/apis/keda/v1alpha1/scaledobject_webhook.go, scaledjob_webhook.go) would, offline:
 * the scale target must exist among the objects, no second ScaledObject or HPA may scale it, trigger names are
 * unique, CPU/memory triggers need a request or limit of their resource on the target's containers (or a
 * Container LimitRange default in the namespace) and forbid scaling to zero on their own, replica bounds are
 * ordered, and fallback needs a trigger other than cpu/memory. On top of the webhook: referenced
 * TriggerAuthentications exist, Prometheus triggers are complete, and retired APIs and identity providers are
 * flagged. A {@link TriggerProbe} may try each prometheus trigger against real metrics ({@link TriggerDryRun}).
 */
final class KedaScan {

    static final String TARGET_EXISTS = "keda.target-exists";
    static final String SINGLE_SCALER = "keda.single-scaler-per-target";
    static final String TRIGGER_NAMES_UNIQUE = "keda.trigger-names-unique";
    static final String TRIGGERS_PRESENT = "keda.triggers-present";
    static final String RESOURCE_REQUESTS = "keda.cpu-memory-requests";
    static final String SCALE_TO_ZERO = "keda.cpu-memory-min-replicas";
    static final String REPLICA_BOUNDS = "keda.replica-bounds";
    static final String CACHED_METRICS = "keda.cached-metrics-supported";
    static final String FALLBACK = "keda.fallback-valid";
    static final String AUTH_EXISTS = "keda.trigger-auth-exists";
    static final String PROMETHEUS = "keda.prometheus-trigger";
    static final String DEPRECATED_API = "keda.deprecated-api";
    static final String POD_IDENTITY = "keda.pod-identity-provider";
    static final String NO_DATA = "keda.trigger-no-data";
    static final String NOT_EXPORTED = "keda.trigger-metric-not-exported";

    static final List<CheckRule> RULES = WorkspaceManifests.withReadingRules(List.of(
            new CheckRule(TARGET_EXISTS, Severity.ERROR, "the ScaledObject's scale target is among the deployed objects"),
            new CheckRule(SINGLE_SCALER, Severity.ERROR, "no other ScaledObject or HPA scales the same workload"),
            new CheckRule(TRIGGER_NAMES_UNIQUE, Severity.ERROR, "trigger names are unique within a scaler"),
            new CheckRule(TRIGGERS_PRESENT, Severity.ERROR, "a scaler has at least one trigger"),
            new CheckRule(RESOURCE_REQUESTS, Severity.ERROR,
                    "cpu/memory triggers of a ScaledObject scaling an apps/v1 Deployment or StatefulSet have a request"
                            + " or limit of that resource on each container (or the trigger's containerName), or a"
                            + " Container LimitRange default for it in the namespace"),
            new CheckRule(SCALE_TO_ZERO, Severity.ERROR,
                    "minReplicaCount is above 0 when cpu/memory are the only triggers"),
            new CheckRule(REPLICA_BOUNDS, Severity.ERROR, "idleReplicaCount < minReplicaCount <= maxReplicaCount"),
            new CheckRule(CACHED_METRICS, Severity.ERROR, "useCachedMetrics is not set on cpu, memory or cron triggers"),
            new CheckRule(FALLBACK, Severity.ERROR,
                    "fallback has non-negative values, at least one trigger other than cpu and memory unless"
                            + " scalingModifiers are used, and behavior scalingModifiers only with a formula"),
            new CheckRule(AUTH_EXISTS, Severity.ERROR, "a trigger's authenticationRef names an existing"
                    + " TriggerAuthentication or ClusterTriggerAuthentication"),
            new CheckRule(PROMETHEUS, Severity.ERROR, "prometheus triggers have serverAddress, query and a numeric"
                    + " threshold; tried against a Prometheus, the query runs and returns one series of an instant"
                    + " vector, as KEDA's scaler needs"),
            new CheckRule(NO_DATA, Severity.ERROR, "tried against a Prometheus, a prometheus trigger's query returns"
                    + " data (a warning when ignoreNullValues or a fallback makes an empty result expected)"),
            new CheckRule(NOT_EXPORTED, Severity.ERROR, "every metric a prometheus trigger's query selects is exposed"
                    + " by the scale target, where its metrics endpoint or a recorded exposition is configured"),
            new CheckRule(DEPRECATED_API, Severity.WARNING, "KEDA objects use keda.sh/v1alpha1, not keda.k8s.io"),
            new CheckRule(POD_IDENTITY, Severity.WARNING, "TriggerAuthentications use a pod identity provider KEDA"
                    + " still supports")));

    private static final Set<String> RESOURCE_TRIGGERS = Set.of("cpu", "memory");
    private static final Set<String> NO_CACHED_METRICS = Set.of("cpu", "memory", "cron");
    /** Removed in KEDA 2.15 with AAD Pod Identity and kiam. */
    private static final Set<String> RETIRED_PROVIDERS = Set.of("azure", "aws-kiam");

    private final List<YamlDocument> objects = new ArrayList<>();
    private final Map<YamlDocument, String> origins = new LinkedHashMap<>();
    private final List<Finding> findings = new ArrayList<>();
    private final TriggerProbe probe;

    /**
     * Scans the chart's objects and raw manifests together (a ScaledObject in a raw file may target a chart
     * Deployment and the other way round), from the manifests alone.
     *
     * @param chart     the rendered chart, or null when no chart is configured
     * @param manifests raw manifest documents
     */
    KedaScan(RenderedChart chart, List<YamlDocument> manifests) {
        this(chart, manifests, TriggerProbe.NONE);
    }

    /**
     * Scans, and asks {@code probe} about every prometheus trigger (its dry run).
     *
     * @param chart     the rendered chart, or null when no chart is configured
     * @param manifests raw manifest documents
     * @param probe     what to ask about prometheus triggers
     */
    KedaScan(RenderedChart chart, List<YamlDocument> manifests, TriggerProbe probe) {
        this.probe = probe;
        if (chart != null) {
            for (YamlDocument d : chart.objects()) {
                objects.add(d);
                origins.put(d, "chart");
            }
        }
        for (YamlDocument d : manifests) {
            if (d.isKubernetesObject()) {
                objects.add(d);
                origins.put(d, "manifest");
            }
        }
    }

    /** The scan's result: the parsed objects as JSON and the findings. */
    record Result(List<Map<String, Object>> scaledObjects, List<Map<String, Object>> scaledJobs,
                  List<Map<String, Object>> triggerAuthentications, List<Finding> findings) {
    }

    Result run() {
        List<Scaler> scalers = new ArrayList<>();
        List<YamlDocument> auths = new ArrayList<>();
        for (YamlDocument d : objects) {
            if (!isKeda(d)) {
                continue;
            }
            switch (String.valueOf(d.map().get("kind"))) {
                case "ScaledObject", "ScaledJob" -> scalers.add(new Scaler(d, origins.get(d)));
                case "TriggerAuthentication", "ClusterTriggerAuthentication" -> auths.add(d);
                default -> {
                    // CloudEventSource and other KEDA kinds are not scalers
                }
            }
        }
        List<Map<String, Object>> scaledObjects = new ArrayList<>();
        List<Map<String, Object>> scaledJobs = new ArrayList<>();
        for (Scaler s : scalers) {
            List<Finding> own = new ArrayList<>();
            Map<String, Object> json = check(s, scalers, auths, own);
            own.forEach(f -> findings.add(IgnoreAnnotations.apply(f, s.manifest())));
            (s.isJob() ? scaledJobs : scaledObjects).add(json);
        }
        List<Map<String, Object>> authJson = new ArrayList<>();
        for (YamlDocument a : auths) {
            authJson.add(authentication(a));
        }
        return new Result(scaledObjects, scaledJobs, authJson, List.copyOf(findings));
    }

    private static boolean isKeda(YamlDocument d) {
        String api = String.valueOf(d.map().get("apiVersion"));
        return api.startsWith("keda.sh/") || api.startsWith(Scaler.OLD_API_GROUP);
    }

    private Map<String, Object> check(Scaler s, List<Scaler> scalers, List<YamlDocument> auths, List<Finding> out) {
        ObjectRef ref = s.ref();
        YamlDocument doc = s.document();
        String file = doc.file();
        Map<String, Object> spec = s.spec();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", ref.kind());
        json.put("apiVersion", ref.apiVersion());
        json.put("name", ref.name());
        json.put("namespace", ref.namespace());
        json.put("origin", s.origin());
        json.put("file", file);
        json.put("line", doc.line());
        json.put("deprecated_api", s.deprecatedApi());

        if (s.deprecatedApi()) {
            out.add(Finding.of(DEPRECATED_API, Severity.WARNING, ref, file, doc.lineOf(doc.map(), "apiVersion"),
                    ref.display() + " uses " + ref.apiVersion() + ", the KEDA v1 API that KEDA 2 no longer serves",
                    "Migrate to keda.sh/v1alpha1 (scaleTargetRef.deploymentName becomes scaleTargetRef.name)."));
        }

        YamlDocument targetDoc = null;
        if (!s.isJob()) {
            Optional<ObjectRef> target = s.target();
            Map<String, Object> t = new LinkedHashMap<>();
            if (target.isEmpty()) {
                out.add(Finding.of(TARGET_EXISTS, Severity.ERROR, ref, file, doc.lineOf(spec, "scaleTargetRef"),
                        ref.display() + " has no scaleTargetRef.name", "Name the Deployment or StatefulSet to scale."));
            } else {
                ObjectRef tr = target.get();
                t.put("apiVersion", tr.apiVersion());
                t.put("kind", tr.kind());
                t.put("name", tr.name());
                targetDoc = objects.stream().filter(o -> Workloads.isTarget(tr, o.map())).findFirst().orElse(null);
                t.put("exists", targetDoc != null);
                if (targetDoc == null) {
                    out.add(Finding.of(TARGET_EXISTS, Severity.ERROR, ref, file,
                            doc.lineOf(ManifestValues.map(spec, "scaleTargetRef"), "name"),
                            ref.display() + " scales " + tr.kind() + "/" + tr.name() + ", which is not among the "
                                    + objects.size() + " objects checked; KEDA would not find it either",
                            "Fix scaleTargetRef (apiVersion, kind, name) or deploy the target with the chart."));
                } else {
                    t.put("file", targetDoc.file());
                }
                checkSingleScaler(s, tr, scalers, out);
            }
            json.put("target", t);
        } else {
            json.put("job_containers", ManifestValues.maps(spec, "jobTargetRef", "template", "spec", "containers")
                    .stream().map(c -> c.get("name")).toList());
        }

        json.put("minReplicaCount", s.minReplicas());
        json.put("idleReplicaCount", s.idleReplicas().orElse(null));
        json.put("maxReplicaCount", s.maxReplicas());
        json.put("pollingInterval", ManifestValues.integer(spec, "pollingInterval")
                .orElse(Scaler.DEFAULT_POLLING_INTERVAL));
        if (!s.isJob()) {
            json.put("cooldownPeriod", ManifestValues.integer(spec, "cooldownPeriod")
                    .orElse(Scaler.DEFAULT_COOLDOWN_PERIOD));
        }
        checkReplicaBounds(s, out);

        List<Map<String, Object>> triggers = s.triggers();
        if (triggers.isEmpty()) {
            out.add(Finding.of(TRIGGERS_PRESENT, Severity.ERROR, ref, file, doc.lineOf(spec, "triggers"),
                    ref.display() + " has no triggers", "Add at least one trigger; KEDA's CRD requires one."));
        }
        List<Map<String, Object>> triggerJson = new ArrayList<>();
        Map<String, Integer> seenNames = new LinkedHashMap<>();
        for (Map<String, Object> trigger : triggers) {
            triggerJson.add(checkTrigger(s, targetDoc, trigger, auths, seenNames, out));
        }
        json.put("triggers", triggerJson);

        if (!s.isJob()) {
            checkResourceTriggers(s, targetDoc, out);
            json.put("fallback", checkFallback(s, out));
        }
        return json;
    }

    private void checkSingleScaler(Scaler s, ObjectRef target, List<Scaler> scalers, List<Finding> out) {
        YamlDocument doc = s.document();
        int line = doc.lineOf(ManifestValues.map(s.spec(), "scaleTargetRef"), "name");
        for (Scaler other : scalers) {
            if (other == s) {
                break; // the first scaler of a workload is admitted; each later one is refused
            }
            if (!other.isJob() && other.target().filter(t -> sameTarget(t, target)).isPresent()) {
                out.add(Finding.of(SINGLE_SCALER, Severity.ERROR, s.ref(), doc.file(), line,
                        "the workload '" + target.name() + "' of type '" + target.kind() + "' is already managed by"
                                + " the ScaledObject '" + other.ref().name() + "' (" + other.document().file() + ")",
                        "Keep one ScaledObject per workload; merge the triggers into it."));
                break;
            }
        }
        String ownHpa = "keda-hpa-" + s.ref().name();
        for (YamlDocument o : objects) {
            if ("HorizontalPodAutoscaler".equals(o.map().get("kind"))
                    && !ownHpa.equals(o.ref().name())
                    && Workloads.scaleTarget(o.map()).filter(t -> sameTarget(t, target)).isPresent()) {
                out.add(Finding.of(SINGLE_SCALER, Severity.ERROR, s.ref(), doc.file(), line,
                        "the workload '" + target.name() + "' of type '" + target.kind() + "' is already managed by"
                                + " the hpa '" + o.ref().name() + "' (" + o.file() + ")",
                        "Remove the HPA (KEDA creates and owns its own), or set the ScaledObject's"
                                + " scaledobject.keda.sh/transfer-hpa-ownership annotation to adopt it."));
            }
        }
    }

    private static boolean sameTarget(ObjectRef a, ObjectRef b) {
        return a.kind().equals(b.kind()) && a.name().equals(b.name())
                && (a.namespace() == null || b.namespace() == null || a.namespace().equals(b.namespace()));
    }

    private static void checkReplicaBounds(Scaler s, List<Finding> out) {
        YamlDocument doc = s.document();
        long min = s.minReplicas();
        long max = s.maxReplicas();
        if (min > max) {
            out.add(Finding.of(REPLICA_BOUNDS, Severity.ERROR, s.ref(), doc.file(),
                    doc.lineOf(s.spec(), "minReplicaCount"),
                    "MinReplicaCount=" + min + " must be less than MaxReplicaCount=" + max,
                    "Lower minReplicaCount or raise maxReplicaCount."));
        }
        if (!s.isJob() && s.idleReplicas().isPresent() && s.idleReplicas().get() >= min) {
            out.add(Finding.of(REPLICA_BOUNDS, Severity.ERROR, s.ref(), doc.file(),
                    doc.lineOf(s.spec(), "idleReplicaCount"),
                    "IdleReplicaCount=" + s.idleReplicas().get() + " must be less than MinReplicaCount=" + min,
                    "idleReplicaCount only makes sense below minReplicaCount (usually 0 with minReplicaCount >= 1)."));
        }
    }

    private Map<String, Object> checkTrigger(Scaler s, YamlDocument target, Map<String, Object> trigger,
                                             List<YamlDocument> auths, Map<String, Integer> seenNames,
                                             List<Finding> out) {
        YamlDocument doc = s.document();
        ObjectRef ref = s.ref();
        String type = String.valueOf(trigger.get("type")).toLowerCase(Locale.ROOT);
        String name = ManifestValues.string(trigger, "name");
        Map<String, Object> metadata = ManifestValues.map(trigger, "metadata");
        int line = doc.lineOf(trigger);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", trigger.get("type"));
        json.put("name", name);
        json.put("metricType", ManifestValues.string(trigger, "metricType"));
        json.put("metadata", TriggerMetadata.masked(metadata));
        List<String> secrets = new ArrayList<>(TriggerMetadata.envReferences(metadata));

        if (name != null && !name.isBlank()) {
            Integer first = seenNames.putIfAbsent(name, line);
            if (first != null) {
                out.add(Finding.of(TRIGGER_NAMES_UNIQUE, Severity.ERROR, ref, doc.file(), line,
                        "triggerName \"" + name + "\" is defined multiple times in " + ref.display()
                                + " (first at line " + first + "), but it must be unique",
                        "Rename one of the triggers."));
            }
        }
        if (ManifestValues.bool(trigger, "useCachedMetrics").orElse(false) && NO_CACHED_METRICS.contains(type)) {
            out.add(Finding.of(CACHED_METRICS, Severity.ERROR, ref, doc.file(), doc.lineOf(trigger, "useCachedMetrics"),
                    "property \"useCachedMetrics\" is not supported for \"" + type + "\" scaler",
                    "Remove useCachedMetrics from this trigger."));
        }
        PrometheusTrigger prometheus = type.equals("prometheus")
                ? checkPrometheus(s, target, trigger, metadata, json, out) : null;

        Map<String, Object> authRef = ManifestValues.map(trigger, "authenticationRef");
        if (!authRef.isEmpty()) {
            String authName = ManifestValues.string(authRef, "name");
            String authKind = Optional.ofNullable(ManifestValues.string(authRef, "kind")).orElse("TriggerAuthentication");
            Optional<YamlDocument> auth = auths.stream()
                    .filter(a -> authKind.equals(a.map().get("kind")) && authName != null
                            && authName.equals(a.ref().name())
                            && (authKind.equals("ClusterTriggerAuthentication") || sameNamespace(a.ref(), ref)))
                    .findFirst();
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("kind", authKind);
            a.put("name", authName);
            a.put("exists", auth.isPresent());
            json.put("authenticationRef", a);
            secrets.add(authKind + "/" + authName);
            auth.ifPresent(d -> secrets.addAll(secretReferences(d)));
            if (auth.isEmpty()) {
                out.add(Finding.of(AUTH_EXISTS, Severity.ERROR, ref, doc.file(), doc.lineOf(authRef, "name"),
                        "trigger " + (name == null ? type : "'" + name + "'") + " of " + ref.display()
                                + " authenticates with " + authKind + " '" + authName + "', which is not among the"
                                + " checked objects",
                        "Deploy the " + authKind + " beside the scaler, or fix authenticationRef.name/kind."));
            }
        }
        json.put("secrets_referenced", secrets);
        if (prometheus != null) {
            json.putAll(probe.probe(prometheus, out));
        }
        return json;
    }

    private static boolean sameNamespace(ObjectRef a, ObjectRef b) {
        return a.namespace() == null || b.namespace() == null || a.namespace().equals(b.namespace());
    }

    private static PrometheusTrigger checkPrometheus(Scaler s, YamlDocument target, Map<String, Object> trigger,
                                                     Map<String, Object> metadata, Map<String, Object> json,
                                                     List<Finding> out) {
        List<String> metrics = List.of();
        String queryProblem = null;
        YamlDocument doc = s.document();
        List<String> problems = new ArrayList<>();
        for (String required : List.of("serverAddress", "query")) {
            String v = ManifestValues.string(metadata, required);
            if (v == null || v.isBlank()) {
                problems.add("no " + required);
            }
        }
        String query = ManifestValues.string(metadata, "query");
        if (query != null && !query.isBlank()) {
            try {
                PromQlSelectors selectors = PromQlSelectors.of(query);
                metrics = selectors.names();
                json.put("query_metrics", selectors.names());
                if (!selectors.nameRegexes().isEmpty()) {
                    json.put("query_metric_patterns", selectors.nameRegexes());
                }
            } catch (IllegalArgumentException e) {
                queryProblem = e.getMessage();
                problems.add("the query does not read as PromQL (" + e.getMessage() + ")");
            }
        }
        String threshold = ManifestValues.string(metadata, "threshold");
        if (threshold == null || threshold.isBlank()) {
            problems.add("no threshold");
        } else if (!numeric(threshold)) {
            problems.add("threshold '" + threshold + "' is not a number");
        }
        String activation = ManifestValues.string(metadata, "activationThreshold");
        if (activation != null && !numeric(activation)) {
            problems.add("activationThreshold '" + activation + "' is not a number");
        }
        if (!problems.isEmpty()) {
            out.add(Finding.of(PROMETHEUS, Severity.ERROR, s.ref(), doc.file(), doc.lineOf(trigger, "metadata"),
                    "prometheus trigger of " + s.ref().display() + ": " + String.join(", ", problems),
                    "Set metadata.serverAddress, a PromQL metadata.query and a numeric metadata.threshold."));
        }
        return new PrometheusTrigger(s, target, trigger, metrics, Optional.ofNullable(queryProblem));
    }

    private static boolean numeric(String s) {
        try {
            Double.parseDouble(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * KEDA's verifyCPUMemoryScalers (scaledobject_webhook.go, KEDA v2.13 to v2.20): for a ScaledObject scaling an
     * apps/v1 Deployment or StatefulSet, every container ({@code spec.template.spec.containers}, narrowed by the
     * trigger's containerName) needs a request or a limit of the trigger's resource above 0
     * ({@code isWorkloadResourceSet}), unless a LimitRange in the namespace has an item of type Container whose
     * {@code default} or {@code defaultRequest} sets it above 0 ({@code isContainerResourceLimitSet}). Other target
     * kinds are not checked.
     */
    private void checkResourceTriggers(Scaler s, YamlDocument target, List<Finding> out) {
        YamlDocument doc = s.document();
        List<Map<String, Object>> triggers = s.triggers();
        List<Map<String, Object>> resourceTriggers = triggers.stream()
                .filter(t -> RESOURCE_TRIGGERS.contains(String.valueOf(t.get("type")).toLowerCase(Locale.ROOT)))
                .toList();
        if (resourceTriggers.isEmpty()) {
            return;
        }
        if (resourceTriggers.size() == triggers.size() && s.minReplicas() == 0) {
            out.add(Finding.of(SCALE_TO_ZERO, Severity.ERROR, s.ref(), doc.file(),
                    doc.lineOf(s.spec(), s.spec().containsKey("minReplicaCount") ? "minReplicaCount" : "triggers"),
                    "scaledobject.spec.minReplicaCount must be greater than 0: " + s.ref().display()
                            + " has only cpu/memory triggers, which cannot wake a workload from zero",
                    "Set minReplicaCount: 1 or add an event trigger."));
        }
        if (target == null || s.target().filter(KedaScan::resourceCheckedTarget).isEmpty()) {
            return;
        }
        Optional<Map<String, Object>> podSpec = Workloads.podSpec(target.map());
        if (podSpec.isEmpty()) {
            return;
        }
        for (Map<String, Object> trigger : resourceTriggers) {
            String resource = String.valueOf(trigger.get("type")).toLowerCase(Locale.ROOT);
            String containerName = ManifestValues.string(trigger, "metadata", "containerName");
            if (limitRangeDefault(s.ref(), resource)) {
                continue;
            }
            for (Map<String, Object> c : ManifestValues.maps(podSpec.get(), "containers")) {
                if (containerName != null && !containerName.isEmpty() && !containerName.equals(c.get("name"))) {
                    continue;
                }
                String request = ManifestValues.string(c, "resources", "requests", resource);
                String limit = ManifestValues.string(c, "resources", "limits", resource);
                if (positive(request) || positive(limit)) {
                    continue;
                }
                String namespace = s.ref().namespace() == null ? "the scaler's namespace"
                        : "namespace " + s.ref().namespace();
                out.add(Finding.of(RESOURCE_REQUESTS, Severity.ERROR, s.ref(), doc.file(), doc.lineOf(trigger),
                        "the scaledobject has a " + resource + " trigger but the container " + c.get("name")
                                + " of " + target.ref().display() + " doesn't have the " + resource
                                + " request defined (resources.requests." + resource + ": " + shown(request)
                                + ", resources.limits." + resource + ": " + shown(limit) + "; no LimitRange of type"
                                + " Container in " + namespace + " defaults " + resource + ")",
                        "Set resources.requests." + resource + " (or resources.limits." + resource + ") above 0 on"
                                + " container " + c.get("name") + ", or deploy a LimitRange whose type Container item"
                                + " sets default/defaultRequest " + resource + "; utilization is computed against"
                                + " the request.").withContainer(ManifestValues.string(c, "name")));
            }
        }
    }

    /** The targets verifyCPUMemoryScalers reads a pod spec from; it lets every other kind through. */
    private static boolean resourceCheckedTarget(ObjectRef target) {
        return "apps/v1".equals(target.apiVersion())
                && ("Deployment".equals(target.kind()) || "StatefulSet".equals(target.kind()));
    }

    /** Whether a LimitRange beside the scaler gives containers a default limit or request of the resource. */
    private boolean limitRangeDefault(ObjectRef scaler, String resource) {
        for (YamlDocument o : objects) {
            if (!"LimitRange".equals(o.map().get("kind")) || !sameNamespace(o.ref(), scaler)) {
                continue;
            }
            for (Map<String, Object> item : ManifestValues.maps(o.map(), "spec", "limits")) {
                if ("Container".equals(ManifestValues.string(item, "type"))
                        && (positive(ManifestValues.string(item, "default", resource))
                        || positive(ManifestValues.string(item, "defaultRequest", resource)))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A quantity above 0, as KEDA's {@code AsApproximateFloat64() > 0}. A value that is not a quantity counts as
     * set: the API server refuses the workload or LimitRange for it before KEDA looks.
     */
    private static boolean positive(String quantity) {
        if (quantity == null) {
            return false;
        }
        return Quantities.parse(quantity).map(q -> q.signum() > 0).orElse(true);
    }

    private static String shown(String value) {
        return value == null ? "unset" : value;
    }

    /**
     * KEDA's CheckFallbackValid (scaledobject_types.go) as of v2.18 (unchanged to v2.20): failureThreshold and
     * replicas are not negative, and unless spec.advanced.scalingModifiers is set, at least one trigger is neither
     * cpu nor memory, whatever its metricType (v2.17 still wanted one such trigger with metricType AverageValue;
     * before v2.17 every trigger had to be a non-cpu/memory AverageValue one). Plus, since v2.20,
     * verifyScaledObjects' refusal of fallback behavior scalingModifiers without scalingModifiers.formula.
     */
    private static Map<String, Object> checkFallback(Scaler s, List<Finding> out) {
        Map<String, Object> fallback = ManifestValues.map(s.spec(), "fallback");
        if (fallback.isEmpty()) {
            return null;
        }
        YamlDocument doc = s.document();
        Map<String, Object> json = new LinkedHashMap<>();
        Optional<Long> threshold = ManifestValues.integer(fallback, "failureThreshold");
        Optional<Long> replicas = ManifestValues.integer(fallback, "replicas");
        String behavior = ManifestValues.string(fallback, "behavior");
        json.put("failureThreshold", threshold.orElse(null));
        json.put("replicas", replicas.orElse(null));
        int line = doc.lineOf(s.spec(), "fallback");
        if (threshold.orElse(0L) < 0 || replicas.orElse(0L) < 0) {
            out.add(Finding.of(FALLBACK, Severity.ERROR, s.ref(), doc.file(), line,
                    "FailureThreshold=" + threshold.orElse(null) + " or Replicas=" + replicas.orElse(null)
                            + " of the fallback is negative; both must be greater than or equal to 0",
                    "Use non-negative fallback values."));
        }
        Map<String, Object> modifiers = ManifestValues.map(s.spec(), "advanced", "scalingModifiers");
        boolean usingModifiers = modifiers.values().stream()
                .anyMatch(v -> v != null && !String.valueOf(v).isEmpty());
        if (!usingModifiers) {
            List<String> types = s.triggers().stream().map(t -> String.valueOf(t.get("type"))).toList();
            boolean other = types.stream().anyMatch(t -> !RESOURCE_TRIGGERS.contains(t.toLowerCase(Locale.ROOT)));
            if (!other && !types.isEmpty()) {
                out.add(Finding.of(FALLBACK, Severity.ERROR, s.ref(), doc.file(), line,
                        "fallback is set but the triggers of " + s.ref().display() + " are only "
                                + String.join(", ", types) + "; KEDA needs at least one trigger that is not cpu or"
                                + " memory for the fallback to be enabled",
                        "Add a trigger of another type (any metricType), use spec.advanced.scalingModifiers, or"
                                + " remove fallback."));
            }
        }
        String formula = ManifestValues.string(modifiers, "formula");
        if ("scalingModifiers".equals(behavior) && (formula == null || formula.isBlank())) {
            out.add(Finding.of(FALLBACK, Severity.ERROR, s.ref(), doc.file(), doc.lineOf(fallback, "behavior"),
                    "fallback behavior is scalingModifiers but " + s.ref().display() + " has no"
                            + " spec.advanced.scalingModifiers.formula; scalingModifiers fallback behavior requires"
                            + " scalingModifiers.formula to be defined",
                    "Define spec.advanced.scalingModifiers.formula (and target), or use another fallback behavior"
                            + " (static, currentReplicas, currentReplicasIfHigher, currentReplicasIfLower)."));
        }
        return json;
    }

    private Map<String, Object> authentication(YamlDocument a) {
        ObjectRef ref = a.ref();
        Map<String, Object> spec = ManifestValues.map(a.map(), "spec");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", ref.kind());
        json.put("name", ref.name());
        json.put("namespace", ref.namespace());
        json.put("origin", origins.get(a));
        json.put("file", a.file());
        json.put("line", a.line());
        json.put("secrets_referenced", secretReferences(a));
        String provider = ManifestValues.string(spec, "podIdentity", "provider");
        json.put("podIdentity", provider);
        List<String> kinds = new ArrayList<>();
        for (String k : List.of("secretTargetRef", "env", "configMapTargetRef", "hashiCorpVault", "azureKeyVault",
                "awsSecretManager", "gcpSecretManager", "boundServiceAccountToken", "podIdentity")) {
            if (spec.containsKey(k)) {
                kinds.add(k);
            }
        }
        json.put("sources", kinds);
        if (provider != null && RETIRED_PROVIDERS.contains(provider)) {
            Finding f = Finding.of(POD_IDENTITY, Severity.WARNING, ref, a.file(),
                    a.lineOf(ManifestValues.map(spec, "podIdentity"), "provider"),
                    ref.display() + " uses podIdentity provider '" + provider + "', which KEDA removed in v2.15",
                    provider.equals("azure") ? "Use provider azure-workload (Microsoft Entra Workload ID)."
                            : "Use provider aws (EKS Pod Identity or IRSA).");
            findings.add(IgnoreAnnotations.apply(f, a.map()));
        }
        return json;
    }

    /** Names of the secrets and variables a TriggerAuthentication reads, never their values. */
    private static List<String> secretReferences(YamlDocument auth) {
        Map<String, Object> spec = ManifestValues.map(auth.map(), "spec");
        List<String> refs = new ArrayList<>();
        for (Map<String, Object> s : ManifestValues.maps(spec, "secretTargetRef")) {
            refs.add("secret:" + s.get("name") + "/" + s.get("key"));
        }
        for (Map<String, Object> e : ManifestValues.maps(spec, "env")) {
            refs.add("env:" + e.get("name"));
        }
        for (Map<String, Object> s : ManifestValues.maps(spec, "hashiCorpVault", "secrets")) {
            refs.add("vault:" + s.get("path") + "#" + s.get("key"));
        }
        for (Map<String, Object> s : ManifestValues.maps(spec, "azureKeyVault", "secrets")) {
            refs.add("azure-key-vault:" + s.get("name"));
        }
        return refs;
    }
}
