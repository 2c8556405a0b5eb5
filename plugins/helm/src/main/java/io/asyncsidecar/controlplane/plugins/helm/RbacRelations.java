package io.asyncsidecar.controlplane.plugins.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * The RBAC a chart grants: bindings to cluster-admin (or to a role as wide), wildcards, and access that leads
 * to privilege escalation (reading Secrets, creating pods, exec or attach into pods); and OpenShift
 * SecurityContextConstraints that admit privileged containers. Only the chart's own Roles and ClusterRoles are
 * read; a binding to a role the chart does not render is not judged (it may exist in the cluster), except the
 * built-in cluster-admin, admin and edit ClusterRoles, whose rules Kubernetes fixes.
 */
final class RbacRelations {

    static final String CLUSTER_ADMIN = "helm.rbac-cluster-admin-binding";
    static final String WILDCARD = "helm.rbac-wildcard";
    static final String SECRETS = "helm.rbac-secrets-access";
    static final String CREATE_PODS = "helm.rbac-create-pods";
    static final String POD_EXEC = "helm.rbac-pod-exec-attach";
    static final String BINDING_POD_EXEC = "helm.rbac-binding-pod-exec-attach";
    static final String SCC_PRIVILEGED = "helm.scc-privileged";

    static final List<CheckRule> RULES = List.of(
            new CheckRule(CLUSTER_ADMIN, Severity.ERROR,
                    "No RoleBinding or ClusterRoleBinding grants cluster-admin, or a role of the chart with every verb"
                            + " on every resource of every API group."),
            new CheckRule(WILDCARD, Severity.WARNING,
                    "Role and ClusterRole rules name their verbs, resources and API groups instead of '*'."),
            new CheckRule(SECRETS, Severity.WARNING,
                    "No Role or ClusterRole grants get, list, watch, create or delete on Secrets (CIS 5.1.2)."),
            new CheckRule(CREATE_PODS, Severity.WARNING,
                    "No Role or ClusterRole grants create on pods or on workloads that create pods (CIS 5.1.4)."),
            new CheckRule(POD_EXEC, Severity.WARNING,
                    "No Role or ClusterRole allows pods/exec or pods/attach."),
            new CheckRule(BINDING_POD_EXEC, Severity.WARNING,
                    "No RoleBinding or ClusterRoleBinding grants a role that allows pods/exec or pods/attach."),
            new CheckRule(SCC_PRIVILEGED, Severity.WARNING,
                    "No OpenShift SecurityContextConstraints sets allowPrivilegedContainer: true."));

    private static final String RBAC_API = "rbac.authorization.k8s.io/";
    private static final Set<String> SECRET_VERBS = Set.of("get", "list", "watch", "create", "delete", "*");
    private static final Set<String> POD_CREATORS = Set.of("pods", "deployments", "replicasets", "statefulsets",
            "daemonsets", "jobs", "cronjobs", "replicationcontrollers", "*");
    private static final Set<String> EXEC_RESOURCES = Set.of("pods/exec", "pods/attach", "*");
    private static final Set<String> EXEC_VERBS = Set.of("get", "create", "*");
    /** The built-in ClusterRoles that may exec into pods; cluster-admin has its own rule. */
    private static final Set<String> BUILT_IN_EXEC = Set.of("admin", "edit");
    /** What Polaris counts as a role's full set of verbs, with '*'. */
    private static final Set<String> ALL_VERBS = Set.of("get", "list", "watch", "create", "update", "patch",
            "delete");

    private final RelationChecks rel;
    private final List<RenderedObject> roles;
    private final List<RenderedObject> bindings;
    private final List<RenderedObject> constraints;

    RbacRelations(RelationChecks rel, List<RenderedObject> objects) {
        this.rel = rel;
        this.roles = new ArrayList<>(RelationChecks.ofKind(objects, "Role", RBAC_API));
        this.roles.addAll(RelationChecks.ofKind(objects, "ClusterRole", RBAC_API));
        this.bindings = new ArrayList<>(RelationChecks.ofKind(objects, "RoleBinding", RBAC_API));
        this.bindings.addAll(RelationChecks.ofKind(objects, "ClusterRoleBinding", RBAC_API));
        this.constraints = RelationChecks.ofKind(objects, "SecurityContextConstraints", "security.openshift.io/");
    }

