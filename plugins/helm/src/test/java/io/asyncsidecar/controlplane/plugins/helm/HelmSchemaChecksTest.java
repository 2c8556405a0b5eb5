package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

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
 * Schema validation through GET /api/helm/checks on small charts of the test's own, against the real Kubernetes
 * v1.24 OpenAPI documents of the shared fixtures (apps/v1 as OpenAPI v3, batch/v1 as Swagger 2.0) used in place
 * as {@code plugins.helm.schemas.dir}, and against CRDs of the chart's crds/ folder and of a configured folder.
 */
@ServerTest
class HelmSchemaChecksTest {

    private static final Path WORKSPACE = Path.of("target/test-workspaces/schemas").toAbsolutePath();
    private static final String API = "charts/api";
    private static final String TEXTUAL = "charts/textual";
    private static final String SCHEMA = "helm.schema";
    private static final String UNKNOWN = "helm.schema-unknown";
    private static final String V124 = "&kubeVersion=1.24.0";

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        Path openapi = SharedFixtures.path("openapi/kube-openapi");
        buildWorkspace();
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "workspace", WORKSPACE.toString(),
                "data-dir", "target/test-data/schemas",
                "plugins.helm.engines", "helm-java",
                "plugins.helm.chart", API,
                "plugins.helm.schemas.dir", openapi.toString(),
                "plugins.helm.crds", "crds-extra"));
    }

    private static Path template(String chart, String name) {
        return WORKSPACE.resolve(chart).resolve("templates").resolve(name);
    }

    @Test
    void aMisspeltFieldAWrongTypeAndAMissingNameAreErrorsAtTheirLines(Http1Client client) throws IOException {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + API + V124);
        assertThat(report.getBoolean("rendered")).isTrue();
        List<JsonObject> api = Reports.findings(report, SCHEMA, "Deployment", "api");
        assertThat(api).extracting(f -> f.getString("field")).containsExactlyInAnyOrder(
                "spec.replicas", "spec.template.spec.containers[0].imagePullPolcy",
                "spec.template.spec.containers[1].name");
        Path file = template(API, "deployment.yaml");

        JsonObject misspelt = field(api, "spec.template.spec.containers[0].imagePullPolcy");
        assertThat(misspelt.getString("message")).isEqualTo(
                "Deployment/api: spec.template.spec.containers[0]: unknown field \"imagePullPolcy\"");
        assertThat(misspelt.getString("remediation")).contains("Did you mean \"imagePullPolicy\"?",
                "apps/v1 Deployment of Kubernetes v1.24 (openapi_v3_0_0_apps_v1.json)");
        assertThat(misspelt.getString("file")).isEqualTo(API + "/templates/deployment.yaml");
        assertThat(misspelt.getInt("line")).isEqualTo(Reports.lineOf(file, "imagePullPolcy:"));
        assertThat(misspelt.getString("container")).isEqualTo("api");
        assertThat(misspelt.getString("severity")).isEqualTo("error");

        // values.yaml says 3; the template quotes it, and a quoted number is a string.
        JsonObject replicas = field(api, "spec.replicas");
        assertThat(replicas.getString("message"))
                .isEqualTo("Deployment/api: spec.replicas: expected an integer, got string \"3\"");
        assertThat(replicas.getInt("line")).isEqualTo(Reports.lineOf(file, "replicas:"));

        JsonObject name = field(api, "spec.template.spec.containers[1].name");
        assertThat(name.getString("message"))
                .isEqualTo("Deployment/api: spec.template.spec.containers[1]: missing required field \"name\"");
        assertThat(name.getInt("line")).isEqualTo(Reports.lineOf(file, "- image: \"registry.example.com/sidecar"));
    }

    @Test
    void aDeploymentUsingQuantitiesPortNamesAndMapsIsValid(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + API + V124);
        assertThat(Reports.findings(report, SCHEMA, "Deployment", "clean")).isEmpty();
        // Validated, so not reported as unknown either.
        assertThat(Reports.findings(report, UNKNOWN)).noneMatch(f -> f.getString("message").startsWith("apps/v1"));
    }

    @Test
    void batchKindsValidateAgainstTheSwaggerDocument(Http1Client client) throws IOException {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + API + V124);
        List<JsonObject> cron = Reports.findings(report, SCHEMA, "CronJob", "nightly");
        assertThat(cron).singleElement().satisfies(f -> {
            assertThat(f.getString("field")).isEqualTo("spec.suspend");
            assertThat(f.getString("message")).isEqualTo(
                    "CronJob/nightly: spec.suspend: expected a boolean, got string \"no\"");
            assertThat(f.getString("remediation")).contains("(v2_batch.v1.json)");
            assertThat(f.getInt("line")).isEqualTo(Reports.lineOf(template(API, "cronjob.yaml"), "suspend:"));
        });
    }

    @Test
    void aKindWithoutASchemaIsOneInfoNotAnError(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + API + V124);
        assertThat(Reports.findings(report, SCHEMA, "ConfigMap", "settings")).isEmpty();
        List<JsonObject> unknown = Reports.findings(report, UNKNOWN, "ConfigMap", "settings");
        assertThat(unknown).singleElement().satisfies(f -> {
            assertThat(f.getString("severity")).isEqualTo("info");
            assertThat(f.getString("message")).isEqualTo("v1 ConfigMap: ConfigMap/settings not validated: no"
                    + " OpenAPI document for Kubernetes v1.24 in the schema folder defines it");
            assertThat(f.getString("remediation")).contains("/openapi/v3/api/v1");
        });
    }

    @Test
    void theTargetVersionPicksTheDocuments(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + API + "&kubeVersion=1.31.0");
        // No v1.31 documents: nothing built-in is validated, and each kind says why once.
        assertThat(Reports.findings(report, SCHEMA, "Deployment", "api")).isEmpty();
        List<JsonObject> deployments = Reports.findings(report, UNKNOWN).stream()
                .filter(f -> f.getString("message").startsWith("apps/v1 Deployment:")).toList();
        assertThat(deployments).singleElement().satisfies(f -> assertThat(f.getString("message")).isEqualTo(
                "apps/v1 Deployment: 2 objects not validated: the schema folder describes it for v1.24 only, not"
                        + " for the target v1.31"));
        // The CRDs do not depend on the Kubernetes version.
        assertThat(Reports.findings(report, SCHEMA, "Widget", "broken")).isNotEmpty();
    }

    @Test
    void aCustomResourceValidatesAgainstItsCrdFromTheChartsCrdsFolder(Http1Client client) throws IOException {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + API + V124);
        assertThat(Reports.findings(report, SCHEMA, "Widget", "good")).isEmpty();
        List<JsonObject> broken = Reports.findings(report, SCHEMA, "Widget", "broken");
        assertThat(broken).extracting(f -> f.getString("field")).containsExactlyInAnyOrder(
                "spec.size", "spec.sise", "spec.mode", "spec.port", "spec.labels[tier]");
        Path file = template(API, "widgets.yaml");
        JsonObject sise = field(broken, "spec.sise");
        assertThat(sise.getString("message")).isEqualTo("Widget/broken: spec: unknown field \"sise\"");
        assertThat(sise.getString("remediation")).contains("Did you mean \"size\"?",
                "the CRD widgets.example.com (" + API + "/crds/widgets.yaml), version v1");
        assertThat(sise.getInt("line")).isEqualTo(Reports.lineOf(file, "sise:"));
        assertThat(field(broken, "spec.mode").getString("message"))
                .isEqualTo("Widget/broken: spec.mode: string \"medium\" is not one of \"fast\", \"slow\"");
        assertThat(field(broken, "spec.port").getString("message"))
                .isEqualTo("Widget/broken: spec.port: expected an integer or a string, got boolean true");
        assertThat(field(broken, "spec.labels[tier]").getString("message"))
                .isEqualTo("Widget/broken: spec.labels[tier]: expected a string, got integer 1");
        assertThat(field(broken, "spec.labels[tier]").getInt("line")).isEqualTo(Reports.lineOf(file, "tier: 1"));
        // size is required; retries is too, but has a default the API server fills in.
        assertThat(field(broken, "spec.size").getString("message"))
                .isEqualTo("Widget/broken: spec: missing required field \"size\"");
    }

    @Test
    void aVersionTheCrdDoesNotServeIsAnError(Http1Client client) throws IOException {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + API + V124);
        assertThat(Reports.findings(report, SCHEMA, "Widget", "old")).singleElement().satisfies(f -> {
            assertThat(f.getString("field")).isEqualTo("apiVersion");
            assertThat(f.getString("message")).isEqualTo("Widget/old: apiVersion example.com/v1beta1 is not a"
                    + " version the CRD widgets.example.com serves (served: v1)");
            assertThat(f.getInt("line")).isEqualTo(Reports.lineOf(template(API, "widgets.yaml"),
                    "apiVersion: example.com/v1beta1"));
        });
    }

    @Test
    void aConfiguredCrdFolderIsReadAndAnUnknownGroupIsSaidOnce(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + API + V124);
        assertThat(Reports.findings(report, SCHEMA, "Gadget", "g1")).singleElement().satisfies(f ->
                assertThat(f.getString("message")).isEqualTo("Gadget/g1: spec.count: 0 is below the minimum 1"));
        assertThat(Reports.findings(report, UNKNOWN, "Gizmo", "z1")).singleElement().satisfies(f ->
                assertThat(f.getString("message")).isEqualTo("other.example.com/v1 Gizmo: Gizmo/z1 not validated:"
                        + " no CRD of other.example.com Gizmo is known (the chart's objects, its crds/ folder,"
                        + " plugins.helm.crds)"));
    }

    @Test
    void anIgnoreAnnotationCoversSchemaFindings(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + API + V124);
        assertThat(Reports.findings(report, SCHEMA, "Widget", "ignored")).isEmpty();
        assertThat(Reports.ignored(report, SCHEMA, "Widget", "ignored")).singleElement().satisfies(f ->
                assertThat(f.getString("ignored_reason")).isEqualTo("migrating to v2"));
    }

    @Test
    void aTextualReadingReportsOnlyLiteralUnknownFields(Http1Client client) throws IOException {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + TEXTUAL + V124);
        assertThat(report.getString("engine")).isEqualTo("text");
        List<JsonObject> web = Reports.findings(report, SCHEMA, "Deployment", "web");
        // replicas: "three" and the container without a name are not judged on a textual reading.
        assertThat(web).singleElement().satisfies(f -> {
            assertThat(f.getString("field")).isEqualTo("spec.template.spec.containers[0].imagePullPolcy");
            assertThat(f.getInt("line")).isEqualTo(Reports.lineOf(template(TEXTUAL, "deployment.yaml"),
                    "imagePullPolcy:"));
        });
    }

    private static JsonObject field(List<JsonObject> findings, String field) {
        return findings.stream().filter(f -> field.equals(f.getString("field", null))).findFirst()
                .orElseThrow(() -> new AssertionError("no finding for " + field + " in " + findings));
    }

    private static void buildWorkspace() throws IOException {
        if (Files.exists(WORKSPACE)) {
            try (Stream<Path> walk = Files.walk(WORKSPACE)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        TestTrees.write(WORKSPACE, API + "/Chart.yaml", "apiVersion: v2\nname: api\nversion: 0.1.0\nappVersion: \"1.0\"\n");
        TestTrees.write(WORKSPACE, API + "/values.yaml", "replicas: 3\n");
        TestTrees.write(WORKSPACE, API + "/templates/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: api
                spec:
                  replicas: {{ .Values.replicas | quote }}
                  selector:
                    matchLabels:
                      app: api
                  template:
                    metadata:
                      labels:
                        app: api
                    spec:
                      containers:
                        - name: api
                          image: "registry.example.com/api:1.0"
                          imagePullPolcy: IfNotPresent
                        - image: "registry.example.com/sidecar:1.0"
                """);
        TestTrees.write(WORKSPACE, API + "/templates/clean.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: clean
                  labels:
                    app.kubernetes.io/name: clean
                  annotations:
                    example.com/owner: "team-a"
                spec:
                  replicas: {{ .Values.replicas }}
                  strategy:
                    type: RollingUpdate
                    rollingUpdate:
                      maxSurge: 25%
                      maxUnavailable: 0
                  selector:
                    matchLabels:
                      app: clean
                  template:
                    metadata:
                      labels:
                        app: clean
                    spec:
                      securityContext:
                        runAsNonRoot: true
                        runAsUser: 10001
                      containers:
                        - name: clean
                          image: "registry.example.com/clean:1.0"
                          imagePullPolicy: IfNotPresent
                          args: ["--port", "8080"]
                          ports:
                            - name: http
                              containerPort: 8080
                          env:
                            - name: MODE
                              value: "fast"
                            - name: POD_NAME
                              valueFrom:
                                fieldRef:
                                  fieldPath: metadata.name
                          readinessProbe:
                            httpGet:
                              path: /ready
                              port: http
                          livenessProbe:
                            tcpSocket:
                              port: 8080
                            initialDelaySeconds: 5
                          resources:
                            requests:
                              cpu: 0.5
                              memory: 128Mi
                            limits:
                              cpu: 1
                              memory: 256Mi
                          securityContext:
                            readOnlyRootFilesystem: true
                            allowPrivilegeEscalation: false
                            capabilities:
                              drop: ["ALL"]
                          volumeMounts:
                            - name: tmp
                              mountPath: /tmp
                      volumes:
                        - name: tmp
                          emptyDir:
                            sizeLimit: 64Mi
                """);
        TestTrees.write(WORKSPACE, API + "/templates/cronjob.yaml", """
                apiVersion: batch/v1
                kind: CronJob
                metadata:
                  name: nightly
                spec:
                  schedule: "0 3 * * *"
                  suspend: "no"
                  jobTemplate:
                    spec:
                      backoffLimit: 2
                      template:
                        spec:
                          restartPolicy: OnFailure
                          containers:
                            - name: report
                              image: "registry.example.com/report:1.0"
                """);
        TestTrees.write(WORKSPACE, API + "/templates/configmap.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  mode: fast
                """);
        TestTrees.write(WORKSPACE, API + "/crds/widgets.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: widgets.example.com
                spec:
                  group: example.com
                  names:
                    kind: Widget
                    plural: widgets
                  scope: Namespaced
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
                              required: [size, retries]
                              properties:
                                size:
                                  type: integer
                                  minimum: 1
                                retries:
                                  type: integer
                                  default: 3
                                mode:
                                  type: string
                                  enum: [fast, slow]
                                port:
                                  x-kubernetes-int-or-string: true
                                  anyOf:
                                    - type: integer
                                    - type: string
                                labels:
                                  type: object
                                  additionalProperties:
                                    type: string
                                template:
                                  type: object
                                  x-kubernetes-preserve-unknown-fields: true
                    - name: v1beta1
                      served: false
                      storage: false
                      schema:
                        openAPIV3Schema:
                          type: object
                          x-kubernetes-preserve-unknown-fields: true
                """);
        TestTrees.write(WORKSPACE, API + "/templates/widgets.yaml", """
                apiVersion: example.com/v1
                kind: Widget
                metadata:
                  name: good
                spec:
                  size: 2
                  mode: fast
                  port: http
                  labels:
                    tier: backend
                  template:
                    anything:
                      goes: [1, 2]
                ---
                apiVersion: example.com/v1
                kind: Widget
                metadata:
                  name: broken
                spec:
                  sise: 3
                  mode: medium
                  port: true
                  labels:
                    tier: 1
                ---
                apiVersion: example.com/v1beta1
                kind: Widget
                metadata:
                  name: old
                spec:
                  size: 1
                ---
                apiVersion: example.com/v1
                kind: Widget
                metadata:
                  name: ignored
                  annotations:
                    ignore-check.controlplane.asyncsidecar.io/helm.schema: "migrating to v2"
                spec:
                  size: 1
                  colour: blue
                """);
        TestTrees.write(WORKSPACE, API + "/templates/gadgets.yaml", """
                apiVersion: example.com/v1
                kind: Gadget
                metadata:
                  name: g1
                spec:
                  count: 0
                ---
                apiVersion: other.example.com/v1
                kind: Gizmo
                metadata:
                  name: z1
                spec: {}
                """);
        TestTrees.write(WORKSPACE, "crds-extra/gadgets.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: gadgets.example.com
                spec:
                  group: example.com
                  names:
                    kind: Gadget
                    plural: gadgets
                  scope: Namespaced
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
                              properties:
                                count:
                                  type: integer
                                  minimum: 1
                """);
        TestTrees.write(WORKSPACE, TEXTUAL + "/Chart.yaml",
                "apiVersion: v2\nname: textual\nversion: 0.1.0\nappVersion: \"1.0\"\n");
        TestTrees.write(WORKSPACE, TEXTUAL + "/templates/fail.yaml", "{{ fail \"needs a cluster\" }}\n");
        TestTrees.write(WORKSPACE, TEXTUAL + "/templates/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: "three"
                  selector:
                    matchLabels:
                      app: web
                  template:
                    metadata:
                      labels:
                        app: web
                    spec:
                      containers:
                        - image: "registry.example.com/web:1.0"
                          imagePullPolcy: IfNotPresent
                """);
    }
}
