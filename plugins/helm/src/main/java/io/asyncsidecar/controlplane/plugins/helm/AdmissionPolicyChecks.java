package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.ConfigLists;
import io.asyncsidecar.controlplane.kit.cel.CelEvaluator;
import io.asyncsidecar.controlplane.kit.cel.CelExpression;
import io.asyncsidecar.controlplane.kit.cel.CelResult;
import io.asyncsidecar.controlplane.kit.checks.IgnoreAnnotations;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.kit.checks.WorkspaceManifests;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;
import io.helidon.config.Config;

/**
 * The {@code helm.admission-policy} check: the chart's objects against the ValidatingAdmissionPolicies the
 * cluster will enforce ({@code admissionregistration.k8s.io/v1} and {@code v1beta1}), offline, as a
 * {@code CREATE} of each object. Policies, bindings, parameter objects and Namespaces come from the folders and
 * files of {@code plugins.helm.admission-policies} (workspace-relative, or absolute folders of the operator's) and from the chart's own objects.
 *
 * <p>Only bound policies apply: per binding, an object is judged when the policy's {@link Matching
 * matchConstraints} and the binding's {@code matchResources} select it, then its {@code matchConditions} hold;
 * {@code variables} are evaluated in order, then each validation. A failing validation is a finding whose
 * severity follows the binding's {@code validationActions} (Deny: error, Warn: warning, Audit: info); an
 * expression that fails to evaluate counts as failing unless the policy's {@code failurePolicy} is
 * {@code Ignore}. CEL sees {@code object}, {@code oldObject} (null), {@code request} (kind, resource, CREATE,
 * namespace, name), {@code params} and {@code namespaceObject} (the Namespace object when it is known, else null)
 * and {@code variables}; {@code authorizer} is not available offline.
 *
 * <p>What cannot be decided offline is an info finding instead of a guess: a policy without a binding, a
 * binding whose {@code paramRef} names parameters that are not among the objects read ("params not available
 * offline"), objects whose namespace's labels a {@code namespaceSelector} needs when that Namespace is not among
 * them, and validations using a library cel-java lacks.
 */
final class AdmissionPolicyChecks implements ObjectChecks {

    static final String ID = "helm.admission-policy";
    static final String KEY = "admission-policies";
    static final List<CheckRule> RULES = List.of(new CheckRule(ID, Severity.ERROR,
            "the chart's objects pass the ValidatingAdmissionPolicies bound in the cluster (from the chart and"
                    + " plugins.helm.admission-policies), evaluated offline as a CREATE"));

    private static final String GROUP = "admissionregistration.k8s.io/";
    private static final Set<String> API_VERSIONS = Set.of(GROUP + "v1", GROUP + "v1beta1");
    private static final String POLICY = "ValidatingAdmissionPolicy";
    private static final String BINDING = "ValidatingAdmissionPolicyBinding";

    private final List<String> paths;
    private final String releaseNamespace;
    private final List<String> crdFolders;
    private final CelEvaluator cel = CelEvaluator.create(List.of("object", "oldObject", "request", "params",
            "namespaceObject", "variables"));

    private AdmissionPolicyChecks(List<String> paths, String releaseNamespace, List<String> crdFolders) {
        this.paths = List.copyOf(paths);
        this.releaseNamespace = releaseNamespace;
        this.crdFolders = List.copyOf(crdFolders);
    }

    /**
     * The group as configured: {@code admission-policies} (workspace folders or files; a list or one
     * comma-separated string; default none), {@code namespace} (the release namespace objects without one land
     * in) and {@code crds} (for the plurals of custom resources).
     *
     * @param config the {@code plugins.helm} subtree
     * @return the group
     */
    static AdmissionPolicyChecks from(Config config) {
        return new AdmissionPolicyChecks(ConfigLists.strings(config.get(KEY), "plugins.helm." + KEY),
                config.get("namespace").asString().orElse("default"), CustomResourceSchemas.folders(config));
    }

    @Override
    public List<CheckRule> rules() {
        return RULES;
    }