    void check(List<Finding> findings) {
        for (RenderedObject role : roles) {
            if (builtIn(role.name())) {
                continue;
            }
            List<Map<String, Object>> rules = ManifestValues.maps(role.manifest(), "rules");
            for (int i = 0; i < rules.size(); i++) {
                checkRule(role, rules.get(i), i, findings);
            }
        }
        for (RenderedObject binding : bindings) {
            if (!builtIn(binding.name())) {
                checkBinding(binding, findings);
            }
        }
        for (RenderedObject scc : constraints) {
            if (ManifestValues.bool(scc.manifest(), "allowPrivilegedContainer").orElse(false)) {
                findings.add(RelationChecks.finding(SCC_PRIVILEGED, Severity.WARNING, scc,
                        scc.line(scc.manifest(), "allowPrivilegedContainer"), "allowPrivilegedContainer",
                        "SecurityContextConstraints/" + scc.name() + " sets allowPrivilegedContainer: true: every"
                                + " pod it admits may run privileged containers with full access to the node",
                        "Set allowPrivilegedContainer: false, or use a built-in SCC such as restricted-v2."));
            }
        }
    }

    /**
     * One rule of a role.
     *
     * @param groups    its apiGroups (a missing list is the core group)
     * @param resources its resources
     * @param verbs     its verbs
     * @param named     whether resourceNames limit it to named objects
     */
    private record Grant(List<String> groups, List<String> resources, List<String> verbs, boolean named) {

        static Grant of(Map<String, Object> rule) {
            List<String> groups = RelationChecks.strings(rule, "apiGroups");
            return new Grant(groups.isEmpty() ? List.of("") : groups, RelationChecks.strings(rule, "resources"),
                    RelationChecks.strings(rule, "verbs"), !ManifestValues.list(rule, "resourceNames").isEmpty());
        }

        boolean core() {
            return groups.contains("") || groups.contains("*");
        }

        List<String> verbsIn(Set<String> wanted) {
            return verbs.stream().filter(wanted::contains).toList();
        }

        List<String> resourcesIn(Set<String> wanted) {
            return resources.stream().filter(wanted::contains).toList();
        }

        boolean execOrAttach() {
            return core() && !resourcesIn(EXEC_RESOURCES).isEmpty() && !verbsIn(EXEC_VERBS).isEmpty();
        }

        boolean everything() {
            return groups.contains("*") && resources.contains("*")
                    && (verbs.contains("*") || verbs.containsAll(ALL_VERBS));
        }

        @Override
        public String toString() {
            return "verbs " + verbs + " on " + resources + " of API groups "
                    + groups.stream().map(g -> g.isEmpty() ? "core" : g).toList();
        }
    }

    private void checkRule(RenderedObject role, Map<String, Object> rule, int i, List<Finding> findings) {
        if (!rel.judgeable(rule)) {
            return;
        }
        Grant g = Grant.of(rule);
        String subject = role.kind() + "/" + role.name() + " rules[" + i + "] grants " + g;
        String path = "rules[" + i + "].";
        List<String> wild = new ArrayList<>();
        for (String key : List.of("verbs", "resources", "apiGroups")) {
            if (RelationChecks.strings(rule, key).contains("*")) {
                wild.add(key);
            }
        }
        if (!wild.isEmpty()) {
            findings.add(RelationChecks.finding(WILDCARD, Severity.WARNING, role, role.line(rule, wild.getFirst()),
                    path + wild.getFirst(), subject + ": '*' in " + String.join(" and ", wild) + " also grants"
                            + " whatever later Kubernetes versions and CRDs add",
                    "List the verbs, resources and API groups the workload needs instead of '*'."));
        }
        List<String> secretVerbs = g.verbsIn(SECRET_VERBS);
        if (g.core() && !g.named() && !g.resourcesIn(Set.of("secrets", "*")).isEmpty() && !secretVerbs.isEmpty()) {
            findings.add(RelationChecks.finding(SECRETS, Severity.WARNING, role, role.line(rule, "resources"),
                    path + "resources", subject + ": with " + secretVerbs + " on Secrets whoever holds it can "
                            + secretPowers(secretVerbs),
                    "Drop Secret access, or limit it with resourceNames to the Secrets the workload owns."));
        }
        List<String> creators = g.resourcesIn(POD_CREATORS);
        if (!creators.isEmpty() && !g.verbsIn(Set.of("create", "*")).isEmpty()) {
            findings.add(RelationChecks.finding(CREATE_PODS, Severity.WARNING, role, role.line(rule, "verbs"),
                    path + "verbs", subject + ": creating " + creators + " runs pods with any service account and"
                            + " host access the namespace allows, a path to privilege escalation",
                    "Remove create on pods and pod-creating workloads where the workload does not need it."));
        }
        if (g.execOrAttach() && !BUILT_IN_EXEC.contains(role.name()) && !"cluster-admin".equals(role.name())) {
            findings.add(RelationChecks.finding(POD_EXEC, Severity.WARNING, role, role.line(rule, "resources"),
                    path + "resources", subject + ": it allows pods/exec or pods/attach, a shell in any pod of its"
                            + " scope with that pod's secrets and service account",
                    "Remove pods/exec and pods/attach (and '*') from the rule."));
        }
    }

