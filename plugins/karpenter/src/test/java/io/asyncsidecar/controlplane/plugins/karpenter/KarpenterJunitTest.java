package io.asyncsidecar.controlplane.plugins.karpenter;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.JunitXml;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/karpenter/nodepools?format=junit} on the demo workspace: JUnit XML with one testsuite, a failure per error or
 * warning finding of the JSON answer at its file and line, a skipped testcase per ignored one.
 */
@ServerTest
class KarpenterJunitTest {

    private static final String TOKENS = "{\"t\":{\"tenant_id\":\"tA\",\"subject\":\"ci\","
            + "\"scopes\":[\"autoscaling.read\"]}}";

    private final Http1Client client;

    KarpenterJunitTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", TOKENS,
                "data-dir", "target/test-data/karpenter-junit"));
    }

    @Test
    void junitHasAFailurePerErrorOrWarningFindingOfTheJsonAnswer() {
        JunitXml.assertSingleSuiteAnswer(client, "/api/karpenter/nodepools", "t", "control-plane-karpenter");
    }
}
