package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * The checks on one object that is not (only) a pod template: the labels and annotations every object must carry
 * (as configured), and how a Service is exposed.
 */
final class PodSpecObjects {

    static final CheckRule REQUIRED_LABELS = new CheckRule("helm.required-labels", Severity.WARNING,
            "Every object carries the labels of plugins.helm.required-labels (off when the list is empty).");
    static final CheckRule REQUIRED_ANNOTATIONS = new CheckRule("helm.required-annotations", Severity.WARNING,
            "Every object carries the annotations of plugins.helm.required-annotations (off when the list is"
                    + " empty).");
    static final CheckRule SERVICE_TYPE = new CheckRule("helm.service-type-exposed", Severity.WARNING,
            "Services are not NodePort (warning) or LoadBalancer (info): they are reached through an Ingress or"
                    + " a gateway.");

    static final List<CheckRule> RULES = List.of(REQUIRED_LABELS, REQUIRED_ANNOTATIONS, SERVICE_TYPE);

    private final PodSpecChecks checks;
    private final PodSpecChecks.Settings settings;

    PodSpecObjects(PodSpecChecks checks, PodSpecChecks.Settings settings) {
        this.checks = checks;
        this.settings = settings;
    }

    void check(List<RenderedObject> objects) {
        for (RenderedObject o : objects) {
            if (o.kind().isEmpty()) {
                continue;
            }
            checkRequired(o, REQUIRED_LABELS, "labels", settings.requiredLabels());
            checkRequired(o, REQUIRED_ANNOTATIONS, "annotations", settings.requiredAnnotations());
            String type = ManifestValues.string(o.manifest(), "spec", "type");
            if ("Service".equals(o.kind()) && ("NodePort".equals(type) || "LoadBalancer".equals(type))) {
                boolean nodePort = "NodePort".equals(type);
                Map<String, Object> spec = ManifestValues.map(o.manifest(), "spec");
                checks.report(SERVICE_TYPE, nodePort ? Severity.WARNING : Severity.INFO, o, null, "spec.type",
                        o.line(spec, "type"),
                        "Service/" + o.name() + " is of type " + type + (nodePort
                                ? ": it opens a port on every node, outside the cluster's ingress and its TLS"
                                : ": it gets an address outside the cluster, bypassing the ingress"),
                        "Use a ClusterIP Service behind an Ingress or Gateway (or ignore this finding for the"
                                + " chart's own ingress controller).");
            }
        }
    }

    private void checkRequired(RenderedObject o, CheckRule rule, String section,
                               List<PodSpecChecks.RequiredKey> required) {
        if (required.isEmpty()) {
            return;
        }
        Map<String, Object> metadata = ManifestValues.map(o.manifest(), "metadata");
        if (checks.textual() && o.mayHoldGenerated(metadata, key -> true)) {
            return;
        }
        Map<String, Object> values = ManifestValues.map(metadata, section);
        for (PodSpecChecks.RequiredKey r : required) {
            Object value = values.get(r.key());
            String text = value == null ? "" : value.toString();
            boolean ok = r.value() == null ? !text.isBlank() : r.value().matcher(text).matches();
            if (ok || !checks.judgeable(text)) {
                continue;
            }
            String singular = section.substring(0, section.length() - 1);
            checks.report(rule, o, null, "metadata." + section + "." + r.key(),
                    PodSpecChecks.line(o, metadata, section, r.key()),
                    o.kind() + "/" + o.name() + (value == null ? " has no " + singular + " " + r.key()
                            : r.value() == null ? " has an empty " + singular + " " + r.key()
                            : " has " + singular + " " + r.key() + ": '" + text + "', which does not match "
                            + r.value().pattern()) + " (plugins.helm.required-" + section + " asks for "
                            + r.shown() + ")",
                    "Add the " + singular + " " + r.key() + " to the object's metadata." + section
                            + " (in the chart's common labels helper, if it has one).");
        }
    }
}
