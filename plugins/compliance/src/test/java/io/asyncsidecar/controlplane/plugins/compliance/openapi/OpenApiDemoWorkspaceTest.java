package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiChecks.check;
import static io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiChecks.nonV1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo workspace's own spec (config/workspace/api/openapi/hypergraph-api.yaml), with the demo config: it passes
 * the /v1 rule, its one deliberate finding is ignored with its reason, and it documents every call the hypergraph
 * gateway E2E scenario makes, so scenario and spec cannot drift apart.
 */
@ServerTest
class OpenApiDemoWorkspaceTest {

    private final Http1Client client;

    OpenApiDemoWorkspaceTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", "{\"t\": {\"tenant_id\": \"tA\", \"scopes\": [\"compliance.read\"]},"
                        + " \"other\": {\"tenant_id\": \"tA\", \"scopes\": [\"tests.read\"]}}",
                "data-dir", "target/test-data/openapi-demo"));
    }

    @Test
    void theDemoSpecPassesWithOneExplainedIgnore() {
        JsonObject body = post("t");
        assertThat(body.getJsonObject("spec").getString("file")).isEqualTo("api/openapi/hypergraph-api.yaml");
        assertThat(body.getBoolean("ok")).isTrue();
        assertThat(nonV1(body)).isEmpty();
        assertThat(body.getInt("paths_total")).isEqualTo(4);
        assertThat(body.getJsonArray("findings")).isEmpty();
        assertThat(body.getJsonObject("summary").getString("verdict")).isEqualTo("pass");
        JsonObject ignored = body.getJsonArray("ignored").getJsonObject(0);
        assertThat(body.getJsonArray("ignored")).hasSize(1);
        assertThat(ignored.getString("check")).isEqualTo("openapi.operation-security");
        assertThat(ignored.getString("pointer")).isEqualTo("/paths/~1v1~1healthz/get");
        assertThat(ignored.getString("ignored_reason")).contains("Health probes");
        // the answer ends with the rules, as every check answer does, so the ignored finding's rule is described
        assertThat(body.getJsonArray("rules").getValuesAs(JsonObject.class))
                .anySatisfy(r -> {
                    assertThat(r.getString("id")).isEqualTo("openapi.operation-security");
                    assertThat(r.getString("description")).isNotBlank();
                });
    }

    @Test
    void everyScenarioCallIsDocumented() throws IOException {
        JsonObject body = post("t");
        List<String> documented = new ArrayList<>();
        for (JsonObject p : body.getJsonArray("paths").getValuesAs(JsonObject.class)) {
            for (var m : p.getJsonArray("operations").getValuesAs(jakarta.json.JsonString.class)) {
                documented.add(m.getString().toUpperCase(java.util.Locale.ROOT) + " " + p.getString("path"));
            }
        }
        Path scenarios = TestConfigs.demoWorkspace().resolve("tests/e2e/scenarios");
        List<String> called = new ArrayList<>();
        for (String name : List.of("hypergraph-gateway.yaml")) {
            try (Reader r = Files.newBufferedReader(scenarios.resolve(name))) {
                Map<String, Object> scenario = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
                for (Object o : (List<?>) scenario.get("steps")) {
                    Map<?, ?> step = (Map<?, ?>) o;
                    String method = step.containsKey("method") ? step.get("method").toString() : "GET";
                    called.add(method + " " + step.get("path"));
                }
            }
        }
        assertThat(called).hasSizeGreaterThanOrEqualTo(5);
        for (String call : called) {
            assertThat(documented).as(call).anyMatch(d -> matches(d, call));
        }
        // and the spec documents nothing the scenario does not call
        for (String d : documented) {
            assertThat(called).as(d).anyMatch(c -> matches(d, c));
        }
    }

    @Test
    void theRouteNeedsComplianceRead() {
        ClientResponseTyped<String> r = client.post(OpenApiChecks.ROUTE).header(io.helidon.http.HeaderNames.AUTHORIZATION,
                "Bearer other").request(String.class);
        assertThat(r.status()).isEqualTo(Status.FORBIDDEN_403);
        assertThat(r.entity()).contains("compliance.read");
        assertThat(client.post(OpenApiChecks.ROUTE).request(String.class).status()).isEqualTo(Status.UNAUTHORIZED_401);
    }

    /** Whether a documented "METHOD /template/{x}" serves a called "METHOD /path/${var}". */
    private static boolean matches(String documented, String called) {
        String regex = Pattern.quote(documented).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
        String concrete = called.replaceAll("\\$\\{[^}]+}", "value");
        return concrete.matches(regex);
    }

    private JsonObject post(String token) {
        ClientResponseTyped<String> r = client.post(OpenApiChecks.ROUTE)
                .header(io.helidon.http.HeaderNames.AUTHORIZATION, "Bearer " + token).request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        return io.asyncsidecar.controlplane.server.testing.FindingsJson.parse(r.entity());
    }
}
