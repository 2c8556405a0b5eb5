package io.asyncsidecar.controlplane.server.testing;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import io.asyncsidecar.controlplane.kit.checks.JunitReport;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the check plugins' {@code format=junit} tests share: reading the XML safely, and holding a suite against
 * the JSON answer of the same request (a failure per active error or warning at its file and line, a skipped
 * testcase per ignored finding, counts that add up).
 */
public final class JunitXml {

    private JunitXml() {
    }

    /**
     * Checks a check endpoint's JSON and JUnit answers agree, for endpoints that answer one report: the JUnit
     * answer is application/xml with a length, one {@code <testsuite>} named after the tool, and the suite's
     * failures, skipped and testcases are the JSON answer's findings.
     *
     * @param client the client
     * @param path   the route, e.g. {@code /api/keda/scalers}
     * @param token  a bearer token with the route's scope
     * @param tool   the tool name both elements carry, e.g. {@code control-plane-keda}
     */
    public static void assertSingleSuiteAnswer(Http1Client client, String path, String token, String tool) {
        ClientResponseTyped<String> json = client.get(path)
                .header(HeaderNames.AUTHORIZATION, "Bearer " + token).request(String.class);
        assertThat(json.status()).as(json.entity()).isEqualTo(Status.OK_200);
        JsonObject report = FindingsJson.parse(json.entity());
        ClientResponseTyped<byte[]> res = client.get(path).queryParam("format", "junit")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + token).request(byte[].class);
        Document xml = answer(res);
        Element suite = onlySuite(xml, tool);
        JsonObject summary = report.getJsonObject("summary");
        int errorsAndWarnings = summary.getInt("error") + summary.getInt("warning");
        assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo(Integer.toString(errorsAndWarnings));
        assertThat(property(suite, "engine")).isEqualTo(summary.getString("engine"));
        assertThat(property(suite, "degraded")).isEqualTo(Boolean.toString(summary.getBoolean("degraded")));
        assertSameFindings(suite, report);
    }

    /**
     * A JUnit answer: 200, application/xml with a Content-Length, well-formed.
     *
     * @param res the response
     * @return the document
     */
    public static Document answer(ClientResponseTyped<byte[]> res) {
        assertThat(res.status()).as(new String(res.entity(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(Status.OK_200);
        assertThat(res.headers().contentType().orElseThrow().text()).isEqualTo("application/xml");
        assertThat(res.headers().contentLength()).isPresent();
        return parse(res.entity());
    }

    /**
     * Parses XML with doctypes refused (no entity expansion, no external fetch).
     *
     * @param body the bytes
     * @return the document
     */
    public static Document parse(byte[] body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage(), e);
        }
    }

    /**
     * The one suite of a document whose root and suite both carry the tool's name.
     *
     * @param xml  the document
     * @param tool the tool name
     * @return the suite
     */
    public static Element onlySuite(Document xml, String tool) {
        Element root = xml.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("name")).isEqualTo(tool);
        List<Element> suites = children(root, "testsuite");
        assertThat(suites).hasSize(1);
        assertThat(suites.getFirst().getAttribute("name")).isEqualTo(tool);
        return suites.getFirst();
    }

    /**
     * Holds a suite against the JSON report it was written from: counts, one failing testcase per active error or
     * warning (check id, file, line, severity, message), one skipped testcase per ignored finding.
     *
     * @param suite  the testsuite element
     * @param report the JSON answer (or one of a combined answer's results)
     */
    public static void assertSameFindings(Element suite, JsonObject report) {
        JsonObject summary = report.getJsonObject("summary");
        int errorsAndWarnings = summary.getInt("error") + summary.getInt("warning");
        assertThat(suite.getAttribute("failures")).isEqualTo(Integer.toString(errorsAndWarnings));
        assertThat(suite.getAttribute("errors")).isEqualTo("0");
        assertThat(suite.getAttribute("skipped")).isEqualTo(Integer.toString(summary.getInt("ignored")));
        List<Element> testcases = children(suite, "testcase");
        int findings = report.getJsonArray("findings").size() + report.getJsonArray("ignored").size();
        assertThat(testcases).hasSize(Math.max(1, findings));
        assertThat(suite.getAttribute("tests")).isEqualTo(Integer.toString(testcases.size()));
        assertThat(testcases.stream().mapToInt(t -> children(t, "failure").size()).sum()).isEqualTo(errorsAndWarnings);
        List<JsonObject> failing = report.getJsonArray("findings").getValuesAs(JsonObject.class).stream()
                .filter(f -> !f.getString("severity").equals("info")).toList();
        for (JsonObject f : failing) {
            String file = f.isNull("file") ? "" : f.getString("file");
            String line = f.getInt("line") > 0 ? Integer.toString(f.getInt("line")) : "";
            String message = JunitReport.xmlSafe(f.getString("message")).replace("\r\n", " ")
                    .replaceAll("[\r\n\t]", " ");
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
        assertThat(checksWith(testcases, "failure"))
                .isEqualTo(failing.stream().map(f -> f.getString("check")).sorted().toList());
        assertThat(checksWith(testcases, "skipped")).isEqualTo(report.getJsonArray("ignored").stream()
                .map(JsonValue::asJsonObject).map(f -> f.getString("check")).sorted().toList());
    }

    /**
     * A suite property's value.
     *
     * @param suite the testsuite element
     * @param name  the property name
     * @return the value, or null
     */
    public static String property(Element suite, String name) {
        for (Element p : children(children(suite, "properties").getFirst(), "property")) {
            if (p.getAttribute("name").equals(name)) {
                return p.getAttribute("value");
            }
        }
        return null;
    }

    /**
     * The child elements of a tag name, in document order.
     *
     * @param parent the parent
     * @param name   the tag name
     * @return the children
     */
    public static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<String> checksWith(List<Element> testcases, String outcome) {
        return testcases.stream().filter(t -> !children(t, outcome).isEmpty())
                .map(t -> t.getAttribute("classname")).sorted().toList();
    }
}
