package io.asyncsidecar.controlplane.dist;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.server.testing.JunitXml;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.w3c.dom.Document;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/checks} on the packaged distribution, every bundled check plugin in its own class loader: on the
 * demo workspace and on a fixture chart the merged counts are the sum of each plugin's own route, a token without
 * {@code autoscaling.read} sees keda and karpenter left out, SARIF has one run per plugin, JUnit XML parses, a bad
 * {@code kubeVersion} is the answer's 400, and one request renders the chart once for helm, keda and karpenter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChecksIT {

    /** Each check plugin's own route: method and path, as the README lists them. */
    private static final Map<String, String[]> ROUTES = Map.of(
            "helm", new String[] {"GET", "/api/helm/checks"},
            "argocd", new String[] {"GET", "/api/argocd/apps"},
            "keda", new String[] {"GET", "/api/keda/scalers"},
            "karpenter", new String[] {"GET", "/api/karpenter/nodepools"},
            "compliance", new String[] {"POST", "/api/compliance/openapi/check"});

    private static final String SERVICEBUS = "helm/sample-dotnet-worker-servicebus-queue/keda-servicebus-connection-string";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private DistributionProcess demo;

    @BeforeAll
    void start() throws Exception {
        demo = DistributionProcess.start(Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void onTheDemoTheMergedCountsAreTheSumOfEachPluginsOwnAnswer() throws Exception {
        JsonObject all = json(demo, "GET", "/api/checks", "demo-admin", 200);
        assertSumsOfOwnRoutes(demo, all, "");
        assertThat(all.getJsonArray("plugins").getValuesAs(JsonObject.class)).extracting(p -> p.getString("id"))
                .containsAll(ROUTES.keySet());
        assertThat(all.getJsonArray("left_out")).isEmpty();
        assertThat(all.getJsonArray("objects")).isNotEmpty();
        for (JsonObject p : all.getJsonArray("plugins").getValuesAs(JsonObject.class)) {
            assertThat(p.containsKey("problem")).as(p.getString("id") + ": " + p.get("problem")).isFalse();
            assertThat(p.getInt("score")).isBetween(0, 100);
        }
        // keda and karpenter read the chart helm rendered, with the same values file and version
        JsonObject prod = json(demo, "GET", "/api/checks?values=values-prod.yaml&kubeVersion=1.30.0", "demo-admin",
                200);
        for (String id : List.of("helm", "keda", "karpenter")) {
            assertThat(part(prod, id).getBoolean("degraded")).as(id).isFalse();
        }
        assertSumsOfOwnRoutes(demo, prod, "?values=values-prod.yaml&kubeVersion=1.30.0");
    }

    @Test
    void aTokenWithoutAutoscalingReadSeesKedaAndKarpenterLeftOut() throws Exception {
        JsonObject viewer = json(demo, "GET", "/api/checks", "demo-viewer", 200);
        List<JsonObject> left = viewer.getJsonArray("left_out").getValuesAs(JsonObject.class);
        for (String id : List.of("keda", "karpenter")) {
            JsonObject l = left.stream().filter(o -> o.getString("id").equals(id)).findFirst()
                    .orElseThrow(() -> new AssertionError(id + " not left out: " + left));
            assertThat(l.getJsonArray("scopes").getString(0)).isEqualTo("autoscaling.read");
        }
        assertThat(viewer.getJsonArray("plugins").getValuesAs(JsonObject.class)).extracting(p -> p.getString("id"))
                .contains("helm").doesNotContain("keda", "karpenter");
        assertThat(viewer.getJsonArray("findings").getValuesAs(JsonObject.class))
                .allSatisfy(f -> assertThat(f.getString("plugin")).isNotIn("keda", "karpenter"));
    }

    @Test
    void sarifHasOneRunPerPluginAndJunitParses() throws Exception {
        JsonObject all = json(demo, "GET", "/api/checks", "demo-admin", 200);
        JsonObject sarif = json(demo, "GET", "/api/checks?format=sarif", "demo-admin", 200);
        List<JsonObject> runs = sarif.getJsonArray("runs").getValuesAs(JsonObject.class);
        assertThat(runs).extracting(r -> r.getJsonObject("properties").getString("plugin"))
                .containsExactlyElementsOf(all.getJsonArray("plugins").getValuesAs(JsonObject.class).stream()
                        .map(p -> p.getString("id")).toList());
        assertThat(runs).extracting(r -> r.getJsonObject("tool").getJsonObject("driver").getString("name"))
                .contains("control-plane-helm", "control-plane-keda", "control-plane-compliance");
        HttpResponse<byte[]> junit = send(demo, "GET", "/api/checks?format=junit", "demo-admin");
        assertThat(junit.statusCode()).isEqualTo(200);
        assertThat(junit.headers().firstValue("Content-Type")).hasValue("application/xml");
        Document xml = JunitXml.parse(junit.body());
        assertThat(JunitXml.children(xml.getDocumentElement(), "testsuite")).hasSize(runs.size());
        JsonObject s = all.getJsonObject("summary");
        assertThat(xml.getDocumentElement().getAttribute("failures"))
                .isEqualTo(Integer.toString(s.getInt("error") + s.getInt("warning")));
    }

    @Test
    void aBadParameterIsTheWholeAnswers400() throws Exception {
        JsonObject problem = json(demo, "GET", "/api/checks?kubeVersion=abc", "demo-admin", 400);
        assertThat(problem.getString("parameter")).isEqualTo("kubeVersion");
        assertThat(problem.getString("detail")).contains("abc");
        assertThat(json(demo, "GET", "/api/checks?format=pdf", "demo-admin", 400).getString("parameter"))
                .isEqualTo("format");
        assertThat(send(demo, "GET", "/api/checks", null).statusCode()).isEqualTo(401);
    }

    @Test
    void onAFixtureChartTheMergedCountsAreTheSumOfEachPluginsOwnAnswer() throws Exception {
        Path fixtures = SharedFixtures.root();
        try (DistributionProcess fixture = DistributionProcess.start(Map.of("CP_WORKSPACE", fixtures.toString(),
                "PLUGINS_HELM_CHART", SERVICEBUS, "PLUGINS_KEDA_CHART", SERVICEBUS,
                "PLUGINS_KARPENTER_CHART", SERVICEBUS))) {
            JsonObject all = json(fixture, "GET", "/api/checks", "demo-admin", 200);
            assertSumsOfOwnRoutes(fixture, all, "");
            JsonObject keda = part(all, "keda");
            assertThat(keda.getBoolean("degraded")).isFalse();
            assertThat(keda.getJsonObject("details").getJsonArray("scaled_objects")).isNotEmpty();
            assertThat(all.getJsonObject("summary").getInt("error")).isPositive(); // :latest images, no resources
        }
    }

    @Test
    void oneRequestRendersTheChartOnceForHelmKedaAndKarpenter() throws Exception {
        Path helm = Path.of(System.getProperty("helm.binary", System.getenv().getOrDefault("HELM_BINARY",
                DistributionProcess.DIST.getParent().getParent().getParent().resolve("target/tools/helm/helm")
                        .toString())));
        if (!Files.isExecutable(helm) && SharedFixtures.required()) {
            throw new AssertionError("no helm binary at " + helm + " (required in CI)");
        }
        Assumptions.assumeTrue(Files.isExecutable(helm), "no helm binary at " + helm
                + ": run .ci/install-helm.sh or set HELM_BINARY");
        Path dir = Files.createTempDirectory("render-count");
        Path calls = dir.resolve("calls.txt");
        Path counting = dir.resolve("helm");
        Files.writeString(counting, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\nexec '" + helm + "' \"$@\"\n");
        Files.setPosixFilePermissions(counting, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (DistributionProcess counted = DistributionProcess.start(Map.of("PLUGINS_HELM_ENGINES", "helm-binary",
                "PLUGINS_HELM_BINARY", counting.toString()))) {
            JsonObject all = json(counted, "GET", "/api/checks?kubeVersion=1.30.0", "demo-admin", 200);
            for (String id : List.of("helm", "keda", "karpenter")) {
                assertThat(part(all, id).getString("engine")).as(id).isEqualTo("helm-binary");
            }
            assertThat(Files.readAllLines(calls)).as("helm template calls").hasSize(1);
        }
    }

    /** Each plugin's part counts what its own route answers for the same query; the summary adds them up. */
    private void assertSumsOfOwnRoutes(DistributionProcess server, JsonObject all, String query) throws Exception {
        int[] sums = new int[4];
        List<String> severities = List.of("error", "warning", "info", "ignored");
        for (JsonObject part : all.getJsonArray("plugins").getValuesAs(JsonObject.class)) {
            String[] route = ROUTES.get(part.getString("id"));
            assertThat(route).as("a route for " + part.getString("id")).isNotNull();
            // compliance checks the workspace spec only; the chart's values and version are not its parameters
            String q = part.getString("id").equals("compliance") ? "" : query;
            JsonObject own = json(server, route[0], route[1] + q, "demo-admin", 200);
            for (int i = 0; i < severities.size(); i++) {
                int n = own.getJsonObject("summary").getInt(severities.get(i));
                assertThat(part.getJsonObject("summary").getInt(severities.get(i)))
                        .as(part.getString("id") + " " + severities.get(i)).isEqualTo(n);
                sums[i] += n;
            }
        }
        for (int i = 0; i < severities.size(); i++) {
            assertThat(all.getJsonObject("summary").getInt(severities.get(i))).as(severities.get(i))
                    .isEqualTo(sums[i]);
        }
        assertThat(all.getJsonArray("findings")).hasSize(sums[0] + sums[1] + sums[2]);
        assertThat(all.getJsonArray("ignored")).hasSize(sums[3]);
    }

    private static JsonObject part(JsonObject all, String id) {
        return all.getJsonArray("plugins").getValuesAs(JsonObject.class).stream()
                .filter(p -> p.getString("id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no part " + id));
    }

    private JsonObject json(DistributionProcess server, String method, String path, String token, int status)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> res = send(server, method, path, token);
        String body = new String(res.body(), StandardCharsets.UTF_8);
        assertThat(res.statusCode()).as(method + " " + path + ": " + body).isEqualTo(status);
        return Json.createReader(new StringReader(body)).readObject();
    }

    private HttpResponse<byte[]> send(DistributionProcess server, String method, String path, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(120)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