    @Override
    public List<Finding> check(ChartUnderCheck chart) {
        List<Finding> findings = new ArrayList<>();
        List<Doc> files = new ArrayList<>();
        read(chart, files, findings);
        // A chart object's line costs its template alignment: only worth it when some policy is there to judge.
        boolean chartPolicies = chart.objects().stream()
                .anyMatch(o -> isAdmission(new Doc(o.manifest(), null, 0, o.ref(), o), POLICY));
        if (!chartPolicies && files.stream().noneMatch(d -> isAdmission(d, POLICY))) {
            return findings;
        }
        List<Doc> docs = new ArrayList<>();
        for (RenderedObject o : chart.objects()) {
            docs.add(new Doc(o.manifest(), o.document().file(), Math.max(0, o.line(o.manifest())), o.ref(), o));
        }
        docs.addAll(files);
        List<Doc> policies = docs.stream().filter(d -> isAdmission(d, POLICY)).toList();
        List<Doc> bindings = docs.stream().filter(d -> isAdmission(d, BINDING)).toList();
        Resources resources = new Resources(CustomResourceSchemas.of(chart, crdFolders));
        for (Doc policy : policies) {
            String name = policy.name();
            List<Doc> bound = bindings.stream()
                    .filter(b -> name.equals(ManifestValues.string(b.manifest(), "spec", "policyName"))).toList();
            if (bound.isEmpty()) {
                findings.add(about(policy, Severity.INFO, "admission policy " + name + " has no binding among the"
                                + " chart's objects and " + where() + ", so the cluster enforces nothing of it: not"
                                + " evaluated",
                        "Add its ValidatingAdmissionPolicyBinding beside it to check the chart against it."));
                continue;
            }
            for (Doc binding : bound) {
                new Evaluation(chart, policy, binding, docs, resources, findings).run();
            }
        }
        return findings;
    }

    private void read(ChartUnderCheck chart, List<Doc> docs, List<Finding> findings) {
        SafeYaml yaml = SafeYaml.create();
        for (String path : paths) {
            WorkspaceManifests files;
            try {
                // an absolute folder is the operator's (trusted config, like schemas.dir), read as its own root
                Path absolute = Path.of(path);
                files = absolute.isAbsolute()
                        ? WorkspaceManifests.load(absolute, "plugins.helm." + KEY, ".", yaml)
                        : WorkspaceManifests.load(chart.workspace(), "plugins.helm." + KEY, path, yaml);
            } catch (ProblemException e) {
                findings.add(Finding.of(ID, Severity.ERROR, null, path, 0, "cannot read admission policies from "
                        + path + ": " + e.getMessage(), "Point plugins.helm." + KEY + " at files or folders of"
                        + " the workspace."));
                continue;
            }
            for (Finding f : files.findings()) {
                findings.add(Finding.of(ID, Severity.ERROR, null, f.file(), f.line(), "admission policies: "
                        + f.message(), f.remediation()));
            }
            for (YamlDocument d : files.objects()) {
                docs.add(new Doc(d.map(), d.file(), d.line(), d.ref(), null));
            }
        }
    }

    private String where() {
        return paths.isEmpty() ? "plugins.helm." + KEY + " (none configured)" : String.join(", ", paths);
    }

    private static boolean isAdmission(Doc d, String kind) {
        return kind.equals(d.manifest().get("kind")) && API_VERSIONS.contains(d.manifest().get("apiVersion"));
    }

    private static Finding about(Doc d, Severity severity, String message, String remediation) {
        return IgnoreAnnotations.apply(Finding.of(ID, severity, d.ref(), d.file(), d.line(), message, remediation),
                d.manifest());
    }

    /**
     * An object read: one of the chart's, or a document of the configured policy files.
     *
     * @param manifest the object
     * @param file     its file, relative to the workspace
     * @param line     its first line
     * @param ref      its reference
     * @param rendered the chart object, or null for a document of the policy files
     */
    private record Doc(Map<String, Object> manifest, String file, int line, ObjectRef ref, RenderedObject rendered) {

