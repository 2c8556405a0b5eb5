package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The specs written for the rules the fixtures do not trigger (duplicate operationIds, missing success responses,
 * example.com servers, equivalent paths, references across files), checked both ways: the same findings.
 */
@ServerTest
class SpectralAgreementRulesTest {

    static final Path WORKSPACE = Path.of("src/test/resources/openapi").toAbsolutePath();

    private final Http1Client client;

    SpectralAgreementRulesTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", WORKSPACE.toString(),
                "data-dir", "target/test-data/openapi-spectral-rules"));
    }

    @Test
    void sameFindingsAsSpectralOnTheRuleSpecs() throws Exception {
        Map<String, Integer> agreed = SpectralAgreement.assertAgrees(client, WORKSPACE,
                List.of("rules-oas30.yaml", "rules-swagger20.yaml", "rules-oas31.yaml"), List.of());
        agreed.forEach((spec, n) -> System.out.println("spectral agreement: " + spec + ": " + n + " findings"));
        assertThat(agreed.get("rules-oas30.yaml")).isGreaterThanOrEqualTo(20);
    }
}
