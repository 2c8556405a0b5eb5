package io.asyncsidecar.controlplane.plugins.compliance;

import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Path;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A schema folder with a draft-04 schema, references by relative file name and by {@code $id}, one to a schema
 * outside the folder (never fetched), a file that is not JSON and one named like the shipped schema.
 */
@ServerTest
class HifSchemaDirTest {

    private final Http1Client client;

    HifSchemaDirTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws URISyntaxException {
        Path dir = Path.of(HifSchemaDirTest.class.getResource("/hif/schema-dir").toURI());
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", "{\"t1\":{\"tenant_id\":\"tA\",\"subject\":\"alice\",\"scopes\":[\"compliance.read\"]}}",
                "data-dir", "target/test-data/hif-schema-dir",
                "plugins.compliance.hif.schema-dir", dir.toString()));
    }

    @Test
    void olderDialectsAreHonoured() {
        // draft 4: exclusiveMinimum is a boolean beside minimum
        JsonObject zero = validate("draft04-exclusive", "{\"eta_seconds\": 0}");
        assertThat(zero.getBoolean("valid")).isFalse();
        assertThat(zero.getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/eta_seconds");
        assertThat(validate("draft04-exclusive", "{\"eta_seconds\": 1}").getBoolean("valid")).isTrue();
    }

    @Test
    void referencesResolveInsideTheFolder() {
        assertThat(validate("with-ref", "{\"graph\":{\"nodes\":[{\"id\":\"a\"}]},\"root\":{\"id\":\"r\"}}")
                .getBoolean("valid")).isTrue();
        JsonObject bad = validate("with-ref", "{\"graph\":{\"nodes\":[{\"id\":7}]}}");
        assertThat(bad.getBoolean("valid")).isFalse();
        JsonObject error = bad.getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("pointer")).isEqualTo("/graph/nodes/0/id");
        assertThat(error.getString("keyword")).isEqualTo("type");
    }

    @Test
    void schemasThatDoNotLoadAreNamedWithTheReason() {
        assertProblem("remote-ref", "schema 'remote-ref' could not be loaded at start-up");
        assertProblem("remote-ref", "it references https://schemas.example.invalid/hif/other.json, which is neither a file");
        assertProblem("broken", "schema 'broken' could not be loaded at start-up");
        assertProblem("broken", "is not readable JSON");
        // the shipped schema keeps its name
        assertThat(validate("hif", "{\"nodes\":[],\"hyperedges\":[]}").getString("shape")).isEqualTo("Hypergraph");
    }

    private void assertProblem(String schema, String detail) {
        try (Http1ClientResponse res = post(schema, "{}")) {
            assertThat(res.status()).isEqualTo(Status.BAD_REQUEST_400);
            assertThat(res.as(JsonObject.class).getString("detail")).contains(detail);
        }
    }

    private JsonObject validate(String schema, String body) {
        try (Http1ClientResponse res = post(schema, body)) {
            String text = res.as(String.class);
            assertThat(res.status()).as(text).isEqualTo(Status.OK_200);
            return Json.createReader(new StringReader(text)).readObject();
        }
    }

    private Http1ClientResponse post(String schema, String body) {
        return client.post(HifValidationApiTest.PATH).queryParam("schema", schema)
                .header(HeaderNames.AUTHORIZATION, "Bearer t1")
                .header(HeaderNames.CONTENT_TYPE, "application/json").submit(body);
    }
}
