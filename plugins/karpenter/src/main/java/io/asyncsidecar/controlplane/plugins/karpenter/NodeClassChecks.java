package io.asyncsidecar.controlplane.plugins.karpenter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.Severity;

import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.AMI_PINNED;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.DEPRECATED_API;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.NODECLASS_AMI;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.NODECLASS_ROLE;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.NODECLASS_SECURITY_GROUPS;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.NODECLASS_SUBNETS;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.NODECLASS_TAGS;

/**
 * Karpenter's validation of AWS node classes, offline: the required fields and CEL rules of the
 * karpenter.k8s.aws_ec2nodeclasses CRD for v1 (role xor instanceProfile, subnet and security group selector
 * terms, AMI selector terms with a valid alias or an AMI family), the v1beta1 equivalents, and the v1alpha1
 * AWSNodeTemplate's selectors. Beyond validation: an AMI that follows {@code @latest} is flagged, since each AMI
 * release then drifts and replaces every node of the class.
 */
final class NodeClassChecks {

    private static final Set<String> ALIAS_FAMILIES = Set.of("al2", "al2023", "bottlerocket", "windows2019",
            "windows2022", "windows2025");
    private static final Map<String, String> FAMILY_OF_ALIAS = Map.of("al2", "AL2", "al2023", "AL2023",
            "bottlerocket", "Bottlerocket", "windows2019", "Windows2019", "windows2022", "Windows2022",
            "windows2025", "Windows2025");

    private NodeClassChecks() {
    }

    static List<Finding> check(NodeClass nc) {
        return check(nc, false);
    }

    /**
     * Checks a node class, leaving out the restated CEL rules when its CRD's rules run instead.
     *
     * @param nc       the node class
     * @param crdRules true when the CRD's own x-kubernetes-validations are evaluated on it
     * @return findings, before ignore annotations
     */
    static List<Finding> check(NodeClass nc, boolean crdRules) {
        Out out = new Out(new ArrayList<>(), crdRules);
        Map<String, Object> spec = nc.spec();
        ObjectRef ref = nc.document().ref();
        if (nc.deprecatedApi()) {
            add(out, nc, DEPRECATED_API, Severity.WARNING, nc.document().lineOf(nc.document().map(), "apiVersion"),
                    "uses " + nc.document().map().get("apiVersion") + ", which Karpenter v1 no longer serves",
                    "Migrate to karpenter.k8s.aws/v1 EC2NodeClass; still verified below.");
        }
        if (nc.kind().equals("AWSNodeTemplate")) {
            selectorMap(out, nc, "subnetSelector", NODECLASS_SUBNETS);
            selectorMap(out, nc, "securityGroupSelector", NODECLASS_SECURITY_GROUPS);
            if (!spec.containsKey("amiSelector")) {
                add(out, nc, AMI_PINNED, Severity.WARNING, nc.document().lineOf(spec),
                        "selects no AMI, so nodes follow the latest EKS-optimised AMI of amiFamily "
                                + spec.getOrDefault("amiFamily", "AL2"),
                        "Pin an AMI with amiSelector.");
            }
            return out.list();
        }
        role(out, nc, spec);
        terms(out, nc, spec, "subnetSelectorTerms", NODECLASS_SUBNETS, List.of("tags", "id"), List.of("tags"));
        terms(out, nc, spec, "securityGroupSelectorTerms", NODECLASS_SECURITY_GROUPS, List.of("tags", "id", "name"),
                List.of("tags", "name"));
        ami(out, nc, spec);
        tags(out, nc, spec);
        return out.list();
    }

    private static void role(Out out, NodeClass nc, Map<String, Object> spec) {
        boolean role = spec.containsKey("role");
        boolean profile = spec.containsKey("instanceProfile");
        if (role == profile) {
            cel(out, nc, NODECLASS_ROLE, Severity.ERROR, nc.document().lineOf(nc.document().map(), "spec"),
                    "must specify exactly one of ['role', 'instanceProfile']" + (role ? " (both are set)" : ""),
                    "Set role (Karpenter manages the instance profile) or instanceProfile, not both.");
        } else if (role && blank(spec.get("role"))) {
            cel(out, nc, NODECLASS_ROLE, Severity.ERROR, nc.document().lineOf(spec, "role"), "role cannot be empty",
                    "Name the node IAM role.");
        } else if (profile && blank(spec.get("instanceProfile"))) {
            cel(out, nc, NODECLASS_ROLE, Severity.ERROR, nc.document().lineOf(spec, "instanceProfile"),
                    "instanceProfile cannot be empty", "Name the instance profile.");
        }
    }

