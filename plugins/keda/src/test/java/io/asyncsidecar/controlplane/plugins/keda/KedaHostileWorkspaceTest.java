package io.asyncsidecar.controlplane.plugins.keda;

import java.time.Duration;
import java.util.List;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.HostileWorkspace;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

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
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@code GET /api/keda/scalers} over a workspace written to attack it: the manifests folder, the chart's
 * values.yaml and its scalers template link to a secret outside; none of it is read, each link is named
 * relative to the workspace, and a missing values file is a plain message without a class name or an absolute
 * path. YAML bombs are {@code yaml.limit} findings answered at once.
 */
@ServerTest
class KedaHostileWorkspaceTest {

    private static final String SCALED_OBJECT = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: so}
            spec:
              scaleTargetRef: {name: missing}
              triggers: [{type: cpu, metricType: Utilization, metadata: {value: "50"}}]
            """;

    private static final HostileWorkspace WS = HostileWorkspace.create("keda-hostile")
            .write("manifests/kedaextra/so.yaml", SCALED_OBJECT)
            .linkToSecret("manifests/kedaextra/env.yaml")
            .write("chart/Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n")
            .linkToSecret("chart/values.yaml")
            .linkToSecret("chart/templates/keda-scalers.yaml")
            .write("chart/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n")
            .write("novalues/Chart.yaml", "apiVersion: v2\nname: n\nversion: 1.0.0\n")
            .write("novalues/templates/keda-scalers.yaml", SCALED_OBJECT)
            .write("bombs/alias.yaml", HostileWorkspace.aliasBomb())
            .write("bombchart/Chart.yaml", "apiVersion: v2\nname: b\nversion: 1.0.0\n")
            .write("bombchart/values.yaml", HostileWorkspace.aliasBomb())
            .write("bombchart/templates/keda-scalers.yaml", SCALED_OBJECT);

    private final Http1Client client;

    KedaHostileWorkspaceTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", WS.root().toString(),
                "data-dir", "target/test-data/keda-hostile",
                "plugins.keda.chart", "chart",
                "plugins.keda.manifests.0", "manifests/kedaextra"));
    }

    @Test
    void linksAreNamedNeverReadAndTheSecretIsInNoAnswer() {
        for (String format : List.of("json", "sarif", "junit")) {
            ClientResponseTyped<String> r = client.get("/api/keda/scalers").queryParam("format", format)
                    .request(String.class);
            assertThat(r.status()).as(format).isEqualTo(Status.OK_200);
            assertThat(WS.leaks(r.entity())).as(format + ": " + r.entity()).isFalse();
        }
        JsonObject body = parse(client.get("/api/keda/scalers").request(String.class).entity());
        assertThat(body.getJsonArray("scaled_objects")).hasSize(1);
        assertThat(body.getString("keda_template_excerpt")).isEmpty();
        assertThat(body.getJsonObject("keda_template").getString("problem"))
                .contains("'chart/templates/keda-scalers.yaml'").contains("symbolic link");
        assertThat(body.getString("values_problem")).contains("'chart/values.yaml'").contains("symbolic link");
        List<String> refused = body.getJsonArray("findings").getValuesAs(JsonObject.class).stream()
                .filter(f -> f.getString("check").equals("workspace.link")).map(f -> f.getString("file")).toList();
        assertThat(refused).contains("manifests/kedaextra/env.yaml", "chart/values.yaml",
                "chart/templates/keda-scalers.yaml");
    }

    @Test
    void aMissingValuesFileIsAPlainMessageWithARelativePath() {
        ClientResponseTyped<String> r = client.get("/api/keda/scalers").queryParam("chart", "novalues")
                .request(String.class);
        assertThat(r.status()).isEqualTo(Status.OK_200);
        JsonObject body = parse(r.entity());
        assertThat(body.getString("values_problem")).contains("'novalues/values.yaml' does not exist")
                .doesNotContain("Exception").doesNotContain("java.");
        assertThat(body.getString("keda_template_excerpt")).contains("kind: ScaledObject");
        assertThat(body.getJsonObject("keda_template").containsKey("problem")).isFalse();
        assertThat(WS.leaks(r.entity())).isFalse();
        assertThat(r.entity()).doesNotContain("NoSuchFileException");
    }

    @Test
    void yamlBombsAreLimitFindingsAnsweredQuicklyAndTheServerAnswersOn() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            JsonObject manifest = parse(client.get("/api/keda/scalers").queryParam("path", "bombs/alias.yaml")
                    .request(String.class).entity());
            assertThat(limits(manifest)).containsExactly("bombs/alias.yaml");
            JsonObject values = parse(client.get("/api/keda/scalers").queryParam("chart", "bombchart")
                    .request(String.class).entity());
            assertThat(limits(values)).containsExactly("bombchart/values.yaml");
            assertThat(values.getString("values_problem")).contains("limit");
            assertThat(client.get("/api/keda/scalers").request(String.class).status()).isEqualTo(Status.OK_200);
        });
    }

    private static List<String> limits(JsonObject body) {
        return body.getJsonArray("findings").getValuesAs(JsonObject.class).stream()
                .filter(f -> f.getString("check").equals("yaml.limit")).map(f -> f.getString("file")).toList();
    }
}
