package io.asyncsidecar.controlplane.plugins.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import com.sun.net.httpserver.HttpServer;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code "strict": true} on {@code POST /api/metrics/aggregate}: every case of the OpenMetrics parser test suite,
 * served by a loopback target as OpenMetrics, is {@code up} exactly when the suite says it should parse, and
 * {@code invalid} otherwise; lenient (the default) keeps the violations Prometheus tolerates as conformance notes
 * on an endpoint that is up. The expectation of each case is read from its {@code test.json}.
 */
@ServerTest
class StrictConformanceTest {

    private static HttpServer target;
    private static final Map<String, Boolean> SHOULD_PARSE = new LinkedHashMap<>();

    private final Http1Client client;

    StrictConformanceTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        Path suite = SharedFixtures.path("prometheus/OpenMetrics/parsers");
        target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        target.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        try (Stream<Path> dirs = Files.list(suite)) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("test.json"))).sorted().toList()) {
                JsonObject test = json(Files.readString(dir.resolve("test.json")));
                String name = dir.getFileName().toString();
                SHOULD_PARSE.put(name, test.getBoolean("shouldParse"));
                byte[] body = Files.readAllBytes(dir.resolve(test.getString("file")));
                target.createContext("/" + name, ex -> {
                    ex.getResponseHeaders().set("Content-Type", "application/openmetrics-text; version=1.0.0;"
                            + " charset=utf-8");
                    ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(body);
                    }
                });
            }
        }
        target.start();
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", "{\"t1\":{\"tenant_id\":\"tA\",\"subject\":\"alice\",\"scopes\":"
                        + "[\"observability.read\"]}}",
                "data-dir", "target/test-data/metrics-strict"));
    }

    @AfterAll
    static void stopTarget() {
        if (target != null) {
            target.stop(0);
        }
    }

    @Test
    void strictDecidesEveryCaseAsTheSuiteDoes() {
        JsonObject body = aggregate(true);
        assertThat(body.getJsonObject("summary").getString("conformance")).isEqualTo("strict");
        List<String> wrong = new ArrayList<>();
        for (JsonObject e : endpoints(body)) {
            boolean shouldParse = SHOULD_PARSE.get(e.getString("name"));
            String status = e.getString("status");
            if (shouldParse ? !status.equals("up") || !e.getJsonArray("conformance").isEmpty()
                    : !status.equals("invalid") || e.isNull("error") || e.getString("error").isBlank()) {
                wrong.add(e.getString("name") + " (should parse: " + shouldParse + "): " + e);
            }
        }
        assertThat(wrong).as("cases decided unlike the suite").isEmpty();
        assertThat(endpoints(body)).hasSize(SHOULD_PARSE.size()).hasSizeGreaterThan(100);
    }

    @Test
    void lenientByDefaultKeepsWhatPrometheusToleratesUpWithANote() {
        JsonObject body = aggregate(null);
        assertThat(body.getJsonObject("summary").getString("conformance")).isEqualTo("lenient");
        List<JsonObject> tolerated = new ArrayList<>();
        for (JsonObject e : endpoints(body)) {
            if (SHOULD_PARSE.get(e.getString("name"))) {
                assertThat(e.getString("status")).as(e.toString()).isEqualTo("up");
            } else if (e.getString("status").equals("up")) {
                assertThat(e.getJsonArray("conformance")).as(e.toString()).isNotEmpty();
                tolerated.add(e);
            } else {
                assertThat(e.getString("status")).as(e.toString()).isEqualTo("invalid");
            }
        }
        // a summary with a negative quantile value and a histogram with negative buckets and a _sum: the suite
        // rejects both, Prometheus scrapes both
        assertThat(tolerated).extracting(e -> e.getString("name")).contains("bad_counter_values_19",
                "bad_histograms_3");
        assertThat(tolerated.getFirst().getJsonArray("conformance").getString(0)).contains("tolerated");
    }

    @Test
    void strictMustBeABoolean() {
        try (Http1ClientResponse res = post("{\"endpoints\":[\"http://127.0.0.1:1/\"],\"strict\":\"yes\"}")) {
            assertThat(res.status().code()).isEqualTo(400);
            assertThat(res.as(String.class)).contains("'strict' must be true or false");
        }
    }

    private JsonObject aggregate(Boolean strict) {
        StringBuilder b = new StringBuilder("{\"endpoints\":[");
        String base = "http://127.0.0.1:" + target.getAddress().getPort() + "/";
        SHOULD_PARSE.keySet().forEach(name -> b.append("{\"url\":\"").append(base).append(name)
                .append("\",\"name\":\"").append(name).append("\"},"));
        b.setLength(b.length() - 1);
        b.append(']');
        if (strict != null) {
            b.append(",\"strict\":").append(strict);
        }
        try (Http1ClientResponse res = post(b.append('}').toString())) {
            String text = res.as(String.class);
            assertThat(res.status().code()).as(text).isEqualTo(200);
            return json(text);
        }
    }

    private Http1ClientResponse post(String body) {
        return client.post("/api/metrics/aggregate")
                .header(HeaderNames.AUTHORIZATION, "Bearer t1")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(body);
    }

    private static List<JsonObject> endpoints(JsonObject body) {
        JsonArray a = body.getJsonArray("endpoints");
        return a.getValuesAs(JsonObject.class);
    }

    private static JsonObject json(String text) {
        try (JsonReader r = Json.createReader(new StringReader(text))) {
            return r.readObject();
        }
    }
}