    private static void terms(Out out, NodeClass nc, Map<String, Object> spec, String field, String check,
                              List<String> oneOf, List<String> exclusiveWithId) {
        List<Map<String, Object>> terms = ManifestValues.maps(spec, field);
        if (terms.isEmpty()) {
            String remediation = "Select by tags (e.g. karpenter.sh/discovery: <cluster>) or by id.";
            int line = nc.document().lineOf(spec, field);
            if (spec.containsKey(field)) {
                // present but empty breaks a CEL rule (self.size() != 0); absent, the schema's required
                cel(out, nc, check, Severity.ERROR, line, field + " cannot be empty", remediation);
            } else {
                add(out, nc, check, Severity.ERROR, line, field + ": Required value", remediation);
            }
            return;
        }
        for (Map<String, Object> t : terms) {
            int line = nc.document().lineOf(t);
            if (oneOf.stream().noneMatch(t::containsKey)) {
                cel(out, nc, check, Severity.ERROR, line, field + ": expected at least one, got none, " + oneOf,
                        "Give each term tags or an id.");
            }
            if (t.containsKey("id") && exclusiveWithId.stream().anyMatch(t::containsKey)) {
                cel(out, nc, check, Severity.ERROR, line, field + ": 'id' is mutually exclusive, cannot be set with a"
                        + " combination of other fields", "Select by id alone, or by the other fields.");
            }
            if (field.equals("securityGroupSelectorTerms") && t.containsKey("name") && t.containsKey("tags")) {
                cel(out, nc, check, Severity.ERROR, line, field + ": 'name' is mutually exclusive, cannot be set with"
                        + " a combination of other fields", "Select by name alone, or by tags.");
            }
            emptyTags(out, nc, check, ManifestValues.map(t, "tags"), field);
        }
    }

    private static void emptyTags(Out out, NodeClass nc, String check, Map<String, Object> tags, String field) {
        tags.forEach((k, v) -> {
            if (k.isEmpty() || blank(v)) {
                cel(out, nc, check, Severity.ERROR, nc.document().lineOf(tags, k),
                        field + ": empty tag keys or values aren't supported (tag '" + k + "')", "Give the tag a value.");
            }
        });
    }

    private static void ami(Out out, NodeClass nc, Map<String, Object> spec) {
        List<Map<String, Object>> terms = ManifestValues.maps(spec, "amiSelectorTerms");
        String family = ManifestValues.string(spec, "amiFamily");
        boolean v1 = "v1".equals(nc.api());
        if (terms.isEmpty()) {
            if (v1) {
                add(out, nc, NODECLASS_AMI, Severity.ERROR, nc.document().lineOf(spec, "amiSelectorTerms"),
                        "amiSelectorTerms: Required value", "Select AMIs, e.g. - alias: al2023@v20250715.");
            } else if (family == null) {
                add(out, nc, NODECLASS_AMI, Severity.ERROR, nc.document().lineOf(nc.document().map(), "spec"),
                        "amiFamily: Required value", "Set amiFamily (AL2, AL2023, Bottlerocket, ...).");
            } else {
                add(out, nc, AMI_PINNED, Severity.WARNING, nc.document().lineOf(spec, "amiFamily"),
                        "selects no AMI, so nodes follow the latest EKS-optimised " + family + " AMI",
                        "Pin AMIs with amiSelectorTerms (an id, a name, or an alias with a version).");
            }
            return;
        }
        boolean hasAlias = false;
        for (Map<String, Object> t : terms) {
            int line = nc.document().lineOf(t);
            if (Set.of("tags", "id", "name", "alias", "ssmParameter").stream().noneMatch(t::containsKey)) {
                cel(out, nc, NODECLASS_AMI, Severity.ERROR, line, "amiSelectorTerms: expected at least one, got none,"
                        + " ['tags', 'id', 'name', 'alias', 'ssmParameter']", "Give each term one selector.");
            }
            if (t.containsKey("id") && Set.of("alias", "tags", "name", "owner").stream().anyMatch(t::containsKey)) {
                cel(out, nc, NODECLASS_AMI, Severity.ERROR, line, "'id' is mutually exclusive, cannot be set with a"
                        + " combination of other fields in amiSelectorTerms", "Select by id alone.");
            }
            String alias = ManifestValues.string(t, "alias");
            if (alias == null) {
                continue;
            }
            hasAlias = true;
            if (Set.of("id", "tags", "name", "owner").stream().anyMatch(t::containsKey)) {
                cel(out, nc, NODECLASS_AMI, Severity.ERROR, line, "'alias' is mutually exclusive, cannot be set with a"
                        + " combination of other fields in amiSelectorTerms", "Select by alias alone.");
            }
            if (!alias.matches("^[a-zA-Z0-9]+@.+$")) {
                cel(out, nc, NODECLASS_AMI, Severity.ERROR, nc.document().lineOf(t, "alias"), "'alias' "
                        + alias + " is improperly formatted, must match the format 'family@version'",
                        "Write the alias as family@version, e.g. al2023@v20250715.");
                continue;
            }
            String aliasFamily = alias.substring(0, alias.indexOf('@')).toLowerCase(Locale.ROOT);
            String version = alias.substring(alias.indexOf('@') + 1);
            if (!ALIAS_FAMILIES.contains(aliasFamily)) {
                cel(out, nc, NODECLASS_AMI, Severity.ERROR, nc.document().lineOf(t, "alias"), "family is not"
                        + " supported, must be one of the following: 'al2', 'al2023', 'bottlerocket', 'windows2019',"
                        + " 'windows2022', 'windows2025' (alias " + alias + ")", "Use a supported alias family.");
            } else if (aliasFamily.startsWith("windows") && !version.equals("latest")) {
                cel(out, nc, NODECLASS_AMI, Severity.ERROR, nc.document().lineOf(t, "alias"),
                        "windows families may only specify version 'latest' (alias " + alias + ")",
                        "Use " + aliasFamily + "@latest.");
            } else if (version.equals("latest")) {
                add(out, nc, AMI_PINNED, Severity.WARNING, nc.document().lineOf(t, "alias"),
                        "follows the moving AMI alias " + alias + ": every new AMI release drifts and replaces all"
                                + " nodes of this class, outside any change review",
                        "Pin a version, e.g. " + aliasFamily + "@v20250715, and bump it deliberately.");
            }
            if (family != null && FAMILY_OF_ALIAS.containsKey(aliasFamily) && !family.equals("Custom")
                    && !family.equals(FAMILY_OF_ALIAS.get(aliasFamily))) {
                cel(out, nc, NODECLASS_AMI, Severity.ERROR, nc.document().lineOf(spec, "amiFamily"),
                        "if set, amiFamily must be '" + FAMILY_OF_ALIAS.get(aliasFamily) + "' or 'Custom' when using an "
                                + FAMILY_OF_ALIAS.get(aliasFamily) + " alias (amiFamily is " + family + ")",
                        "Remove amiFamily (the alias implies it) or make it match.");
            }
        }
        if (hasAlias && terms.size() != 1) {
            cel(out, nc, NODECLASS_AMI, Severity.ERROR, nc.document().lineOf(spec, "amiSelectorTerms"),
                    "'alias' is mutually exclusive, cannot be set with a combination of other amiSelectorTerms",
                    "Use a single alias term, or select by other terms only.");
        }
        if (v1 && !hasAlias && family == null) {
            cel(out, nc, NODECLASS_AMI, Severity.ERROR, nc.document().lineOf(spec, "amiSelectorTerms"),
                    "must specify amiFamily if amiSelectorTerms does not contain an alias",
                    "Set amiFamily so Karpenter knows how to bootstrap the selected AMIs.");
        }
    }

