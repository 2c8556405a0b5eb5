package io.asyncsidecar.controlplane.plugins.karpenter;

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
 * {@code GET /api/karpenter/nodepools} over a workspace written to attack it: links out of the pools folder, the
 * workloads folder and the chart's templates are findings naming the link and the secret is in no answer; YAML
 * bombs as the pools manifest and as the chart's values are {@code yaml.limit} findings answered at once.
 */
@ServerTest
class KarpenterHostileWorkspaceTest {

    private static final String POOL = """
            apiVersion: karpenter.sh/v1
            kind: NodePool
            metadata: {name: hypergraph-cpu}
            spec:
              template:
                spec:
                  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
                  requirements: []
            """;

    private static final HostileWorkspace WS = HostileWorkspace.create("karpenter-hostile")
            .write("pools/pool.yaml", POOL)
            .linkToSecret("pools/env.yaml")
            .linkToSecretFolder("pools/more.yaml")
            .write("workloads/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n")
            .linkToSecret("workloads/leak.yml")
            .write("chart/Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n")
            .write("chart/values.yaml", "replicas: 1\n")
            .write("chart/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}\n")
            .linkToSecret("chart/templates/leak.yaml")
            .write("bombs/alias.yaml", HostileWorkspace.aliasBomb())
            .write("bombs/merge.yaml", HostileWorkspace.mergeBomb())
            .write("bombchart/Chart.yaml", "apiVersion: v2\nname: b\nversion: 1.0.0\n")
            .write("bombchart/values.yaml", HostileWorkspace.mergeBomb())
            .write("bombchart/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");

    private final Http1Client client;

    KarpenterHostileWorkspaceTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", WS.root().toString(),
                "data-dir", "target/test-data/karpenter-hostile",
                "plugins.karpenter.path", "pools",
                "plugins.karpenter.workloads.0", "workloads",
                "plugins.karpenter.chart", "chart"));
    }

    @Test
    void linksOutOfFoldersAndTheChartAreFindingsAndTheSecretIsInNoAnswer() {
        for (String format : List.of("json", "sarif", "junit")) {
            ClientResponseTyped<String> r = client.get("/api/karpenter/nodepools").queryParam("format", format)
                    .request(String.class);
            assertThat(r.status()).as(format).isEqualTo(Status.OK_200);
            assertThat(WS.leaks(r.entity())).as(format + ": " + r.entity()).isFalse();
        }
        JsonObject body = parse(client.get("/api/karpenter/nodepools").request(String.class).entity());
        assertThat(body.getJsonArray("nodepools")).hasSize(1);
        List<String> refused = body.getJsonArray("findings").getValuesAs(JsonObject.class).stream()
                .filter(f -> f.getString("check").equals("workspace.link")).map(f -> f.getString("file")).toList();
        assertThat(refused).containsExactlyInAnyOrder("pools/env.yaml", "pools/more.yaml", "workloads/leak.yml",
                "chart/templates/leak.yaml");
    }

    @Test
    void aFolderWithoutLinksHasNoLinkFinding() {
        JsonObject body = parse(client.get("/api/karpenter/nodepools").queryParam("path", "pools/pool.yaml")
                .queryParam("workloads", "workloads/cm.yaml").queryParam("chart", "bombchart")
                .request(String.class).entity());
        assertThat(body.getJsonArray("findings").getValuesAs(JsonObject.class))
                .noneMatch(f -> f.getString("check").equals("workspace.link"));
    }

    @Test
    void yamlBombsAreLimitFindingsAnsweredQuicklyAndTheServerAnswersOn() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (String bomb : List.of("bombs/alias.yaml", "bombs/merge.yaml")) {
                ClientResponseTyped<String> r = client.get("/api/karpenter/nodepools").queryParam("path", bomb)
                        .queryParam("chart", "chart").request(String.class);
                assertThat(r.status()).as(bomb).isEqualTo(Status.OK_200);
                assertThat(limits(parse(r.entity()))).as(bomb).containsExactly(bomb);
            }
            ClientResponseTyped<String> values = client.get("/api/karpenter/nodepools").queryParam("chart", "bombchart")
                    .request(String.class);
            assertThat(values.status()).isEqualTo(Status.OK_200);
            assertThat(limits(parse(values.entity()))).containsExactly("bombchart/values.yaml");
            assertThat(client.get("/api/karpenter/nodepools").request(String.class).status()).isEqualTo(Status.OK_200);
        });
    }

    private static List<String> limits(JsonObject body) {
        return body.getJsonArray("findings").getValuesAs(JsonObject.class).stream()
                .filter(f -> f.getString("check").equals("yaml.limit")).map(f -> f.getString("file")).toList();
    }
}
