package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Files;
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
 * The relation rules on real public charts of the shared fixtures: the KEDA operator chart's RBAC (a wildcard
 * rule for the scale subresource of any kind, a get on everything, Secret access, Jobs it creates), and the
 * charts where the relations hold (named target ports, a PodDisruptionBudget that lets a pod go, an env
 * reference to a Secret the chart renders).
 */
@ServerTest
class RelationFixturesTest {

    private static final String KEDA = "helm/kedacore-charts/keda";
    private static final String HTTP_ADD_ON = "helm/kedacore-charts/http-add-on";
    private static final String SERVICEBUS =
            "helm/sample-dotnet-worker-servicebus-queue/keda-servicebus-connection-string";
    private static final String OPERATOR_ROLE = "templates/manager/clusterrole.yaml";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "workspace", SharedFixtures.root().toString(),
                "data-dir", "target/test-data/relation-fixtures",
                "plugins.helm.engines", "helm-java",
                "plugins.helm.chart", KEDA));
    }

    @Test
    void kedaOperatorRoleHasWildcardsSecretAccessAndCreatesJobs(Http1Client client) throws IOException {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + KEDA);
        assertThat(report.getBoolean("rendered")).isTrue();
        // values.yaml's rbac.scaledRefKinds (apiGroup '*', kind '*') renders rules[4] ('*/scale') and rules[5].
        List<JsonObject> wildcards = Reports.findings(report, RbacRelations.WILDCARD, "ClusterRole", "keda-operator");
        assertThat(wildcards).extracting(f -> f.getString("field"))
                .containsExactly("rules[4].apiGroups", "rules[5].resources");
        assertThat(wildcards.get(1).getString("message")).contains("'*' in resources and apiGroups");
        for (JsonObject f : wildcards) {
            assertThat(f.getString("file")).isEqualTo(KEDA + "/" + OPERATOR_ROLE);
            String key = f.getString("field").substring(f.getString("field").indexOf('.') + 1);
            assertThat(lineText(f)).as(f.getString("field")).contains(key + ":");
        }

        List<JsonObject> secrets = Reports.findings(report, RbacRelations.SECRETS, "ClusterRole", "keda-operator");
        assertThat(secrets).extracting(f -> f.getString("field"))
                .containsExactly("rules[3].resources", "rules[5].resources");
        assertThat(secrets.getFirst().getString("message")).contains("[list, watch] on Secrets");
        assertThat(secrets.getFirst().getInt("line")).isEqualTo(Reports.lineOf(
                SharedFixtures.path(KEDA).resolve(OPERATOR_ROLE), "  - secrets") - 1);
        // The certificates Role reads one Secret by name (not judged) and creates and updates Secrets.
        assertThat(Reports.findings(report, RbacRelations.SECRETS, "Role", "keda-operator-certs"))
                .singleElement().satisfies(f -> assertThat(f.getString("message")).contains("[create] on Secrets",
                        "mint a token Secret"));

        JsonObject jobs = Reports.findings(report, RbacRelations.CREATE_PODS, "ClusterRole", "keda-operator")
                .getFirst();
        assertThat(jobs.getString("field")).isEqualTo("rules[9].verbs");
        assertThat(jobs.getString("message")).contains("creating [jobs]");
        // get on '*' of every group includes pods/exec (a websocket GET), so its binding grants exec too.
        assertThat(Reports.findings(report, RbacRelations.POD_EXEC, "ClusterRole", "keda-operator"))
                .extracting(f -> f.getString("field")).containsExactly("rules[5].resources");
        assertThat(Reports.findings(report, RbacRelations.BINDING_POD_EXEC, "ClusterRoleBinding", "keda-operator"))
                .singleElement().satisfies(f -> assertThat(f.getString("message"))
                        .contains("ServiceAccount default/keda-operator"));

        // Nothing binds cluster-admin; the metrics server's system:auth-delegator binding is Kubernetes' own.
        assertThat(Reports.findings(report, RbacRelations.CLUSTER_ADMIN)).isEmpty();
        assertThat(Reports.findings(report, RbacRelations.BINDING_POD_EXEC)).hasSize(1);
        // Its Services name container ports that exist, by number, and its pods run as the chart's accounts.
        assertThat(Reports.findings(report, ServiceRelations.TARGET_PORT)).isEmpty();
        assertThat(Reports.findings(report, WorkloadRelations.SERVICE_ACCOUNT)).isEmpty();
        assertThat(Reports.findings(report, WorkloadRelations.SELECTOR)).isEmpty();
        assertThat(Reports.findings(report, NetworkPolicyRelations.COVERAGE)).extracting(f -> f.getJsonObject("object")
                .getString("name")).containsExactlyInAnyOrder("keda-operator", "keda-operator-metrics-apiserver",
                "keda-admission-webhooks");
    }

    @Test
    void httpAddOnBudgetLetsAPodGoAndItsNamedPortsExist(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + HTTP_ADD_ON);
        // maxUnavailable: 1 on the interceptor, which its ScaledObject keeps at 3 replicas or more.
        assertThat(Reports.findings(report, ScalingRelations.ALLOWS_DISRUPTION)).isEmpty();
        assertThat(Reports.findings(report, ScalingRelations.PDB_TARGET)).isEmpty();
        assertThat(Reports.findings(report, ScalingRelations.PDB_POLICY)).isEmpty();
        assertThat(Reports.findings(report, ScalingRelations.REPLICAS_WITH_HPA)).isEmpty();
        // Every Service targets a port by name (admin, proxy, metrics, grpc) that its pods declare.
        assertThat(Reports.findings(report, ServiceRelations.TARGET_PORT)).isEmpty();
        assertThat(Reports.findings(report, HelmRules.SERVICE_SELECTOR)).isEmpty();
        // The budget leaves unhealthyPodEvictionPolicy to the default.
        assertThat(Reports.findings(report, ScalingRelations.UNHEALTHY_POLICY, "PodDisruptionBudget",
                "keda-add-ons-http-interceptor")).singleElement()
                .satisfies(f -> assertThat(f.getString("severity")).isEqualTo("info"));
    }

    @Test
    void serviceBusSampleReadsAKeyOfTheSecretItRenders(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + SERVICEBUS);
        assertThat(report.getJsonArray("objects").stream().map(o -> o.asJsonObject().getString("kind")))
                .contains("Secret");
        assertThat(Reports.findings(report, WorkloadRelations.ENV_REF)).isEmpty();
    }

    private static String lineText(JsonObject finding) throws IOException {
        List<String> lines = Files.readAllLines(SharedFixtures.root().resolve(finding.getString("file")));
        return lines.get(finding.getInt("line") - 1);
    }
}
