package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relation rule through GET /api/helm/checks, one row per way it fires: a small chart written for the row
 * where the rule fires on the named object and field, at the template line of the offending field, and the
 * same chart fixed, where it does not fire at all. Each object is its own template, so a row's line is looked
 * up in the file the finding names.
 */
@ServerTest
class RelationRulesTest {

    private static final Path WORKSPACE = Path.of("target/test-workspaces/relations").toAbsolutePath();

    private static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                    - name: app
                      image: nginx:1.27
                      ports:
                        - name: http
                          containerPort: 8080
            """;
    private static final String WEB_SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              selector:
                app: web
              ports:
                - name: http
                  port: 80
                  targetPort: http
            """;

    /**
     * One way a rule fires.
     *
     * @param name   the row's name (its charts are charts/name-bad and charts/name-good)
     * @param check  the rule id
     * @param kind   the kind of the object the finding is about
     * @param object its name
     * @param field  the finding's field path
     * @param marker text of the template line the finding points at (first occurrence in its file)
     * @param says   a text the message contains (the offending value)
     * @param bad    the objects of the firing chart
     * @param good   the objects of the fixed chart
     */
    record Row(String name, String check, String kind, String object, String field, String marker, String says,
               List<String> bad, List<String> good) {

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        String pdb = """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata:
                  name: web
                spec:
                  %s
                  unhealthyPodEvictionPolicy: AlwaysAllow
                  selector:
                    matchLabels:
                      app: %s
                """;
        rows.add(new Row("pdb-max-unavailable-zero", ScalingRelations.ALLOWS_DISRUPTION, "PodDisruptionBudget",
                "web", "spec.maxUnavailable", "maxUnavailable: 0", "maxUnavailable 0",
                List.of(WEB, pdb.formatted("maxUnavailable: 0", "web")),
                List.of(WEB, pdb.formatted("maxUnavailable: 1", "web"))));
        rows.add(new Row("pdb-min-available-all", ScalingRelations.ALLOWS_DISRUPTION, "PodDisruptionBudget",
                "web", "spec.minAvailable", "minAvailable:", "minAvailable 100%",
                List.of(replicas(WEB, 3), pdb.formatted("minAvailable: 100%", "web")),
                List.of(replicas(WEB, 3), pdb.formatted("minAvailable: 50%", "web"))));
        rows.add(new Row("pdb-min-available-replicas", ScalingRelations.ALLOWS_DISRUPTION, "PodDisruptionBudget",
                "web", "spec.minAvailable", "minAvailable: 2", "Deployment/web runs 2 replicas",
                List.of(replicas(WEB, 2), pdb.formatted("minAvailable: 2", "web")),
                List.of(replicas(WEB, 3), pdb.formatted("minAvailable: 2", "web"))));
        rows.add(new Row("pdb-min-available-hpa", ScalingRelations.ALLOWS_DISRUPTION, "PodDisruptionBudget",
                "web", "spec.minAvailable", "minAvailable: 2", "down to 2 replicas",
                List.of(WEB, pdb.formatted("minAvailable: 2", "web"), hpa("web", 2, 6)),
                List.of(WEB, pdb.formatted("minAvailable: 2", "web"), hpa("web", 3, 6))));
        rows.add(new Row("pdb-min-available-keda", ScalingRelations.ALLOWS_DISRUPTION, "PodDisruptionBudget",
                "web", "spec.minAvailable", "minAvailable: 1", "ScaledObject/web may scale Deployment/web down to 1",
                List.of(WEB, pdb.formatted("minAvailable: 1", "web"), scaledObject(0)),
                List.of(WEB, pdb.formatted("minAvailable: 1", "web"), scaledObject(2))));
        rows.add(new Row("pdb-selects-nothing", ScalingRelations.PDB_TARGET, "PodDisruptionBudget", "web",
                "spec.selector", "selector:", "app=api",
                List.of(WEB, pdb.formatted("maxUnavailable: 1", "api")),
                List.of(WEB, pdb.formatted("maxUnavailable: 1", "web"))));
        rows.add(new Row("pdb-without-policy", ScalingRelations.PDB_POLICY, "PodDisruptionBudget", "web", "spec",
                "spec:", "neither minAvailable nor maxUnavailable",
                List.of(WEB, pdb.formatted("", "web")),
                List.of(WEB, pdb.formatted("maxUnavailable: 1", "web"))));
        rows.add(new Row("pdb-with-both-policies", ScalingRelations.PDB_POLICY, "PodDisruptionBudget", "web",
                "spec.maxUnavailable", "maxUnavailable: 1", "both minAvailable (1) and maxUnavailable (1)",
                List.of(replicas(WEB, 3), pdb.formatted("minAvailable: 1\n  maxUnavailable: 1", "web")),
                List.of(replicas(WEB, 3), pdb.formatted("minAvailable: 1", "web"))));
        rows.add(new Row("pdb-unhealthy-pod-eviction", ScalingRelations.UNHEALTHY_POLICY, "PodDisruptionBudget",
                "web", "spec.unhealthyPodEvictionPolicy", "spec:", "does not set unhealthyPodEvictionPolicy",
                List.of(WEB, pdb.formatted("maxUnavailable: 1", "web")
                        .replace("  unhealthyPodEvictionPolicy: AlwaysAllow\n", "")),
                List.of(WEB, pdb.formatted("maxUnavailable: 1", "web"))));
        rows.add(new Row("replicas-with-hpa", ScalingRelations.REPLICAS_WITH_HPA, "Deployment", "web",
                "spec.replicas", "replicas: 2", "HorizontalPodAutoscaler/hpa (max 6 replicas)",
                List.of(replicas(WEB, 2), hpa("web", 3, 6)), List.of(WEB, hpa("web", 3, 6))));
        rows.add(new Row("replicas-with-keda", ScalingRelations.REPLICAS_WITH_HPA, "Deployment", "web",
                "spec.replicas", "replicas: 2", "ScaledObject/web (max 10 replicas)",
                List.of(replicas(WEB, 2), scaledObject(3)), List.of(WEB, scaledObject(3))));
        rows.add(new Row("hpa-target-missing", ScalingRelations.HPA_TARGET, "HorizontalPodAutoscaler", "hpa",
                "spec.scaleTargetRef.name", "name: api", "scales Deployment/api",
                List.of(WEB, hpa("api", 3, 6)), List.of(WEB, hpa("web", 3, 6))));
        rows.add(new Row("hpa-one-replica", ScalingRelations.HPA_MIN, "HorizontalPodAutoscaler", "hpa",
                "spec.minReplicas", "minReplicas: 1", "down to 1 replica",
                List.of(WEB, hpa("web", 1, 6)), List.of(WEB, hpa("web", 3, 6))));
        rows.add(new Row("hpa-max-equals-min", ScalingRelations.HPA_RANGE, "HorizontalPodAutoscaler", "hpa",
                "spec.maxReplicas", "maxReplicas: 3", "equal to minReplicas (3)",
                List.of(WEB, hpa("web", 3, 3)), List.of(WEB, hpa("web", 3, 6))));
        rows.add(new Row("hpa-max-below-min", ScalingRelations.HPA_RANGE, "HorizontalPodAutoscaler", "hpa",
                "spec.maxReplicas", "maxReplicas: 2", "maxReplicas 2 below minReplicas 3",
                List.of(WEB, hpa("web", 3, 2)), List.of(WEB, hpa("web", 3, 4))));
        rows.add(new Row("keda-and-hpa", HelmRules.KEDA_TARGET_HPA, "HorizontalPodAutoscaler", "hpa",
                "spec.scaleTargetRef", "scaleTargetRef:", "ScaledObject/web already scales",
                List.of(WEB, scaledObject(3), hpa("web", 3, 6)), List.of(WEB, scaledObject(3))));
        rows.add(new Row("selector-mismatch", WorkloadRelations.SELECTOR, "Deployment", "web", "spec.selector",
                "selector:", "{app=web-app}",
                List.of(WEB.replace("    labels:\n        app: web", "    labels:\n        app: web-app")),
                List.of(WEB)));
        rows.add(new Row("service-account-missing", WorkloadRelations.SERVICE_ACCOUNT, "Deployment", "web",
                "spec.template.spec.serviceAccountName", "serviceAccountName: web-runner", "'web-runner'",
                List.of(serviceAccount(WEB)),
                List.of(serviceAccount(WEB), "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web-runner\n")));
        String secret = """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: web-db
                stringData:
                  %s: postgres://db
                """;
        rows.add(new Row("env-secret-key-missing", WorkloadRelations.ENV_REF, "Deployment", "web",
                "spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.key", "key: url",
                "key 'url' of Secret/web-db, which has no such key (keys: uri)",
                List.of(secretEnv(WEB), secret.formatted("uri")), List.of(secretEnv(WEB), secret.formatted("url"))));
        rows.add(new Row("env-secret-missing", WorkloadRelations.ENV_REF, "Deployment", "web",
                "spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name", "name: web-db",
                "reads Secret 'web-db', which the chart does not render",
                List.of(secretEnv(WEB)), List.of(secretEnv(WEB), secret.formatted("url"))));
        rows.add(new Row("service-selector", HelmRules.SERVICE_SELECTOR, "Service", "web", "spec.selector",
                "selector:", "{app=api}", List.of(WEB, WEB_SERVICE.replace("app: web", "app: api")),
                List.of(WEB, WEB_SERVICE)));
        rows.add(new Row("service-named-port", ServiceRelations.TARGET_PORT, "Service", "web",
                "spec.ports[0].targetPort", "targetPort: web", "named 'web'",
                List.of(WEB, WEB_SERVICE.replace("targetPort: http", "targetPort: web")),
                List.of(WEB, WEB_SERVICE)));
        rows.add(new Row("service-numbered-port", ServiceRelations.TARGET_PORT, "Service", "web",
                "spec.ports[0].targetPort", "targetPort: 8081", "port 8081",
                List.of(WEB, WEB_SERVICE.replace("targetPort: http", "targetPort: 8081")),
                List.of(WEB, WEB_SERVICE.replace("targetPort: http", "targetPort: 8080"))));
        String ingress = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: web
                spec:
                  tls:
                    - hosts: [web.example.com]
                      secretName: web-tls
                  rules:
                    - host: web.example.com
                      http:
                        paths:
                          - path: /
                            pathType: Prefix
                            backend:
                              service:
                                name: %s
                                port:
                                  %s
                """;
        rows.add(new Row("ingress-service-missing", ServiceRelations.INGRESS_BACKEND, "Ingress", "web",
                "spec.rules[0].http.paths[0].backend.service.name", "name: api", "Service/api",
                List.of(WEB, WEB_SERVICE, ingress.formatted("api", "number: 80")),
                List.of(WEB, WEB_SERVICE, ingress.formatted("web", "number: 80"))));
        rows.add(new Row("ingress-port-missing", ServiceRelations.INGRESS_BACKEND, "Ingress", "web",
                "spec.rules[0].http.paths[0].backend.service.port.name", "name: https", "port https of Service/web",
                List.of(WEB, WEB_SERVICE, ingress.formatted("web", "name: https")),
                List.of(WEB, WEB_SERVICE, ingress.formatted("web", "name: http"))));
        rows.add(new Row("ingress-without-tls", ServiceRelations.INGRESS_TLS, "Ingress", "web", "spec.tls",
                "spec:", "no spec.tls",
                List.of(WEB, WEB_SERVICE, ingress.formatted("web", "number: 80")
                        .replace("  tls:\n    - hosts: [web.example.com]\n      secretName: web-tls\n", "")),
                List.of(WEB, WEB_SERVICE, ingress.formatted("web", "number: 80"))));
        String statefulSet = WEB.replace("kind: Deployment", "kind: StatefulSet")
                .replace("spec:\n  selector:", "spec:\n  serviceName: web\n  selector:");
        rows.add(new Row("statefulset-service-not-headless", ServiceRelations.HEADLESS_SERVICE, "StatefulSet",
                "web", "spec.serviceName", "serviceName: web", "not headless",
                List.of(statefulSet, WEB_SERVICE),
                List.of(statefulSet, WEB_SERVICE.replace("spec:\n", "spec:\n  clusterIP: None\n"))));
        String monitor = """
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata:
                  name: web
                spec:
                  selector:
                    matchLabels:
                      app.kubernetes.io/name: %s
                  endpoints:
                    - port: http
                """;
        String labelledService = WEB_SERVICE.replace("  name: web\n", "  name: web\n  labels:\n"
                + "    app.kubernetes.io/name: web\n");
        rows.add(new Row("servicemonitor-selects-nothing", ServiceRelations.SERVICE_MONITOR, "ServiceMonitor", "web",
                "spec.selector", "selector:", "app.kubernetes.io/name=web-metrics",
                List.of(WEB, labelledService, monitor.formatted("web-metrics")),
                List.of(WEB, labelledService, monitor.formatted("web"))));
        String policy = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: web
                spec:
                  podSelector:
                    matchLabels:
                      app: %s
                  policyTypes: [%s]
                  egress:
                    - to:
                        - podSelector:
                            matchLabels:
                              app: %s
                """;
        rows.add(new Row("pods-without-policy", NetworkPolicyRelations.COVERAGE, "Deployment", "web",
                "spec.template.metadata.labels", "kind: Deployment", "no NetworkPolicy of the chart selects its pods",
                List.of(WEB), List.of(WEB, policy.formatted("web", "Ingress, Egress", "web"))));
        rows.add(new Row("pods-isolated-for-ingress-only", NetworkPolicyRelations.COVERAGE, "Deployment", "web",
                "spec.template.metadata.labels", "kind: Deployment", "isolated for ingress only",
                List.of(WEB, policy.formatted("web", "Ingress", "web")),
                List.of(WEB, policy.formatted("web", "Ingress, Egress", "web"))));
        rows.add(new Row("policy-selects-nothing", NetworkPolicyRelations.TARGET, "NetworkPolicy", "web",
                "spec.podSelector", "podSelector:", "app=api",
                List.of(WEB, policy.formatted("api", "Ingress, Egress", "web")),
                List.of(WEB, policy.formatted("web", "Ingress, Egress", "web"))));
        rows.add(new Row("policy-peer-selects-nothing", NetworkPolicyRelations.PEER_TARGET, "NetworkPolicy", "web",
                "spec.egress[0].to[0].podSelector", "- podSelector:",
                "allows traffic to pods labelled {matchLabels={app=db}}",
                List.of(WEB, policy.formatted("web", "Ingress, Egress", "db")),
                List.of(WEB, policy.formatted("web", "Ingress, Egress", "web"))));
        String binding = """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: %s
                metadata:
                  name: web
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: %s
                  name: %s
                subjects:
                  - kind: ServiceAccount
                    name: web
                    namespace: apps
                """;
        rows.add(new Row("cluster-admin-binding", RbacRelations.CLUSTER_ADMIN, "ClusterRoleBinding", "web",
                "roleRef.name", "name: cluster-admin", "ServiceAccount apps/web",
                List.of(binding.formatted("ClusterRoleBinding", "ClusterRole", "cluster-admin")),
                List.of(binding.formatted("ClusterRoleBinding", "ClusterRole", "view"))));
        rows.add(new Row("binding-to-an-all-powerful-role", RbacRelations.CLUSTER_ADMIN, "RoleBinding", "web",
                "roleRef.name", "name: web-role", "as much as cluster-admin",
                List.of(binding.formatted("RoleBinding", "Role", "web-role"), role("['*']", "['*']", "['*']")),
                List.of(binding.formatted("RoleBinding", "Role", "web-role"),
                        role("['']", "['configmaps']", "[get]"))));
        rows.add(new Row("role-wildcard", RbacRelations.WILDCARD, "Role", "web-role", "rules[0].verbs", "verbs:",
                "'*' in verbs", List.of(role("[apps]", "[deployments]", "['*']")),
                List.of(role("[apps]", "[deployments]", "[get, list]"))));
        rows.add(new Row("role-reads-secrets", RbacRelations.SECRETS, "Role", "web-role", "rules[0].resources",
                "resources:", "[get, list] on Secrets", List.of(role("['']", "[secrets]", "[get, list]")),
                List.of(role("['']", "[configmaps]", "[get, list]"))));
        rows.add(new Row("role-creates-pods", RbacRelations.CREATE_PODS, "Role", "web-role", "rules[0].verbs",
                "verbs:", "creating [jobs]", List.of(role("[batch]", "[jobs]", "[create, get]")),
                List.of(role("[batch]", "[jobs]", "[get]"))));
        rows.add(new Row("role-execs-into-pods", RbacRelations.POD_EXEC, "Role", "web-role", "rules[0].resources",
                "resources:", "pods/exec", List.of(role("['']", "[pods/exec]", "[create]")),
                List.of(role("['']", "[pods/log]", "[get]"))));
        rows.add(new Row("binding-to-edit", RbacRelations.BINDING_POD_EXEC, "RoleBinding", "web", "roleRef.name",
                "name: edit", "ClusterRole edit",
                List.of(binding.formatted("RoleBinding", "ClusterRole", "edit")),
                List.of(binding.formatted("RoleBinding", "ClusterRole", "view"))));
        String scc = """
                apiVersion: security.openshift.io/v1
                kind: SecurityContextConstraints
                metadata:
                  name: web
                allowPrivilegedContainer: %s
                runAsUser:
                  type: MustRunAsRange
                seLinuxContext:
                  type: MustRunAs
                """;
        rows.add(new Row("scc-privileged", RbacRelations.SCC_PRIVILEGED, "SecurityContextConstraints", "web",
                "allowPrivilegedContainer", "allowPrivilegedContainer:", "allowPrivilegedContainer: true",
                List.of(scc.formatted("true")), List.of(scc.formatted("false"))));
        return rows;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        buildWorkspace();
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "workspace", WORKSPACE.toString(),
                "data-dir", "target/test-data/relations",
                "plugins.helm.engines", "helm-java",
                "plugins.helm.chart", "charts/" + rows().getFirst().name() + "-bad"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void firesOnTheOffendingFieldAndNotOnceFixed(Row row, Http1Client client) throws IOException {
        JsonObject bad = Reports.ok(client, "/api/helm/checks?chart=charts/" + row.name() + "-bad");
        assertThat(bad.getBoolean("rendered")).as("rendered").isTrue();
        List<JsonObject> found = Reports.findings(bad, row.check(), row.kind(), row.object());
        assertThat(found).as(row.check() + " on " + row.kind() + "/" + row.object() + " in "
                + bad.getJsonArray("findings")).hasSize(1);
        JsonObject f = found.getFirst();
        assertThat(f.getString("field")).isEqualTo(row.field());
        assertThat(f.getString("message")).contains(row.says());
        assertThat(f.getString("remediation")).isNotBlank();
        assertThat(f.getInt("line")).as("line of '" + row.marker() + "'")
                .isEqualTo(Reports.lineOf(WORKSPACE.resolve(f.getString("file")), row.marker()));

        JsonObject good = Reports.ok(client, "/api/helm/checks?chart=charts/" + row.name() + "-good");
        assertThat(good.getBoolean("rendered")).isTrue();
        assertThat(Reports.findings(good, row.check())).as(row.check() + " once fixed").isEmpty();
    }

    @Test
    void everyRelationRuleHasARowAndIsListedInTheReport(Http1Client client) {
        Set<String> covered = new TreeSet<>(rows().stream().map(Row::check).toList());
        Set<String> ids = new TreeSet<>(RelationChecks.RULES.stream().map(CheckRule::id).toList());
        assertThat(covered).containsAll(ids);
        List<String> listed = Reports.ok(client, "/api/helm/checks").getJsonArray("rules").stream()
                .map(JsonValue::asJsonObject).map(r -> r.getString("id")).toList();
        assertThat(listed).containsAll(ids);
        assertThat(RelationChecks.RULES).allSatisfy(r -> assertThat(r.id()).startsWith("helm."));
    }

    @Test
    void anIgnoreAnnotationOnTheBudgetSilencesItsRelationFinding(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=charts/ignored-budget");
        assertThat(Reports.findings(report, ScalingRelations.ALLOWS_DISRUPTION)).isEmpty();
        JsonObject ignored = Reports.ignored(report, ScalingRelations.ALLOWS_DISRUPTION, "PodDisruptionBudget",
                "web").getFirst();
        assertThat(ignored.getString("ignored_reason")).isEqualTo("singleton by design");
        assertThat(ignored.getString("field")).isEqualTo("spec.maxUnavailable");
    }

    @Test
    void aTextualReadingJudgesWhatTheTemplatesSpellOutAndNotWhatHelpersWouldAdd(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=charts/textual");
        assertThat(report.getString("engine")).isEqualTo("text");
        // Literal values are read as written.
        assertThat(Reports.findings(report, ScalingRelations.ALLOWS_DISRUPTION, "PodDisruptionBudget", "web"))
                .singleElement().satisfies(f -> assertThat(f.getInt("line")).isEqualTo(8));
        assertThat(Reports.findings(report, RbacRelations.WILDCARD, "Role", "web-role")).hasSize(1);
        // Labels, selectors and names that helpers write are unknown: no relation is judged on them, and the HPA
        // and the replica count a disabled "autoscaling" block may leave out are not either.
        for (String check : List.of(WorkloadRelations.SELECTOR, WorkloadRelations.SERVICE_ACCOUNT,
                ScalingRelations.PDB_TARGET, ScalingRelations.HPA_TARGET, ScalingRelations.HPA_MIN,
                ScalingRelations.REPLICAS_WITH_HPA, ServiceRelations.TARGET_PORT, HelmRules.SERVICE_SELECTOR,
                NetworkPolicyRelations.TARGET, NetworkPolicyRelations.COVERAGE)) {
            assertThat(Reports.findings(report, check)).as(check).isEmpty();
        }
    }

    @Test
    void podsOnTheHostNetworkOrUnderAnotherEnginesPolicyNeedNoNetworkPolicyOfTheirOwn(Http1Client client) {
        // Both charts are the pods-without-policy row's firing chart plus one thing.
        for (String chart : List.of("host-network", "cilium-policy")) {
            JsonObject report = Reports.ok(client, "/api/helm/checks?chart=charts/" + chart);
            assertThat(report.getJsonArray("objects")).as(chart).hasSizeGreaterThanOrEqualTo(1);
            assertThat(Reports.findings(report, NetworkPolicyRelations.COVERAGE)).as(chart).isEmpty();
        }
    }

    private static String replicas(String workload, int n) {
        return workload.replace("spec:\n  selector:", "spec:\n  replicas: " + n + "\n  selector:");
    }

    private static String serviceAccount(String workload) {
        return workload.replace("    spec:\n      containers:", "    spec:\n      serviceAccountName: web-runner\n"
                + "      containers:");
    }

    private static String secretEnv(String workload) {
        return workload.replace("          image: nginx:1.27\n", """
                          image: nginx:1.27
                          env:
                            - name: DATABASE_URL
                              valueFrom:
                                secretKeyRef:
                                  name: web-db
                                  key: url
                """);
    }

    private static String hpa(String target, int min, int max) {
        return """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: hpa
                spec:
                  scaleTargetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: %s
                  minReplicas: %d
                  maxReplicas: %d
                """.formatted(target, min, max);
    }

    private static String scaledObject(int min) {
        return """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: web
                spec:
                  scaleTargetRef:
                    name: web
                  minReplicaCount: %d
                  maxReplicaCount: 10
                  triggers:
                    - type: cpu
                      metricType: Utilization
                      metadata:
                        value: "60"
                """.formatted(min);
    }

    private static String role(String groups, String resources, String verbs) {
        return """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: web-role
                rules:
                  - apiGroups: %s
                    resources: %s
                    verbs: %s
                """.formatted(groups, resources, verbs);
    }

    private static void buildWorkspace() throws IOException {
        if (Files.exists(WORKSPACE)) {
            try (Stream<Path> walk = Files.walk(WORKSPACE)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        for (Row row : rows()) {
            writeChart(row.name() + "-bad", row.bad());
            writeChart(row.name() + "-good", row.good());
        }
        writeChart("ignored-budget", List.of(WEB, """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata:
                  name: web
                  annotations:
                    ignore-check.controlplane.asyncsidecar.io/helm.pdb-allows-disruption: singleton by design
                spec:
                  maxUnavailable: 0
                  unhealthyPodEvictionPolicy: AlwaysAllow
                  selector:
                    matchLabels:
                      app: web
                """));
        writeTextualChart();
        writeChart("host-network", List.of(WEB.replace("    spec:\n      containers:",
                "    spec:\n      hostNetwork: true\n      containers:")));
        writeChart("cilium-policy", List.of(WEB, """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata:
                  name: web
                spec:
                  endpointSelector:
                    matchLabels:
                      app: web
                  ingress:
                    - fromEndpoints:
                        - matchLabels:
                            app: gateway
                """));
    }

    /** A chart Helm cannot render (its Chart.yaml is templated), whose labels and names come from helpers. */
    private static void writeTextualChart() throws IOException {
        String dir = "charts/textual";
        TestTrees.write(WORKSPACE, dir + "/Chart.yaml",
                "apiVersion: v2\nname: textual\nversion: 0.1.0\nappVersion: {{ .Values.version | quote }}\n");
        TestTrees.write(WORKSPACE, dir + "/values.yaml", "version: \"1.0\"\n");
        TestTrees.write(WORKSPACE, dir + "/templates/_helpers.tpl", """
                {{- define "textual.name" -}}{{ .Release.Name }}-web{{- end }}
                {{- define "textual.selectorLabels" -}}
                app.kubernetes.io/name: {{ include "textual.name" . }}
                {{- end }}
                """);
        writeTemplate(dir, "deployment", WEB.replace("name: web\n", "name: {{ include \"textual.name\" . }}\n")
                .replace("spec:\n  selector:", "spec:\n  replicas: 2\n  selector:")
                .replace("matchLabels:\n      app: web", "matchLabels:\n      {{- include \"textual.selectorLabels\""
                        + " . | nindent 6 }}")
                .replace("labels:\n        app: web", "labels:\n        {{- include \"textual.selectorLabels\""
                        + " . | nindent 8 }}")
                .replace("    spec:\n      containers:", "    spec:\n      serviceAccountName: {{ include"
                        + " \"textual.name\" . }}\n      containers:"));
        writeTemplate(dir, "service", WEB_SERVICE.replace("  selector:\n    app: web",
                "  selector:\n    {{- include \"textual.selectorLabels\" . | nindent 4 }}")
                .replace("targetPort: http", "targetPort: web"));
        writeTemplate(dir, "pdb", """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata:
                  name: web
                spec:
                  selector:
                    matchLabels: {{- include "textual.selectorLabels" . | nindent 6 }}
                  maxUnavailable: 0
                  unhealthyPodEvictionPolicy: AlwaysAllow
                """);
        writeTemplate(dir, "networkpolicy", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: web
                spec:
                  podSelector:
                    matchLabels:
                      {{- include "textual.selectorLabels" . | nindent 6 }}
                  policyTypes: [Ingress]
                """);
        writeTemplate(dir, "hpa", "{{- if .Values.autoscaling }}\n" + hpa("{{ include \"textual.name\" . }}", 1, 6)
                + "{{- end }}\n");
        writeTemplate(dir, "role", role("[apps]", "[deployments]", "['*']"));
    }

    private static void writeTemplate(String dir, String name, String text) throws IOException {
        TestTrees.write(WORKSPACE, dir + "/templates/" + name + ".yaml", text);
    }

    private static void writeChart(String name, List<String> objects) throws IOException {
        String dir = "charts/" + name;
        TestTrees.write(WORKSPACE, dir + "/Chart.yaml",
                "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\nappVersion: \"1.0\"\n");
        for (int i = 0; i < objects.size(); i++) {
            TestTrees.write(WORKSPACE, dir + "/templates/object-" + i + ".yaml", objects.get(i));
        }
    }
}
