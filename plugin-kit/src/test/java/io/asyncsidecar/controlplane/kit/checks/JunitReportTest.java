package io.asyncsidecar.controlplane.kit.checks;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import io.asyncsidecar.controlplane.spi.checks.CheckReport;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.Severity;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

class JunitReportTest {

    private static final ObjectRef DEPLOYMENT = new ObjectRef("apps/v1", "Deployment", "prod", "api");
    private static final CheckTool TOOL = new CheckTool("control-plane-test", "1.2.3", List.of(
            new CheckRule("test.b", Severity.WARNING, "b holds"),
            new CheckRule("test.a", Severity.INFO, "a holds")));
    /** What a hostile manifest can put in a message: markup, quotes, C0 controls, a lone surrogate, an emoji. */
    private static final String HOSTILE = "a<b & \"c\" 'd' ]]> e\u0000f\u0001g\uD800h \uD83D\uDE00";
    private static final String HOSTILE_READ = "a<b & \"c\" 'd' ]]> e\uFFFDf\uFFFDg\uFFFDh \uD83D\uDE00";

    private static CheckReport report() {
        return CheckReport.of(List.of(
                Finding.of("test.b", Severity.WARNING, DEPLOYMENT, "charts/app/templates/api.yaml", 12,
                        "replicas is 1", "Set replicas to 2 or more."),
                Finding.of("test.a", Severity.INFO, DEPLOYMENT, "charts/app/templates/api.yaml", 0, "no probe", null)
                        .ignore("probes come from the mesh"),
                Finding.of("test.a", Severity.INFO, new ObjectRef("v1", "Service", null, "api"), "svc.yaml", 3,
                        "selector matches 2 pods", null),
                Finding.of("yaml.parse", Severity.ERROR, null, null, 0, "bad YAML", null),
                Finding.of("test.b", Severity.WARNING, DEPLOYMENT, "charts/app/templates/api.yaml", 30,
                        "replicas is 1 in the second container", null)),
                "yaml", false, 1234);
    }

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(null);
        return builder.parse(new ByteArrayInputStream(xml));
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

    private static Element child(Element parent, String name) {
        List<Element> all = children(parent, name);
        assertThat(all).as(parent.getTagName() + " > " + name).hasSize(1);
        return all.getFirst();
    }

