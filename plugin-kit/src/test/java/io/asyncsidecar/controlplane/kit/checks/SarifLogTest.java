package io.asyncsidecar.controlplane.kit.checks;

import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.spi.checks.CheckReport;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.Severity;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SarifLogTest {

    private static final ObjectRef DEPLOYMENT = new ObjectRef("apps/v1", "Deployment", "prod", "api");
    private static final CheckTool TOOL = new CheckTool("control-plane-test", "1.2.3", List.of(
            new CheckRule("test.b", Severity.WARNING, "b holds"),
            new CheckRule("test.a", Severity.INFO, "a holds")));

    private static CheckReport report() {
        return CheckReport.of(List.of(
                Finding.of("test.b", Severity.WARNING, DEPLOYMENT, "charts/app/templates/api.yaml", 12,
                        "replicas is 1", "Set replicas to 2 or more."),
                Finding.of("test.a", Severity.INFO, DEPLOYMENT, "charts/app/templates/api.yaml", 0, "no probe", null)
                        .ignore("probes come from the mesh"),
                Finding.of("yaml.parse", Severity.ERROR, null, null, 0, "bad YAML", null)),
                "yaml", false, 5);
    }

    private static JsonObject write(Map<String, Object> log) {
        return JsonCodec.read(JsonCodec.write(log)).asJsonObject();
    }

    @Test
    void aLogHasTheSchemaTheVersionAndOneRunWithTheTool() {
        JsonObject log = write(SarifLog.of(TOOL, report()));

        assertThat(log.keySet()).containsExactly("$schema", "version", "runs");
        assertThat(log.getString("$schema")).isEqualTo("https://json.schemastore.org/sarif-2.1.0.json");
        assertThat(log.getString("version")).isEqualTo("2.1.0");
        JsonArray runs = log.getJsonArray("runs");
        assertThat(runs).hasSize(1);
        JsonObject run = runs.getJsonObject(0);
        assertThat(run.keySet()).containsExactly("tool", "results", "properties");
        JsonObject driver = run.getJsonObject("tool").getJsonObject("driver");
        assertThat(driver.getString("name")).isEqualTo("control-plane-test");
        assertThat(driver.getString("version")).isEqualTo("1.2.3");
    }

    @Test
    void rulesAreSortedByIdAndIncludeTheIdsOfUnlistedFindings() {
        JsonObject driver = write(SarifLog.of(TOOL, report())).getJsonArray("runs").getJsonObject(0)
                .getJsonObject("tool").getJsonObject("driver");

        JsonArray rules = driver.getJsonArray("rules");
        assertThat(rules.stream().map(r -> r.asJsonObject().getString("id")).toList())
                .containsExactly("test.a", "test.b", "yaml.parse");
        JsonObject a = rules.getJsonObject(0);
        assertThat(a.getJsonObject("shortDescription").getString("text")).isEqualTo("a holds");
        assertThat(a.getJsonObject("defaultConfiguration").getString("level")).isEqualTo("note");
        JsonObject unlisted = rules.getJsonObject(2);
        assertThat(unlisted.getJsonObject("shortDescription").getString("text")).isEqualTo("yaml.parse");
        assertThat(unlisted.getJsonObject("defaultConfiguration").getString("level")).isEqualTo("error");
    }

    @Test
    void aFindingsContainerFieldAndIgnoreSourceTravelInTheResult() {
        CheckReport report = CheckReport.of(List.of(
                Finding.of("test.b", Severity.WARNING, DEPLOYMENT, "charts/app/templates/api.yaml", 12,
                        "unknown field", null).withContainer("sidecar").withField("spec.template.spec.containers[1].x"),
                Finding.of("test.a", Severity.INFO, DEPLOYMENT, "charts/app/templates/api.yaml", 3, "no probe", null)
                        .ignore("mesh", "config")), "yaml", false, 5);
        JsonArray results = write(SarifLog.of(TOOL, report)).getJsonArray("runs").getJsonObject(0)
                .getJsonArray("results");

        JsonObject withField = results.getJsonObject(0);
        assertThat(withField.getJsonObject("properties").getString("container")).isEqualTo("sidecar");
        assertThat(withField.getJsonObject("properties").getString("field"))
                .isEqualTo("spec.template.spec.containers[1].x");
        assertThat(withField.getJsonArray("locations").getJsonObject(0).getJsonArray("logicalLocations")
                .getJsonObject(0).getString("name")).isEqualTo("Deployment/prod/api.spec.template.spec.containers[1].x");
        JsonObject ignored = results.getJsonObject(1);
        assertThat(ignored.containsKey("properties")).isFalse();
        assertThat(ignored.getJsonArray("suppressions").getJsonObject(0).getJsonObject("properties")
                .getString("source")).isEqualTo("config");
    }

    @Test
    void resultsPointAtTheirRuleFileLineAndObject() {
        JsonArray results = write(SarifLog.of(TOOL, report())).getJsonArray("runs").getJsonObject(0)
                .getJsonArray("results");

        assertThat(results).hasSize(3);
        JsonObject active = results.getJsonObject(0);
        assertThat(active.getString("ruleId")).isEqualTo("test.b");
        assertThat(active.getInt("ruleIndex")).isEqualTo(1);
        assertThat(active.getString("level")).isEqualTo("warning");
        assertThat(active.getJsonObject("message").getString("text"))
                .isEqualTo("replicas is 1 Remediation: Set replicas to 2 or more.");
        JsonObject location = active.getJsonArray("locations").getJsonObject(0);
        JsonObject physical = location.getJsonObject("physicalLocation");
        assertThat(physical.getJsonObject("artifactLocation").getString("uri"))
                .isEqualTo("charts/app/templates/api.yaml");
        assertThat(physical.getJsonObject("region").getInt("startLine")).isEqualTo(12);
        JsonObject logical = location.getJsonArray("logicalLocations").getJsonObject(0);
        assertThat(logical.getString("name")).isEqualTo("Deployment/prod/api");
        assertThat(logical.getString("kind")).isEqualTo("resource");
        assertThat(active.containsKey("suppressions")).isFalse();

        JsonObject ignored = results.getJsonObject(1);
        assertThat(ignored.getInt("ruleIndex")).isEqualTo(0);
        assertThat(ignored.getString("level")).isEqualTo("note");
        assertThat(ignored.getJsonObject("message").getString("text")).isEqualTo("no probe");
        assertThat(ignored.getJsonArray("locations").getJsonObject(0).getJsonObject("physicalLocation")
                .containsKey("region")).as("line 0 is unknown: no region").isFalse();
        JsonObject suppression = ignored.getJsonArray("suppressions").getJsonObject(0);
        assertThat(suppression.getString("kind")).isEqualTo("external");
        assertThat(suppression.getString("justification")).isEqualTo("probes come from the mesh");

        JsonObject fileLess = results.getJsonObject(2);
        assertThat(fileLess.getInt("ruleIndex")).isEqualTo(2);
        assertThat(fileLess.containsKey("locations")).isFalse();
    }

    @Test
    void runPropertiesAreTheSummaryThenTheExtraProperties() {
        Map<String, Object> run = SarifLog.run(TOOL, report(), Map.of("values", "values-prod.yaml"));

        JsonObject properties = write(SarifLog.of(List.of(run))).getJsonArray("runs").getJsonObject(0)
                .getJsonObject("properties");

        assertThat(properties.keySet()).containsExactly("error", "warning", "info", "ignored", "engine", "degraded",
                "duration_ms", "values");
        assertThat(properties.getInt("error")).isEqualTo(1);
        assertThat(properties.getInt("warning")).isEqualTo(1);
        assertThat(properties.getInt("info")).isZero();
        assertThat(properties.getInt("ignored")).isEqualTo(1);
        assertThat(properties.getString("engine")).isEqualTo("yaml");
        assertThat(properties.getInt("duration_ms")).isEqualTo(5);
        assertThat(properties.getString("values")).isEqualTo("values-prod.yaml");
    }

    @Test
    void theSameReportAlwaysGivesTheSameText() {
        CheckReport one = CheckReport.of(List.of(Finding.of("test.b", Severity.WARNING, DEPLOYMENT, "f.yaml", 3,
                "m", null).ignore("r")), "yaml", false, 0);

        String rules = "{\"id\":\"test.a\",\"shortDescription\":{\"text\":\"a holds\"},"
                + "\"defaultConfiguration\":{\"level\":\"note\"}},"
                + "{\"id\":\"test.b\",\"shortDescription\":{\"text\":\"b holds\"},"
                + "\"defaultConfiguration\":{\"level\":\"warning\"}}";
        String result = "{\"ruleId\":\"test.b\",\"ruleIndex\":1,\"level\":\"warning\",\"message\":{\"text\":\"m\"},"
                + "\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"f.yaml\"},"
                + "\"region\":{\"startLine\":3}},"
                + "\"logicalLocations\":[{\"name\":\"Deployment/prod/api\",\"kind\":\"resource\"}]}],"
                + "\"suppressions\":[{\"kind\":\"external\",\"justification\":\"r\"}]}";
        String properties = "{\"error\":0,\"warning\":0,\"info\":0,\"ignored\":1,\"engine\":\"yaml\","
                + "\"degraded\":false,\"duration_ms\":0}";

        assertThat(JsonCodec.write(SarifLog.of(TOOL, one))).isEqualTo(
                "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":["
                        + "{\"tool\":{\"driver\":{\"name\":\"control-plane-test\",\"version\":\"1.2.3\",\"rules\":["
                        + rules + "]}},\"results\":[" + result + "],\"properties\":" + properties + "}]}");
    }

    @Test
    void levelsFollowSarif() {
        assertThat(SarifLog.level(Severity.ERROR)).isEqualTo("error");
        assertThat(SarifLog.level(Severity.WARNING)).isEqualTo("warning");
        assertThat(SarifLog.level(Severity.INFO)).isEqualTo("note");
    }
}
