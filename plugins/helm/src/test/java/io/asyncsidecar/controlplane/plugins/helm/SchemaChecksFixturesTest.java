package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.kit.checks.RawChartTemplates;
import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Schema validation on the shared fixtures' real CRDs and objects: Karpenter's NodePool and EC2NodeClass CRDs
 * (a configured CRD folder) against the provider's own examples and the blueprints, KEDA's CRDs (as the chart's
 * templates ship them) against KEDA's samples, and the KEDA chart rendered by the embedded engine against the
 * Kubernetes v1.24 apps/v1 document.
 */
class SchemaChecksFixturesTest {

    private static final String KARPENTER_CRDS = "karpenter/karpenter-provider-aws/crds";
    private static final String KEDA_CRDS = "helm/kedacore-charts/keda/templates/crds";

    private static final SafeYaml YAML = SafeYaml.create();

    private static SchemaChecks checks(String dir, List<String> crdFolders) {
        return new SchemaChecks(new SchemaChecks.Settings(true, dir, crdFolders, 50));
    }

    /** The objects of a YAML text, named as if read from a workspace file; document lines are file lines. */
    private static List<RenderedObject> objects(String text, String file) {
        List<RenderedObject> out = new ArrayList<>();
        for (YamlDocument doc : YAML.parse(text, file, 1).documents()) {
            if (doc.isKubernetesObject()) {
                out.add(new RenderedObject(doc, line -> line));
            }
        }
        return out;
    }

    private static List<RenderedObject> objects(Path root, String relative) throws IOException {
        return objects(Files.readString(root.resolve(relative)), relative);
    }

