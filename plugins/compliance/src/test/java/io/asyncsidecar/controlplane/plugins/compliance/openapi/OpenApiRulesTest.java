package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiChecks.at;
import static io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiChecks.check;
import static io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiChecks.findings;
import static io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiChecks.nonV1;
import static io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiChecks.pointers;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each rule on the specs written for it (src/test/resources/openapi), the configured spec being
 * {@code rules-oas30.yaml}, whose references reach two more files.
 */
@ServerTest
class OpenApiRulesTest {

    static final Path WORKSPACE = Path.of("src/test/resources/openapi").toAbsolutePath();

    private final Http1Client client;

    OpenApiRulesTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", WORKSPACE.toString(),
                "data-dir", "target/test-data/openapi-rules",
                "plugins.compliance.openapi.path", "rules-oas30.yaml"));
    }

    @Test
    void withoutBodyTheConfiguredSpecAndItsFilesAreChecked() {
        JsonObject body = check(client, null);
        assertThat(body.getJsonObject("spec").getString("source")).isEqualTo("workspace");
        assertThat(body.getJsonObject("spec").getString("file")).isEqualTo("rules-oas30.yaml");
        assertThat(body.getJsonObject("spec").getJsonArray("files").toString())
                .isEqualTo("[\"rules-oas30.yaml\",\"paths/store.yaml\",\"components/shared.yaml\"]");
        assertThat(body.getInt("paths_total")).isEqualTo(7);
        assertThat(nonV1(body)).isEmpty();
    }

    @Test
    void operationRules() {
        JsonObject body = check(client, null);
        JsonObject dup = at(body, "openapi.operation-id-unique", "/paths/~1v1~1pets/post/operationId");
        assertThat(dup.getString("message")).contains("'listPets' of POST /v1/pets is already used by GET /v1/pets");
        assertThat(dup.getInt("line")).isEqualTo(34);
        assertThat(pointers(body, "openapi.operation-id")).containsExactly("/paths/~1v1~1orders/get");
        assertThat(pointers(body, "openapi.operation-tags")).containsExactly("/paths/~1v1~1orders/get");
        assertThat(pointers(body, "openapi.operation-tag-defined")).containsExactly("/paths/~1v1~1pets~1{petId}/get/tags/1");
        assertThat(pointers(body, "openapi.operation-success-response"))
                .containsExactly("/paths/~1v1~1pets/post/responses");
        assertThat(pointers(body, "openapi.operation-security")).containsExactly("/paths/~1v1~1pets~1{petId}/delete");
        assertThat(at(body, "openapi.operation-security", "/paths/~1v1~1pets~1{petId}/delete").getString("message"))
                .contains("security is empty");
        assertThat(pointers(body, "openapi.security-defined")).containsExactly(
                "/paths/~1v1~1orders/get/security/0/basic", "/paths/~1v1~1orders/get/security/1/apiKey/0");
    }

    @Test
    void pathRules() {
        JsonObject body = check(client, null);
        assertThat(at(body, "openapi.path-equivalent", "/paths/~1v1~1pets~1{id}").getString("message"))
                .contains("'/v1/pets/{petId}' and '/v1/pets/{id}' differ only in parameter names");
        assertThat(pointers(body, "openapi.path-params")).containsExactlyInAnyOrder(
                "/paths/~1v1~1pets~1{id}/get/parameters/0", "/paths/~1v1~1pets~1{id}/get/parameters/0",
                "/paths/~1v1~1pets~1{id}/get");
        assertThat(at(body, "openapi.path-ambiguous", "/paths/~1v1~1{kind}~1mine").getString("message"))
                .contains("such as '/v1/pets/mine'");
        // the path item is in paths/store.yaml, so the finding is there, as Spectral reports it
        JsonObject slash = findings(body, "openapi.path-trailing-slash").getFirst();
        assertThat(slash.getString("file")).isEqualTo("paths/store.yaml");
        assertThat(slash.getString("message")).contains("'/v1/store/' ends with a slash");
    }

    @Test
    void referenceRules() {
        JsonObject body = check(client, null);
        assertThat(at(body, "openapi.ref", "/paths/~1v1~1missing/$ref").getString("message"))
                .contains("file 'paths/missing.yaml' does not exist");
        assertThat(at(body, "openapi.ref",
                "/paths/~1v1~1orders/get/responses/200/content/application~1json/schema/$ref").getString("message"))
                .contains("'#/components/schemas/Order' does not exist");
        assertThat(pointers(body, "openapi.ref-siblings"))
                .containsExactly("/components/schemas/Pet/properties/tag/description");
        assertThat(pointers(body, "openapi.server-not-example")).containsExactly("/servers/0/url");
    }

    @Test
    void exampleRulesFollowReferencesIntoOtherFiles() {
        JsonObject body = check(client, null);
        assertThat(at(body, "openapi.media-example-valid",
                "/paths/~1v1~1pets/get/responses/200/content/application~1json/example").getString("message"))
                .contains("/1/id");
        assertThat(pointers(body, "openapi.media-example-valid")).contains(
                "/paths/~1v1~1pets/post/requestBody/content/application~1json/examples/nameless/value",
                "/components/parameters/PetId/example")
                // readOnly id is not required in a request
                .doesNotContain("/paths/~1v1~1pets/post/requestBody/content/application~1json/examples/new/value");
        JsonObject shared = findings(body, "openapi.media-example-valid").stream()
                .filter(f -> f.getString("file").equals("components/shared.yaml")).findFirst().orElseThrow();
        assertThat(shared.getString("pointer")).isEqualTo("/components/examples/BadPet/value");
        assertThat(shared.getInt("line")).isEqualTo(7);
        assertThat(pointers(body, "openapi.schema-example-valid")).contains(
                "/components/schemas/Pet/properties/born/example", "/components/schemas/Pet/properties/weight/default",
                "/components/schemas/Pet/properties/age/example");
        // nullable with an enum that lists null: a null example is valid
        assertThat(pointers(body, "openapi.schema-example-valid")).doesNotContain("/components/schemas/Tag/example");
    }

    @Test
    void swagger20Rules() {
        JsonObject body = check(client, "rules-swagger20.yaml");
        assertThat(nonV1(body)).isEmpty();
        assertThat(body.getJsonArray("paths").getJsonObject(0).getJsonArray("effective_paths").getString(0))
                .isEqualTo("/v1/pets");
        assertThat(pointers(body, "openapi.server-not-example")).containsExactly("/host");
        assertThat(pointers(body, "openapi.schema-example-valid")).containsExactlyInAnyOrder(
                "/paths/~1pets/get/parameters/0/default", "/paths/~1pets/get/parameters/1/x-example",
                "/definitions/Pet/properties/id/example");
        assertThat(pointers(body, "openapi.media-example-valid"))
                .containsExactly("/paths/~1pets/get/responses/200/examples/application~1json");
        assertThat(pointers(body, "openapi.security-defined")).containsExactly("/paths/~1pets/post/security/0/oauth/0");
        assertThat(pointers(body, "openapi.ref-siblings"))
                .containsExactly("/paths/~1pets~1{petId}/get/responses/200/schema/description");
        assertThat(pointers(body, "openapi.path-params")).containsExactly("/paths/~1pets~1{petId}/get");
    }

    @Test
    void openApi31ServerVariablesAndJsonSchema2020() {
        JsonObject body = check(client, "rules-oas31.yaml");
        JsonObject trace = body.getJsonArray("paths").getJsonObject(0);
        assertThat(trace.getJsonArray("effective_paths").getString(0)).isEqualTo("/v1/traces/{traceId}");
        assertThat(findings(body, "openapi.ref-siblings")).isEmpty();
        assertThat(pointers(body, "openapi.media-example-valid")).containsExactlyInAnyOrder(
                "/paths/~1traces~1{traceId}/get/responses/200/content/application~1json/examples/bad/value",
                "/webhooks/traceDone/post/requestBody/content/application~1json/example");
        assertThat(pointers(body, "openapi.schema-example-valid"))
                .containsExactly("/components/schemas/Trace/properties/note/example");
        JsonObject v2 = check(client, "rules-oas31.yaml", "prefix", "/v2");
        assertThat(nonV1(v2)).containsExactly("/traces/{traceId}");
        assertThat(at(v2, "openapi.path-prefix", "/paths/~1traces~1{traceId}").getString("message"))
                .contains("server 'https://hypergraph.invalid/{version}'");
    }

    @Test
    void ignoredFindingsCarryTheirReason() {
        JsonObject body = check(client, "ignored.yaml");
        assertThat(findings(body, "openapi.operation-tags")).isEmpty();
        assertThat(pointers(body, "openapi.operation-security")).containsExactly("/paths/~1pets/get");
        JsonObject ignored = body.getJsonArray("ignored").getValuesAs(JsonObject.class).stream()
                .filter(f -> f.getString("pointer").equals("/paths/~1health/get")
                        && f.getString("check").equals("openapi.operation-security")).findFirst().orElseThrow();
        assertThat(ignored.getString("ignored_reason")).isEqualTo("Probes call it without a token.");
        assertThat(body.getJsonArray("ignored")).hasSize(3);
        assertThat(body.getJsonObject("summary").getInt("ignored")).isEqualTo(3);
    }

    @Test
    void aPostedSpecResolvesReferencesBesideTheConfiguredSpec() {
        String spec = """
                openapi: 3.0.3
                info: {title: posted, version: "1"}
                servers: [{url: /v1}]
                security: [{key: []}]
                tags: [{name: pets}]
                paths:
                  /pets:
                    get:
                      operationId: pets
                      tags: [pets]
                      responses:
                        "200":
                          description: ok
                          content:
                            application/json:
                              schema: {$ref: "components/shared.yaml#/components/schemas/Pet"}
                              example: {id: one}
                components:
                  securitySchemes:
                    key: {type: apiKey, in: header, name: X-Key}
                """;
        ClientResponseTyped<String> r = client.post(OpenApiChecks.ROUTE).contentType(MediaTypes.create("application",
                "yaml")).submit(spec.getBytes(StandardCharsets.UTF_8), String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        JsonObject body = parse(r.entity());
        assertThat(body.getJsonObject("spec").getString("source")).isEqualTo("request");
        assertThat(body.getJsonObject("spec").getString("file")).isEqualTo("request-body.yaml");
        assertThat(body.getJsonObject("spec").getJsonArray("files").toString())
                .isEqualTo("[\"request-body.yaml\",\"components/shared.yaml\"]");
        JsonObject example = at(body, "openapi.media-example-valid",
                "/paths/~1pets/get/responses/200/content/application~1json/example");
        assertThat(example.getString("file")).isEqualTo("request-body.yaml");
        assertThat(example.getInt("line")).isEqualTo(17);
        assertThat(findings(body, "openapi.ref")).isEmpty();
        assertThat(body.getJsonObject("summary").getString("verdict")).isEqualTo("fail");
    }
}
