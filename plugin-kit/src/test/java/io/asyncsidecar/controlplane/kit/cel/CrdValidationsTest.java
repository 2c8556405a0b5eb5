package io.asyncsidecar.controlplane.kit.cel;

import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CrdValidationsTest {

    private static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {kind: Widget, plural: widgets}
              versions:
                - name: v1
                  served: true
                  schema:
                    openAPIV3Schema:
                      type: object
                      properties:
                        spec:
                          type: object
                          x-kubernetes-validations:
                            - rule: self.minReplicas <= self.maxReplicas
                              messageExpression: "'min ' + string(self.minReplicas) + ' is above max ' + string(self.maxReplicas)"
                              fieldPath: .minReplicas
                              reason: FieldValueForbidden
                            - rule: self.mode == oldSelf.mode
                              message: mode is immutable
                            - rule: "!oldSelf.hasValue() || self.mode == oldSelf.value().mode"
                              optionalOldSelf: true
                            - rule: self.__namespace__ != 'kube-system'
                            - rule: quantity(self.memory).isGreaterThan(quantity('1Gi'))
                          properties:
                            minReplicas: {type: integer}
                            maxReplicas: {type: integer, default: 3}
                            mode: {type: string, default: fast}
                            namespace: {type: string}
                            memory: {type: string}
                            tags:
                              type: array
                              items:
                                type: string
                                x-kubernetes-validations:
                                  - rule: self != ''
                                    message: tags may not be empty
            """;

    private static Map<String, Object> yaml(String text) {
        return SafeYaml.create().parse(text, "t.yaml", 1).documents().getFirst().map();
    }

    private final CrdIndex index = CrdIndex.of(List.of(yaml(CRD)));
    private final Map<String, Object> schema = index.find("example.com/v1", "Widget").orElseThrow().schema();
    private final CrdValidations validations = CrdValidations.create();

    @Test
    void indexFindsTheServedVersionAndPlural() {
        assertThat(index.plural("example.com", "Widget")).contains("widgets");
        assertThat(index.find("example.com/v2", "Widget")).isEmpty();
    }

    @Test
    void defaultsApplyBeforeRulesAndMessagesComeFromTheRule() {
        Map<String, Object> widget = yaml("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                spec:
                  minReplicas: 5
                  namespace: kube-system
                  tags: [a, ""]
                """);
        CrdValidations.Result r = validations.validate(schema, widget);
        assertThat(r.violations()).extracting(CrdValidations.Violation::message).containsExactlyInAnyOrder(
                "min 5 is above max 3", "failed rule: self.__namespace__ != 'kube-system'", "tags may not be empty");
        CrdValidations.Violation min = r.violations().stream().filter(v -> v.reason().equals("FieldValueForbidden"))
                .findFirst().orElseThrow();
        assertThat(min.fieldPath()).isEqualTo("spec.minReplicas");
        assertThat(min.path()).isEqualTo("spec");
        CrdValidations.Violation tag = r.violations().stream().filter(v -> v.path().equals("spec.tags[1]"))
                .findFirst().orElseThrow();
        assertThat(tag.anchor()).isEqualTo(List.of("a", ""));
        assertThat(r.skipped()).extracting(CrdValidations.Skipped::why).anySatisfy(w -> assertThat(w)
                .startsWith("transition rule")).anySatisfy(w -> assertThat(w).contains("uses quantity()"));
    }

    @Test
    void aValidObjectPassesEveryRule() {
        Map<String, Object> widget = yaml("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                spec: {minReplicas: 1, maxReplicas: 2, namespace: apps, tags: [a]}
                """);
        CrdValidations.Result r = validations.validate(schema, widget);
        assertThat(r.violations()).isEmpty();
        assertThat(r.evaluated()).isEqualTo(4);
    }

    @Test
    void escapingFollowsKubernetes() {
        assertThat(CrdValidations.escape("namespace")).isEqualTo("__namespace__");
        assertThat(CrdValidations.escape("x-y.z/w__v")).isEqualTo("x__dash__y__dot__z__slash__w__underscores__v");
        assertThat(CrdValidations.escape("9lives")).isNull();
    }
}