        String name() {
            String n = ManifestValues.string(manifest, "metadata", "name");
            return n == null ? "" : n;
        }

        String namespace() {
            return ManifestValues.string(manifest, "metadata", "namespace");
        }

        Map<String, String> labels() {
            return ManifestValues.labels(manifest);
        }
    }

    /** One policy with one of its bindings over the chart's objects. */
    private final class Evaluation {

        private final ChartUnderCheck chart;
        private final Doc policy;
        private final Doc binding;
        private final List<Doc> docs;
        private final Resources resources;
        private final List<Finding> findings;
        private final Map<String, Object> spec;
        private final String policyName;
        private final String bindingName;
        private final boolean failOpen;

        Evaluation(ChartUnderCheck chart, Doc policy, Doc binding, List<Doc> docs, Resources resources,
                   List<Finding> findings) {
            this.chart = chart;
            this.policy = policy;
            this.binding = binding;
            this.docs = docs;
            this.resources = resources;
            this.findings = findings;
            this.spec = ManifestValues.map(policy.manifest(), "spec");
            this.policyName = policy.name();
            this.bindingName = binding.name();
            this.failOpen = "Ignore".equals(ManifestValues.string(spec, "failurePolicy"));
        }

        void run() {
            Severity severity = severity();
            if (severity == null) {
                findings.add(about(binding, Severity.INFO, "binding " + bindingName + " of admission policy "
                        + policyName + " has no validationActions (Deny, Warn, Audit): not evaluated",
                        "Set spec.validationActions, e.g. [Deny]."));
                return;
            }
            reportUnsupported();
            Map<String, Object> paramKind = ManifestValues.map(spec, "paramKind");
            Map<String, Object> bindingSpec = ManifestValues.map(binding.manifest(), "spec");
            Map<String, Object> paramRef = ManifestValues.map(bindingSpec, "paramRef");
            if (!paramKind.isEmpty() && paramRef.isEmpty()) {
                findings.add(about(binding, Severity.INFO, "admission policy " + policyName + " takes parameters ("
                        + ManifestValues.string(paramKind, "kind") + ") but binding " + bindingName + " sets no"
                        + " paramRef: not evaluated", "Set spec.paramRef on the binding."));
                return;
            }
            List<String> undecided = new ArrayList<>();
            Set<String> missingParams = new LinkedHashSet<>();
            for (RenderedObject o : chart.objects()) {
                if (!CelRuleChecks.judgeable(chart, o)) {
                    continue;
                }
                Target t = resources.target(o, releaseNamespace);
                Doc namespaceObject = t.namespace() == null ? null : namespace(t.namespace());
                Boolean matched = Matching.matches(ManifestValues.map(spec, "matchConstraints"), t, namespaceObject,
                        true);
                if (Boolean.TRUE.equals(matched) && bindingSpec.containsKey("matchResources")) {
                    matched = Matching.matches(ManifestValues.map(bindingSpec, "matchResources"), t,
                            namespaceObject, false);
                }
                if (matched == null) {
                    undecided.add(o.ref().display());
                    continue;
                }
                if (!matched) {
                    continue;
                }
                List<Map<String, Object>> params = paramKind.isEmpty() ? java.util.Collections.singletonList(null)
                        : params(paramKind, paramRef, t);
                if (params.isEmpty()) {
                    missingParams.add(ManifestValues.string(paramKind, "kind") + " " + paramRefText(paramRef));
                    continue;
                }
                for (Map<String, Object> p : params) {
                    evaluate(o, t, p, namespaceObject, severity);
                }
            }
            if (!missingParams.isEmpty()) {
                findings.add(about(binding, Severity.INFO, "admission policy " + policyName + " (binding "
                                + bindingName + "): params not available offline: " + String.join(", ", missingParams)
                                + " is not among the chart's objects and " + where() + ", so the policy was not"
                                + " evaluated",
                        "Add the parameter object to a folder of plugins.helm." + KEY + " to check against it."));
            }
            if (!undecided.isEmpty()) {
                findings.add(about(binding, Severity.INFO, "admission policy " + policyName + " (binding "
                                + bindingName + "): " + undecided.size() + " object(s) not judged, since a"
                                + " namespaceSelector needs the labels of a Namespace that is not among the objects"
                                + " read: " + String.join(", ", undecided.subList(0, Math.min(5, undecided.size())))
                                + (undecided.size() > 5 ? ", ..." : ""),
                        "Add the Namespace objects (with their labels) to a folder of plugins.helm." + KEY + "."));
            }
        }

