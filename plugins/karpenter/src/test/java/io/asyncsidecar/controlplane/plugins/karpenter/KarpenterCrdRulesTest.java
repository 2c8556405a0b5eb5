package io.asyncsidecar.controlplane.plugins.karpenter;

import java.util.List;

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

import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.AMI_PINNED;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.CPU_POOL_REJECTS_GPU;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.CRD_RULE;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.GPU_POOL;
import static io.asyncsidecar.controlplane.plugins.karpenter.KarpenterRules.NODECLASS_AMI;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.checksOf;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.finding;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.named;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NodePool and EC2NodeClass CRDs of the Karpenter AWS provider (shared fixtures) given with {@code crds}: their
 * own CEL rules run on the provider's examples and the blueprints instead of the plugin's restated ones.
 */
@ServerTest
class KarpenterCrdRulesTest {

    private static final String CRDS = "karpenter/karpenter-provider-aws/crds";
    private static final String EXAMPLES = "karpenter/karpenter-provider-aws/examples/v1";

    private final Http1Client client;

    KarpenterCrdRulesTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", SharedFixtures.root().toString(),
                "data-dir", "target/test-data/karpenter-crd-rules",
                "plugins.karpenter.chart", ""));
    }

    @Test
    void theProvidersOwnExamplesPassItsCrdRules() {
        JsonObject body = get(EXAMPLES, CRDS);
        assertThat(body.getString("validation")).isEqualTo("crd-rules");
        assertThat(body.getJsonArray("nodepools").getValuesAs(JsonObject.class))
                .allSatisfy(p -> assertThat(p.getString("validation")).isEqualTo("crd-rules"));
        assertThat(body.getJsonArray("node_classes").getValuesAs(JsonObject.class))
                .allSatisfy(c -> assertThat(c.getString("validation")).isEqualTo("crd-rules"));
        assertThat(body.getJsonArray("findings").getValuesAs(JsonObject.class))
                .extracting(f -> f.getString("check")).containsOnly(AMI_PINNED, CPU_POOL_REJECTS_GPU, GPU_POOL);
    }

    @Test
    void withoutTheCrdsTheRestatedRulesRun() {
        JsonObject body = get("karpenter/karpenter-blueprints/update-nodes-with-drift", null);
        assertThat(body.getString("validation")).isEqualTo("built-in");
        assertThat(finding(body.getJsonArray("findings"), "latest-current-ami", NODECLASS_AMI).getString("message"))
                .endsWith("must specify amiFamily if amiSelectorTerms does not contain an alias");
        assertThat(checksOf(body.getJsonArray("findings"), "latest-current-ami")).doesNotContain(CRD_RULE);
    }

    @Test
    void aBlueprintBreakingACrdRuleIsReportedWithTheCrdsMessage() throws Exception {
        String path = "karpenter/karpenter-blueprints/update-nodes-with-drift";
        JsonObject body = get(path, CRDS);
        assertThat(body.getString("validation")).isEqualTo("crd-rules");
        JsonObject f = finding(body.getJsonArray("findings"), "latest-current-ami", CRD_RULE);
        // the EC2NodeClass CRD's rule on spec: an AMI selected without an alias needs amiFamily
        assertThat(f.getString("message")).contains("must specify amiFamily if amiSelectorTerms does not contain an"
                + " alias").contains("ec2nodeclasses.karpenter.k8s.aws").contains("amiSelectorTerms.exists");
        assertThat(f.getString("file")).isEqualTo(path + "/latest-current-ami.yaml");
        assertThat(f.getInt("line")).isEqualTo(lineOf(path + "/latest-current-ami.yaml", "spec:", "EC2NodeClass"));
        // the restatement of that rule is left to the CRD
        assertThat(checksOf(body.getJsonArray("findings"), "latest-current-ami")).doesNotContain(NODECLASS_AMI);
        assertThat(named(body.getJsonArray("node_classes"), "latest-current-ami").getString("validation"))
                .isEqualTo("crd-rules");
    }

    /** The line of the first {@code text} after the line holding {@code after}. */
    private static int lineOf(String file, String text, String after) throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(SharedFixtures.path(file));
        int from = 0;
        while (from < lines.size() && !lines.get(from).contains(after)) {
            from++;
        }
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).startsWith(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    private JsonObject get(String path, String crds) {
        Http1ClientRequest req = client.get("/api/karpenter/nodepools").queryParam("path", path);
        if (crds != null) {
            req.queryParam("crds", crds);
        }
        ClientResponseTyped<String> r = req.request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        return parse(r.entity());
    }
}
