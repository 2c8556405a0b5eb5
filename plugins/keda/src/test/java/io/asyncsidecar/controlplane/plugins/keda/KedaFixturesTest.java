package io.asyncsidecar.controlplane.plugins.keda;

import io.asyncsidecar.controlplane.server.testing.FindingsJson;
import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.asyncsidecar.controlplane.server.testing.FindingsJson.checksOf;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.finding;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.named;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * KEDA's own samples and the charts that template KEDA objects (shared fixtures), with the fixtures folder as
 * the workspace: raw manifests by {@code path}, charts by {@code chart} (+ {@code values}).
 */
@ServerTest
class KedaFixturesTest {

    private final Http1Client client;

    KedaFixturesTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", SharedFixtures.root().toString(),
                "data-dir", "target/test-data/keda-fixtures",
                "plugins.keda.chart", ""));
    }

    @Test
    void kedaSamplesFolder() {
        ClientResponseTyped<String> r = client.get("/api/keda/scalers").queryParam("path", "keda").request(String.class);
        assertThat(r.status()).isEqualTo(Status.OK_200);
        // Secrets in the samples are never echoed
        assertThat(r.entity()).doesNotContain("base64-encoded-connection-string");
        JsonObject body = parse(r.entity());
        assertThat(body.getJsonArray("manifests").getString(0)).isEqualTo("keda");

        assertThat(checksOf(body.getJsonArray("findings"), "example-scaledobject"))
                .containsExactly(KedaScan.TARGET_EXISTS);
        assertThat(finding(body.getJsonArray("findings"), "example-scaledobject", KedaScan.TARGET_EXISTS)
                .getString("file")).isEqualTo("keda/keda/config-samples/keda_v1alpha1_scaledobject.yaml");
        // three samples scale the same order-processor; the two after the first are refused
        assertThat(checksOf(body.getJsonArray("findings"), "order-scaler"))
                .containsExactly(KedaScan.SINGLE_SCALER, KedaScan.SINGLE_SCALER);
        assertThat(finding(body.getJsonArray("findings"), "order-scaler", KedaScan.SINGLE_SCALER).getString("message"))
                .contains("already managed by the ScaledObject 'order-processor-scaler'");
        assertThat(checksOf(body.getJsonArray("findings"), "order-processor-scaler")).isEmpty();
        // the managed-identity sample still uses AAD Pod Identity
        JsonObject identity = finding(body.getJsonArray("findings"), "trigger-auth-service-bus-orders",
                KedaScan.POD_IDENTITY);
        assertThat(identity.getString("file"))
                .isEqualTo("keda/sample-dotnet-worker-servicebus-queue/managed-identity/deploy-app-autoscaling.yaml");
        assertThat(identity.getString("remediation")).contains("azure-workload");
        // a cpu trigger on a target with cpu requests passes
        assertThat(checksOf(body.getJsonArray("findings"), "nginx-autoscaling")).isEmpty();
        JsonObject nginx = named(body.getJsonArray("scaled_objects"), "nginx-autoscaling");
        assertThat(nginx.getJsonObject("target").getBoolean("exists")).isTrue();
        assertThat(nginx.getInt("maxReplicaCount")).isEqualTo(5);
        assertThat(named(body.getJsonArray("trigger_authentications"), "example-clustertriggerauthentication")
                .getJsonArray("secrets_referenced").getString(0)).isEqualTo("secret:example-secret-name/example-role-key");
        // HTTPScaledObject and CloudEventSource are not scalers of KEDA core
        assertThat(body.getJsonArray("scaled_objects").getValuesAs(JsonObject.class))
                .extracting(o -> o.getString("name")).doesNotContain("xkcd", "cloudeventsource-sample");
    }

    @Test
    void httpAddOnChartScalesItsInterceptor() {
        JsonObject body = chart("helm/kedacore-charts/http-add-on");
        assertThat(body.getBoolean("degraded")).isTrue();
        JsonObject so = named(body.getJsonArray("scaled_objects"), "keda-add-ons-http-interceptor");
        assertThat(so.getString("file")).isEqualTo("helm/kedacore-charts/http-add-on/templates/interceptor/scaledobject.yaml");
        assertThat(so.getJsonObject("target").getBoolean("exists")).isTrue();
        assertThat(so.getInt("minReplicaCount")).isEqualTo(3);
        assertThat(so.getInt("maxReplicaCount")).isEqualTo(50);
        assertThat(so.getJsonArray("triggers").getJsonObject(0).getString("type")).isEqualTo("external");
        assertThat(checksOf(body.getJsonArray("findings"), "keda-add-ons-http-interceptor")).isEmpty();
        assertThat(body.getJsonObject("chart").getJsonArray("problems")).isEmpty();
    }

    @Test
    void serviceBusSampleChartScalesToZeroWithItsTriggerAuthentication() {
        JsonObject body = chart("helm/sample-dotnet-worker-servicebus-queue/keda-servicebus-connection-string");
        JsonObject so = named(body.getJsonArray("scaled_objects"), "order-processor-scaler");
        assertThat(so.getInt("minReplicaCount")).isZero();
        assertThat(so.getInt("cooldownPeriod")).isEqualTo(5);
        assertThat(so.getJsonObject("target").getBoolean("exists")).isTrue();
        assertThat(so.getJsonArray("triggers").getJsonObject(0).getJsonObject("authenticationRef")
                .getBoolean("exists")).isTrue();
        assertThat(body.getJsonArray("findings")).isEmpty();
        assertThat(body.getString("values_path"))
                .isEqualTo("helm/sample-dotnet-worker-servicebus-queue/keda-servicebus-connection-string/values.yaml");
    }

    @Test
    void stakaterChartNeedsItsValuesFileAndMissesTheClusterTriggerAuthentication() {
        assertThat(chart("helm/stakater-application/application-keda-pr342").getJsonArray("scaled_objects")).isEmpty();

        JsonObject body = parse(client.get("/api/keda/scalers")
                .queryParam("chart", "helm/stakater-application/application-keda-pr342")
                .queryParam("values", "values-sb.yaml").request(String.class).entity());
        JsonObject so = named(body.getJsonArray("scaled_objects"), "application-scaled-object");
        assertThat(so.getJsonObject("target").getString("name")).isEqualTo("application");
        assertThat(so.getJsonObject("target").getBoolean("exists")).isTrue();
        assertThat(so.getInt("idleReplicaCount")).isZero();
        assertThat(so.getJsonObject("fallback").getInt("replicas")).isEqualTo(2);
        assertThat(so.getJsonArray("triggers").getJsonObject(0).getString("type")).isEqualTo("rabbitmq");
        assertThat(checksOf(body.getJsonArray("findings"), "application-scaled-object"))
                .containsExactly(KedaScan.AUTH_EXISTS);
        assertThat(finding(body.getJsonArray("findings"), "application-scaled-object", KedaScan.AUTH_EXISTS)
                .getString("message")).contains("ClusterTriggerAuthentication 'rabbitmq-trigger-auth'");
    }

    @Test
    void kedaOperatorChartHasNoScalers() {
        JsonObject body = chart("helm/kedacore-charts/keda");
        assertThat(body.getJsonObject("chart").getInt("objects")).isEqualTo(29);
        assertThat(body.getJsonArray("scaled_objects")).isEmpty();
        assertThat(body.getJsonArray("findings")).isEmpty();
    }

    @Test
    void aMissingValuesFileIsReported() {
        JsonObject body = parse(client.get("/api/keda/scalers")
                .queryParam("chart", "helm/kedacore-charts/http-add-on")
                .queryParam("values", "values-nope.yaml").request(String.class).entity());
        assertThat(body.getJsonObject("chart").getJsonArray("problems").getString(0))
                .contains("values file 'helm/kedacore-charts/http-add-on/values-nope.yaml' does not exist");
    }

    private JsonObject chart(String chart) {
        Http1ClientRequest req = client.get("/api/keda/scalers").queryParam("chart", chart);
        ClientResponseTyped<String> r = req.request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        return parse(r.entity());
    }
}