        private void evaluate(RenderedObject o, Target t, Map<String, Object> params, Doc namespaceObject,
                              Severity severity) {
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("object", o.manifest());
            vars.put("oldObject", null);
            vars.put("request", t.request());
            vars.put("params", params);
            vars.put("namespaceObject", namespaceObject == null ? null : namespaceObject.manifest());
            vars.put("variables", Map.of());
            for (Map<String, Object> c : ManifestValues.maps(spec, "matchConditions")) {
                CelResult r = cel.compile(ManifestValues.string(c, "expression")).evaluate(vars);
                if (r.isFalse() || r.kind() == CelResult.Kind.NOT_EVALUATED || (!r.isTrue() && failOpen)) {
                    return;
                }
                if (!r.isTrue()) {
                    findings.add(violation(o, severity, "matchCondition " + ManifestValues.string(c, "name")
                            + " could not be evaluated (" + describe(r) + "), and failurePolicy is Fail",
                            ManifestValues.string(c, "expression")));
                    return;
                }
            }
            Map<String, Object> variables = new LinkedHashMap<>();
            for (Map<String, Object> v : ManifestValues.maps(spec, "variables")) {
                String name = ManifestValues.string(v, "name");
                vars.put("variables", Map.copyOf(variables));
                CelResult r = cel.compile(ManifestValues.string(v, "expression")).evaluate(vars);
                // an unusable variable stays unset: only an expression reading it fails, as with lazy variables
                if (name != null && r.hasValue() && r.value() != null) {
                    variables.put(name, r.value());
                }
            }
            vars.put("variables", variables);
            for (Map<String, Object> v : ManifestValues.maps(spec, "validations")) {
                String expression = ManifestValues.string(v, "expression");
                CelExpression compiled = cel.compile(expression);
                if (compiled.problem() != null && compiled.problem().kind() == CelResult.Kind.NOT_EVALUATED) {
                    continue; // reported once per binding by reportUnsupported
                }
                CelResult r = compiled.evaluate(vars);
                if (r.isTrue() || (!r.isFalse() && failOpen)) {
                    continue;
                }
                String message = r.isFalse() ? message(v, expression, vars)
                        : "the validation could not be evaluated (" + describe(r) + "), and failurePolicy is Fail";
                String reason = ManifestValues.string(v, "reason");
                findings.add(violation(o, severity, message + (reason == null ? "" : " (reason " + reason + ")"),
                        expression));
            }
        }

        private Finding violation(RenderedObject o, Severity severity, String message, String expression) {
            String verb = switch (severity) {
                case ERROR -> "is denied by";
                case WARNING -> "draws a warning from";
                case INFO -> "is audited by";
            };
            String text = o.ref().display() + " " + verb + " admission policy " + policyName + " (binding "
                    + bindingName + ", " + actions() + "): " + message;
            String remediation = "Change the object so " + expression + " holds, or agree an exception with the"
                    + " policy's owners (policy in " + policy.file() + (policy.line() > 0 ? ":" + policy.line() : "")
                    + ").";
            return IgnoreAnnotations.apply(Finding.of(ID, severity, o.ref(), o.document().file(),
                    Math.max(0, o.line(o.manifest())), text, remediation), o.manifest());
        }

        private String message(Map<String, Object> validation, String expression, Map<String, Object> vars) {
            String messageExpression = ManifestValues.string(validation, "messageExpression");
            if (messageExpression != null) {
                CelResult m = cel.compile(messageExpression).evaluate(vars);
                if (m.hasValue() && m.value() instanceof String s && !s.isBlank()) {
                    return s;
                }
            }
            String message = ManifestValues.string(validation, "message");
            return message != null && !message.isBlank() ? message : "failed expression: " + expression;
        }

