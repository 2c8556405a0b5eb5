package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.asyncsidecar.controlplane.plugins.compliance.openapi.OpenApiChecks.nonV1;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Specs posted in the body, as a CI job sends them: JSON or YAML by content type or sniffed, and every bad body a
 * 4xx naming the problem (never a 500): not JSON or YAML, not OpenAPI, empty, too large, with the wrong type.
 */
@ServerTest
class OpenApiBodyTest {

    private static final MediaType YAML = MediaTypes.create("application", "yaml");

    private final Http1Client client;
    private final int port;

    OpenApiBodyTest(Http1Client client, io.helidon.webserver.WebServer server) {
        this.client = client;
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "data-dir", "target/test-data/openapi-body",
                "server.max-payload-size", "262144"));
    }

    @Test
    void yamlJsonAndSniffedBodies() throws Exception {
        byte[] petstore = Files.readAllBytes(SharedFixtures.path("openapi/OpenAPI-Specification/v3.0/petstore.yaml"));
        JsonObject yaml = ok(post(YAML, petstore));
        assertThat(yaml.getJsonObject("spec").getString("file")).isEqualTo("request-body.yaml");
        assertThat(nonV1(yaml)).isEmpty();

        byte[] uber = Files.readAllBytes(SharedFixtures.path("openapi/OpenAPI-Specification/v2.0/json/uber.json"));
        JsonObject json = ok(post(MediaTypes.APPLICATION_JSON, uber));
        assertThat(json.getJsonObject("spec").getString("format")).isEqualTo("json");
        assertThat(json.getInt("paths_total")).isEqualTo(5);

        assertThat(ok(post(null, uber)).getJsonObject("spec").getString("format")).isEqualTo("json");
        assertThat(ok(post(MediaTypes.TEXT_PLAIN, petstore)).getJsonObject("spec").getString("format"))
                .isEqualTo("yaml");
        // JSON is YAML: a JSON spec labelled YAML reads the same
        assertThat(ok(post(YAML, uber)).getInt("paths_total")).isEqualTo(5);
        // YAML flow style starts with a brace but is no JSON: sniffed as JSON, read as YAML
        assertThat(ok(post(null, "{openapi: 3.0.3, info: {title: t, version: '1'}, paths: {}}"
                .getBytes(StandardCharsets.UTF_8))).getJsonObject("spec").getString("format")).isEqualTo("yaml");
    }

    @Test
    void sarifForAPostedSpec() {
        ClientResponseTyped<String> r = client.post(OpenApiChecks.ROUTE).queryParam("format", "sarif")
                .contentType(YAML).submit("swagger: '2.0'\ninfo: {title: t, version: '1'}\nbasePath: /v2\npaths:\n"
                        + "  /a:\n    get:\n      responses:\n        '200': {description: ok}\n", String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        JsonObject run = parse(r.entity()).getJsonArray("runs").getJsonObject(0);
        JsonObject prefix = run.getJsonArray("results").getValuesAs(JsonObject.class).stream()
                .filter(o -> o.getString("ruleId").equals("openapi.path-prefix")).findFirst().orElseThrow();
        assertThat(prefix.getJsonArray("locations").getJsonObject(0).getJsonObject("physicalLocation")
                .getJsonObject("artifactLocation").getString("uri")).isEqualTo("request-body.yaml");
        assertThat(prefix.getString("level")).isEqualTo("error");
        assertThat(run.getJsonObject("properties").getJsonArray("non_v1_paths").getString(0)).isEqualTo("/a");
    }

    @Test
    void notJsonOrYamlNamesThePosition() {
        ClientResponseTyped<String> json = post(MediaTypes.APPLICATION_JSON, "{\"openapi\": \"3.0.0\",\n  \"info\": }"
                .getBytes(StandardCharsets.UTF_8));
        problem(json, 400, "request body is not JSON: line 2");
        assertThat(parse(json.entity()).getInt("line")).isEqualTo(2);
        problem(post(YAML, "openapi: 3.0.0\ninfo:\n  title: [unclosed\n".getBytes(StandardCharsets.UTF_8)), 400,
                "request body is not YAML: line 4");
        problem(post(null, new byte[] {0x00, 0x01, (byte) 0xfe, 0x7f}), 400, "request body is not JSON or YAML");
        problem(post(YAML, "a: 1\n---\nb: 2\n".getBytes(StandardCharsets.UTF_8)), 400, "single document");
    }

    @Test
    void notOpenApiSaysWhatItIs() {
        problem(post(MediaTypes.APPLICATION_JSON, "{\"name\": \"x\", \"items\": []}".getBytes(StandardCharsets.UTF_8)),
                400, "not an OpenAPI document: it has no 'openapi' or 'swagger' field (its first keys: name, items)");
        problem(post(YAML, "- a\n- b\n".getBytes(StandardCharsets.UTF_8)), 400, "it is a list");
        problem(post(null, "just some text".getBytes(StandardCharsets.UTF_8)), 400, "it is a single string value");
        problem(post(YAML, "swagger: '1.2'\napis: []\n".getBytes(StandardCharsets.UTF_8)), 400,
                "'swagger: 1.2' is not supported");
        problem(post(YAML, "openapi: 4.0.0\n".getBytes(StandardCharsets.UTF_8)), 400, "'openapi: 4.0.0' is not a"
                + " supported version");
        problem(post(YAML, "   \n".getBytes(StandardCharsets.UTF_8)), 400, "the YAML text is empty");
    }

    @Test
    void anEmptyBodyThatWasMeantOrTwoSourcesAre400() {
        problem(post(YAML, new byte[0]), 400, "request body is empty although Content-Type is 'application/yaml'");
        ClientResponseTyped<String> both = client.post(OpenApiChecks.ROUTE).queryParam("path", "x.yaml")
                .contentType(YAML).submit("openapi: 3.0.0\n", String.class);
        problem(both, 400, "not both");
    }

    @Test
    void anUnsupportedContentTypeIs415() {
        problem(post(MediaTypes.APPLICATION_XML, "<openapi/>".getBytes(StandardCharsets.UTF_8)), 415,
                "Content-Type 'application/xml' is neither JSON nor YAML");
    }

    @Test
    void aBodyOverTheServersPayloadLimitIs413() throws Exception {
        String answer = io.asyncsidecar.controlplane.server.testing.RawRequests.head(port, "POST", OpenApiChecks.ROUTE,
                "application/yaml", 300_000);
        assertThat(answer).startsWith("HTTP/1.1 413").contains("problem+json");
    }

    private ClientResponseTyped<String> post(MediaType type, byte[] body) {
        Http1ClientRequest req = client.post(OpenApiChecks.ROUTE);
        if (type != null) {
            req.contentType(type);
        }
        return req.submit(body, String.class);
    }

    private static JsonObject ok(ClientResponseTyped<String> r) {
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        return parse(r.entity());
    }

    static void problem(ClientResponseTyped<String> r, int status, String detail) {
        assertThat(r.status().code()).as(r.entity()).isEqualTo(status);
        assertThat(r.headers().first(HeaderNames.CONTENT_TYPE).orElse("")).contains("problem+json");
        assertThat(parse(r.entity()).getString("detail")).contains(detail);
        assertThat(r.entity()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
