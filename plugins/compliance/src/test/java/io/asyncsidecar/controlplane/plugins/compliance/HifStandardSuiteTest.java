package io.asyncsidecar.controlplane.plugins.compliance;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ?schema=} with the HIF-standard schema of the shared fixtures (a draft-07 schema, read in place from
 * {@code plugins.compliance.hif.schema-dir}): its valid files pass, its invalid files fail with the error the
 * suite means, and its real datasets pass.
 */
@ServerTest
class HifStandardSuiteTest {

    private static final String FIXTURES = "hif/HIF-standard";

    private final Http1Client client;

    HifStandardSuiteTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", "{\"t1\":{\"tenant_id\":\"tA\",\"subject\":\"alice\",\"scopes\":[\"compliance.read\"]}}",
                "data-dir", "target/test-data/hif-standard",
                "plugins.compliance.hif.schema-dir", SharedFixtures.path(FIXTURES + "/schemas").toString()));
    }

    @Test
    void everyValidFilePasses() throws IOException {
        List<String> failed = new ArrayList<>();
        for (Path file : files("valid")) {
            JsonObject answer = validate("hif_schema", Files.readString(file));
            if (!answer.getBoolean("valid")) {
                failed.add(file.getFileName() + ": " + answer.getString("message"));
            }
            assertThat(answer.getString("schema")).isEqualTo("hif_schema");
            assertThat(answer.containsKey("shape")).isFalse();
        }
        assertThat(failed).isEmpty();
    }

    @Test
    void everyInvalidFileFails() throws IOException {
        List<String> passed = new ArrayList<>();
        for (Path file : files("invalid")) {
            JsonObject answer = validate("hif_schema", Files.readString(file));
            if (answer.getBoolean("valid")) {
                passed.add(file.getFileName().toString());
                continue;
            }
            assertThat(answer.getString("message")).startsWith("not valid against schema 'hif_schema': ");
            assertThat(answer.containsKey("closest_shape")).isFalse();
            assertThat(answer.getJsonArray("errors")).isNotEmpty();
        }
        assertThat(passed).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "bad_edge_field.json, /edges/0, additionalProperties, test",
            "bad_edge_without_id.json, /edges/0, required, edge",
            "bad_incidence_field.json, /incidences/0, additionalProperties, test",
            "bad_network_type.json, /network-type, enum, ",
            "bad_node_field.json, /nodes/0, additionalProperties, test",
            "bad_node_without_id.json, /nodes/0, required, node",
            "bad_top_level_field.json, '', additionalProperties, test",
            "extra_fields_with_direction.json, /incidences/0, additionalProperties, extra_field",
            "invalid_direction_value.json, /incidences/0/direction, enum, ",
            "missing_required_field_incidence.json, /incidences/0, required, node",
            "single_incidence_with_direction_not_in_enum.json, /incidences/0/direction, enum, "})
    void invalidFilesFailForTheirReason(String file, String pointer, String keyword, String property) throws IOException {
        JsonObject answer = validate("hif_schema", Files.readString(SharedFixtures.path(FIXTURES + "/invalid/" + file)));
        JsonArray errors = answer.getJsonArray("errors");
        assertThat(errors).as(file).hasSize(1);
        JsonObject error = errors.getJsonObject(0);
        assertThat(error.getString("pointer")).isEqualTo(pointer == null ? "" : pointer);
        assertThat(error.getString("keyword")).isEqualTo(keyword);
        assertThat(error.getString("property", null)).isEqualTo(property);
        assertThat(error.getString("schema_location")).startsWith("#/");
    }

    @Test
    void realDatasetsPass() throws IOException {
        List<Path> data = files("data");
        assertThat(data).hasSizeGreaterThanOrEqualTo(3);
        for (Path file : data) {
            String text = Files.readString(file);
            JsonObject answer = validate("hif_schema.json", "{\"payload\":" + text + "}");
            assertThat(answer.getBoolean("valid")).as(file + " " + answer).isTrue();
            assertThat(answer.getJsonNumber("bytes").longValue()).isGreaterThan(text.length());
        }
    }

    @Test
    void theShippedSchemaStaysTheDefault() throws IOException {
        JsonObject answer = validate(null, Files.readString(SharedFixtures.path(FIXTURES + "/data/lesmis.hif.json")));
        assertThat(answer.getString("schema")).isEqualTo("hif");
        assertThat(answer.getBoolean("valid")).isFalse();
        assertThat(answer.getString("closest_shape")).isEqualTo("LegacyGraph");
    }

    @Test
    void unknownSchemaListsTheKnownOnes() {
        try (Http1ClientResponse res = post("nope", "{}")) {
            assertThat(res.status()).isEqualTo(Status.BAD_REQUEST_400);
            assertThat(res.as(JsonObject.class).getString("detail"))
                    .isEqualTo("unknown schema 'nope': known schemas are hif, hif_schema (plugins.compliance.hif.schema-dir adds more)");
        }
    }

    private static List<Path> files(String dir) throws IOException {
        try (Stream<Path> s = Files.list(SharedFixtures.path(FIXTURES + "/" + dir))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
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
        var req = client.post(HifValidationApiTest.PATH).header(HeaderNames.AUTHORIZATION, "Bearer t1")
                .header(HeaderNames.CONTENT_TYPE, "application/json");
        if (schema != null) {
            req.queryParam("schema", schema);
        }
        return req.submit(body);
    }
}