        private void reportUnsupported() {
            for (Map<String, Object> v : ManifestValues.maps(spec, "validations")) {
                CelExpression compiled = cel.compile(ManifestValues.string(v, "expression"));
                if (compiled.problem() != null && compiled.problem().kind() == CelResult.Kind.NOT_EVALUATED) {
                    findings.add(about(policy, Severity.INFO, "admission policy " + policyName + ": validation "
                            + compiled.text() + " " + compiled.problem().message(), "Check it on a cluster,"
                            + " e.g. with kubectl apply --dry-run=server."));
                }
            }
        }

        private Severity severity() {
            List<String> actions = ManifestValues.list(binding.manifest(), "spec", "validationActions").stream()
                    .map(String::valueOf).toList();
            return actions.contains("Deny") ? Severity.ERROR : actions.contains("Warn") ? Severity.WARNING
                    : actions.contains("Audit") ? Severity.INFO : null;
        }

        private String actions() {
            return String.join("+", ManifestValues.list(binding.manifest(), "spec", "validationActions").stream()
                    .map(String::valueOf).toList());
        }

        private Doc namespace(String name) {
            return docs.stream().filter(d -> "Namespace".equals(d.manifest().get("kind")) && name.equals(d.name()))
                    .findFirst().orElse(null);
        }

        private List<Map<String, Object>> params(Map<String, Object> paramKind, Map<String, Object> paramRef,
                                                 Target t) {
            String apiVersion = ManifestValues.string(paramKind, "apiVersion");
            String kind = ManifestValues.string(paramKind, "kind");
            String name = ManifestValues.string(paramRef, "name");
            String namespace = ManifestValues.string(paramRef, "namespace");
            Map<String, Object> selector = ManifestValues.map(paramRef, "selector");
            List<Map<String, Object>> out = new ArrayList<>();
            for (Doc d : docs) {
                if (!kind.equals(d.manifest().get("kind")) || !apiVersion.equals(d.manifest().get("apiVersion"))) {
                    continue;
                }
                String ns = d.namespace();
                boolean nsOk = namespace != null ? namespace.equals(ns)
                        : ns == null || ns.isEmpty() || t.namespace() == null || ns.equals(t.namespace());
                boolean picked = name != null ? name.equals(d.name())
                        : paramRef.containsKey("selector") && Boolean.TRUE.equals(Matching.selects(selector,
                        d.labels()));
                if (nsOk && picked) {
                    out.add(d.manifest());
                }
            }
            return out;
        }

        private String paramRefText(Map<String, Object> paramRef) {
            String name = ManifestValues.string(paramRef, "name");
            String ns = ManifestValues.string(paramRef, "namespace");
            return (name != null ? "'" + name + "'" : "selected by " + ManifestValues.map(paramRef, "selector"))
                    + (ns != null ? " in namespace " + ns : "");
        }

        private String describe(CelResult r) {
            return r.hasValue() ? "it gave " + r.value() + ", not a boolean" : r.message();
        }
    }

    /**
     * The admission request an object's creation would be.
     *
     * @param group      the API group ("" for the core group)
     * @param version    the API version
     * @param kind       the kind
     * @param resource   the resource (plural)
     * @param namespace  the namespace, or null for a cluster-scoped object
     * @param name       the name
     * @param labels     its labels
     */
    record Target(String group, String version, String kind, String resource, String namespace, String name,
                  Map<String, String> labels) {

        Map<String, Object> request() {
            Map<String, Object> gvk = Map.of("group", group, "version", version, "kind", kind);
            Map<String, Object> gvr = Map.of("group", group, "version", version, "resource", resource);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("kind", gvk);
            r.put("resource", gvr);
            r.put("requestKind", gvk);
            r.put("requestResource", gvr);
            r.put("subResource", "");
            r.put("operation", "CREATE");
            r.put("name", name);
            r.put("namespace", namespace == null ? "" : namespace);
            r.put("userInfo", Map.of("username", "", "groups", List.of()));
            r.put("dryRun", false);
            return r;
        }
    }

