package io.asyncsidecar.controlplane.plugins.helm;

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
 * The pod-spec rules on real public charts of the shared fixtures, rendered by the embedded engine: what each
 * finds follows from the chart's templates and default values, read in place.
 */
@ServerTest
class PodSpecFixturesTest {

    private static final String KEDA = "helm/kedacore-charts/keda";
    private static final String COSMOS = "helm/kedacore-charts/external-scaler-azure-cosmos-db";
    private static final String SERVICEBUS =
            "helm/sample-dotnet-worker-servicebus-queue/keda-servicebus-connection-string";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "workspace", SharedFixtures.root().toString(),
                "data-dir", "target/test-data/podspec-fixtures",
                "plugins.helm.engines", "helm-java",
                "plugins.helm.chart", KEDA));
    }

    @Test
    void kedaOperatorProbesAPortItDoesNotDeclareAndMountsItsToken(Http1Client client) throws Exception {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + KEDA);
        String template = KEDA + "/templates/manager/deployment.yaml";
        // The health endpoint listens on 8081; ports[] lists 9666 only (the metrics port is off by default).
        JsonObject liveness = Reports.findings(report, PodSpecPorts.LIVENESS_PORT.id(), "Deployment",
                "keda-operator").getFirst();
        assertThat(liveness.getString("container")).isEqualTo("keda-operator");
        assertThat(liveness.getString("field"))
                .isEqualTo("spec.template.spec.containers[0].livenessProbe.httpGet.port");
        assertThat(liveness.getString("message")).contains("port 8081", "[9666, metricsservice]");
        assertThat(liveness.getString("file")).isEqualTo(template);
        assertThat(liveness.getInt("line")).isEqualTo(Reports.lineOf(SharedFixtures.path(template), "port: 8081"));
        // serviceAccount.automountServiceAccountToken defaults to true: the operator calls the API.
        JsonObject token = Reports.findings(report, PodSpecIdentity.AUTOMOUNT.id(), "Deployment", "keda-operator")
                .getFirst();
        assertThat(token.getString("message")).contains("sets automountServiceAccountToken: true");
        assertThat(token.getInt("line")).isEqualTo(Reports.lineOf(SharedFixtures.path(template),
                "automountServiceAccountToken:"));
        // KEDA_RESTRICT_SECRET_ACCESS is a switch ("false"), not a secret: not even a textual reading, which keeps
        // the env var its if-block would leave out, reports it.
        JsonObject text = Reports.ok(client, "/api/helm/checks?chart=" + KEDA + "&kubeVersion=1.20.0");
        assertThat(text.getString("engine")).isEqualTo("text");
        assertThat(Reports.findings(text, PodSpecEnv.SECRET_LITERAL.id())).isEmpty();
        // Its locked-down container passes the security rules.
        for (String id : List.of(PodSpecSecurity.DROP_ALL.id(), PodSpecSecurity.SECCOMP.id(),
                PodSpecSecurity.LINUX_HARDENING.id(), PodSpecSecurity.PRIVILEGED.id())) {
            assertThat(Reports.findings(report, id, "Deployment", "keda-operator")).as(id).isEmpty();
        }
    }

    @Test
    void theCosmosDbScalerRunsWithTheRuntimesDefaultCapabilitiesAndNoSeccompProfile(Http1Client client)
            throws Exception {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + COSMOS);
        String name = "external-scaler-azure-cosmos-db";
        Path template = SharedFixtures.path(COSMOS).resolve("templates/scaler-deployment.yaml");
        int container = Reports.lineOf(template, "- name: {{ .Chart.Name }}");
        int podSpec = Reports.lineOf(template, "containers:");
        // No securityContext at all, in the pod or the container: the container's findings point at the
        // container, those whose fix belongs in the pod's securityContext at the pod spec (its first key).
        for (String id : List.of(PodSpecSecurity.DROP_ALL.id(), PodSpecSecurity.LINUX_HARDENING.id())) {
            JsonObject f = Reports.findings(report, id, "Deployment", name).getFirst();
            assertThat(f.getString("container")).as(id).isEqualTo(name);
            assertThat(f.getInt("line")).as(id).isEqualTo(container);
        }
        for (String id : List.of(PodSpecSecurity.SECCOMP.id(), PodSpecSecurity.HIGH_IDS.id())) {
            JsonObject f = Reports.findings(report, id, "Deployment", name).getFirst();
            assertThat(f.getString("container")).as(id).isEqualTo(name);
            assertThat(f.getString("field")).as(id).startsWith("spec.template.spec.securityContext.");
            assertThat(f.getInt("line")).as(id).isEqualTo(podSpec);
        }
        // pullPolicy defaults to Always in the template: nothing to say about it.
        assertThat(Reports.findings(report, PodSpecImages.PULL_POLICY.id(), "Deployment", name)).isEmpty();
    }

    @Test
    void theServiceBusProcessorReadsItsConnectionStringFromASecretIntoAnEnvVar(Http1Client client)
            throws Exception {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + SERVICEBUS);
        JsonObject ref = Reports.findings(report, PodSpecEnv.SECRET_REF.id(), "Deployment", "order-processor")
                .getFirst();
        assertThat(ref.getString("severity")).isEqualTo("info");
        assertThat(ref.getString("field")).isEqualTo("spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef");
        assertThat(ref.getString("message"))
                .contains("secrets-order-consumer", "KEDA_SERVICEBUS_QUEUE_CONNECTIONSTRING");
        assertThat(ref.getInt("line")).isEqualTo(Reports.lineOf(SharedFixtures.path(SERVICEBUS)
                .resolve("templates/order_processor.yaml"), "secretKeyRef:"));
        // The literal values next to it are not secrets.
        assertThat(Reports.findings(report, PodSpecEnv.SECRET_LITERAL.id())).isEmpty();
    }
}
