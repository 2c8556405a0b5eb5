package io.asyncsidecar.controlplane.plugins.karpenter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.cel.CrdIndex;
import io.asyncsidecar.controlplane.kit.cel.CrdValidations;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

/**
 * The {@code karpenter.crd-rule} check: the CEL rules ({@code x-kubernetes-validations}) of the NodePool and
 * EC2NodeClass CRDs given in {@code plugins.karpenter.crds}, evaluated by the kit on each pool and node class
 * whose apiVersion and kind a CRD serves. For those objects the CRD's rules replace the plugin's restatements of
 * them ({@link NodePoolChecks}, {@link NodeClassChecks} leave theirs out), so the answer follows the Karpenter
 * release the CRDs come from; objects no CRD covers keep the restated rules.
 */
final class CrdRules {

    /** What the answer's {@code validation} says when the CRDs' rules ran. */
    static final String CRD_RULES = "crd-rules";
    /** What it says when only the restated rules ran. */
    static final String BUILT_IN = "built-in";

    private static final CrdValidations VALIDATIONS = CrdValidations.create();

    private final CrdIndex index;

    /**
     * Rules from CRD documents.
     *
     * @param documents documents read from the configured CRD files; other objects among them are ignored
     */
    CrdRules(List<YamlDocument> documents) {
        this.index = CrdIndex.of(documents.stream().map(YamlDocument::map).toList());
    }

    /** @return whether no CRD was given */
    boolean isEmpty() {
        return index.isEmpty();
    }

    /**
     * Whether a CRD with rules serves an object's apiVersion and kind.
     *
     * @param doc the object
     * @return true when its CRD's rules run on it
     */
    boolean covers(YamlDocument doc) {
        return schema(doc).filter(CrdValidations::hasRules).isPresent();
    }

    /**
     * Evaluates the CRD's rules on an object.
     *
     * @param doc the object; {@link #covers} is true for it
     * @return one finding per broken (or failing) rule, before ignore annotations
     */
    List<Finding> check(YamlDocument doc) {
        List<Finding> out = new ArrayList<>();
        Map<String, Object> schema = schema(doc).orElse(Map.of());
        CrdIndex.Version version = index.find(String.valueOf(doc.map().get("apiVersion")),
                String.valueOf(doc.map().get("kind"))).orElseThrow();
        ObjectRef ref = doc.ref();
        for (CrdValidations.Violation v : VALIDATIONS.validate(schema, doc.map()).violations()) {
            int line = v.key() != null && v.anchor() instanceof Map<?, ?> m ? doc.lineOf(m, v.key())
                    : doc.lineOf(v.anchor());
            String at = v.path().isEmpty() ? "the object" : v.path();
            out.add(Finding.of(KarpenterRules.CRD_RULE, Severity.ERROR, ref, doc.file(), line,
                    ref.display() + ": " + v.message() + " (rule of the CRD " + version.crdName() + " at " + at + ": "
                            + v.rule() + ")",
                    v.outcome().isFalse() ? "Change " + (v.fieldPath().isEmpty() ? "the object" : v.fieldPath())
                            + " so the rule holds: the API server refuses the object otherwise."
                            : "The rule fails on this object as it is; give the fields it reads the values it expects.")
                    .withField(v.fieldPath().isEmpty() ? null : v.fieldPath()));
        }
        return out;
    }

    private Optional<Map<String, Object>> schema(YamlDocument doc) {
        String apiVersion = ManifestValues.string(doc.map(), "apiVersion");
        String kind = ManifestValues.string(doc.map(), "kind");
        if (apiVersion == null || kind == null) {
            return Optional.empty();
        }
        return index.find(apiVersion, kind).map(CrdIndex.Version::schema).filter(s -> !s.isEmpty());
    }
}
