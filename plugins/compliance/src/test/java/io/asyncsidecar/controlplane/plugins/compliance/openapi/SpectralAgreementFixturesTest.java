package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every OpenAPI spec of the shared fixtures (OAS 3.0, 3.1 and its schema tests, Swagger 2.0, Kubernetes'), checked
 * by the plugin through the server and linted by Spectral: for every rule the two share, the same findings.
 */
@ServerTest
class SpectralAgreementFixturesTest {

    /** The documented differences (docs/CHECKS.md, "Where the check and Spectral differ"). */
    static final List<SpectralAgreement.Difference> KNOWN = List.of(
            new SpectralAgreement.Difference(
                    "openapi/OpenAPI-Specification/oas3.1-schema-tests/pass/non-oauth-scopes.yaml",
                    "oas3-operation-security-defined", "/paths/~1users/get/security/0/bearerAuth/0",
                    "OpenAPI 3.1 lets a requirement of a non-OAuth2 scheme list role names"),
            new SpectralAgreement.Difference(
                    "openapi/OpenAPI-Specification/oas3.1-schema-tests/pass/non-oauth-scopes.yaml",
                    "oas3-operation-security-defined", "/paths/~1users/get/security/0/bearerAuth/1",
                    "OpenAPI 3.1 lets a requirement of a non-OAuth2 scheme list role names"));

    private final Http1Client client;

    SpectralAgreementFixturesTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", SharedFixtures.root().toString(),
                "data-dir", "target/test-data/openapi-spectral-fixtures"));
    }

    @Test
    void sameFindingsAsSpectralOnEveryFixture() throws Exception {
        Path root = SharedFixtures.root();
        List<String> specs;
        try (Stream<Path> files = Files.walk(SharedFixtures.path("openapi"))) {
            specs = files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
        assertThat(specs).hasSizeGreaterThan(40);
        Map<String, Integer> agreed = SpectralAgreement.assertAgrees(client, root, specs, KNOWN);
        agreed.forEach((spec, n) -> System.out.println("spectral agreement: " + spec + ": " + n + " findings"));
        // The Kubernetes specs carry most shared findings ($ref siblings, undefined tags, enum defaults).
        assertThat(agreed.get("openapi/kube-openapi/openapi_v3_0_0_apps_v1.json")).isGreaterThan(300);
        assertThat(agreed.get("openapi/kube-openapi/v2_batch.v1.json")).isGreaterThan(200);
    }
}