    /** Kinds to resources: the built-in API's, CRDs' plurals, else Kubernetes' default pluralisation. */
    private static final class Resources {

        /** group/Kind of built-in kinds: plural, and whether the kind is cluster-scoped. */
        private static final Map<String, String> BUILT_IN = Map.ofEntries(
                Map.entry("/Pod", "pods"), Map.entry("/Service", "services"), Map.entry("/ConfigMap", "configmaps"),
                Map.entry("/Secret", "secrets"), Map.entry("/ServiceAccount", "serviceaccounts"),
                Map.entry("/PersistentVolumeClaim", "persistentvolumeclaims"),
                Map.entry("/PersistentVolume", "persistentvolumes!"), Map.entry("/Namespace", "namespaces!"),
                Map.entry("/Node", "nodes!"), Map.entry("/Endpoints", "endpoints"),
                Map.entry("/LimitRange", "limitranges"), Map.entry("/ResourceQuota", "resourcequotas"),
                Map.entry("/ReplicationController", "replicationcontrollers"),
                Map.entry("apps/Deployment", "deployments"), Map.entry("apps/StatefulSet", "statefulsets"),
                Map.entry("apps/DaemonSet", "daemonsets"), Map.entry("apps/ReplicaSet", "replicasets"),
                Map.entry("batch/Job", "jobs"), Map.entry("batch/CronJob", "cronjobs"),
                Map.entry("autoscaling/HorizontalPodAutoscaler", "horizontalpodautoscalers"),
                Map.entry("policy/PodDisruptionBudget", "poddisruptionbudgets"),
                Map.entry("networking.k8s.io/Ingress", "ingresses"),
                Map.entry("networking.k8s.io/IngressClass", "ingressclasses!"),
                Map.entry("networking.k8s.io/NetworkPolicy", "networkpolicies"),
                Map.entry("rbac.authorization.k8s.io/Role", "roles"),
                Map.entry("rbac.authorization.k8s.io/RoleBinding", "rolebindings"),
                Map.entry("rbac.authorization.k8s.io/ClusterRole", "clusterroles!"),
                Map.entry("rbac.authorization.k8s.io/ClusterRoleBinding", "clusterrolebindings!"),
                Map.entry("storage.k8s.io/StorageClass", "storageclasses!"),
                Map.entry("scheduling.k8s.io/PriorityClass", "priorityclasses!"),
                Map.entry("apiextensions.k8s.io/CustomResourceDefinition", "customresourcedefinitions!"),
                Map.entry("admissionregistration.k8s.io/ValidatingWebhookConfiguration",
                        "validatingwebhookconfigurations!"),
                Map.entry("admissionregistration.k8s.io/MutatingWebhookConfiguration",
                        "mutatingwebhookconfigurations!"),
                Map.entry("admissionregistration.k8s.io/ValidatingAdmissionPolicy", "validatingadmissionpolicies!"),
                Map.entry("admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
                        "validatingadmissionpolicybindings!"),
                Map.entry("apiregistration.k8s.io/APIService", "apiservices!"),
                Map.entry("coordination.k8s.io/Lease", "leases"),
                Map.entry("discovery.k8s.io/EndpointSlice", "endpointslices"));

        private final CustomResourceSchemas crds;

        Resources(CustomResourceSchemas crds) {
            this.crds = crds;
        }

        Target target(RenderedObject o, String releaseNamespace) {
            String apiVersion = String.valueOf(o.manifest().getOrDefault("apiVersion", ""));
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
            String kind = o.kind();
            String known = BUILT_IN.get(group + "/" + kind);
            String resource;
            boolean clusterScoped;
            if (known != null) {
                clusterScoped = known.endsWith("!");
                resource = clusterScoped ? known.substring(0, known.length() - 1) : known;
            } else {
                // a CRD's metadata.name is <plural>.<group>
                resource = crds.crd(group, kind).map(c -> c.name().endsWith("." + group)
                        ? c.name().substring(0, c.name().length() - group.length() - 1) : null)
                        .orElseGet(() -> plural(kind));
                clusterScoped = false;
            }
            String ns = o.namespace();
            String namespace = clusterScoped ? null : ns == null || ns.isEmpty() ? releaseNamespace : ns;
            return new Target(group, version, kind, resource, namespace, o.name(), ManifestValues.labels(o.manifest()));
        }