    private static void tags(Out out, NodeClass nc, Map<String, Object> spec) {
        Map<String, Object> tags = ManifestValues.map(spec, "tags");
        tags.forEach((k, v) -> {
            String problem = null;
            if (k.isEmpty()) {
                problem = "empty tag keys aren't supported";
            } else if (k.equals("eks:eks-cluster-name") || k.startsWith("kubernetes.io/cluster")
                    || k.equals("karpenter.sh/nodepool") || k.equals("karpenter.sh/nodeclaim")
                    || k.equals("karpenter.k8s.aws/ec2nodeclass")) {
                problem = "tag contains a restricted tag matching " + k;
            }
            if (problem != null) {
                cel(out, nc, NODECLASS_TAGS, Severity.ERROR, nc.document().lineOf(tags, k), problem,
                        "Karpenter sets this tag itself; remove it.");
            }
        });
    }

    private static void selectorMap(Out out, NodeClass nc, String field, String check) {
        Map<String, Object> selector = ManifestValues.map(nc.spec(), field);
        if (selector.isEmpty()) {
            add(out, nc, check, Severity.ERROR, nc.document().lineOf(nc.spec(), field),
                    field + ": Required value", "Select by tags, e.g. karpenter.sh/discovery: <cluster>.");
        }
    }

    private static boolean blank(Object v) {
        return v == null || v.toString().isBlank();
    }

    /** Where findings go, and whether restatements of the CRD's CEL rules are left out. */
    private record Out(List<Finding> list, boolean crdRules) {
    }

    /** A finding restating one of the CRD's CEL rules: left out when the CRD's own rules run. */
    private static void cel(Out out, NodeClass nc, String check, Severity severity, int line, String message,
                            String remediation) {
        if (!out.crdRules()) {
            add(out, nc, check, severity, line, message, remediation);
        }
    }

    private static void add(Out out, NodeClass nc, String check, Severity severity, int line, String message,
                            String remediation) {
        ObjectRef ref = nc.document().ref();
        out.list().add(Finding.of(check, severity, ref, nc.document().file(), line, ref.display() + " " + message,
                remediation));
    }
}
