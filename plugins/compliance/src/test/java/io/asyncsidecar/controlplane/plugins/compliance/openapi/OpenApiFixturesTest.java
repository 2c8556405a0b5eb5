package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.List;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.HeaderNames;
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
 * The rules on the real specs of the shared fixtures (read in place): the OpenAPI Initiative's examples for 2.0,
 * 3.0 and 3.1, its 3.1 schema tests, and Kubernetes' Swagger 2.0 and OpenAPI 3.0 documents.
 */
@ServerTest
class OpenApiFixturesTest {

    private static final String OAI = "openapi/OpenAPI-Specification/";
    private static final String KUBE = "openapi/kube-openapi/";

    private final Http1Client client;

    OpenApiFixturesTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", SharedFixtures.root().toString(),
                "data-dir", "target/test-data/openapi-fixtures"));
    }

    @Test
    void petstore30IsVersionedByItsServerPath() {
        JsonObject body = check(client, OAI + "v3.0/petstore.yaml");
        assertThat(nonV1(body)).isEmpty();
        assertThat(body.getInt("paths_total")).isEqualTo(2);
        JsonObject pets = body.getJsonArray("paths").getJsonObject(0);
        assertThat(pets.getString("path")).isEqualTo("/pets");
        assertThat(pets.getJsonArray("effective_paths").getString(0)).isEqualTo("/v1/pets");
        assertThat(pets.getJsonArray("operations").toString()).isEqualTo("[\"get\",\"post\"]");
        assertThat(pets.getBoolean("compliant")).isTrue();
        assertThat(body.getJsonObject("spec").getString("family")).isEqualTo("3.0");
        assertThat(body.getJsonObject("spec").getString("format")).isEqualTo("yaml");
        assertThat(findings(body, "openapi.path-prefix")).isEmpty();
        // Spectral's operation-tag-defined: petstore tags its operations 'pets' without a top-level tag list
        assertThat(pointers(body, "openapi.operation-tag-defined")).containsExactly("/paths/~1pets/get/tags/0",
                "/paths/~1pets/post/tags/0", "/paths/~1pets~1{petId}/get/tags/0");
        // no security anywhere
        assertThat(findings(body, "openapi.operation-security")).hasSize(3);
        assertThat(body.getJsonObject("summary").getString("verdict")).isEqualTo("warn");
        assertThat(body.getBoolean("ok")).isTrue();
    }

    @Test
    void petstoreExpanded30IsServedUnderV2() {
        JsonObject body = check(client, OAI + "v3.0/petstore-expanded.yaml");
        assertThat(nonV1(body)).containsExactly("/pets", "/pets/{id}");
        JsonObject finding = at(body, "openapi.path-prefix", "/paths/~1pets");
        assertThat(finding.getString("message")).contains("served at '/v2/pets'")
                .contains("server 'https://petstore.swagger.io/v2'").contains("not under '/v1'");
        assertThat(finding.getString("severity")).isEqualTo("error");
        assertThat(finding.getInt("line")).isEqualTo(17);
        assertThat(body.getBoolean("ok")).isFalse();
        assertThat(body.getJsonObject("summary").getString("verdict")).isEqualTo("fail");
        assertThat(pointers(body, "openapi.operation-tags")).containsExactly("/paths/~1pets/get",
                "/paths/~1pets/post", "/paths/~1pets~1{id}/get", "/paths/~1pets~1{id}/delete");

        JsonObject v2 = check(client, OAI + "v3.0/petstore-expanded.yaml", "prefix", "/v2/");
        assertThat(nonV1(v2)).isEmpty();
        assertThat(v2.getString("prefix")).isEqualTo("/v2");
    }

    @Test
    void swagger20UsesBasePath() {
        JsonObject petstore = check(client, OAI + "v2.0/yaml/petstore.yaml");
        assertThat(nonV1(petstore)).isEmpty();
        assertThat(petstore.getJsonArray("paths").getJsonObject(0).getJsonArray("effective_paths").getString(0))
                .isEqualTo("/v1/pets");
        assertThat(petstore.getJsonObject("spec").getString("family")).isEqualTo("2.0");

        JsonObject expanded = check(client, OAI + "v2.0/json/petstore-expanded.json");
        assertThat(nonV1(expanded)).containsExactly("/pets", "/pets/{id}");
        assertThat(at(expanded, "openapi.path-prefix", "/paths/~1pets").getString("message"))
                .contains("basePath '/api'");
        assertThat(expanded.getJsonObject("spec").getString("format")).isEqualTo("json");
    }

    @Test
    void kubernetesBatchSwaggerIsNotUnderV1UnlessThePrefixSaysSo() {
        JsonObject body = check(client, KUBE + "v2_batch.v1.json");
        assertThat(body.getInt("paths_total")).isEqualTo(15);
        assertThat(nonV1(body)).hasSize(15).contains("/apis/batch/v1/", "/apis/batch/v1/jobs");
        assertThat(body.getJsonObject("summary").getInt("paths_compliant")).isZero();

        JsonObject prefixed = check(client, KUBE + "v2_batch.v1.json", "prefix", "/apis/batch/v1");
        assertThat(nonV1(prefixed)).isEmpty();
        assertThat(findings(prefixed, "openapi.path-prefix")).isEmpty();

        // the rules Spectral shares, on the same document
        assertThat(pointers(body, "openapi.path-trailing-slash")).containsExactly("/paths/~1apis~1batch~1v1~1");
        assertThat(findings(body, "openapi.ref-siblings")).hasSize(210);
        assertThat(findings(body, "openapi.operation-tag-defined")).hasSize(29);
        assertThat(pointers(body, "openapi.schema-example-valid")).containsExactly(
                "/definitions/io.k8s.api.core.v1.NodeSelectorRequirement/properties/operator/default",
                "/definitions/io.k8s.api.core.v1.SeccompProfile/properties/type/default",
                "/definitions/io.k8s.api.core.v1.TopologySpreadConstraint/properties/whenUnsatisfiable/default");
        assertThat(at(body, "openapi.schema-example-valid",
                "/definitions/io.k8s.api.core.v1.SeccompProfile/properties/type/default").getString("message"))
                .contains("enum");
        assertThat(pointers(body, "openapi.servers")).containsExactly("");
        // the document's BearerToken requirement covers every operation
        assertThat(findings(body, "openapi.operation-security")).isEmpty();
        assertThat(findings(body, "openapi.security-defined")).isEmpty();
    }

    @Test
    void kubernetesBatchOpenApi3WrapsReferencesInAllOf() {
        JsonObject body = check(client, KUBE + "v3_batch.v1.json");
        assertThat(nonV1(body)).hasSize(body.getInt("paths_total"));
        assertThat(findings(body, "openapi.ref-siblings")).isEmpty();
        assertThat(findings(body, "openapi.schema-example-valid")).hasSize(3);
        assertThat(at(body, "openapi.servers", "").getString("message")).contains("lists no servers");
        assertThat(check(client, KUBE + "v3_batch.v1.json", "prefix", "/apis").getJsonArray("non_v1_paths"))
                .isEmpty();
    }

    @Test
    void kubernetesAppsRefSiblingsAndUndefinedTags() {
        JsonObject body = check(client, KUBE + "openapi_v3_0_0_apps_v1.json");
        assertThat(findings(body, "openapi.ref-siblings")).hasSize(276);
        assertThat(at(body, "openapi.ref-siblings",
                "/components/schemas/io.k8s.api.apps.v1.ControllerRevision/properties/data/description")
                .getString("message")).contains("beside $ref is ignored");
        assertThat(findings(body, "openapi.operation-tag-defined")).hasSize(77);
        assertThat(findings(body, "openapi.structure")).isEmpty();
        JsonObject authz = check(client, KUBE + "authorizationv1spec.json");
        assertThat(pointers(authz, "openapi.path-trailing-slash"))
                .containsExactly("/paths/~1apis~1authorization.k8s.io~1v1~1");
    }

    @Test
    void uberHasOperationsWithoutIdsTagsOrSecurity() {
        JsonObject body = check(client, OAI + "v2.0/json/uber.json");
        assertThat(nonV1(body)).isEmpty();
        assertThat(pointers(body, "openapi.operation-id")).containsExactly("/paths/~1products/get",
                "/paths/~1estimates~1price/get", "/paths/~1estimates~1time/get", "/paths/~1me/get",
                "/paths/~1history/get");
        assertThat(at(body, "openapi.operation-id", "/paths/~1products/get").getInt("line")).isEqualTo(18);
        assertThat(findings(body, "openapi.operation-tag-defined")).hasSize(5);
        assertThat(at(body, "openapi.operation-security", "/paths/~1me/get").getString("message"))
                .contains("GET /me can be called without authentication");
    }

    @Test
    void oas31OperationExampleDeclaresTheWrongPathParameter() {
        JsonObject body = check(client, OAI + "oas3.1-schema-tests/pass/operation-object-example.yaml");
        assertThat(pointers(body, "openapi.path-params")).containsExactlyInAnyOrder("/paths/~1pets~1{id}/put",
                "/paths/~1pets~1{id}/put/parameters/0");
        assertThat(at(body, "openapi.path-params", "/paths/~1pets~1{id}/put").getString("message"))
                .contains("does not declare the path parameter '{id}'");
        assertThat(pointers(body, "openapi.security-defined"))
                .containsExactly("/paths/~1pets~1{id}/put/security/0/petstore_auth");
        assertThat(body.getJsonObject("spec").getString("family")).isEqualTo("3.1");
    }

    @Test
    void oas31ExamplesWithoutValueOrOfTheWrongType() {
        JsonObject body = check(client, OAI + "oas3.1-schema-tests/pass/example-object-examples.yaml");
        assertThat(pointers(body, "openapi.media-example-valid")).containsExactlyInAnyOrder(
                "/components/examples/zip-example", "/components/examples/confirmation-success",
                "/components/responses/200/content/application~1x-www-form-urlencoded/examples/jsonFormValue/value");
        assertThat(at(body, "openapi.media-example-valid", "/components/examples/zip-example").getString("message"))
                .contains("neither a value nor an externalValue");
        // the 3.1 schema tests' 'pass' specs need no responses and may use boolean schemas
        assertThat(findings(check(client, OAI + "oas3.1-schema-tests/pass/path_no_response.yaml"),
                "openapi.structure")).isEmpty();
        assertThat(findings(check(client, OAI + "oas3.1-schema-tests/pass/valid_schema_types.yaml"),
                "openapi.structure")).isEmpty();
        // and 3.1 allows $ref siblings
        assertThat(findings(check(client, OAI + "v3.1/webhook-example.yaml"), "openapi.ref-siblings")).isEmpty();
    }

    @Test
    void remoteReferencesAreNeverFetched() {
        JsonObject body = check(client, OAI + "oas3.1-schema-tests/pass/security-scheme-object-examples.yaml");
        JsonObject ref = at(body, "openapi.ref", "/components/securitySchemes/external/$ref");
        assertThat(ref.getString("message")).contains("https://example.com/api/openapi.json")
                .contains("not fetched");
    }

    @Test
    void parserMessagesBecomeStructureFindingsWithPointers() {
        JsonObject none = check(client, OAI + "oas3.1-schema-tests/fail/no_containers.yaml");
        assertThat(at(none, "openapi.structure", "").getString("message"))
                .contains("MUST contain at least one paths field");
        JsonObject servers = check(client, OAI + "oas3.1-schema-tests/fail/servers.yaml");
        JsonObject mistyped = at(servers, "openapi.structure", "/servers");
        assertThat(mistyped.getString("message")).contains("servers is not of type `array`");
        assertThat(mistyped.getInt("line")).isEqualTo(9);
        assertThat(mistyped.getString("severity")).isEqualTo("error");
        JsonObject link = check(client, OAI + "oas3.1-schema-tests/fail/link-object-no-body.yaml");
        assertThat(pointers(link, "openapi.structure"))
                .containsExactly("/components/links/Link-Object-with-body-property/body");
    }

    @Test
    void sarifListsEveryRuleAndLocatesEachResult() {
        ClientResponseTyped<String> r = client.post(OpenApiChecks.ROUTE).queryParam("path", OAI + "v2.0/json/uber.json")
                .queryParam("format", "sarif").request(String.class);
        assertThat(r.status()).isEqualTo(Status.OK_200);
        assertThat(r.headers().first(HeaderNames.CONTENT_TYPE).orElse("")).startsWith("application/sarif+json");
        JsonObject log = parse(r.entity());
        assertThat(log.getString("version")).isEqualTo("2.1.0");
        JsonObject run = log.getJsonArray("runs").getJsonObject(0);
        JsonObject driver = run.getJsonObject("tool").getJsonObject("driver");
        assertThat(driver.getString("name")).isEqualTo("control-plane-compliance");
        List<String> rules = driver.getJsonArray("rules").getValuesAs(JsonObject.class).stream()
                .map(o -> o.getString("id")).toList();
        assertThat(rules).contains("openapi.path-prefix", "openapi.operation-id", "openapi.media-example-valid");
        JsonObject result = run.getJsonArray("results").getValuesAs(JsonObject.class).stream()
                .filter(o -> o.getString("ruleId").equals("openapi.operation-id")).findFirst().orElseThrow();
        JsonObject physical = result.getJsonArray("locations").getJsonObject(0).getJsonObject("physicalLocation");
        assertThat(physical.getJsonObject("artifactLocation").getString("uri")).isEqualTo(OAI + "v2.0/json/uber.json");
        assertThat(physical.getJsonObject("region").getInt("startLine")).isEqualTo(18);
        assertThat(result.getJsonArray("locations").getJsonObject(0).getJsonArray("logicalLocations")
                .getJsonObject(0).getString("name")).isEqualTo("Operation//paths/~1products/get");
        assertThat(run.getJsonObject("properties").getString("verdict")).isEqualTo("warn");
        assertThat(run.getJsonObject("properties").getString("prefix")).isEqualTo("/v1");
    }

    @Test
    void unknownFormatAndPathsOutsideTheWorkspaceAre4xx() {
        ClientResponseTyped<String> format = client.post(OpenApiChecks.ROUTE).queryParam("format", "xml")
                .request(String.class);
        assertThat(format.status()).isEqualTo(Status.BAD_REQUEST_400);
        assertThat(format.entity()).contains("'format' must be json, sarif or junit, got 'xml'");
        ClientResponseTyped<String> outside = client.post(OpenApiChecks.ROUTE).queryParam("path", "../../etc/passwd")
                .request(String.class);
        assertThat(outside.status()).isEqualTo(Status.BAD_REQUEST_400);
        assertThat(outside.entity()).contains("inside the workspace").doesNotContain("root:");
        ClientResponseTyped<String> missing = client.post(OpenApiChecks.ROUTE).queryParam("path", "openapi/none.yaml")
                .request(String.class);
        assertThat(missing.status()).isEqualTo(Status.NOT_FOUND_404);
        assertThat(missing.entity()).contains("openapi/none.yaml");
        ClientResponseTyped<String> prefix = client.post(OpenApiChecks.ROUTE).queryParam("path", KUBE
                + "v2_batch.v1.json").queryParam("prefix", "v1").request(String.class);
        assertThat(prefix.status()).isEqualTo(Status.BAD_REQUEST_400);
        assertThat(prefix.entity()).contains("'prefix' must start with '/', got 'v1'");
    }
}
