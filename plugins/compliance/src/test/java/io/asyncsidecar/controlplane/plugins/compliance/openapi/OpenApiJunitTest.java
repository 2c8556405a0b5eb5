package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;


import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.JunitXml;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

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
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static io.asyncsidecar.controlplane.server.testing.JunitXml.assertSameFindings;
import static io.asyncsidecar.controlplane.server.testing.JunitXml.children;
import static io.asyncsidecar.controlplane.server.testing.JunitXml.onlySuite;
import static io.asyncsidecar.controlplane.server.testing.JunitXml.property;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/compliance/openapi/check?format=junit}: the demo workspace's spec (no failures, its one ignored
 * finding skipped) and a posted spec whose path keys carry markup and control characters (failures, escaped).
 */
@ServerTest
class OpenApiJunitTest {

    /** Path keys that are not under /v1, with markup, quotes and a C0 control character (JSON can carry it). */
    private static final String HOSTILE_SPEC = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t <&>\", \"version\":"
            + " \"1\"}, \"paths\": {\"/a<b>&\\\"c\\\"\\u0001\": {\"get\": {\"responses\": {\"200\": {\"description\":"
            + " \"ok\"}}}}, \"/plain\": {\"get\": {\"responses\": {\"200\": {\"description\": \"ok\"}}}}}}";

    private final Http1Client client;

    OpenApiJunitTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", "{\"t\": {\"tenant_id\": \"tA\", \"scopes\": [\"compliance.read\"]}}",
                "data-dir", "target/test-data/openapi-junit"));
    }

    @Test
    void theDemoSpecIsASuiteWithoutFailuresAndItsIgnoredFindingSkipped() throws Exception {
        JsonObject json = json(post(false, null));
        Document xml = junit(post(true, null));

        Element suite = onlySuite(xml, "control-plane-compliance");
        assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo(Integer.toString(
                json.getJsonObject("summary").getInt("error") + json.getJsonObject("summary").getInt("warning")));
        assertSameFindings(suite, json);
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        List<Element> skipped = children(suite, "testcase").stream().filter(t -> !children(t, "skipped").isEmpty())
                .toList();
        assertThat(skipped).hasSize(1);
        assertThat(skipped.getFirst().getAttribute("classname")).isEqualTo("openapi.operation-security");
        assertThat(skipped.getFirst().getAttribute("file")).isEqualTo("api/openapi/hypergraph-api.yaml");
        assertThat(children(skipped.getFirst(), "skipped").getFirst().getAttribute("message"))
                .startsWith("ignored: ").contains("Health probes");
        // The run's own properties, as in SARIF: verdict and prefix beside the summary.
        assertThat(property(suite, "verdict")).isEqualTo("pass");
        assertThat(property(suite, "prefix")).isEqualTo("/v1");
        assertThat(property(suite, "non_v1_paths")).isEqualTo("[]");
    }

    @Test
    void aPostedSpecWithHostilePathKeysGivesEscapedFailures() throws Exception {
        JsonObject json = json(post(false, HOSTILE_SPEC));
        ClientResponseTyped<byte[]> res = post(true, HOSTILE_SPEC);
        String text = new String(res.entity(), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\u0001");
        Document xml = junit(res);

        Element suite = onlySuite(xml, "control-plane-compliance");
        assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo(Integer.toString(
                json.getJsonObject("summary").getInt("error") + json.getJsonObject("summary").getInt("warning")));
        assertSameFindings(suite, json);
        assertThat(Integer.parseInt(suite.getAttribute("failures"))).isPositive();
        List<Element> prefix = children(suite, "testcase").stream()
                .filter(t -> t.getAttribute("classname").equals("openapi.path-prefix")).toList();
        assertThat(prefix).isNotEmpty();
        assertThat(prefix).allSatisfy(t -> assertThat(t.getAttribute("file")).isEqualTo("request-body.json"));
        // The hostile key reaches a failure message intact but for the control character.
        List<String> messages = new ArrayList<>();
        NodeList failures = xml.getElementsByTagName("failure");
        for (int i = 0; i < failures.getLength(); i++) {
            messages.add(((Element) failures.item(i)).getAttribute("message"));
        }
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("/a<b>&\"c\"\uFFFD"));
    }

    private ClientResponseTyped<byte[]> post(boolean junit, String body) {
        Http1ClientRequest req = client.post(OpenApiChecks.ROUTE).header(HeaderNames.AUTHORIZATION, "Bearer t");
        if (junit) {
            req.queryParam("format", "junit");
        }
        if (body == null) {
            return req.request(byte[].class);
        }
        return req.contentType(MediaTypes.APPLICATION_JSON).submit(body.getBytes(StandardCharsets.UTF_8),
                byte[].class);
    }

    private static JsonObject json(ClientResponseTyped<byte[]> res) {
        String text = new String(res.entity(), StandardCharsets.UTF_8);
        assertThat(res.status()).as(text).isEqualTo(Status.OK_200);
        assertThat(res.headers().contentType().orElseThrow().text()).startsWith("application/json");
        return parse(text);
    }

    private static Document junit(ClientResponseTyped<byte[]> res) throws Exception {
        assertThat(res.status()).as(new String(res.entity(), StandardCharsets.UTF_8)).isEqualTo(Status.OK_200);
        return JunitXml.answer(res);
    }
}
