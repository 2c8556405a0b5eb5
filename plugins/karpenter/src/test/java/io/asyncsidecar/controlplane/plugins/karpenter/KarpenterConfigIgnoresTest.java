package io.asyncsidecar.controlplane.plugins.karpenter;

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

import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code plugins.karpenter.ignore} on the demo workspace: its one finding, the GPU node class's moving AMI alias,
 * ignored from the config by a pattern with an empty namespace (EC2NodeClass is cluster-scoped).
 */
@ServerTest
class KarpenterConfigIgnoresTest {

    private static final String REASON = "INFRA-77: GPU AMIs roll with the driver release, tested in staging first";

    private final Http1Client client;

    KarpenterConfigIgnoresTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "data-dir", "target/test-data/karpenter-config-ignores",
                "plugins.karpenter.ignore.0.check", KarpenterRules.AMI_PINNED,
                "plugins.karpenter.ignore.0.object", "EC2NodeClass//hypergraph-gpu",
                "plugins.karpenter.ignore.0.reason", REASON,
                // a namespace named never matches a cluster-scoped object
                "plugins.karpenter.ignore.1.check", KarpenterRules.AMI_PINNED,
                "plugins.karpenter.ignore.1.object", "EC2NodeClass/default/*",
                "plugins.karpenter.ignore.1.reason", "never used"));
    }

    @Test
    void theMovingAmiIsListedAsIgnoredWithTheConfigsReason() {
        ClientResponseTyped<String> r = client.get("/api/karpenter/nodepools").request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        JsonObject body = parse(r.entity());
        assertThat(body.getJsonArray("findings")).isEmpty();
        assertThat(body.getJsonArray("ignored")).hasSize(1);
        JsonObject ami = body.getJsonArray("ignored").getJsonObject(0);
        assertThat(ami.getString("check")).isEqualTo(KarpenterRules.AMI_PINNED);
        assertThat(ami.getJsonObject("object").getString("kind")).isEqualTo("EC2NodeClass");
        assertThat(ami.getJsonObject("object").getString("name")).isEqualTo("hypergraph-gpu");
        assertThat(ami.getString("ignored_reason")).isEqualTo(REASON);
        assertThat(ami.getString("ignored_source")).isEqualTo("config");
        assertThat(body.getJsonObject("summary").getInt("ignored")).isEqualTo(1);
        assertThat(body.getJsonObject("summary").getInt("warning") + body.getJsonObject("summary").getInt("error"))
                .isZero();
    }
}
