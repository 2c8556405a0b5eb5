package io.asyncsidecar.controlplane.dist;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.asyncsidecar.controlplane.server.testing.JunitXml;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.w3c.dom.Document;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/control-plane check} of the packaged distribution, run as a CI job runs it: on the demo workspace and
 * on a fixture chart, every format parses, {@code --output} writes the file, the exit status follows
 * {@code --fail-on} (0 below, 1 at or above) and is 2 for a usage or configuration error naming the option.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckCommandIT {

    private static final String SERVICEBUS = "helm/sample-dotnet-worker-servicebus-queue/keda-servicebus-connection-string";

    /** What one run printed and its exit status. */
    private record Run(int status, String out, String err) {
    }

    private Path data;
    private JsonObject demo;

    @BeforeAll
    void demoReport() throws Exception {
        data = Files.createTempDirectory("check-data");
        Path report = data.resolve("demo.json");
        Run run = check(Map.of(), "--format", "json", "--output", report.toString(), "--fail-on", "never");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("report written to " + report);
        demo = Json.createReader(new StringReader(Files.readString(report))).readObject();
    }

    @Test
    void theDemoExitsOneExactlyWhenFindingsReachFailOn() throws Exception {
        JsonObject s = demo.getJsonObject("summary");
        assertThat(s.getInt("plugins")).isGreaterThanOrEqualTo(5);
        assertThat(s.getInt("problems")).isZero();
        Run byDefault = check(Map.of());
        assertThat(byDefault.status()).as(byDefault.err()).isEqualTo(s.getInt("error") > 0 ? 1 : 0);
        assertThat(s.getInt("warning")).as("the demo has warnings").isPositive();
        assertThat(check(Map.of(), "--fail-on", "warning").status()).isEqualTo(1);
        assertThat(check(Map.of(), "--fail-on", "never").status()).isZero();
        // the text report: a table on standard output, no colour when it is not a terminal
        assertThat(byDefault.out()).contains("plugin", "engine", "score", "total", "helm", "keda", "compliance")
                .doesNotContain("\u001b[");
    }

    @Test
    void sarifAndJunitParseFromStandardOutput() throws Exception {
        Run sarif = check(Map.of(), "--format", "sarif", "--fail-on", "never");
        JsonObject log = Json.createReader(new StringReader(sarif.out())).readObject();
        assertThat(log.getString("version")).isEqualTo("2.1.0");
        assertThat(log.getJsonArray("runs")).hasSize(demo.getJsonArray("plugins").size());
        Run junit = check(Map.of(), "--format", "junit", "--fail-on", "never");
        Document xml = JunitXml.parse(junit.out().getBytes(StandardCharsets.UTF_8));
        assertThat(JunitXml.children(xml.getDocumentElement(), "testsuite")).hasSize(demo.getJsonArray("plugins")
                .size());
        JsonObject s = demo.getJsonObject("summary");
        assertThat(xml.getDocumentElement().getAttribute("failures"))
                .isEqualTo(Integer.toString(s.getInt("error") + s.getInt("warning")));
    }

    @Test
    void usageAndConfigurationErrorsExitTwoNamingTheOption() throws Exception {
        Run bad = check(Map.of(), "--kube-version", "abc");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--kube-version").contains("abc");
        Run unknown = check(Map.of(), "--colour");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("'--colour'");
        assertThat(check(Map.of(), "--fail-on", "sometimes").err()).contains("--fail-on");
        assertThat(check(Map.of("CP_PORT", "99999"), "--fail-on", "never").status()).isEqualTo(2);
        Run help = check(Map.of(), "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("--workspace", "--values", "--kube-version", "--app", "--format",
                "--output", "--fail-on");
    }

    @Test
    void aFixtureChartIsCheckedFromItsOwnWorkspace() throws Exception {
        Path fixtures = SharedFixtures.root();
        Path report = data.resolve("fixture.sarif");
        Map<String, String> env = Map.of("PLUGINS_HELM_CHART", SERVICEBUS, "PLUGINS_KEDA_CHART", SERVICEBUS,
                "PLUGINS_KARPENTER_CHART", SERVICEBUS);
        Run run = check(env, "--workspace", fixtures.toString(), "--format", "sarif", "--output", report.toString());
        // the sample runs :latest images without resources: errors, so the default --fail-on error fails
        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("helm", "total");
        JsonObject log = Json.createReader(new StringReader(Files.readString(report))).readObject();
        JsonObject helm = log.getJsonArray("runs").getValuesAs(JsonObject.class).stream()
                .filter(r -> r.getJsonObject("properties").getString("plugin").equals("helm")).findFirst()
                .orElseThrow();
        assertThat(helm.getJsonArray("results")).isNotEmpty();
        assertThat(helm.getJsonArray("results").getJsonObject(0).getJsonArray("locations").getJsonObject(0)
                .getJsonObject("physicalLocation").getJsonObject("artifactLocation").getString("uri"))
                .startsWith(SERVICEBUS + "/");
        assertThat(check(env, "--workspace", fixtures.toString(), "--fail-on", "never").status()).isZero();
    }

    private Run check(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(DistributionProcess.DIST.resolve("bin/control-plane").toString(),
                "check"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(data, "out", ".txt");
        Path err = Files.createTempFile(data, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CP_") || k.startsWith("AUTH_")
                || k.startsWith("PLUGINS_") || k.equals("NO_COLOR"));
        pb.environment().put("CP_DATA_DIR", data.resolve("cp-data").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("check did not finish within 180 s: " + command);
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
