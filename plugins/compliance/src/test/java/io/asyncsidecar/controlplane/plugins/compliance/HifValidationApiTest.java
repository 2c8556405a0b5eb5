package io.asyncsidecar.controlplane.plugins.compliance;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.asyncsidecar.controlplane.plugins.compliance.hif.HifGenerator;
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
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/compliance/hif/validate} through the real server with the shipped schema: every shape, the
 * errors and closest shape of invalid documents, each warning, minimal mode, bad bodies and the size limits.
 */
@ServerTest
class HifValidationApiTest {

    static final String PATH = "/api/compliance/hif/validate";
    static final int MAX_BYTES = 200_000;
    static final int SERVER_MAX = 400_000;

    private final Http1Client client;
    private final URI uri;

    HifValidationApiTest(Http1Client client, URI uri) {
        this.client = client;
        this.uri = uri;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", """
                        {"t1":{"tenant_id":"tA","subject":"alice","scopes":["compliance.read"]},
                         "t2":{"tenant_id":"tA","subject":"bob","scopes":["tests.read"]}}""",
                "data-dir", "target/test-data/hif-api",
                "server.max-payload-size", String.valueOf(SERVER_MAX),
                "plugins.compliance.hif.max-bytes", String.valueOf(MAX_BYTES),
                "plugins.compliance.hif.max-depth", "32",
                "plugins.compliance.hif.max-errors", "20"));
    }

    @ParameterizedTest
    @CsvSource({
            "hypergraph.json, Hypergraph",
            "hypergraph-empty.json, Hypergraph",
            "explanation-response.json, ExplanationResponse",
            "explanation-response-minimal.json, ExplanationResponse",
            "explanation-pending.json, ExplanationPending",
            "explanation-pending-no-eta.json, ExplanationPending",
            "legacy-graph.json, LegacyGraph",
            "legacy-graph-no-meta.json, LegacyGraph"})
    void everyShapeIsValidBareAndWrapped(String file, String shape) throws IOException {
        String doc = resource("valid/" + file);
        for (String body : List.of(doc, "{\"payload\": " + doc + "}")) {
            JsonObject answer = validate("", body);
            assertThat(answer.getBoolean("valid")).as(file + " " + answer).isTrue();
            assertThat(answer.getString("shape")).isEqualTo(shape);
            assertThat(answer.getString("schema")).isEqualTo("hif");
            assertThat(answer.getString("mode")).isEqualTo("full");
            assertThat(answer.containsKey("message")).isFalse();
            assertThat(answer.getJsonArray("errors")).isEmpty();
            assertThat(answer.getJsonArray("warnings")).as(file).isEmpty();
            assertThat(answer.getJsonNumber("bytes").longValue()).isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "empty-object.json, Hypergraph, '', required",
            "hypergraph-node-type.json, Hypergraph, /nodes/0/type, enum",
            "hypergraph-extra-member.json, Hypergraph, '', additionalProperties",
            "hypergraph-node-without-text.json, Hypergraph, /nodes/1, required",
            "hypergraph-no-sources.json, Hypergraph, /hyperedges/0/source_nodes, minItems",
            "hypergraph-interaction-type.json, Hypergraph, /hyperedges/1/interaction_type, enum",
            "hypergraph-weight-string.json, Hypergraph, /hyperedges/0/weight, type",
            "hypergraph-span-negative.json, Hypergraph, /nodes/0/span/start, minimum",
            "hypergraph-span-extra.json, Hypergraph, /nodes/0/span, additionalProperties",
            "hypergraph-metadata-not-object.json, Hypergraph, /nodes/0/metadata, type",
            "hypergraph-empty-id.json, Hypergraph, /hyperedges/0/id, minLength",
            "explanation-response-date.json, ExplanationResponse, /created_at, format",
            "explanation-response-no-hypergraph.json, ExplanationResponse, '', required",
            "explanation-response-nested.json, ExplanationResponse, /hypergraph/hyperedges/0, required",
            "explanation-pending-negative-eta.json, ExplanationPending, /eta_seconds, minimum",
            "explanation-pending-fractional-eta.json, ExplanationPending, /eta_seconds, type",
            "explanation-status-failed.json, ExplanationPending, /status, const",
            "explanation-pending-with-graph-members.json, ExplanationPending, '', additionalProperties",
            "legacy-network-type.json, LegacyGraph, /network-type, const",
            "legacy-single-node-incidence.json, LegacyGraph, /incidences/1/node_ids, minItems",
            "legacy-meta-version.json, LegacyGraph, /meta/version, const",
            "legacy-meta-without-version.json, LegacyGraph, /meta, required",
            "legacy-granularity.json, LegacyGraph, /meta/granularity, enum",
            "legacy-limits-negative.json, LegacyGraph, /meta/limits/max_nodes, minimum",
            "legacy-capture-layers.json, LegacyGraph, /incidences/0/metadata/provenance/capture_layers/0, type",
            "legacy-metadata-extra.json, LegacyGraph, /incidences/0/metadata, additionalProperties",
            "legacy-node-type.json, LegacyGraph, /nodes/1/type, enum",
            "legacy-without-incidences.json, LegacyGraph, '', required",
            "legacy-meta-date.json, LegacyGraph, /meta/created_at, format",
            "mixed-graphs.json, LegacyGraph, '', additionalProperties"})
    void invalidDocumentsNameEachErrorAndTheClosestShape(String file, String closest, String pointer, String keyword)
            throws IOException {
        JsonObject answer = validate("", "{\"payload\":" + resource("invalid/" + file) + "}");
        assertThat(answer.getBoolean("valid")).as(file).isFalse();
        assertThat(answer.getString("closest_shape")).as(file).isEqualTo(closest);
        assertThat(answer.getString("message")).startsWith("not a valid HIF document (closest shape: " + closest + "): ");
        JsonArray errors = answer.getJsonArray("errors");
        assertThat(errors).as(file).hasSize(answer.getInt("error_count"));
        JsonObject error = errors.getValuesAs(JsonObject.class).stream()
                .filter(e -> e.getString("pointer").equals(pointer == null ? "" : pointer))
                .findFirst().orElseThrow(() -> new AssertionError(file + ": no error at '" + pointer + "' in " + errors));
        assertThat(error.getString("keyword")).as(file + " " + errors).isEqualTo(keyword);
        assertThat(error.getString("message")).isNotBlank();
        assertThat(error.getString("schema_location")).startsWith("#/$defs/").endsWith("/" + keyword);
        assertThat(answer.getString("message")).contains(errors.getJsonObject(0).getString("message"));
    }

    @Test
    void requiredAndAdditionalPropertyErrorsNameTheMember() throws IOException {
        JsonObject missing = validate("", resource("invalid/hypergraph-node-without-text.json"));
        assertThat(missing.getJsonArray("errors").getJsonObject(0).getString("property")).isEqualTo("text");
        JsonObject extra = validate("", resource("invalid/hypergraph-extra-member.json"));
        assertThat(extra.getJsonArray("errors").getJsonObject(0).getString("property")).isEqualTo("version");
        assertThat(extra.getString("message")).contains("first at the document root").contains("'version'");
    }

    @Test
    void formatErrorsSayWhatIsExpected() throws IOException {
        JsonObject answer = validate("", resource("invalid/explanation-response-date.json"));
        assertThat(answer.getJsonArray("errors").getJsonObject(0).getString("message"))
                .isEqualTo("is not a valid date-time (RFC 3339, e.g. 2026-11-30T09:15:02Z)");
    }

    @Test
    void hypergraphReferencesAreWarnings() throws IOException {
        JsonObject answer = validate("", resource("warnings/hypergraph-references.json"));
        assertThat(answer.getBoolean("valid")).isTrue();
        assertThat(warnings(answer)).containsExactly(
                "unknown_node /hyperedges/0/source_nodes/2 source node 'c9' is not a declared node id",
                "target_not_output /hyperedges/1/target_node hyperedge 'e2' targets node 'c1', which is a CONCEPT node,"
                        + " not an OUTPUT node");
        assertThat(answer.getInt("warning_count")).isEqualTo(2);
        assertThat(warnings(validate("", resource("warnings/hypergraph-unknown-target.json"))))
                .containsExactly("unknown_node /hyperedges/0/target_node target node 'o7' is not a declared node id");
    }

    @Test
    void duplicateIdsAreWarnings() throws IOException {
        assertThat(warnings(validate("", resource("warnings/hypergraph-duplicates.json")))).containsExactly(
                "duplicate_id /nodes/3/id node id 'c1' is already declared at /nodes/0",
                "duplicate_id /hyperedges/1/id hyperedge id 'e1' is already declared at /hyperedges/0");
    }

    @Test
    void explanationResponseWarningsPointIntoItsHypergraph() throws IOException {
        JsonObject answer = validate("", resource("warnings/explanation-response-references.json"));
        assertThat(answer.getBoolean("valid")).isTrue();
        assertThat(warnings(answer)).containsExactly(
                "unknown_node /hypergraph/hyperedges/0/source_nodes/2 source node 'ghost' is not a declared node id");
    }

    @Test
    void legacyIncidencesAndLimitsAreWarnings() throws IOException {
        assertThat(warnings(validate("", resource("warnings/legacy-references.json")))).containsExactly(
                "duplicate_id /nodes/4/id node id 't0' is already declared at /nodes/0",
                "duplicate_id /incidences/1/id incidence id 'i1' is already declared at /incidences/0",
                "unknown_node /incidences/1/node_ids/3 node 'f99' is not a declared node id");
        JsonObject limits = validate("", resource("warnings/legacy-limits.json"));
        assertThat(limits.getBoolean("valid")).isTrue();
        assertThat(warnings(limits)).containsExactly(
                "limit_exceeded /nodes 4 nodes exceed meta.limits.max_nodes (3)",
                "limit_exceeded /incidences 2 incidences exceed meta.limits.max_incidences (1)",
                "limit_exceeded /incidences/1/weight 1 incidence weighs less than meta.limits.min_edge_weight (0.5);"
                        + " the first weighs 0.31");
    }

    @Test
    void warningsAlsoComeWithErrors() throws IOException {
        String doc = resource("warnings/hypergraph-references.json").replace("\"SYNERGY\"", "\"SYNERGISTIC\"");
        JsonObject answer = validate("", doc);
        assertThat(answer.getBoolean("valid")).isFalse();
        assertThat(answer.getInt("warning_count")).isEqualTo(2);
    }

    @Test
    void minimalModeChecksOnlyTheVersion() throws IOException {
        JsonObject legacy = validate("?mode=minimal", resource("valid/legacy-graph.json"));
        assertThat(legacy.getBoolean("valid")).isTrue();
        assertThat(legacy.getString("mode")).isEqualTo("minimal");
        assertThat(legacy.getString("note")).contains("minimal check").contains("the schema was not applied");
        assertThat(legacy.containsKey("errors")).isFalse();

        // minimal is only the version: a document the schema refuses passes when its meta.version is right
        JsonObject loose = validate("?mode=minimal", "{\"payload\":{\"meta\":{\"version\":\"hif-1\"},\"anything\":[1,2]}}");
        assertThat(loose.getBoolean("valid")).isTrue();

        JsonObject v2 = validate("?mode=minimal", resource("valid/hypergraph.json"));
        assertThat(v2.getBoolean("valid")).isFalse();
        assertThat(v2.getString("message")).isEqualTo("meta.version is missing; the minimal check expects \"hif-1\"");

        JsonObject other = validate("?mode=MINIMAL", resource("invalid/legacy-meta-version.json"));
        assertThat(other.getBoolean("valid")).isFalse();
        assertThat(other.getString("message")).isEqualTo("meta.version is \"hif-2\", not \"hif-1\"");

        JsonObject number = validate("?mode=minimal", "{\"meta\":{\"version\":1}}");
        assertThat(number.getString("message")).isEqualTo("meta.version is 1, not \"hif-1\"");

        // the wrapper is only {"payload": ...}: a document's own meta next to a payload member is the document's
        JsonObject unwrapped = validate("?mode=minimal", "{\"payload\":{},\"meta\":{\"version\":\"hif-1\"}}");
        assertThat(unwrapped.getBoolean("valid")).isTrue();

        assertProblem(post("?mode=minimal&schema=hif", "application/json", "{}"), 400, "applies to mode=full only");
        assertProblem(post("?mode=minimal", "application/json", "{\"meta\":"), 400, "malformed JSON at line 1");
        assertProblem(post("?mode=minimal", "application/json", "{\"payload\":3}"), 400, "payload must be a HIF document");
    }

    @Test
    void unknownModeAndSchemaAreNamed() {
        assertProblem(post("?mode=strict", "application/json", "{}"), 400, "unknown mode 'strict': use full");
        assertProblem(post("?schema=../../etc/passwd", "application/json", "{}"), 400,
                "unknown schema '../../etc/passwd': known schemas are hif");
    }

    @Test
    void badBodiesAreNamed() {
        assertProblem(post("", "application/json", "{\"nodes\": [,]}"), 400, "malformed JSON at line 1, column 12: Unexpected character");
        assertProblem(post("", "application/json", "not json"), 400, "malformed JSON at line 1");
        assertProblem(post("", "application/json", "{\"nodes\": [], \"hyperedges\": []"), 400, "malformed JSON");
        assertProblem(post("", "application/json", ""), 400, "request body is empty");
        assertProblem(post("", "application/json", "   \n "), 400, "request body is empty");
        assertProblem(post("", "text/plain", "{}"), 415, "must be sent as application/json, got 'text/plain'");
        try (Http1ClientResponse res = post("", null, "{}")) {
            // Helidon's client sends a String without a type as a JSON string: the document must be an object
            assertThat(res.status().code()).isEqualTo(400);
        }
        HttpResponse<String> untyped = send(HttpRequest.newBuilder(uri.resolve(PATH))
                .header("Authorization", "Bearer t1").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(untyped.statusCode()).isEqualTo(415);
        assertThat(untyped.body()).contains("must be sent as application/json, got no content type");
        HttpResponse<String> empty = send(HttpRequest.newBuilder(uri.resolve(PATH))
                .header("Authorization", "Bearer t1").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("request body is empty");
        assertProblem(post("", "application/json", "[1,2]"), 400, "must be a JSON object").hasToString(
                "request body must be a JSON object (a HIF document, or {\"payload\": <document>}), got a JSON array");
        assertProblem(post("", "application/json", "\"hif\""), 400, "got a JSON string");
        assertProblem(post("", "application/json", "{\"payload\": [1]}"), 400,
                "payload must be a HIF document (a JSON object), got a JSON array");
        assertProblem(post("", "application/json", "{} {}"), 400, "unexpected content after the JSON document at line 1, column 4");
        assertProblem(post("", "application/json", "{\"nodes\":[],\"nodes\":[]}"), 400, "duplicate member 'nodes' at /nodes");
        assertProblem(post("", "application/json", "{\"nodes\":[{\"id\":\"a\",\"span\":{\"start\":1e999999,\"end\":2}}]}"),
                400, "number 1e999999 at /nodes/0/span/start is out of range");
        assertProblem(post("", "application/json", "{\"eta_seconds\":" + "9".repeat(150) + "}"), 400,
                "number literal longer than 100 characters at /eta_seconds (plugins.compliance.hif.max-number-length)");
        assertProblem(post("?mode=minimal", "application/json", "{\"meta\":{\"version\":" + "9".repeat(5000) + "}}"),
                400, "number literal longer than 100 characters at /meta/version");
        assertProblem(post("", "application/json", "{\"a\":\"\\ud800\"} \u0000"), 400, "malformed JSON");
        byte[] latin1 = "{\"text\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertProblem(client.post(PATH).header(HeaderNames.AUTHORIZATION, "Bearer t1")
                .header(HeaderNames.CONTENT_TYPE, "application/json").submit(latin1), 400, "malformed JSON");
    }

    @Test
    void deepNestingIsRefusedWithItsPointer() {
        String deep = "{\"nodes\":[{\"metadata\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(40) + "}]}";
        assertProblem(post("", "application/json", deep), 400, "document nests deeper than 32 levels at /nodes/0/metadata/a/a");
        String arrays = "[".repeat(100_000) + "]".repeat(100_000);
        assertProblem(post("", "application/json", arrays), 400, "nests deeper than 32 levels");
        assertProblem(post("?mode=minimal", "application/json", "{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}"),
                400, "document nests deeper than 32 levels at /x/0/0/0");
    }

    @Test
    void documentsOverMaxBytesAre413() {
        String big = bigDocument(MAX_BYTES + 10_000);
        assertProblem(post("", "application/json", big), 413,
                "HIF document of " + big.length() + " bytes exceeds plugins.compliance.hif.max-bytes (200000 bytes)");
        // without a Content-Length the body is counted while read, and cut off at the limit
        try (Http1ClientResponse res = client.post(PATH).header(HeaderNames.AUTHORIZATION, "Bearer t1")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .outputStream(out -> {
                    out.write(big.getBytes(StandardCharsets.UTF_8));
                    out.close();
                })) {
            assertThat(res.status().code()).isEqualTo(413);
            assertThat(problem(res).getString("detail")).contains("exceeds plugins.compliance.hif.max-bytes (200000 bytes)");
        }
        assertThat(validate("", bigDocument(MAX_BYTES - 1000)).getBoolean("valid")).isTrue();
    }

    @Test
    void theServersPayloadLimitComesFirst() throws IOException {
        // the head only: a client still writing a body the server refuses races the server's close
        String answer = io.asyncsidecar.controlplane.server.testing.RawRequests.head(uri.getPort(), "POST", PATH,
                "application/json", SERVER_MAX + 10_000);
        assertThat(answer).startsWith("HTTP/1.1 413").contains("application/problem+json");
    }

    @Test
    void malformedBodiesNeverGiveA5xx() throws IOException {
        String doc = resource("valid/legacy-graph.json");
        SplittableRandom random = new SplittableRandom(7);
        String noise = "{}[]\",:0-.eE\\u \u00e9\u0000";
        List<String> fivexx = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            StringBuilder sb = new StringBuilder(doc);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(sb.length());
                switch (random.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, noise.charAt(random.nextInt(noise.length())));
                    default -> sb.setLength(at);
                }
            }
            String body = sb.toString();
            String query = random.nextBoolean() ? "" : "?mode=minimal";
            try (Http1ClientResponse res = post(query, "application/json", body)) {
                if (res.status().code() >= 500) {
                    fivexx.add(res.status() + " " + res.as(String.class) + " for " + body);
                }
            }
        }
        assertThat(fivexx).isEmpty();
    }

    @Test
    void needsComplianceRead() {
        try (Http1ClientResponse res = client.post(PATH).header(HeaderNames.CONTENT_TYPE, "application/json").submit("{}")) {
            assertThat(res.status()).isEqualTo(Status.UNAUTHORIZED_401);
        }
        try (Http1ClientResponse res = client.post(PATH).header(HeaderNames.AUTHORIZATION, "Bearer t2")
                .header(HeaderNames.CONTENT_TYPE, "application/json").submit("{}")) {
            assertThat(res.status()).isEqualTo(Status.FORBIDDEN_403);
            assertThat(problem(res).getString("detail")).contains("compliance.read");
        }
    }

    /** A valid legacy graph of about this many bytes, padded with nodes. */
    static String bigDocument(int bytes) {
        try (InputStream in = HifGenerator.of(HifGenerator.Kind.LEGACY, bytes)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> warnings(JsonObject answer) {
        return answer.getJsonArray("warnings").getValuesAs(JsonObject.class).stream()
                .map(w -> w.getString("code") + " " + w.getString("pointer") + " " + w.getString("message")).toList();
    }

    static String resource(String name) throws IOException {
        try (InputStream in = HifValidationApiTest.class.getResourceAsStream("/hif/" + name)) {
            if (in == null) {
                throw new AssertionError("no test resource hif/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    JsonObject validate(String query, String body) {
        try (Http1ClientResponse res = post(query, "application/json", body)) {
            String text = res.as(String.class);
            assertThat(res.status()).as(text).isEqualTo(Status.OK_200);
            assertThat(res.headers().contentType().orElseThrow().text()).startsWith("application/json");
            return Json.createReader(new StringReader(text)).readObject();
        }
    }

    Http1ClientResponse post(String query, String contentType, String body) {
        var req = client.post(PATH).header(HeaderNames.AUTHORIZATION, "Bearer t1");
        // "?a=1&b=2": the client would encode a '?' written into the path
        for (String pair : query.isEmpty() ? new String[0] : query.substring(1).split("&")) {
            int eq = pair.indexOf('=');
            req.queryParam(pair.substring(0, eq), pair.substring(eq + 1));
        }
        if (contentType != null) {
            req.header(HeaderNames.CONTENT_TYPE, contentType);
        }
        return req.submit(body);
    }

    private static org.assertj.core.api.AbstractStringAssert<?> assertProblem(Http1ClientResponse response, int status,
                                                                             String detail) {
        try (Http1ClientResponse res = response) {
            String text = res.as(String.class);
            assertThat(res.status().code()).as(text).isEqualTo(status);
            assertThat(res.headers().contentType().orElseThrow().text()).startsWith("application/problem+json");
            JsonObject problem = Json.createReader(new StringReader(text)).readObject();
            assertThat(problem.getString("detail")).contains(detail);
            assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
            return assertThat(problem.getString("detail"));
        }
    }

    private static JsonObject problem(Http1ClientResponse res) {
        return Json.createReader(new StringReader(res.as(String.class))).readObject();
    }
}