    /** KEDA's CRDs, read from the chart's templates with its CRD switch on (the only actions are labels). */
    private static List<RenderedObject> kedaCrds(Path root) throws IOException {
        List<RenderedObject> crds = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve(KEDA_CRDS))) {
            for (Path f : files.sorted().toList()) {
                String text = RawChartTemplates.renderText(Files.readString(f),
                        Map.of("crds", Map.of("install", true), "operator", Map.of("name", "keda-operator")));
                crds.addAll(objects(text, root.relativize(f).toString()));
            }
        }
        assertThat(crds).hasSize(6);
        return crds;
    }

    private static ChartUnderCheck chart(Path root, List<RenderedObject> objects) {
        return new ChartUnderCheck(objects, "1.24.0", false, root, root.resolve("karpenter"));
    }

    private static List<Finding> errors(List<Finding> findings) {
        return findings.stream().filter(f -> f.checkId().equals(SchemaChecks.SCHEMA)).toList();
    }

    private static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle + " not in the text");
    }

    @Test
    void karpentersOwnExamplesAndTheBlueprintsValidateAgainstItsCrds() throws IOException {
        Path root = SharedFixtures.root();
        List<RenderedObject> objects = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("karpenter/karpenter-provider-aws/examples/v1", "karpenter/karpenter-provider-aws/test",
                "karpenter/karpenter-blueprints")) {
            try (Stream<Path> walk = Files.walk(root.resolve(dir))) {
                walk.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
            }
        }
        for (Path f : files) {
            objects.addAll(objects(root, root.relativize(f).toString()));
        }
        List<RenderedObject> karpenter = objects.stream()
                .filter(o -> o.ref().apiVersion().startsWith("karpenter.")).toList();
        assertThat(karpenter).hasSizeGreaterThan(40);
        List<Finding> findings = checks("", List.of(KARPENTER_CRDS)).check(chart(root, karpenter));
        // The one blueprint that leaves AMI ids as placeholders for its reader to replace fails the CRD's pattern.
        assertThat(findings).extracting(Finding::file, Finding::field).containsExactly(
                tuple("karpenter/karpenter-blueprints/update-nodes-with-drift/latest-current-ami.yaml",
                        "spec.amiSelectorTerms[0].id"),
                tuple("karpenter/karpenter-blueprints/update-nodes-with-drift/latest-current-ami.yaml",
                        "spec.amiSelectorTerms[1].id"));
        assertThat(findings.getFirst().message()).isEqualTo("EC2NodeClass/latest-current-ami:"
                + " spec.amiSelectorTerms[0].id: string \"<<AMD64PREVAMI>>\" does not match the pattern ami-[0-9a-z]+");
        assertThat(findings.getFirst().line()).isEqualTo(Reports.lineOf(root.resolve(
                "karpenter/karpenter-blueprints/update-nodes-with-drift/latest-current-ami.yaml"), "<<AMD64PREVAMI>>"));
    }

    @Test
    void aNodePoolWithAMisspeltFieldAWrongTypeAndAnOldPolicyIsRefusedFieldByField() {
        Path root = SharedFixtures.root();
        String text = """
                apiVersion: karpenter.sh/v1
                kind: NodePool
                metadata:
                  name: general
                spec:
                  weight: "10"
                  disruption:
                    consolidationPolicy: WhenUnderutilized
                  template:
                    spec:
                      expireAfter: 720h
                      requirements:
                        - key: karpenter.sh/capacity-type
                          operator: In
                          values: ["on-demand"]
                      nodeClassRef:
                        group: karpenter.k8s.aws
                        kind: EC2NodeClass
                        nmae: default
                ---
                apiVersion: karpenter.sh/v1
                kind: NodePool
                metadata:
                  name: valid
                spec:
                  weight: 10
                  template:
                    spec:
                      requirements:
                        - key: karpenter.sh/capacity-type
                          operator: In
                          values: ["spot"]
                      nodeClassRef:
                        group: karpenter.k8s.aws
                        kind: EC2NodeClass
                        name: default
                """;
        List<Finding> findings = errors(checks("", List.of(KARPENTER_CRDS)).check(chart(root,
                objects(text, "nodepools.yaml"))));
        assertThat(findings).allMatch(f -> f.object().name().equals("general"));
        // consolidateAfter has no default of its own: only a missing disruption block gets the CRD's default.
        assertThat(findings).extracting(Finding::field).containsExactlyInAnyOrder("spec.weight",
                "spec.disruption.consolidationPolicy", "spec.disruption.consolidateAfter",
                "spec.template.spec.nodeClassRef.nmae", "spec.template.spec.nodeClassRef.name");
        Finding weight = field(findings, "spec.weight");
        assertThat(weight.message()).isEqualTo("NodePool/general: spec.weight: expected an integer, got string \"10\"");
        assertThat(weight.line()).isEqualTo(lineOf(text, "weight: \"10\""));
        Finding policy = field(findings, "spec.disruption.consolidationPolicy");
        assertThat(policy.message()).isEqualTo("NodePool/general: spec.disruption.consolidationPolicy: string"
                + " \"WhenUnderutilized\" is not one of \"WhenEmpty\", \"WhenEmptyOrUnderutilized\", \"Balanced\"");
        assertThat(policy.line()).isEqualTo(lineOf(text, "consolidationPolicy:"));
        Finding misspelt = field(findings, "spec.template.spec.nodeClassRef.nmae");
        assertThat(misspelt.message())
                .isEqualTo("NodePool/general: spec.template.spec.nodeClassRef: unknown field \"nmae\"");
        assertThat(misspelt.remediation()).contains("Did you mean \"name\"?",
                "the CRD nodepools.karpenter.sh (" + KARPENTER_CRDS + "/karpenter.sh_nodepools.yaml), version v1");
        assertThat(misspelt.line()).isEqualTo(lineOf(text, "nmae:"));
        Finding name = field(findings, "spec.template.spec.nodeClassRef.name");
        assertThat(name.message()).isEqualTo("NodePool/general: spec.template.spec.nodeClassRef: missing required"
                + " field \"name\"");
        assertThat(name.line()).isEqualTo(lineOf(text, "nodeClassRef:"));
    }

    @Test
    void aV1beta1ExampleIsRefusedAtItsApiVersion() throws IOException {
        Path root = SharedFixtures.root();
        String file = "karpenter/karpenter-provider-aws/examples/v1beta1/multiple-ebs.yaml";
        List<Finding> findings = errors(checks("", List.of(KARPENTER_CRDS)).check(chart(root, objects(root, file))));
        assertThat(findings).isNotEmpty().allSatisfy(f -> {
            assertThat(f.field()).isEqualTo("apiVersion");
            assertThat(f.message()).contains("v1beta1 is not a version the CRD", "(served: v1)");
        });
        assertThat(findings.getFirst().line()).isEqualTo(Reports.lineOf(root.resolve(file), "apiVersion: karpenter"));
    }

    @Test
    void kedasSamplesValidateAgainstItsCrdsAndABrokenScaledObjectDoesNot() throws IOException {
        Path root = SharedFixtures.root();
        List<RenderedObject> objects = new ArrayList<>(kedaCrds(root));
        for (String sample : List.of("keda/keda/config-samples/keda_v1alpha1_scaledobject.yaml",
                "keda/keda/config-samples/keda_v1alpha1_clustertriggerauthentication.yaml",
                "keda/kedacore-charts/samples/nginx-scaledobject.yml",
                "keda/sample-dotnet-worker-servicebus-queue/connection-string/deploy-autoscaling.yaml",
                "keda/sample-dotnet-worker-servicebus-queue/workload-identity/deploy-app-autoscaling.yaml")) {
            objects.addAll(objects(root, sample));
        }
        String text = """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: orders
                spec:
                  scaleTargetRef:
                    kind: Deployment
                  minReplicaCount: "1"
                  triggers:
                    - type: rabbitmq
                      metdata:
                        queueName: orders
                """;
        objects.addAll(objects(text, "scaledobject.yaml"));
        List<Finding> findings = errors(checks("", List.of()).check(chart(root, objects)));
        assertThat(findings).allMatch(f -> f.object().name().equals("orders"));
        assertThat(findings).extracting(Finding::field).containsExactlyInAnyOrder("spec.scaleTargetRef.name",
                "spec.minReplicaCount", "spec.triggers[0].metadata", "spec.triggers[0].metdata");
        assertThat(field(findings, "spec.minReplicaCount").message())
                .isEqualTo("ScaledObject/orders: spec.minReplicaCount: expected an integer, got string \"1\"");
        assertThat(field(findings, "spec.minReplicaCount").line()).isEqualTo(lineOf(text, "minReplicaCount"));
        Finding misspelt = field(findings, "spec.triggers[0].metdata");
        assertThat(misspelt.message()).isEqualTo("ScaledObject/orders: spec.triggers[0]: unknown field \"metdata\"");
        assertThat(misspelt.remediation()).contains("Did you mean \"metadata\"?", "scaledobjects.keda.sh");
        assertThat(misspelt.line()).isEqualTo(lineOf(text, "metdata:"));
        assertThat(field(findings, "spec.scaleTargetRef.name").line()).isEqualTo(lineOf(text, "scaleTargetRef:"));
    }

    @Test
    void theKedaChartRenderedByTheEmbeddedEngineHasNoSchemaErrors() throws IOException {
        Path root = SharedFixtures.root();
        Path chartDir = root.resolve("helm/kedacore-charts/keda");
        RenderOutcome outcome;
        try (EmbeddedHelmEngine engine = new EmbeddedHelmEngine(Duration.ofSeconds(120), 1)) {
            outcome = engine.render(new RenderRequest(chartDir, "keda", "keda", "1.24.0", List.of(), Map.of()));
        }
        assertThat(outcome).isInstanceOf(RenderOutcome.Rendered.class);
        List<RenderedObject> objects = new RenderedOutput(YAML, root, chartDir, "keda")
                .parse(((RenderOutcome.Rendered) outcome).yaml()).objects();
        ChartUnderCheck chart = new ChartUnderCheck(objects, "1.24.0", false, root, chartDir);
        SchemaChecks checks = checks("openapi/kube-openapi", List.of());
        List<Finding> findings = checks.check(chart);
        assertThat(errors(findings)).isEmpty();
        // The Deployments were validated; kinds the fixture documents lack (core v1, RBAC...) are infos.
        assertThat(findings).noneMatch(f -> f.message().startsWith("apps/v1 "));
        assertThat(findings).anyMatch(f -> f.message().startsWith("v1 ServiceAccount: "));
        assertThat(findings).allMatch(f -> f.checkId().equals(SchemaChecks.SCHEMA_UNKNOWN));

        // Figure for the docs: validating the chart's objects, documents cached, after a warm-up.
        for (int i = 0; i < 20; i++) {
            checks.check(chart);
        }
        // The best of ten batches: the machine is shared, and the figure is about the work, not the neighbours.
        double micros = Double.MAX_VALUE;
        for (int batch = 0; batch < 10; batch++) {
            long start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                checks.check(chart);
            }
            micros = Math.min(micros, (System.nanoTime() - start) / 1000.0 / 100);
        }
        System.out.printf("schema validation of the keda chart's %d objects: %.0f us per check%n", objects.size(),
                micros);
        assertThat(micros).isPositive();
    }

    private static Finding field(List<Finding> findings, String field) {
        return findings.stream().filter(f -> field.equals(f.field())).findFirst()
                .orElseThrow(() -> new AssertionError("no finding for " + field + " in " + findings));
    }
}
