package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * The checks on how a chart's objects refer to each other: selectors, disruption budgets, autoscalers, network
 * policies, ingresses, RBAC. Each family lives in its own class; this one runs them and holds what they share.
 *
 * <p>The chart is judged by what it renders: a reference to an object the chart does not render (a Role, a
 * Secret, a Service of another release) is at most a warning, since the object may already be in the cluster.
 * On a textual reading (see {@link WorkloadChecks}) a name, label or selector that only rendering knows is not
 * judged, and neither is an absence that a name or label of that kind only rendering knows could fill.
 */
final class RelationChecks {

    /** The rules of this group. */
    static final List<CheckRule> RULES = Stream.of(ScalingRelations.RULES, ServiceRelations.RULES,
            WorkloadRelations.RULES, NetworkPolicyRelations.RULES, RbacRelations.RULES)
            .flatMap(List::stream).toList();

    private static final Predicate<String> ANY_KEY = key -> true;

    private final WorkloadChecks owner;

    RelationChecks(WorkloadChecks owner) {
        this.owner = owner;
    }

    void check(List<WorkloadChecks.Workload> workloads, List<RenderedObject> objects, List<Finding> findings) {
        new ScalingRelations(this, workloads, objects).check(findings);
        new ServiceRelations(this, workloads, objects).check(findings);
        new WorkloadRelations(this, workloads, objects).check(findings);
        new NetworkPolicyRelations(this, workloads, objects).check(findings);
        new RbacRelations(this, objects).check(findings);
    }

    /** Whether the objects come from a textual reading. */
    boolean textual() {
        return owner.textual();
    }

    /** Whether a value may be judged: always after rendering, on a textual reading when no template left it. */
    boolean judgeable(Object value) {
        return owner.judgeable(value);
    }

    /** On a textual reading, whether a map (labels, a selector) of an object may hold more than was read. */
    boolean unsure(RenderedObject object, Map<String, Object> node) {
        return textual() && (!judgeable(node) || object.mayHoldGenerated(node, ANY_KEY));
    }

    /** On a textual reading, whether any workload's pod labels may differ from what was read. */
    boolean labelsUnsure(List<WorkloadChecks.Workload> workloads) {
        return textual() && workloads.stream().anyMatch(w -> w.podLabels().isEmpty()
                || unsure(w.object(), ManifestValues.map(w.podTemplate(), "metadata")));
    }

    /** On a textual reading, whether an object of one of these kinds has a name only rendering knows. */
    boolean namesUnsure(List<RenderedObject> objects, String kind) {
        return textual() && objects.stream().anyMatch(o -> kind.equals(o.kind()) && !judgeable(o.name()));
    }

    /** In textual mode, whether a field's absence from a workload's node may come from taking actions out. */
    boolean unknown(WorkloadChecks.Workload w, Object node, String field) {
        return owner.unknown(w, node, field, ANY_KEY);
    }

    /** A finding about one field of an object, with the object's ignore annotation applied. */
    static Finding finding(String check, Severity severity, RenderedObject object, int line, String field,
                           String message, String remediation) {
        return WorkloadChecks.finding(check, severity, object, line, message, remediation).withField(field);
    }

    /** A finding about one field of one container of a workload, with the ignore annotation applied. */
    static Finding finding(String container, String check, Severity severity, RenderedObject object, int line,
                           String field, String message, String remediation) {
        return WorkloadChecks.finding(container, check, severity, object, line, message, remediation)
                .withField(field);
    }

    /** The path of a workload's pod template, in the workload's own terms. */
    static String templatePath(WorkloadChecks.Workload w) {
        return "CronJob".equals(w.kind()) ? "spec.jobTemplate.spec.template" : "spec.template";
    }

    /** The objects of a kind whose apiVersion starts with one of the prefixes (e.g. {@code networking.k8s.io/}). */
    static List<RenderedObject> ofKind(List<RenderedObject> objects, String kind, String... apiPrefixes) {
        return objects.stream().filter(o -> kind.equals(o.kind()) && hasApi(o, apiPrefixes)).toList();
    }

    static boolean hasApi(RenderedObject o, String... apiPrefixes) {
        String api = String.valueOf(o.manifest().get("apiVersion"));
        return apiPrefixes.length == 0 || Stream.of(apiPrefixes).anyMatch(api::startsWith);
    }

    /** Whether a label selector has neither matchLabels nor matchExpressions. */
    static boolean emptySelector(Map<String, Object> selector) {
        return ManifestValues.map(selector, "matchLabels").isEmpty()
                && ManifestValues.list(selector, "matchExpressions").isEmpty();
    }

    /** The entries of a list as text (a templated or odd entry as its text too). */
    static List<String> strings(Object node, String... path) {
        return ManifestValues.list(node, path).stream().map(String::valueOf).toList();
    }
}
