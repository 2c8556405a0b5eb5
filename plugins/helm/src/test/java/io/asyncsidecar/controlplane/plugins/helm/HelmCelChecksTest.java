package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CEL through GET /api/helm/checks: a chart's custom resources against their CRD's x-kubernetes-validations, the
 * Kubernetes documentation's ValidatingAdmissionPolicy examples (shared fixtures) against small charts, and custom
 * checks from the config, among them a hostile one. The workspace is built under target/ for the test: the
 * charts, bindings, parameters and Namespaces the test writes; the fixture policies are read in place, as an
 * operator's absolute policy folder.
 */
@ServerTest
class HelmCelChecksTest {

    private static final Path WORKSPACE = Path.of("target/test-workspaces/cel").toAbsolutePath();
    private static final String CRD_RULE = "helm.crd-rule";
    private static final String POLICY = "helm.admission-policy";
    private static final String TEAM = "helm.custom.team-label";
    private static final String HOSTILE = "helm.custom.hostile";
    private static final String TEN = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]";

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        buildWorkspace();
        String nested = TEN + ".all(a, " + TEN + ".all(b, " + TEN + ".all(c, " + TEN + ".all(d, " + TEN + ".all(e, "
                + TEN + ".all(f, " + TEN + ".all(g, a + b + c + d + e + f + g >= 0)))))))";
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "workspace", WORKSPACE.toString(),
                "data-dir", "target/test-data/cel",
                "plugins.helm.engines", "helm-java",
                "plugins.helm.chart", "charts/small",
                "plugins.helm.admission-policies.0", SharedFixtures.path("admission/kubernetes-website").toString(),
                "plugins.helm.admission-policies.1", "policies",
                "plugins.helm.custom-checks.0.id", "team-label",
                "plugins.helm.custom-checks.0.severity", "warning",
                "plugins.helm.custom-checks.0.kinds.0", "Deployment",
                "plugins.helm.custom-checks.0.expression",
                "has(object.metadata.labels) && 'team' in object.metadata.labels",
                "plugins.helm.custom-checks.0.message", "every Deployment names its owning team",
                "plugins.helm.custom-checks.1.id", "hostile",
                "plugins.helm.custom-checks.1.severity", "info",
                "plugins.helm.custom-checks.1.kind", "Deployment",
                "plugins.helm.custom-checks.1.expression", nested,
                "plugins.helm.custom-checks.1.message", "ten million iterations"));
    }

    private static void buildWorkspace() throws IOException {
        TestTrees.clear(WORKSPACE);
        TestTrees.write(WORKSPACE, "policies/namespaces.yaml", """
                apiVersion: v1
                kind: Namespace
                metadata: {name: test-ns, labels: {environment: test}}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: prod-ns, labels: {environment: prod}}
                """);
        TestTrees.write(WORKSPACE, "policies/site-bindings.yaml", """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: replicalimit-test.example.com}
                spec:
                  policyName: replicalimit-policy.example.com
                  validationActions: [Warn]
                  paramRef: {name: replica-limit-test, namespace: test-ns, parameterNotFoundAction: Deny}
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: replicalimit-absent.example.com}
                spec:
                  policyName: replicalimit-policy.example.com
                  validationActions: [Deny]
                  paramRef: {name: replica-limit-absent, namespace: test-ns, parameterNotFoundAction: Deny}
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: deploy-replica-audit.example.com}
                spec:
                  policyName: deploy-replica-policy.example.com
                  validationActions: [Audit]
                ---
                apiVersion: rules.example.com/v1
                kind: ReplicaLimit
                metadata: {name: replica-limit-test, namespace: test-ns}
                maxReplicas: 3
                """);
        deploymentChart("small", "test-ns", 2, true);
        deploymentChart("big", "test-ns", 6, false);
        deploymentChart("prod", "prod-ns", 6, true);
        deploymentChart("unknown-namespace", "nowhere", 6, true);
        TestTrees.write(WORKSPACE, "charts/own-policy/Chart.yaml", "apiVersion: v2\nname: own-policy\nversion: 0.1.0\n");
        TestTrees.write(WORKSPACE, "charts/own-policy/templates/policy.yaml", """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: need-image-digest}
                spec:
                  matchConstraints:
                    resourceRules:
                      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
                  variables:
                    - name: images
                      expression: "object.spec.template.spec.containers.map(c, c.image)"
                  validations:
                    - expression: "variables.images.all(i, i.contains('@sha256:'))"
                      messageExpression: "'images not pinned by digest: ' + variables.images.filter(i, !i.contains('@sha256:')).join(', ')"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: need-image-digest}
                spec: {policyName: need-image-digest, validationActions: [Deny]}
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: not-bound-anywhere}
                spec:
                  matchConstraints:
                    resourceRules:
                      - {apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"]}
                  validations:
                    - expression: "false"
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: test-ns, labels: {team: core}}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata: {labels: {app: api}}
                    spec:
                      containers:
                        - {name: api, image: "registry.example.com/api:1.0"}
                        - {name: proxy, image: "registry.example.com/proxy@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
                """);
        TestTrees.write(WORKSPACE, "charts/widgets/Chart.yaml", "apiVersion: v2\nname: widgets\nversion: 0.1.0\n");
        TestTrees.write(WORKSPACE, "charts/widgets/crds/widgets.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.example.com}
                spec:
                  group: example.com
                  scope: Namespaced
                  names: {kind: Widget, plural: widgets, singular: widget}
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema:
                        openAPIV3Schema:
                          type: object
                          properties:
                            spec:
                              type: object
                              x-kubernetes-validations:
                                - rule: self.minReplicas <= self.maxReplicas
                                  message: minReplicas must not exceed maxReplicas
                                  fieldPath: .minReplicas
                                - rule: self.mode == oldSelf.mode
                                  message: mode is immutable
                              properties:
                                minReplicas: {type: integer}
                                maxReplicas: {type: integer, default: 10}
                                mode: {type: string}
                """);
        TestTrees.write(WORKSPACE, "charts/widgets/templates/widgets.yaml", """
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: too-many}
                spec:
                  minReplicas: 12
                  mode: fast
                ---
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: fine}
                spec:
                  minReplicas: 2
                  maxReplicas: 4
                """);
    }

    private static void deploymentChart(String name, String namespace, int replicas, boolean team)
            throws IOException {
        TestTrees.write(WORKSPACE, "charts/" + name + "/Chart.yaml", "apiVersion: v2\nname: " + name
                + "\nversion: 0.1.0\n");
        TestTrees.write(WORKSPACE, "charts/" + name + "/templates/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: %s
                  labels: {app: web%s}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - {name: web, image: "registry.example.com/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
                """.formatted(namespace, team ? ", team: web" : "", replicas));
    }

    private static JsonObject check(Http1Client client, String chart) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=charts/" + chart);
        assertThat(report.getBoolean("rendered")).as(chart).isTrue();
        return report;
    }

    private static List<JsonObject> policy(JsonObject report, String policyName) {
        return Reports.findings(report, POLICY).stream()
                .filter(f -> f.getString("message").contains("admission policy " + policyName + " ")).toList();
    }

    @Test
    void crdRulesFireOnTheBreakingObjectWithTheRulesFieldPath(Http1Client client) throws IOException {
        JsonObject report = check(client, "widgets");
        List<JsonObject> broken = Reports.findings(report, CRD_RULE, "Widget", "too-many");
        // maxReplicas defaults to 10 before the rule runs; the transition rule on mode is not evaluated
        assertThat(broken).hasSize(1);
        JsonObject f = broken.getFirst();
        assertThat(f.getString("severity")).isEqualTo("error");
        assertThat(f.getString("message")).contains("minReplicas must not exceed maxReplicas")
                .contains("widgets.example.com");
        assertThat(f.getString("field")).isEqualTo("spec.minReplicas");
        assertThat(f.getString("file")).isEqualTo("charts/widgets/templates/widgets.yaml");
        assertThat(f.getInt("line")).isEqualTo(Reports.lineOf(WORKSPACE.resolve("charts/widgets/templates/widgets.yaml"),
                "spec:"));
        assertThat(Reports.findings(report, CRD_RULE, "Widget", "fine")).isEmpty();
        assertThat(report.getJsonArray("rules").stream().map(r -> r.asJsonObject().getString("id")))
                .contains(CRD_RULE, POLICY, TEAM, HOSTILE);
    }

    @Test
    void theBasicExamplePolicyDeniesMoreThanFiveReplicasInATestNamespace(Http1Client client) {
        List<JsonObject> big = policy(check(client, "big"), "demo-policy.example.com");
        assertThat(big).hasSize(1);
        assertThat(big.getFirst().getString("severity")).isEqualTo("error");
        assertThat(big.getFirst().getString("message")).contains("Deployment/test-ns/web")
                .contains("is denied by admission policy demo-policy.example.com")
                .contains("binding demo-binding-test.example.com, Deny")
                .contains("failed expression: object.spec.replicas <= 5");
        assertThat(big.getFirst().getString("file")).isEqualTo("charts/big/templates/deployment.yaml");
        assertThat(policy(check(client, "small"), "demo-policy.example.com")).isEmpty();
        // the binding's namespaceSelector picks environment=test: prod-ns is not bound
        assertThat(policy(check(client, "prod"), "demo-policy.example.com")).isEmpty();
    }

    @Test
    void aNamespaceWhoseLabelsAreUnknownIsNotJudged(Http1Client client) {
        List<JsonObject> undecided = policy(check(client, "unknown-namespace"), "demo-policy.example.com");
        assertThat(undecided).hasSize(1);
        assertThat(undecided.getFirst().getString("severity")).isEqualTo("info");
        assertThat(undecided.getFirst().getString("message")).contains("1 object(s) not judged")
                .contains("Deployment/nowhere/web");
    }

    @Test
    void paramsComeFromTheWorkspaceAndTheBindingsActionSetsTheSeverity(Http1Client client) {
        List<JsonObject> big = policy(check(client, "big"), "replicalimit-policy.example.com");
        JsonObject warn = big.stream().filter(f -> f.getString("message").contains("replicalimit-test.example.com"))
                .findFirst().orElseThrow();
        assertThat(warn.getString("severity")).isEqualTo("warning");
        assertThat(warn.getString("message")).contains("draws a warning from")
                .contains("failed expression: object.spec.replicas <= params.maxReplicas").contains("reason Invalid");
        JsonObject absent = big.stream().filter(f -> f.getString("message").contains("replicalimit-absent"))
                .findFirst().orElseThrow();
        assertThat(absent.getString("severity")).isEqualTo("info");
        assertThat(absent.getString("message")).contains("params not available offline")
                .contains("ReplicaLimit 'replica-limit-absent'");
        // two replicas are under the parameter's three
        assertThat(policy(check(client, "small"), "replicalimit-policy.example.com"))
                .noneMatch(f -> f.getString("message").contains("draws a warning"));
    }

    @Test
    void theTypeCheckingExamplesBrokenExpressionFailsAsAnAuditFinding(Http1Client client) {
        List<JsonObject> audit = policy(check(client, "small"), "deploy-replica-policy.example.com");
        assertThat(audit).hasSize(1);
        assertThat(audit.getFirst().getString("severity")).isEqualTo("info");
        assertThat(audit.getFirst().getString("message")).contains("is audited by")
                .contains("could not be evaluated").contains("replicas");
    }

    @Test
    void aChartsOwnPolicyAppliesAndAnUnboundOneIsReported(Http1Client client) {
        JsonObject report = check(client, "own-policy");
        List<JsonObject> digest = policy(report, "need-image-digest");
        assertThat(digest).hasSize(1);
        assertThat(digest.getFirst().getString("message"))
                .contains("images not pinned by digest: registry.example.com/api:1.0")
                .doesNotContain("proxy@sha256");
        List<JsonObject> unbound = policy(report, "not-bound-anywhere");
        assertThat(unbound).hasSize(1);
        assertThat(unbound.getFirst().getString("severity")).isEqualTo("info");
        assertThat(unbound.getFirst().getString("message")).contains("has no binding");
        assertThat(unbound.getFirst().getJsonObject("object").getString("kind")).isEqualTo("ValidatingAdmissionPolicy");
    }

    @Test
    void customChecksFireOnlyWhereTheirExpressionIsFalse(Http1Client client) {
        List<JsonObject> team = Reports.findings(check(client, "big"), TEAM, "Deployment", "web");
        assertThat(team).hasSize(1);
        assertThat(team.getFirst().getString("severity")).isEqualTo("warning");
        assertThat(team.getFirst().getString("message")).isEqualTo("Deployment/test-ns/web: every Deployment names"
                + " its owning team");
        assertThat(Reports.findings(check(client, "small"), TEAM)).isEmpty();
        // the custom check looks at Deployments only: the Widgets have no team label and are not judged
        assertThat(Reports.findings(check(client, "widgets"), TEAM)).isEmpty();
    }

    @Test
    void aHostileCustomCheckEndsQuicklyWithAnErrorOutcome(Http1Client client) {
        long start = System.nanoTime();
        List<JsonObject> hostile = Reports.findings(check(client, "small"), HOSTILE, "Deployment", "web");
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(20_000);
        assertThat(hostile).hasSize(1);
        assertThat(hostile.getFirst().getString("message")).contains("could not be evaluated")
                .containsAnyOf("iteration limit", "time limit");
    }
}
