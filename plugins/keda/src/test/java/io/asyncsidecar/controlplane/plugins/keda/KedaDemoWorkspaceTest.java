package io.asyncsidecar.controlplane.plugins.keda;

import io.asyncsidecar.controlplane.server.testing.FindingsJson;
import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/keda/scalers} on the demo workspace without the helm plugin: the chart is read from its raw
 * templates and the answer says {@code "degraded": true}.
 */
@ServerTest
class KedaDemoWorkspaceTest {

    private static final String TOKENS = "{\"ops\":{\"tenant_id\":\"tA\",\"subject\":\"ops\","
            + "\"scopes\":[\"autoscaling.read\"]},\"dev\":{\"tenant_id\":\"tA\",\"subject\":\"dev\","
            + "\"scopes\":[\"deployments.read\"]}}";

    private final Http1Client client;

    KedaDemoWorkspaceTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", TOKENS,
                "data-dir", "target/test-data/keda-demo"));
    }

    @Test
    void seedFieldsComeFromTheExplainerValuesAndTheTemplate() {
        JsonObject body = get();
        assertThat(body.getString("values_path")).isEqualTo("manifests/helm/hypergraph/values.yaml");
        JsonObject values = body.getJsonObject("values");
        assertThat(values.getInt("expl_replicas")).isEqualTo(1);
        assertThat(values.getInt("minReplicaCount")).isEqualTo(1);
        assertThat(values.getInt("maxReplicaCount")).isEqualTo(4);
        assertThat(values.getInt("backlogSecondsTarget")).isEqualTo(30);
        assertThat(body.getJsonObject("keda_values").getJsonObject("prometheus").getString("serverAddress"))
                .startsWith("http://prometheus-operated");
        assertThat(body.getString("keda_template_excerpt")).startsWith("{{- /*").contains("kind: ScaledObject");
        JsonObject template = body.getJsonObject("keda_template");
        assertThat(template.getString("file")).isEqualTo("manifests/helm/hypergraph/templates/keda-scalers.yaml");
        assertThat(template.getInt("first_line")).isEqualTo(1);
        assertThat(template.getInt("last_line")).isGreaterThan(40);
    }

    @Test
    void withoutTheHelmPluginTheChartIsReadDegraded() {
        JsonObject body = get();
        assertThat(body.getBoolean("degraded")).isTrue();
        assertThat(body.getString("engine")).isEqualTo("text");
        assertThat(body.getJsonObject("summary").getBoolean("degraded")).isTrue();
        assertThat(body.getJsonObject("summary").getString("engine")).isEqualTo("text");
        assertThat(body.getJsonObject("chart").getBoolean("rendered")).isFalse();
        assertThat(body.getJsonObject("chart").getString("dir")).isEqualTo("manifests/helm/hypergraph");
    }

    @Test
    void theExplainerScaledObjectIsParsedAndPassesTheWebhookChecks() {
        JsonObject body = get();
        JsonObject so = FindingsJson.named(body.getJsonArray("scaled_objects"), "hypergraph-explainer");
        assertThat(so.getString("origin")).isEqualTo("chart");
        assertThat(so.getString("file")).isEqualTo("manifests/helm/hypergraph/templates/keda-scalers.yaml");
        JsonObject target = so.getJsonObject("target");
        assertThat(target.getString("kind")).isEqualTo("Deployment");
        assertThat(target.getString("name")).isEqualTo("hypergraph-explainer");
        assertThat(target.getBoolean("exists")).isTrue();
        assertThat(target.getString("file")).isEqualTo("manifests/helm/hypergraph/templates/explainer-deployment.yaml");
        assertThat(so.getInt("minReplicaCount")).isEqualTo(1);
        assertThat(so.getInt("maxReplicaCount")).isEqualTo(4);
        assertThat(so.getInt("pollingInterval")).isEqualTo(15);
        assertThat(so.getInt("cooldownPeriod")).isEqualTo(300);
        JsonObject trigger = so.getJsonArray("triggers").getJsonObject(0);
        assertThat(trigger.getString("type")).isEqualTo("prometheus");
        assertThat(trigger.getString("name")).isEqualTo("backlog-seconds");
        assertThat(trigger.getJsonObject("metadata").getString("threshold")).isEqualTo("30");
        assertThat(trigger.getJsonObject("metadata").getString("query"))
                .isEqualTo("max(hypergraph_backlog_seconds{service=\"hypergraph-explainer\"})");
        assertThat(trigger.getJsonObject("authenticationRef").getBoolean("exists")).isTrue();
        assertThat(trigger.getJsonArray("secrets_referenced").getValuesAs(jakarta.json.JsonString.class))
                .extracting(jakarta.json.JsonString::getString)
                .containsExactly("TriggerAuthentication/hypergraph-explainer-prometheus",
                        "secret:hypergraph-prometheus-token/token");
        assertThat(FindingsJson.named(body.getJsonArray("trigger_authentications"), "hypergraph-explainer-prometheus")
                .getJsonArray("sources").getString(0)).isEqualTo("secretTargetRef");
        assertThat(body.getJsonArray("findings")).isEmpty();
    }

    @Test
    void answersSarifAndRejectsBadInput() {
        ClientResponseTyped<String> sarif = client.get("/api/keda/scalers").queryParam("format", "SARIF")
                .header(HeaderNames.AUTHORIZATION, "Bearer ops").request(String.class);
        assertThat(sarif.status()).isEqualTo(Status.OK_200);
        JsonObject run = parse(sarif.entity()).getJsonArray("runs").getJsonObject(0);
        assertThat(run.getJsonObject("properties").getBoolean("degraded")).isTrue();
        assertThat(run.getJsonObject("tool").getJsonObject("driver").getJsonArray("rules").getValuesAs(JsonObject.class))
                .extracting(r -> r.getString("id")).contains(KedaScan.TARGET_EXISTS, KedaScan.SINGLE_SCALER);

        assertProblem("format", "yaml", 400, "'format' must be json, sarif or junit, got 'yaml'");
        assertProblem("path", "../../../../etc", 400, "inside the workspace");
        assertProblem("chart", "/tmp", 400, "inside the workspace");
        assertProblem("path", "manifests/keda/none.yaml", 404, "manifests/keda/none.yaml");
        assertProblem("chart", "manifests/helm/nope", 404, "manifests/helm/nope");
    }

    @Test
    void needsAutoscalingRead() {
        ClientResponseTyped<String> r = client.get("/api/keda/scalers").header(HeaderNames.AUTHORIZATION, "Bearer dev")
                .request(String.class);
        assertThat(r.status()).isEqualTo(Status.FORBIDDEN_403);
        assertThat(parse(r.entity()).getString("detail")).contains("autoscaling.read");
    }

    private void assertProblem(String parameter, String value, int status, String detail) {
        ClientResponseTyped<String> r = client.get("/api/keda/scalers").queryParam(parameter, value)
                .header(HeaderNames.AUTHORIZATION, "Bearer ops").request(String.class);
        assertThat(r.status().code()).as(parameter + "=" + value + ": " + r.entity()).isEqualTo(status);
        assertThat(parse(r.entity()).getString("detail")).contains(detail);
    }

    @Test
    void aMissingValuesFileIsAnErrorFinding() {
        ClientResponseTyped<String> r = client.get("/api/keda/scalers").queryParam("values", "values-nope.yaml")
                .header(HeaderNames.AUTHORIZATION, "Bearer ops").request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        JsonObject body = parse(r.entity());
        assertThat(body.getJsonObject("summary").getInt("error")).isPositive();
        assertThat(body.getJsonArray("findings").getValuesAs(JsonObject.class))
                .anySatisfy(f -> {
                    assertThat(f.getString("file")).isEqualTo("manifests/helm/hypergraph/values-nope.yaml");
                    assertThat(f.getString("message")).contains("does not exist");
                });
    }

    private JsonObject get() {
        ClientResponseTyped<String> r = client.get("/api/keda/scalers").header(HeaderNames.AUTHORIZATION, "Bearer ops")
                .request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        assertThat(r.headers().contentType().orElseThrow().text()).startsWith("application/json");
        return parse(r.entity());
    }
}
