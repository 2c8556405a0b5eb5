package io.asyncsidecar.controlplane.plugins.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.cel.CrdValidations;
import io.asyncsidecar.controlplane.kit.checks.IgnoreAnnotations;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.helidon.config.Config;

/**
 * The {@code helm.crd-rule} check: a custom resource of the chart breaks a CEL rule
 * ({@code x-kubernetes-validations}) of its CRD, so the API server would refuse it. The CRD comes from
 * {@link CustomResourceSchemas} (the chart's own CRDs, its {@code crds/} folders, {@code plugins.helm.crds});
 * the rules run through the kit's {@link CrdValidations}, on the object defaulted and pruned as on create.
 * Transition rules ({@code oldSelf}) and rules using a Kubernetes library cel-java lacks are not evaluated.
 *
 * <p>On a textual reading of the raw templates, an object that holds a value only rendering knows, or where a
 * YAML-generating action was taken out, is not judged: its rules would see a stand-in, not the value.
 */
final class CelRuleChecks implements ObjectChecks {

    static final String ID = "helm.crd-rule";
    static final List<CheckRule> RULES = List.of(new CheckRule(ID, Severity.ERROR,
            "custom resources pass the CEL rules (x-kubernetes-validations) of their CRD, as the API server"
                    + " evaluates them on create"));

    private final List<String> crdFolders;
    private final CrdValidations validations = CrdValidations.create();

    private CelRuleChecks(List<String> crdFolders) {
        this.crdFolders = List.copyOf(crdFolders);
    }

    /**
     * The group as configured.
     *
     * @param config the {@code plugins.helm} subtree
     * @return the group
     */
    static CelRuleChecks from(Config config) {
        return new CelRuleChecks(CustomResourceSchemas.folders(config));
    }

    @Override
    public List<CheckRule> rules() {
        return RULES;
    }

    @Override
    public List<Finding> check(ChartUnderCheck chart) {
        CustomResourceSchemas crds = CustomResourceSchemas.of(chart, crdFolders);
        List<Finding> findings = new ArrayList<>();
        for (RenderedObject o : chart.objects()) {
            String apiVersion = ManifestValues.string(o.manifest(), "apiVersion");
            Optional<CustomResourceSchemas.Version> version = apiVersion == null ? Optional.empty()
                    : crds.find(apiVersion, o.kind());
            Map<String, Object> schema = version.map(CustomResourceSchemas.Version::openApiV3Schema).orElse(null);
            if (schema == null || !CrdValidations.hasRules(schema) || !judgeable(chart, o)) {
                continue;
            }
            for (CrdValidations.Violation v : validations.validate(schema, o.manifest()).violations()) {
                findings.add(IgnoreAnnotations.apply(finding(o, version.get(), v), o.manifest()));
            }
        }
        return findings;
    }

    private static Finding finding(RenderedObject o, CustomResourceSchemas.Version version,
                                   CrdValidations.Violation v) {
        int line = v.key() != null && v.anchor() instanceof Map<?, ?> m ? o.line(m, v.key()) : o.line(v.anchor());
        String at = v.path().isEmpty() ? "the object" : v.path();
        String message = o.ref().display() + ": " + v.message() + " (rule of the CRD " + version.crd() + " at "
                + at + ": " + v.rule() + "; " + v.reason() + ")";
        String remediation = v.outcome().isFalse()
                ? "Change " + (v.fieldPath().isEmpty() ? "the object" : v.fieldPath()) + " so the rule holds: the"
                        + " API server refuses the object otherwise."
                : "The rule fails on this object as it is, and the API server would refuse it; give the fields the"
                        + " rule reads the types and values it expects.";
        return Finding.of(ID, Severity.ERROR, o.ref(), o.document().file(), Math.max(0, line), message, remediation)
                .withField(v.fieldPath().isEmpty() ? null : v.fieldPath());
    }

    /**
     * Whether an object's values can be judged: always for a rendered chart; on a textual reading, only when no
     * value is a stand-in for what rendering would give and no YAML-generating action was taken out of it.
     *
     * @param chart the chart
     * @param o     one of its objects
     * @return true when CEL may look at its values
     */
    static boolean judgeable(ChartUnderCheck chart, RenderedObject o) {
        return !chart.textual() || (!String.valueOf(o.manifest()).contains(TemplateText.UNKNOWN)
                && !o.mayHoldGenerated(o.manifest(), key -> true));
    }
}