        /** Kubernetes' default pluralisation (the REST mapper's) for kinds no definition names. */
        static String plural(String kind) {
            String k = kind.toLowerCase(Locale.ROOT);
            if (k.endsWith("s")) {
                return k + "es";
            }
            if (k.endsWith("y") && k.length() > 1 && "aeiou".indexOf(k.charAt(k.length() - 2)) < 0) {
                return k.substring(0, k.length() - 1) + "ies";
            }
            return k + "s";
        }
    }

    /** matchConstraints / matchResources and label selectors, as far as they can be decided offline. */
    static final class Matching {

        private Matching() {
        }

        /**
         * Whether match criteria select an object.
         *
         * @param match           {@code matchConstraints} or {@code matchResources}
         * @param target          the object
         * @param namespaceObject its Namespace, when known
         * @param rulesRequired   true for a policy's constraints (no rules: nothing matches); false for a
         *                        binding's (no rules: whatever the policy matches)
         * @return true or false, or null when a namespaceSelector needs labels of an unknown Namespace
         */
        static Boolean matches(Map<String, Object> match, Target target, Doc namespaceObject, boolean rulesRequired) {
            List<Map<String, Object>> rules = ManifestValues.maps(match, "resourceRules");
            if (rules.isEmpty() ? rulesRequired : rules.stream().noneMatch(r -> rule(r, target))) {
                return false;
            }
            if (ManifestValues.maps(match, "excludeResourceRules").stream().anyMatch(r -> rule(r, target))) {
                return false;
            }
            if (!Boolean.TRUE.equals(selects(ManifestValues.map(match, "objectSelector"), target.labels()))) {
                return false;
            }
            Map<String, Object> nsSelector = ManifestValues.map(match, "namespaceSelector");
            if (nsSelector.isEmpty()) {
                return true;
            }
            if ("Namespace".equals(target.kind()) && target.group().isEmpty()) {
                return selects(nsSelector, target.labels());
            }
            if (target.namespace() == null) {
                return true; // cluster-scoped: a namespaceSelector does not apply
            }
            return namespaceObject == null ? null : selects(nsSelector, namespaceObject.labels());
        }

        private static boolean rule(Map<String, Object> r, Target t) {
            return has(r, "apiGroups", t.group()) && has(r, "apiVersions", t.version())
                    && has(r, "operations", "CREATE") && resource(r, t.resource())
                    && (ManifestValues.list(r, "resourceNames").isEmpty()
                    || ManifestValues.list(r, "resourceNames").contains(t.name()))
                    && scope(ManifestValues.string(r, "scope"), t);
        }

        private static boolean has(Map<String, Object> r, String key, String value) {
            List<Object> values = ManifestValues.list(r, key);
            return values.contains("*") || values.contains(value);
        }

        private static boolean resource(Map<String, Object> r, String resource) {
            List<Object> values = ManifestValues.list(r, "resources");
            return values.contains("*") || values.contains("*/*") || values.contains(resource)
                    || values.contains(resource + "/*");
        }

        private static boolean scope(String scope, Target t) {
            return scope == null || scope.equals("*") || (scope.equals("Cluster") == (t.namespace() == null));
        }

        /**
         * Whether a label selector selects labels.
         *
         * @param selector {@code matchLabels} and {@code matchExpressions}; empty selects everything
         * @param labels   the labels
         * @return the verdict
         */
        static Boolean selects(Map<String, Object> selector, Map<String, String> labels) {
            return WorkloadChecks.selects(selector, new LinkedHashMap<>(labels));
        }
    }
}