    private static Map<String, String> properties(Element suite) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Element p : children(child(suite, "properties"), "property")) {
            m.put(p.getAttribute("name"), p.getAttribute("value"));
        }
        return m;
    }

    @Test
    void aReportIsOneSuiteWithOneTestcasePerFindingAndTheCounts() throws Exception {
        Document doc = parse(JunitReport.of(TOOL, report()));

        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("name")).isEqualTo("control-plane-test");
        assertThat(root.getAttribute("tests")).isEqualTo("5");
        assertThat(root.getAttribute("failures")).isEqualTo("3");
        assertThat(root.getAttribute("errors")).isEqualTo("0");
        assertThat(root.getAttribute("time")).isEqualTo("1.234");

        Element suite = child(root, "testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo("control-plane-test");
        assertThat(suite.getAttribute("tests")).isEqualTo("5");
        assertThat(suite.getAttribute("failures")).isEqualTo("3");
        assertThat(suite.getAttribute("errors")).isEqualTo("0");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        assertThat(suite.getAttribute("time")).isEqualTo("1.234");
        assertThat(properties(suite)).containsExactly(Map.entry("tool.version", "1.2.3"), Map.entry("error", "1"),
                Map.entry("warning", "2"), Map.entry("info", "1"), Map.entry("ignored", "1"),
                Map.entry("engine", "yaml"), Map.entry("degraded", "false"), Map.entry("duration_ms", "1234"));

        List<Element> cases = children(suite, "testcase");
        assertThat(cases).hasSize(5);
        assertThat(cases.stream().map(c -> c.getAttribute("classname") + " " + c.getAttribute("name")).toList())
                .containsExactly("test.b Deployment/prod/api", "test.a Deployment/prod/api", "test.a Service/api",
                        "yaml.parse yaml.parse", "test.b Deployment/prod/api #2");
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(3);
        assertThat(doc.getElementsByTagName("error").getLength()).isZero();
    }

    @Test
    void aWarningIsAFailureWithTheMessageTheRemediationAndTheLocation() throws Exception {
        Element warning = (Element) parse(JunitReport.of(TOOL, report())).getElementsByTagName("testcase").item(0);

        assertThat(warning.getAttribute("file")).isEqualTo("charts/app/templates/api.yaml");
        assertThat(warning.getAttribute("line")).isEqualTo("12");
        assertThat(warning.getAttribute("time")).isEqualTo("0");
        Element failure = child(warning, "failure");
        assertThat(failure.getAttribute("type")).isEqualTo("warning");
        assertThat(failure.getAttribute("message")).isEqualTo("replicas is 1");
        assertThat(failure.getTextContent()).isEqualTo("replicas is 1\nRemediation: Set replicas to 2 or more.\n"
                + "Check: test.b (warning)\nObject: Deployment/prod/api\nFile: charts/app/templates/api.yaml:12");
        assertThat(children(warning, "skipped")).isEmpty();
    }

    @Test
    void anErrorWithoutObjectOrFileIsNamedByItsCheckAndHasNoLocation() throws Exception {
        Element error = (Element) parse(JunitReport.of(TOOL, report())).getElementsByTagName("testcase").item(3);

        assertThat(error.hasAttribute("file")).isFalse();
        assertThat(error.hasAttribute("line")).isFalse();
        Element failure = child(error, "failure");
        assertThat(failure.getAttribute("type")).isEqualTo("error");
        assertThat(failure.getTextContent()).isEqualTo("bad YAML\nCheck: yaml.parse (error)");
    }

    @Test
    void aFindingsContainerFieldAndIgnoreSourceAreInItsText() throws Exception {
        CheckReport report = CheckReport.of(List.of(
                Finding.of("test.b", Severity.WARNING, DEPLOYMENT, "t.yaml", 4, "unknown field", null)
                        .withContainer("sidecar").withField("spec.x"),
                Finding.of("test.a", Severity.WARNING, DEPLOYMENT, "t.yaml", 5, "no probe", null)
                        .ignore("mesh", "config")), "yaml", false, 5);
        NodeList cases = parse(JunitReport.of(TOOL, report)).getElementsByTagName("testcase");

        assertThat(child((Element) cases.item(0), "failure").getTextContent())
                .contains("\nContainer: sidecar\n").contains("\nField: spec.x\n");
        assertThat(child((Element) cases.item(1), "skipped").getTextContent()).endsWith("\nIgnored: mesh (config)");
    }

    @Test
    void anIgnoredFindingIsSkippedWithItsReason() throws Exception {
        Element ignored = (Element) parse(JunitReport.of(TOOL, report())).getElementsByTagName("testcase").item(1);

        assertThat(ignored.hasAttribute("line")).as("line 0 is unknown").isFalse();
        Element skipped = child(ignored, "skipped");
        assertThat(skipped.getAttribute("message")).isEqualTo("ignored: probes come from the mesh");
        assertThat(skipped.getTextContent()).startsWith("no probe\n").endsWith("\nIgnored: probes come from the mesh");
        assertThat(children(ignored, "failure")).isEmpty();
        assertThat(children(ignored, "system-out")).isEmpty();
    }

    @Test
    void anActiveInfoFindingPassesWithItsTextInSystemOut() throws Exception {
        Element info = (Element) parse(JunitReport.of(TOOL, report())).getElementsByTagName("testcase").item(2);

        assertThat(info.getAttribute("file")).isEqualTo("svc.yaml");
        assertThat(info.getAttribute("line")).isEqualTo("3");
        assertThat(children(info, "failure")).isEmpty();
        assertThat(children(info, "skipped")).isEmpty();
        assertThat(child(info, "system-out").getTextContent()).startsWith("selector matches 2 pods\n")
                .contains("Object: Service/api");
    }

    @Test
    void hostileTextIsEscapedAndCharactersXmlCannotCarryAreReplaced() throws Exception {
        ObjectRef hostile = new ObjectRef("v1", "Config<Map>", "ns&\"x\"", "n\u0001m");
        CheckReport report = CheckReport.of(List.of(
                Finding.of("test.b", Severity.ERROR, hostile, "dir/<&>\".yaml", 7, HOSTILE, "fix\r\nit & " + HOSTILE),
                Finding.of("test.a", Severity.WARNING, hostile, null, 0, "m", null).ignore("because <&> \"\u0000\"")),
                "yaml", false, 0);

        byte[] xml = JunitReport.of(TOOL, report);
        String text = new String(xml, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\u0000", "\u0001", "\r");
        assertThat(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(xml)).toString())
                .as("well-formed UTF-8: the lone surrogate did not leak as bytes").isEqualTo(text);
        Document doc = parse(xml);

        Element testcase = (Element) doc.getElementsByTagName("testcase").item(0);
        assertThat(testcase.getAttribute("name")).isEqualTo("Config<Map>/ns&\"x\"/n\uFFFDm");
        assertThat(testcase.getAttribute("file")).isEqualTo("dir/<&>\".yaml");
        Element failure = child(testcase, "failure");
        assertThat(failure.getAttribute("message")).isEqualTo(HOSTILE_READ);
        assertThat(failure.getTextContent()).startsWith(HOSTILE_READ + "\nRemediation: fix\nit & " + HOSTILE_READ
                + "\n");
        Element skipped = child((Element) doc.getElementsByTagName("testcase").item(1), "skipped");
        assertThat(skipped.getAttribute("message")).isEqualTo("ignored: because <&> \"\uFFFD\"");
    }

    @Test
    void lineBreaksInAnAttributeBecomeSpaces() throws Exception {
        CheckReport report = CheckReport.of(List.of(Finding.of("test.b", Severity.WARNING, null, "f.yaml", 1,
                "two\nlines\tand\r\na tab", null)), "yaml", false, 0);

        Document doc = parse(JunitReport.of(TOOL, report));

        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("two lines and a tab");
        assertThat(failure.getTextContent()).startsWith("two\nlines\tand\na tab\n");
        assertThat(((Element) doc.getElementsByTagName("testcase").item(0)).getAttribute("name"))
                .as("file-level finding: named by its file").isEqualTo("f.yaml");
    }

    @Test
    void aReportWithoutFindingsHasOnePassingTestcase() throws Exception {
        Document doc = parse(JunitReport.of(TOOL, CheckReport.of(List.of(), "yaml", false, 0)));

        Element root = doc.getDocumentElement();
        assertThat(root.getAttribute("tests")).isEqualTo("1");
        assertThat(root.getAttribute("failures")).isEqualTo("0");
        Element suite = child(root, "testsuite");
        assertThat(suite.getAttribute("tests")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo("0");
        assertThat(suite.getAttribute("time")).isEqualTo("0.000");
        Element testcase = child(suite, "testcase");
        assertThat(testcase.getAttribute("classname")).isEqualTo("control-plane-test");
        assertThat(testcase.getAttribute("name")).isEqualTo(JunitReport.ALL_PASSED);
        assertThat(testcase.getChildNodes().getLength()).isZero();
    }

    @Test
    void onlyIgnoredFindingsAreSkippedTestsNotAnEmptySuite() throws Exception {
        CheckReport report = CheckReport.of(List.of(Finding.of("test.b", Severity.ERROR, DEPLOYMENT, "f.yaml", 2,
                "m", null).ignore(null)), "yaml", false, 0);

        Element suite = child(parse(JunitReport.of(TOOL, report)).getDocumentElement(), "testsuite");

        assertThat(suite.getAttribute("tests")).isEqualTo("1");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        assertThat(child(child(suite, "testcase"), "skipped").getAttribute("message"))
                .isEqualTo("ignored: (no reason given)");
    }

    @Test
    void severalSuitesAreLabelledAndTheRootAddsThemUp() throws Exception {
        CheckReport clean = CheckReport.of(List.of(), "helm-java", false, 20);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("values", "charts/app/values-prod.yaml");
        properties.put("paths", List.of("/a", "/b"));
        properties.put("missing", null);

        Document doc = parse(JunitReport.of(TOOL, List.of(
                new JunitReport.Suite("charts/app/values-prod.yaml", clean, properties),
                new JunitReport.Suite("charts/app/values.yaml", report(), Map.of()))));

        Element root = doc.getDocumentElement();
        assertThat(root.getAttribute("tests")).isEqualTo("6");
        assertThat(root.getAttribute("failures")).isEqualTo("3");
        assertThat(root.getAttribute("time")).isEqualTo("1.254");
        List<Element> suites = children(root, "testsuite");
        assertThat(suites.stream().map(s -> s.getAttribute("name")).toList()).containsExactly(
                "control-plane-test (charts/app/values-prod.yaml)", "control-plane-test (charts/app/values.yaml)");
        Map<String, String> first = properties(suites.getFirst());
        assertThat(first).containsEntry("values", "charts/app/values-prod.yaml")
                .containsEntry("paths", "[\"/a\",\"/b\"]").containsEntry("engine", "helm-java")
                .doesNotContainKey("missing");
        assertThat(suites.get(1).getAttribute("failures")).isEqualTo("3");
    }

    @Test
    void theSameReportAlwaysGivesTheSameBytes() {
        CheckReport one = CheckReport.of(List.of(Finding.of("test.b", Severity.WARNING, DEPLOYMENT, "f.yaml", 3,
                "m", null).ignore("r")), "yaml", false, 0);

        String expected = """
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuites name="control-plane-test" tests="1" failures="0" errors="0" time="0.000">
                  <testsuite name="control-plane-test" tests="1" failures="0" errors="0" skipped="1" time="0.000">
                    <properties>
                      <property name="tool.version" value="1.2.3"/>
                      <property name="error" value="0"/>
                      <property name="warning" value="0"/>
                      <property name="info" value="0"/>
                      <property name="ignored" value="1"/>
                      <property name="engine" value="yaml"/>
                      <property name="degraded" value="false"/>
                      <property name="duration_ms" value="0"/>
                    </properties>
                    <testcase classname="test.b" name="Deployment/prod/api" file="f.yaml" line="3" time="0">
                      <skipped message="ignored: r">m
                Check: test.b (warning)
                Object: Deployment/prod/api
                File: f.yaml:3
                Ignored: r</skipped>
                    </testcase>
                  </testsuite>
                </testsuites>
                """;
        assertThat(new String(JunitReport.of(TOOL, one), StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(JunitReport.of(TOOL, one)).isEqualTo(JunitReport.of(TOOL, one));
    }

    @Test
    void xmlSafeKeepsCleanTextAndPairsAndReplacesTheRest() {
        String clean = "tab\there\nline \uD83D\uDE00 \uFFFD";
        assertThat(JunitReport.xmlSafe(clean)).isSameAs(clean);
        assertThat(JunitReport.xmlSafe(null)).isNull();
        assertThat(JunitReport.xmlSafe("\u0000\u001F\u007F\uFFFE\uFFFF")).isEqualTo("\uFFFD\uFFFD\u007F\uFFFD\uFFFD");
        assertThat(JunitReport.xmlSafe("x\uDC00y\uD800")).isEqualTo("x\uFFFDy\uFFFD");
        assertThat(JunitReport.xmlSafe("\uD800\uD800\uDC00")).isEqualTo("\uFFFD\uD800\uDC00");
    }
}
