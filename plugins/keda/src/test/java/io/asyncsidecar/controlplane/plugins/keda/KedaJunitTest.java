package io.asyncsidecar.controlplane.plugins.keda;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/keda/scalers?format=junit} on the demo workspace: JUnit XML with one testsuite, a failure per
 * error or warning finding of the JSON answer, a skipped testcase per ignored one.
 */
@ServerTest
class KedaJunitTest {

    private static final String TOKENS = "{\"t\":{\"tenant_id\":\"tA\",\"subject\":\"ci\","
            + "\"scopes\":[\"autoscaling.read\"]}}";

    private final Http1Client client;

    KedaJunitTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", TOKENS,
                "data-dir", "target/test-data/keda-junit"));
    }

    @Test
    void junitHasAFailurePerErrorOrWarningFindingOfTheJsonAnswer() throws Exception {
        ClientResponseTyped<String> json = client.get("/api/keda/scalers")
                .header(HeaderNames.AUTHORIZATION, "Bearer t").request(String.class);
        assertThat(json.status()).as(json.entity()).isEqualTo(Status.OK_200);
        JsonObject report = parse(json.entity());

        ClientResponseTyped<byte[]> res = client.get("/api/keda/scalers").queryParam("format", "junit")
                .header(HeaderNames.AUTHORIZATION, "Bearer t").request(byte[].class);
        assertThat(res.status()).isEqualTo(Status.OK_200);
        assertThat(res.headers().contentType().orElseThrow().text()).isEqualTo("application/xml");
        assertThat(res.headers().contentLength()).isPresent();
        Document xml = parseXml(res.entity());

        Element root = xml.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("name")).isEqualTo("control-plane-keda");
        List<Element> suites = children(root, "testsuite");
        assertThat(suites).hasSize(1);
        Element suite = suites.getFirst();
        assertThat(suite.getAttribute("name")).isEqualTo("control-plane-keda");

        JsonObject summary = report.getJsonObject("summary");
        int errorsAndWarnings = summary.getInt("error") + summary.getInt("warning");
        assertThat(root.getAttribute("failures")).isEqualTo(Integer.toString(errorsAndWarnings));
        assertThat(suite.getAttribute("failures")).isEqualTo(Integer.toString(errorsAndWarnings));
        assertThat(xml.getElementsByTagName("failure").getLength()).isEqualTo(errorsAndWarnings);
        assertThat(suite.getAttribute("errors")).isEqualTo("0");
        assertThat(suite.getAttribute("skipped")).isEqualTo(Integer.toString(summary.getInt("ignored")));
        int findings = report.getJsonArray("findings").size() + report.getJsonArray("ignored").size();
        List<Element> testcases = children(suite, "testcase");
        assertThat(testcases).hasSize(Math.max(1, findings));
        assertThat(suite.getAttribute("tests")).isEqualTo(Integer.toString(testcases.size()));
        // The suite's properties carry the summary; each error or warning finding is a failing testcase at its
        // file and line, with its message.
        assertThat(property(suite, "engine")).isEqualTo(summary.getString("engine"));
        assertThat(property(suite, "degraded")).isEqualTo(Boolean.toString(summary.getBoolean("degraded")));
        for (JsonObject f : report.getJsonArray("findings").getValuesAs(JsonObject.class)) {
            if (f.getString("severity").equals("info")) {
                continue;
            }
            String file = f.isNull("file") ? "" : f.getString("file");
            String line = f.getInt("line") > 0 ? Integer.toString(f.getInt("line")) : "";
            String message = f.getString("message").replace("\r\n", " ").replaceAll("[\r\n\t]", " ");
            assertThat(testcases).as(f.toString()).anySatisfy(t -> {
                assertThat(t.getAttribute("classname")).isEqualTo(f.getString("check"));
                assertThat(t.getAttribute("file")).isEqualTo(file);
                assertThat(t.getAttribute("line")).isEqualTo(line);
                assertThat(children(t, "failure")).singleElement().satisfies(failure -> {
                    assertThat(failure.getAttribute("type")).isEqualTo(f.getString("severity"));
                    assertThat(failure.getAttribute("message")).isEqualTo(message);
                });
            });
        }
        // The failing testcases are the JSON answer's error and warning findings, check by check.
        List<String> failed = testcases.stream().filter(t -> !children(t, "failure").isEmpty())
                .map(t -> t.getAttribute("classname")).sorted().toList();
        assertThat(failed).isEqualTo(report.getJsonArray("findings").stream().map(JsonValue::asJsonObject)
                .filter(f -> !f.getString("severity").equals("info")).map(f -> f.getString("check")).sorted()
                .toList());
        List<String> skipped = testcases.stream().filter(t -> !children(t, "skipped").isEmpty())
                .map(t -> t.getAttribute("classname")).sorted().toList();
        assertThat(skipped).isEqualTo(report.getJsonArray("ignored").stream().map(JsonValue::asJsonObject)
                .map(f -> f.getString("check")).sorted().toList());
    }

    private static Document parseXml(byte[] body) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
    }

    private static String property(Element suite, String name) {
        for (Element p : children(children(suite, "properties").getFirst(), "property")) {
            if (p.getAttribute("name").equals(name)) {
                return p.getAttribute("value");
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }
}