    private void checkBinding(RenderedObject binding, List<Finding> findings) {
        Map<String, Object> roleRef = ManifestValues.map(binding.manifest(), "roleRef");
        String kind = ManifestValues.string(roleRef, "kind");
        String name = ManifestValues.string(roleRef, "name");
        if (name == null || !rel.judgeable(name)) {
            return;
        }
        String subject = binding.kind() + "/" + binding.name() + " grants " + kind + " " + name + " to "
                + subjects(binding);
        int line = binding.line(roleRef, "name");
        if ("ClusterRole".equals(kind) && "cluster-admin".equals(name)) {
            findings.add(RelationChecks.finding(CLUSTER_ADMIN, Severity.ERROR, binding, line, "roleRef.name",
                    subject + ": full control of " + ("RoleBinding".equals(binding.kind()) ? "the namespace"
                            : "the whole cluster"),
                    "Bind a role that grants only the verbs and resources the subjects need."));
            return;
        }
        Optional<RenderedObject> role = roles.stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)
                && ("ClusterRole".equals(kind) || WorkloadChecks.sameNamespace(r, binding))).findFirst();
        List<Grant> grants = role.map(r -> ManifestValues.maps(r.manifest(), "rules").stream()
                .filter(rel::judgeable).map(Grant::of).toList()).orElse(List.of());
        if (grants.stream().anyMatch(Grant::everything)) {
            findings.add(RelationChecks.finding(CLUSTER_ADMIN, Severity.ERROR, binding, line, "roleRef.name",
                    subject + ", which grants every verb on every resource of every API group: as much as"
                            + " cluster-admin",
                    "Bind a role that grants only the verbs and resources the subjects need."));
        } else if (grants.stream().anyMatch(Grant::execOrAttach)
                || (role.isEmpty() && "ClusterRole".equals(kind) && BUILT_IN_EXEC.contains(name))) {
            findings.add(RelationChecks.finding(BINDING_POD_EXEC, Severity.WARNING, binding, line, "roleRef.name",
                    subject + ", which allows pods/exec or pods/attach: the subjects can open a shell in the"
                            + " pods of its scope",
                    "Bind a role without pods/exec and pods/attach (e.g. view, or one of the chart's own)."));
        }
    }

    private static String secretPowers(List<String> verbs) {
        List<String> powers = new ArrayList<>();
        if (verbs.stream().anyMatch(v -> !v.equals("create") && !v.equals("delete"))) {
            powers.add("read every Secret of its scope, service account tokens included");
        }
        if (verbs.contains("create") || verbs.contains("*")) {
            powers.add("mint a token Secret for any service account of its scope");
        }
        if (verbs.contains("delete") || verbs.contains("*")) {
            powers.add("delete the Secrets workloads depend on");
        }
        return String.join("; ", powers);
    }

    private static String subjects(RenderedObject binding) {
        List<String> names = ManifestValues.maps(binding.manifest(), "subjects").stream()
                .map(s -> ManifestValues.string(s, "kind") + " " + (ManifestValues.string(s, "namespace") == null
                        ? "" : ManifestValues.string(s, "namespace") + "/") + ManifestValues.string(s, "name"))
                .toList();
        return names.isEmpty() ? "no subject" : String.join(", ", names);
    }

    /** Kubernetes' own roles and bindings (and the one GKE adds), which peers leave alone too. */
    private static boolean builtIn(String name) {
        return name.startsWith("system:") || name.equals("gce:podsecuritypolicy:calico-sa");
    }
}
