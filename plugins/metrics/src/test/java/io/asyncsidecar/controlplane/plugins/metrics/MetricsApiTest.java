package io.asyncsidecar.controlplane.plugins.metrics;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/metrics} through the real server: a real node exporter, misbehaving loopback targets, the
 * request forgery guard, bad input and scopes.
 */
@ServerTest
class MetricsApiTest {

    private static LoopbackTargets targets;

    private final Http1Client client;

    MetricsApiTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        targets = LoopbackTargets.start();
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", """
                        {"t1":{"tenant_id":"tA","subject":"alice","scopes":["observability.read"]},
                         "t2":{"tenant_id":"tA","subject":"bob","scopes":["tests.read"]}}""",
                "data-dir", "target/test-data/metrics-api",
                "plugins.metrics.max-endpoints", "50",
                "plugins.metrics.max-detail-endpoints", "2",
                "plugins.metrics.cardinality.warn-series", "3",
                "plugins.metrics.profiles.node.0", "node_cpu_seconds_total",
                "plugins.metrics.profiles.node.1", "node_memory_MemTotal_bytes",
                "plugins.metrics.profiles.node.2", "node_load1",
                "plugins.metrics.profiles.node.3", "hypergraph_missing_total",
                "plugins.metrics.profiles.gateway.0", "http_requests_total",
                "plugins.metrics.profiles.gateway.1", "http_request_duration_seconds",
                "plugins.metrics.profiles.gateway.2", "chat_requests_total"));
    }

    @AfterAll
    static void stopTargets() {
        if (targets != null) {
            targets.close();
        }
    }

    @Test
    void scrapesARealNodeExporter() throws Exception {
        try (NodeExporter exporter = NodeExporter.start()) {
            JsonObject body = aggregate("""
                    {"endpoints":[{"url":"%s","name":"node-1","profile":"node"}]}""".formatted(exporter.metricsUrl()));
            JsonObject node = body.getJsonArray("endpoints").getJsonObject(0);
            assertThat(node.getString("status")).as(node.toString()).isEqualTo("up");
            assertThat(node.getInt("http_status")).isEqualTo(200);
            assertThat(node.getString("format")).isEqualTo("prometheus-text-0.0.4");
            assertThat(node.getString("content_type")).startsWith("text/plain; version=0.0.4");
            assertThat(node.getInt("family_count")).isGreaterThan(100);
            assertThat(node.getJsonNumber("bytes").longValue()).isGreaterThan(10_000);
            assertThat(strings(node.getJsonArray("expected_present")))
                    .containsExactly("node_cpu_seconds_total", "node_memory_MemTotal_bytes", "node_load1");
            assertThat(strings(node.getJsonArray("expected_missing"))).containsExactly("hypergraph_missing_total");

            JsonObject source = body.getJsonArray("sources").getJsonObject(0);
            assertThat(source.getBoolean("ok")).isTrue();
            assertThat(source.getJsonNumber("length").longValue()).isEqualTo(node.getJsonNumber("bytes").longValue());
            assertThat(body.getJsonObject("parsed").getJsonNumber("node_cpu_seconds_total").longValue()).isPositive();

            JsonObject summary = body.getJsonObject("summary");
            JsonObject missing = expectation(summary, "hypergraph_missing_total");
            assertThat(missing.getString("text")).isEqualTo("present on 0 of 1");
            assertThat(strings(missing.getJsonArray("missing_on"))).containsExactly("node-1");
            assertThat(strings(summary.getJsonObject("families").getJsonArray("on_none")))
                    .containsExactly("hypergraph_missing_total");
            // the node exporter's /proc/meminfo names are camelCase: promtool flags them, so do we
            assertThat(lint(summary)).contains("node_memory_MemTotal_bytes snake-case");
        }
    }

    @Test
    void eachMisbehaviourGetsItsStatus() {
        JsonObject body = aggregate("""
                {"endpoints":["%s","%s","%s","%s","%s","%s","%s","%s"], "timeout_ms": 2000}""".formatted(
                targets.url("/slow"), targets.url("/error"), targets.url("/garbage"), targets.url("/hang"),
                targets.url("/redirect-to-metadata"), targets.url("/html"), targets.url("/redirect-to-text"),
                "http://169.254.169.254/latest/meta-data/"));
        Map<String, JsonObject> byPath = body.getJsonArray("endpoints").stream().map(JsonValue::asJsonObject)
                .collect(Collectors.toMap(o -> URI.create(o.getString("url")).getPath(), o -> o));

        JsonObject slow = byPath.get("/slow");
        assertThat(slow.getString("status")).isEqualTo("up");
        assertThat(slow.getJsonNumber("duration_ms").longValue()).isGreaterThanOrEqualTo(LoopbackTargets.SLOW_MILLIS);

        JsonObject error = byPath.get("/error");
        assertThat(error.getString("status")).isEqualTo("down");
        assertThat(error.getInt("http_status")).isEqualTo(500);
        assertThat(error.getString("error")).isEqualTo("HTTP status 500");

        JsonObject garbage = byPath.get("/garbage");
        assertThat(garbage.getString("status")).isEqualTo("invalid");
        assertThat(garbage.getString("error")).startsWith("line 1: expected a metric name");

        JsonObject hang = byPath.get("/hang");
        assertThat(hang.getString("status")).isEqualTo("timeout");
        assertThat(hang.getJsonNumber("duration_ms").longValue()).isBetween(1900L, 3900L);

        JsonObject metadata = byPath.get("/redirect-to-metadata");
        assertThat(metadata.getString("status")).isEqualTo("refused");
        assertThat(metadata.getString("error")).startsWith("redirect to http://169.254.169.254/latest/meta-data/ refused")
                .contains("link-local");

        assertThat(byPath.get("/latest/meta-data/").getString("status")).isEqualTo("refused");
        assertThat(byPath.get("/html").getString("status")).isEqualTo("invalid");
        assertThat(byPath.get("/html").getString("error")).contains("unsupported content type 'text/html'");
        assertThat(byPath.get("/redirect-to-text").getString("status")).isEqualTo("up");

        JsonObject summary = body.getJsonObject("summary");
        assertThat(summary.getInt("endpoints")).isEqualTo(8);
        assertThat(summary.getInt("up")).isEqualTo(2);
        assertThat(summary.getInt("down")).isEqualTo(6);
        JsonObject statuses = summary.getJsonObject("by_status");
        assertThat(statuses.getInt("refused")).isEqualTo(2);
        assertThat(statuses.getInt("invalid")).isEqualTo(2);
        assertThat(statuses.getInt("timeout")).isEqualTo(1);
        assertThat(statuses.getInt("down")).isEqualTo(1);
        JsonObject errorSource = body.getJsonArray("sources").getJsonObject(1);
        assertThat(errorSource.getBoolean("ok")).isFalse();
        assertThat(errorSource.getString("error")).isEqualTo("down: HTTP status 500");
    }

    @Test
    void fiftyMebibytesAreTooLarge() {
        // its own request with a roomy budget: reading 16 MiB must not race the timeout on a busy machine
        JsonObject body = aggregate("""
                {"endpoints":["%s"], "timeout_ms": 20000}""".formatted(targets.url("/huge")));
        JsonObject huge = body.getJsonArray("endpoints").getJsonObject(0);
        assertThat(huge.getString("status")).isEqualTo("too_large");
        assertThat(huge.getString("error")).isEqualTo("response body exceeds the limit of 16777216 bytes");
        assertThat(huge.getJsonNumber("bytes").longValue()).isGreaterThan(16L * 1024 * 1024);
        assertThat(huge.getJsonNumber("duration_ms").longValue()).isLessThan(20000);
    }

    @Test
    void slowEndpointBeyondTheTimeoutTimesOut() {
        JsonObject body = aggregate("""
                {"endpoints":["%s"], "timeout_ms": 100}""".formatted(targets.url("/slow")));
        JsonObject slow = body.getJsonArray("endpoints").getJsonObject(0);
        assertThat(slow.getString("status")).isEqualTo("timeout");
        assertThat(slow.getString("error")).contains("100 ms");
    }

    @Test
    void endpointsAreScrapedConcurrently() {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            list.append(i == 0 ? "" : ",").append('"').append(targets.url("/slow?n=" + i)).append('"');
        }
        long start = System.nanoTime();
        JsonObject body = aggregate("{\"endpoints\":[" + list + "]}");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(body.getJsonObject("summary").getInt("up")).isEqualTo(20);
        // twenty 300 ms endpoints one after the other would take 6 s
        assertThat(millis).isLessThan(20L * LoopbackTargets.SLOW_MILLIS / 3);
    }

    @Test
    void openMetricsAndTextFamiliesLineUpAcrossFormats() {
        JsonObject body = aggregate("""
                {"endpoints":[{"url":"%s","name":"gw-om","profile":"gateway"},{"url":"%s","name":"gw-text","profile":"gateway"}],
                 "expect":["jobs_processed_total"], "detail": true}""".formatted(targets.url("/om"), targets.url("/text")));
        JsonArray endpoints = body.getJsonArray("endpoints");
        JsonObject om = endpoints.getJsonObject(0);
        assertThat(om.getString("status")).as(om.toString()).isEqualTo("up");
        assertThat(om.getString("format")).isEqualTo("openmetrics-1.0.0");
        assertThat(om.getString("content_type")).startsWith("application/openmetrics-text");
        // OpenMetrics names the counter family http_requests; its samples and PromQL say http_requests_total
        assertThat(strings(om.getJsonArray("expected_present")))
                .containsExactly("http_requests_total", "http_request_duration_seconds");
        assertThat(strings(om.getJsonArray("expected_missing"))).containsExactly("chat_requests_total",
                "jobs_processed_total");
        JsonObject counter = family(om, "http_requests_total");
        assertThat(counter.getString("exposed_name")).isEqualTo("http_requests");
        assertThat(counter.getString("type")).isEqualTo("counter");
        assertThat(counter.getString("help")).isEqualTo("Requests served.");
        assertThat(counter.getInt("series")).isEqualTo(4);
        assertThat(family(om, "http_request_duration_seconds").getString("unit")).isEqualTo("seconds");
        assertThat(family(om, "build_info").getString("type")).isEqualTo("info");

        JsonObject text = endpoints.getJsonObject(1);
        // a text-format counter without _total still answers to the expected name with _total
        assertThat(strings(text.getJsonArray("expected_present"))).containsExactly("http_requests_total",
                "jobs_processed_total");

        JsonObject summary = body.getJsonObject("summary");
        assertThat(expectation(summary, "http_requests_total").getString("text")).isEqualTo("present on 2 of 2");
        assertThat(expectation(summary, "chat_requests_total").getString("text")).isEqualTo("present on 0 of 2");
        assertThat(strings(summary.getJsonObject("families").getJsonArray("on_all"))).containsExactly("http_requests_total");
        assertThat(body.getJsonObject("parsed").getInt("http_requests_total")).isEqualTo(4 + 1);
        assertThat(lint(summary)).contains(
                "jobs_processed counter-suffix",
                "queue_wait_milliseconds base-unit",
                "requestLatency snake-case",
                "requestLatency help");
    }

    @Test
    void cardinalityTopListAndWarning() {
        JsonObject body = aggregate("""
                {"endpoints":[{"url":"%s","name":"gw-om"}, {"url":"%s","name":"gw-text"}]}""".formatted(
                targets.url("/om"), targets.url("/text")));
        JsonObject cardinality = body.getJsonObject("summary").getJsonObject("cardinality");
        assertThat(cardinality.getInt("warn_series")).isEqualTo(3);
        List<String> top = cardinality.getJsonArray("top").stream().map(JsonValue::asJsonObject)
                .map(o -> o.getString("family") + "=" + o.getInt("series") + "@" + o.getString("endpoint")).toList();
        // the histogram's 2 buckets, count and sum; the counter's 2 totals and 2 created
        assertThat(top).startsWith("http_request_duration_seconds=4@gw-om", "http_requests_total=4@gw-om");
        assertThat(strings(cardinality.getJsonArray("warnings"))).containsExactly(
                "http_request_duration_seconds has 4 series on gw-om (warning threshold 3)",
                "http_requests_total has 4 series on gw-om (warning threshold 3)");
    }

    @Test
    void profilesAreListed() {
        try (Http1ClientResponse res = client.get("/api/metrics/profiles").header(HeaderNames.AUTHORIZATION, "Bearer t1")
                .request()) {
            assertThat(res.status()).isEqualTo(Status.OK_200);
            JsonObject body = res.as(JsonObject.class);
            JsonObject gateway = body.getJsonArray("profiles").getJsonObject(1);
            assertThat(gateway.getString("name")).isEqualTo("gateway");
            assertThat(strings(gateway.getJsonArray("families"))).containsExactly("http_requests_total",
                    "http_request_duration_seconds", "chat_requests_total");
        }
    }

    @Test
    void badInputIs400NamingTheField() {
        assertBadRequest("{not json", "malformed JSON");
        assertBadRequest("{}", "'endpoints' is required");
        assertBadRequest("{\"endpoints\":\"http://127.0.0.1/\"}", "'endpoints' must be a list, got a string");
        assertBadRequest("{\"endpoints\":[]}", "'endpoints' is empty");
        assertBadRequest("{\"endpoints\":[" + "\"http://127.0.0.1/\",".repeat(50) + "\"http://127.0.0.1/\"]}",
                "'endpoints' has 51 entries; the limit is 50");
        assertBadRequest("{\"endpoints\":[\"file:///etc/passwd\"]}", "'endpoints[0]' must be an http or https URL");
        assertBadRequest("{\"endpoints\":[\"http://127.0.0.1/\", 42]}", "'endpoints[1]' must be a URL string or an object");
        assertBadRequest("{\"endpoints\":[{\"name\":\"x\"}]}", "'endpoints[0].url' is required");
        assertBadRequest("{\"endpoints\":[{\"url\":\"http://127.0.0.1/\",\"profile\":\"nope\"}]}",
                "unknown profile 'nope'; known: node, gateway");
        assertBadRequest("{\"endpoints\":[\"http://127.0.0.1/\"],\"timeout_ms\":0}", "'timeout_ms' must be an integer");
        assertBadRequest("{\"endpoints\":[\"http://127.0.0.1/\"],\"expect\":[\"bad-name\"]}", "'expect[0]'");
        assertBadRequest("{\"endpoints\":[\"http://127.0.0.1/a\",\"http://127.0.0.1/b\",\"http://127.0.0.1/c\"],"
                + "\"detail\":true}", "limited to 2 endpoints (plugins.metrics.max-detail-endpoints)");
    }

    @Test
    void withoutTheScopeIs403AndWithoutATokenIs401() {
        try (Http1ClientResponse res = client.post("/api/metrics/aggregate").header(HeaderNames.AUTHORIZATION, "Bearer t2")
                .header(HeaderNames.CONTENT_TYPE, "application/json").submit("{\"endpoints\":[\"http://127.0.0.1/\"]}")) {
            assertThat(res.status()).isEqualTo(Status.FORBIDDEN_403);
            assertThat(res.as(JsonObject.class).getString("detail")).contains("observability.read");
        }
        try (Http1ClientResponse res = client.get("/api/metrics/profiles").request()) {
            assertThat(res.status()).isEqualTo(Status.UNAUTHORIZED_401);
        }
    }

    private void assertBadRequest(String body, String detail) {
        try (Http1ClientResponse res = post(body)) {
            assertThat(res.status()).as(body).isEqualTo(Status.BAD_REQUEST_400);
            assertThat(res.headers().contentType().orElseThrow().text()).startsWith("application/problem+json");
            assertThat(res.as(JsonObject.class).getString("detail")).as(body).contains(detail);
        }
    }

    private JsonObject aggregate(String body) {
        try (Http1ClientResponse res = post(body)) {
            String text = res.as(String.class);
            assertThat(res.status()).as(text).isEqualTo(Status.OK_200);
            return Json.createReader(new java.io.StringReader(text)).readObject();
        }
    }

    private Http1ClientResponse post(String body) {
        return client.post("/api/metrics/aggregate")
                .header(HeaderNames.AUTHORIZATION, "Bearer t1")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(body);
    }

    private static JsonObject expectation(JsonObject summary, String family) {
        return summary.getJsonArray("expected").stream().map(JsonValue::asJsonObject)
                .filter(o -> o.getString("family").equals(family)).findFirst().orElseThrow();
    }

    private static JsonObject family(JsonObject endpoint, String name) {
        return endpoint.getJsonArray("families").stream().map(JsonValue::asJsonObject)
                .filter(o -> o.getString("name").equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
    }

    private static List<String> lint(JsonObject summary) {
        return summary.getJsonArray("lint").stream().map(JsonValue::asJsonObject)
                .map(o -> o.getString("family") + " " + o.getString("rule")).toList();
    }

    private static List<String> strings(JsonArray a) {
        return a.getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList();
    }
}
