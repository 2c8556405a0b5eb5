package io.asyncsidecar.controlplane.plugins.keda;

import io.asyncsidecar.controlplane.server.testing.FindingsJson;
import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.asyncsidecar.controlplane.server.testing.FindingsJson.checksOf;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.named;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a {@link io.asyncsidecar.controlplane.spi.checks.RenderedManifests} publisher (the helm plugin's role,
 * played by {@link HelmStubPlugin}) the keda plugin checks the published objects and is not degraded; another
 * chart than the published one is still read from its templates.
 */
@ServerTest
class KedaPublishedChartTest {

    private final Http1Client client;

    KedaPublishedChartTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "data-dir", "target/test-data/keda-published",
                "plugins.helm-stub.publish", "true"));
    }

    @Test
    void checksThePublishedObjects() {
        JsonObject body = get(client.get("/api/keda/scalers").request(String.class));
        assertThat(body.getBoolean("degraded")).isFalse();
        assertThat(body.getString("engine")).isEqualTo("helm-java");
        assertThat(body.getJsonObject("summary").getBoolean("degraded")).isFalse();
        assertThat(body.getJsonObject("chart").getBoolean("rendered")).isTrue();
        // 6 is in the published rendering only; the chart's values say 4
        assertThat(named(body.getJsonArray("scaled_objects"), "hypergraph-explainer").getInt("maxReplicaCount"))
                .isEqualTo(6);
        assertThat(body.getJsonObject("values").getInt("maxReplicaCount")).isEqualTo(4);
        assertThat(checksOf(body.getJsonArray("findings"), "hypergraph-batch")).containsExactly(KedaScan.TARGET_EXISTS);
        assertThat(checksOf(body.getJsonArray("findings"), "hypergraph-explainer")).isEmpty();
    }

    @Test
    void valuesFilesFallBackToTheTemplates() {
        JsonObject body = get(client.get("/api/keda/scalers").queryParam("chart", "manifests/helm/hypergraph")
                .queryParam("values", "values-prod.yaml").request(String.class));
        assertThat(body.getBoolean("degraded")).isTrue();
        assertThat(named(body.getJsonArray("scaled_objects"), "hypergraph-explainer").getInt("maxReplicaCount"))
                .isEqualTo(8);
    }

    private static JsonObject get(ClientResponseTyped<String> r) {
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        return parse(r.entity());
    }
}
