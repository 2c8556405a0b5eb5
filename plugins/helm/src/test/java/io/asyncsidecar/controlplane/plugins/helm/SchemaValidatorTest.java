package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The Kubernetes dialect of the schemas, case by case, on schemas written here: references wrapped in allOf (as
 * recent built-in documents write them), quantities, int-or-string, kept unknown fields, embedded resources,
 * nullable, CRD defaults, whole floats, oneOf, a regular expression that would backtrack for ever, and the
 * bound on findings per object.
 */
class SchemaValidatorTest {

    private static final SafeYaml YAML = SafeYaml.create();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) YAML.parse(text, "test.yaml", 1).documents().getFirst().root();
    }

    private static List<SchemaValidator.Violation> validate(StructuralSchema schema, String object) {
        return new SchemaValidator(false, 50).validate(yaml(object), schema, false).violations();
    }

    private static StructuralSchema crd(String schema) {
        return StructuralSchema.ofCrd(yaml(schema));
    }

    @Test
    void referencesWrappedInAllOfAndQuantitiesResolveLikeTheBuiltInDocuments() {
        Map<String, StructuralSchema> named = StructuralSchema.ofDefinitions(yaml("""
                io.example.Thing:
                  type: object
                  properties:
                    spec:
                      allOf: [{$ref: "#/components/schemas/io.example.Spec"}]
                      default: {}
                io.example.Spec:
                  type: object
                  required: [size]
                  properties:
                    size: {type: integer, format: int32}
                    cpu: {$ref: "#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity"}
                    port: {type: string, format: int-or-string}
                    raw: {type: object}
                io.k8s.apimachinery.pkg.api.resource.Quantity:
                  type: string
                """));
        StructuralSchema thing = named.get("io.example.Thing");
        assertThat(validate(thing, "spec: {size: 3, cpu: 0.5, port: 8080, raw: {any: [thing]}}")).isEmpty();
        assertThat(validate(thing, "spec: {size: 3, cpu: 500m, port: http}")).isEmpty();
        assertThat(validate(thing, "spec: {size: \"3\", colour: red, port: [1]}"))
                .extracting(SchemaValidator.Violation::kind, SchemaValidator.Violation::path)
                .containsExactly(tuple(SchemaValidator.Kind.TYPE, "spec.size"),
                        tuple(SchemaValidator.Kind.UNKNOWN_FIELD, "spec.colour"),
                        tuple(SchemaValidator.Kind.TYPE, "spec.port"));
        // The built-in documents' defaults are not applied: a missing required field stays missing.
        assertThat(validate(thing, "spec: {}")).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(SchemaValidator.Kind.REQUIRED);
            assertThat(v.path()).isEqualTo("spec.size");
        });
        assertThat(validate(thing, "spec: {size: 3000000000}")).singleElement().satisfies(v ->
                assertThat(v.message()).isEqualTo("3000000000 does not fit a 32-bit integer (int32)"));
    }

    @Test
    void wholeFloatsAreIntegersAsTheyReachTheApiServer() {
        StructuralSchema schema = crd("{type: object, properties: {n: {type: integer}}}");
        assertThat(validate(schema, "n: 3.0")).isEmpty();
        assertThat(validate(schema, "n: 3.5")).singleElement().satisfies(v ->
                assertThat(v.message()).isEqualTo("expected an integer, got number 3.5"));
    }

    @Test
    void keptUnknownFieldsEmbeddedResourcesAndMapsAreNotStrict() {
        StructuralSchema schema = crd("""
                type: object
                properties:
                  config: {type: object, x-kubernetes-preserve-unknown-fields: true, properties: {a: {type: string}}}
                  template:
                    type: object
                    x-kubernetes-embedded-resource: true
                    properties:
                      spec: {type: object, properties: {x: {type: string}}}
                  labels: {type: object, additionalProperties: {type: string}}
                  open: {type: object, additionalProperties: true, properties: {a: {type: string}}}
                """);
        assertThat(validate(schema, """
                config: {a: x, b: {deep: 1}}
                template: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {x: y}}
                labels: {team: a}
                open: {a: x, b: 2}
                """)).isEmpty();
        assertThat(validate(schema, "template: {spec: {y: 1}}\nlabels: {team: 1}"))
                .extracting(SchemaValidator.Violation::path)
                .containsExactly("template.spec.y", "labels[team]");
        // The root of a CRD always has apiVersion, kind and metadata.
        assertThat(new SchemaValidator(false, 50).validate(yaml("apiVersion: a/v1\nkind: K\nmetadata: {}"),
                schema, true).violations()).isEmpty();
    }

    @Test
    void nullIsAbsentUnlessNullableAndACrdDefaultFillsARequiredField() {
        StructuralSchema schema = crd("""
                type: object
                required: [name, mode, note]
                properties:
                  name: {type: string}
                  mode: {type: string, default: fast}
                  note: {type: string, nullable: true}
                  count: {type: integer}
                """);
        assertThat(validate(schema, "name: a\nnote: null\ncount: null")).isEmpty();
        assertThat(validate(schema, "name: null\nnote: x")).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(SchemaValidator.Kind.REQUIRED);
            assertThat(v.message()).isEqualTo("missing required field \"name\"");
        });
    }

    @Test
    void oneOfWantsExactlyOneAndAnyOfAtLeastOne() {
        StructuralSchema schema = crd("""
                type: object
                properties:
                  source:
                    type: object
                    properties: {secret: {type: string}, configMap: {type: string}}
                    oneOf: [{required: [secret]}, {required: [configMap]}]
                """);
        assertThat(validate(schema, "source: {secret: s}")).isEmpty();
        assertThat(validate(schema, "source: {secret: s, configMap: c}")).singleElement().satisfies(v ->
                assertThat(v.message()).isEqualTo("an object matches 2 of the schemas oneOf allows, not exactly one"));
        assertThat(validate(schema, "source: {}")).extracting(SchemaValidator.Violation::message)
                .containsExactly("an object matches 0 of the schemas oneOf allows, not exactly one");
    }

    @Test
    void aBacktrackingPatternIsNotJudgedAndAnOrdinaryOneIs() {
        // A backreference makes Java's engine backtrack exponentially here (RE2, the API server's, has none).
        StructuralSchema schema = crd("""
                type: object
                properties:
                  evil: {type: string, pattern: '^(a|a)*\\1b'}
                  name: {type: string, pattern: "^[a-z]+$", maxLength: 5}
                """);
        long start = System.nanoTime();
        assertThat(validate(schema, "evil: " + "a".repeat(40) + "!")).isEmpty();
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        assertThat(validate(schema, "name: Abcdefg")).extracting(SchemaValidator.Violation::message).containsExactly(
                "string \"Abcdefg\" is 7 characters long, longer than the maximum 5",
                "string \"Abcdefg\" does not match the pattern ^[a-z]+$");
    }

    @Test
    void aTextualReadingOnlyReportsUnknownFields() {
        StructuralSchema schema = crd("{type: object, required: [b], properties: {a: {type: integer}, b: {}}}");
        List<SchemaValidator.Violation> all = new SchemaValidator(true, 50).validate(yaml("a: x\nc: 1"), schema, false)
                .violations();
        assertThat(all).extracting(SchemaValidator.Violation::path).containsExactly("c");
    }

    @Test
    void findingsPerObjectAreBoundedWithOneMoreSayingHowManyWereLeftOut(@TempDir Path workspace) {
        String crdText = """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: things.example.com}
                spec:
                  group: example.com
                  names: {kind: Thing, plural: things}
                  versions:
                    - name: v1
                      served: true
                      schema:
                        openAPIV3Schema:
                          type: object
                          properties:
                            spec: {type: object, properties: {a: {type: string}}}
                ---
                apiVersion: example.com/v1
                kind: Thing
                metadata: {name: t}
                spec: {b: 1, c: 2, d: 3, e: 4, f: 5}
                """;
        List<RenderedObject> objects = YAML.parse(crdText, "things.yaml", 1).documents().stream()
                .map((YamlDocument d) -> new RenderedObject(d, line -> line)).toList();
        List<Finding> findings = new SchemaChecks(new SchemaChecks.Settings(true, "", List.of(), 2))
                .check(new ChartUnderCheck(objects, "1.31.0", false, workspace, workspace));
        assertThat(findings).extracting(Finding::field).containsExactly("spec.b", "spec.c", null);
        assertThat(findings.getLast().message())
                .isEqualTo("Thing/t: and 3 more schema errors not shown (plugins.helm.schemas.max-findings-per-object"
                        + " is 2)");
    }

    @Test
    void settingsAreCheckedAtTheEdge() {
        assertThatThrownBy(() -> new SchemaChecks.Settings(true, "", List.of(), 0))
                .hasMessage("plugins.helm.schemas.max-findings-per-object must be at least 1, got 0");
        SchemaChecks.Settings defaults = SchemaChecks.Settings.from(TestConfigs.of().get("plugins.helm"));
        assertThat(defaults).isEqualTo(new SchemaChecks.Settings(true, "", List.of(), 50));
        SchemaChecks.Settings set = SchemaChecks.Settings.from(TestConfigs.of("plugins.helm.crds", "a, b",
                "plugins.helm.schemas.dir", "schemas").get("plugins.helm"));
        assertThat(set.crdFolders()).containsExactly("a", "b");
        assertThat(set.dir()).isEqualTo("schemas");
    }
}
