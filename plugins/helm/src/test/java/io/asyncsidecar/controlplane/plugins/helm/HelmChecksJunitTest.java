package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.JunitXml;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import static io.asyncsidecar.controlplane.server.testing.JunitXml.assertSameFindings;
import static io.asyncsidecar.controlplane.server.testing.JunitXml.children;
import static io.asyncsidecar.controlplane.server.testing.JunitXml.property;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/helm/checks?format=junit on the demo workspace's chart: a JUnit XML report with as many failures as the
 * JSON answer has error and warning findings, one testsuite per values file.
 */
@ServerTest
class HelmChecksJunitTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "data-dir", "target/test-data/helm-junit",
                "plugins.helm.engines", "helm-java"));
    }

    @Test
    void oneSuiteWithAFailurePerErrorOrWarningFinding(Http1Client client) throws Exception {
        JsonObject json = Reports.ok(client, "/api/helm/checks");
        Document xml = junit(client, "/api/helm/checks?format=junit");

        Element root = xml.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("name")).isEqualTo("control-plane-helm");
        List<Element> suites = children(root, "testsuite");
        assertThat(suites).hasSize(1);
        assertThat(suites.getFirst().getAttribute("name")).isEqualTo("control-plane-helm");
        assertSameFindings(suites.getFirst(), json);
        assertThat(root.getAttribute("failures")).isEqualTo(suites.getFirst().getAttribute("failures"));
        assertThat(Integer.parseInt(root.getAttribute("failures"))).isPositive();

        // The deliberate finding: classname, object, file and line as the JSON finding has them.
        JsonObject image = Reports.findings(json, "helm.image-tag-pinned", "Deployment", "hypergraph-explainer")
                .getFirst();
        Element testcase = children(suites.getFirst(), "testcase").stream()
                .filter(t -> t.getAttribute("classname").equals("helm.image-tag-pinned")).findFirst().orElseThrow();
        assertThat(testcase.getAttribute("name")).isEqualTo("Deployment/default/hypergraph-explainer");
        assertThat(testcase.getAttribute("file")).isEqualTo(image.getString("file"));
        assertThat(testcase.getAttribute("line")).isEqualTo(Integer.toString(image.getInt("line")));
        Element failure = children(testcase, "failure").getFirst();
        assertThat(failure.getAttribute("type")).isEqualTo("warning");
        assertThat(failure.getAttribute("message")).isEqualTo(image.getString("message"));
        // The ignored one is skipped with its reason.
        Element ignored = children(suites.getFirst(), "testcase").stream()
                .filter(t -> t.getAttribute("classname").equals("helm.read-only-root-filesystem")).findFirst()
                .orElseThrow();
        assertThat(children(ignored, "skipped").getFirst().getAttribute("message")).startsWith("ignored: ")
                .contains("HG-142");
    }

    @Test
    void oneSuitePerValuesFileNamedAfterIt(Http1Client client) throws Exception {
        String query = "values=values-prod.yaml&values=manifests/helm/hypergraph/values.yaml";
        JsonObject json = Reports.ok(client, "/api/helm/checks?" + query);
        Document xml = junit(client, "/api/helm/checks?format=junit&" + query);

        List<JsonObject> results = json.getJsonArray("results").getValuesAs(JsonObject.class);
        List<Element> suites = children(xml.getDocumentElement(), "testsuite");
        assertThat(suites).hasSize(2);
        assertThat(suites.stream().map(s -> s.getAttribute("name")).toList()).containsExactly(
                "control-plane-helm (manifests/helm/hypergraph/values-prod.yaml)",
                "control-plane-helm (manifests/helm/hypergraph/values.yaml)");
        int failures = 0;
        for (int i = 0; i < 2; i++) {
            assertSameFindings(suites.get(i), results.get(i));
            failures += Integer.parseInt(suites.get(i).getAttribute("failures"));
            assertThat(property(suites.get(i), "values")).isEqualTo(results.get(i).getString("values"));
        }
        JsonObject summary = json.getJsonObject("summary");
        assertThat(xml.getDocumentElement().getAttribute("failures"))
                .isEqualTo(Integer.toString(failures))
                .isEqualTo(Integer.toString(summary.getInt("error") + summary.getInt("warning")));
    }

    @Test
    void aBadFormatIsStillA400NamingTheAllowedOnes(Http1Client client) {
        JsonObject problem = Reports.problem(client, "/api/helm/checks?format=xml", 400, "format");
        assertThat(problem.getString("detail")).contains("json", "sarif", "junit");
        assertThat(problem.getJsonArray("allowed").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString).toList()).containsExactly("json", "sarif", "junit");
    }

    /** A GET that must answer 200 with well-formed JUnit XML, as application/xml with a length. */
    private static Document junit(Http1Client client, String uri) throws Exception {
        try (HttpClientResponse res = Reports.get(client, uri, Reports.TOKEN)) {
            assertThat(res.status()).as(uri).isEqualTo(Status.OK_200);
            assertThat(res.headers().contentType().orElseThrow().text()).isEqualTo("application/xml");
            assertThat(res.headers().contentLength()).isPresent();
            return JunitXml.parse(res.as(byte[].class));
        }
    }
}
