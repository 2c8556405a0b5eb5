package io.asyncsidecar.controlplane.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.server.testing.FindingsJson;
import io.asyncsidecar.controlplane.server.testing.JunitXml;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code control-plane check} in process, over the server's class-path test plugins ({@code lint} reports an error
 * and a warning, {@code secret-lint} an error, {@code broken-check} throws): options, exit statuses and formats. The
 * packaged launcher is tested end to end by the distribution's CheckCommandIT.
 */
class CheckCommandTest {

    private static Path home;

    /** What one run printed and answered. */
    private record Result(int status, String out, String err) {
    }

    @BeforeAll
    static void home() throws IOException {
        home = Files.createTempDirectory("check-command");
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/application.yaml"), """
                workspace: %s
                data-dir: %s
                plugins:
                  dir: %s
                  broken-check:
                    enabled: false
                """.formatted(TestConfigs.demoWorkspace(), home.resolve("data"), home.resolve("no-plugins")));
    }

    private static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new CheckCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false).run(List.of(args), home, env);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Result run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void helpListsEveryOption() {
        Result r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("--workspace", "--values", "--kube-version", "--app", "--format", "--output",
                "--fail-on", "--help", "text", "json", "sarif", "junit", "never");
    }

    @Test
    void exitStatusFollowsFailOn() {
        Result text = run();
        assertThat(text.status()).as(text.err()).isEqualTo(CheckCommand.FINDINGS); // lint and secret-lint: errors
        assertThat(text.out()).contains("lint", "secret-lint", "total", "lint.replicas", "templates/web.yaml:7")
                .doesNotContain("\u001b[");
        assertThat(run("--fail-on", "never").status()).isZero();
        assertThat(run("--fail-on=warning").status()).isEqualTo(CheckCommand.FINDINGS);
        // lint alone still reports an error; without any check plugin nothing fails
        Result warnings = run(Map.of("PLUGINS_SECRET__LINT_ENABLED", "false"), "--fail-on", "error");
        assertThat(warnings.status()).as(warnings.out()).isEqualTo(CheckCommand.FINDINGS);
        Map<String, String> none = Map.of("PLUGINS_SECRET__LINT_ENABLED", "false", "PLUGINS_LINT_ENABLED", "false");
        assertThat(run(none).status()).isZero();
        assertThat(run(none, "--fail-on", "warning").status()).isZero();
    }

    @Test
    void aCheckThatThrowsFailsTheRun() {
        Result r = run(Map.of("PLUGINS_BROKEN__CHECK_ENABLED", "true", "PLUGINS_SECRET__LINT_ENABLED", "false",
                "PLUGINS_LINT_ENABLED", "false"));
        assertThat(r.status()).isEqualTo(CheckCommand.FINDINGS);
        assertThat(r.out()).contains("could not check broken-check").doesNotContain("/secret/path");
    }

    @Test
    void usageAndConfigurationErrorsAreStatusTwoNamingTheOption() {
        assertThat(run("--bogus")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(CheckCommand.USAGE);
            assertThat(r.err()).contains("unknown option '--bogus'");
        });
        assertThat(run("--format", "pdf").err()).contains("--format", "pdf", "text, json, sarif, junit");
        assertThat(run("--values").err()).contains("--values needs a value");
        assertThat(run("--workspace", "/no/such/folder").err()).contains("--workspace", "/no/such/folder");
        assertThat(run("--output", "/no/such/folder/report.json").err()).contains("--output");
        Result badVersion = run("--kube-version", "bad");
        assertThat(badVersion.status()).isEqualTo(CheckCommand.USAGE);
        assertThat(badVersion.err()).contains("--kube-version", "'bad'", "plugin lint");
        Result badConfig = run(Map.of("CP_CONFIG", "missing.yaml"));
        assertThat(badConfig.status()).isEqualTo(CheckCommand.USAGE);
        assertThat(badConfig.err()).contains("CP_CONFIG");
    }

    @Test
    void eachFormatParsesAndOutputWritesTheFile() throws IOException {
        Path json = home.resolve("report.json");
        Result r = run("--format", "json", "--output", json.toString(), "--values", "a.yaml", "--kube-version",
                "1.30.0");
        assertThat(r.out()).contains("report written to " + json).contains("total");
        JsonObject report = FindingsJson.parse(Files.readString(json));
        assertThat(report.getJsonObject("summary").getInt("error")).isEqualTo(2);
        assertThat(report.getJsonObject("parameters").getString("kubeVersion")).isEqualTo("1.30.0");

        JsonObject sarif = FindingsJson.parse(run("--format", "sarif").out());
        assertThat(sarif.getString("version")).isEqualTo("2.1.0");
        assertThat(sarif.getJsonArray("runs")).hasSize(report.getJsonArray("plugins").size());

        Result junit = run("--format", "junit");
        Document xml = JunitXml.parse(junit.out().getBytes(StandardCharsets.UTF_8));
        assertThat(JunitXml.children(xml.getDocumentElement(), "testsuite")).hasSize(report.getJsonArray("plugins")
                .size());
        // standard output holds only the document: nothing to strip before a parser reads it
        assertThat(junit.out()).startsWith("<?xml");
    }
}
