package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.server.testing.HostileWorkspace;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioParserTest {

    private static final Path SCENARIOS = TestConfigs.demoWorkspace().resolve("tests/e2e/scenarios");

    @Test
    void demoGenericScenario() {
        Scenario s = ScenarioParser.read(WorkspaceFiles.of(SCENARIOS), SCENARIOS.resolve("generic.yaml"), "generic.yaml");
        assertThat(s.name()).isEqualTo("generic");
        assertThat(s.steps()).extracting(Scenario.Step::path)
                .containsExactly("/healthz", "/metrics", "/health/live", "/health/ready");
        Scenario.Step healthz = s.steps().get(0);
        assertThat(healthz.expect().statuses()).containsExactly(200);
        assertThat(healthz.expect().json()).containsEntry("ok", true);
        assertThat(s.steps().get(3).expect().accepts(404)).isTrue();
        assertThat(s.steps().get(3).expect().accepts(503)).isFalse();
        assertThat(s.load().steps()).extracting(l -> l.step().name(), Scenario.LoadStep::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("healthz", 4),
                        org.assertj.core.groups.Tuple.tuple("metrics", 1));
        assertThat(s.load().thresholds()).extracting(Threshold::expression)
                .containsExactly("p95<500", "p99<1000", "error_rate<0.01");
    }

    @Test
    void demoHypergraphScenarioChainsTheTraceId() {
        Scenario s = ScenarioParser.read(WorkspaceFiles.of(SCENARIOS), SCENARIOS.resolve("hypergraph-gateway.yaml"), "hypergraph-gateway.yaml");
        Scenario.Step chat = s.steps().stream().filter(st -> st.name().equals("chat")).findFirst().orElseThrow();
        assertThat(chat.method()).isEqualTo("POST");
        assertThat(chat.body()).isEqualTo(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"${prompt}\"}],\"stream\":false}");
        assertThat(chat.headers()).containsEntry("Content-Type", "application/json");
        assertThat(chat.capture()).containsEntry("trace_id", "trace_id");
        assertThat(s.steps()).extracting(Scenario.Step::path).contains("/v1/traces/${trace_id}/graph");
        assertThat(s.load().steps().get(3).thresholds()).extracting(Threshold::expression).containsExactly("p95<3000");
    }

    @Test
    void variablesResolveAndOptionalHeadersDisappear() {
        Variables v = new Variables(java.util.Map.of("prompt", "hi"), java.util.Map.of("tenant_a", "tA"));
        assertThat(v.resolve("/v1/${prompt}", "x")).isEqualTo("/v1/hi");
        assertThat(v.headers(java.util.Map.of("Authorization", "Bearer ${auth_token_read}", "X-Tenant-ID", "${tenant_a}")))
                .containsOnlyKeys("X-Tenant-ID");
        assertThatThrownBy(() -> v.resolve("/v1/traces/${trace_id}", "step 'graph' path"))
                .hasMessageContaining("step 'graph' path uses ${trace_id}, which has no value");
    }

    @Test
    void errorsNameTheFileAndField() {
        assertThatThrownBy(() -> parse("steps:\n  - name: a\n    path: /x\n    expect: {status: 999}\n"))
                .hasMessage("t.yaml: steps[0].expect.status must be an HTTP status 100..599, got 999");
        assertThatThrownBy(() -> parse("steps:\n  - name: a\n    path: x\n"))
                .hasMessageContaining("t.yaml: steps[0].path is required and must start with '/'");
        assertThatThrownBy(() -> parse("steps:\n  - {name: a, path: /a}\nload:\n  steps:\n    - step: b\n"))
                .hasMessageContaining("load.steps[0].step names no step; known: [a]");
        assertThatThrownBy(() -> parse("steps:\n  - {name: a, path: /a}\nload:\n  thresholds: [\"p95 fast\"]\n"))
                .hasMessageContaining("load.thresholds[0] 'p95 fast' is not a threshold");
        assertThatThrownBy(() -> parse("steps:\n  - {name: a, path: /a, expect: {body_matches: \"(\"}}\n"))
                .hasMessageContaining("steps[0].expect.body_matches is not a valid regular expression");
        assertThatThrownBy(() -> parse("steps: [\n")).hasMessageStartingWith("t.yaml: not valid YAML");
        assertThatThrownBy(() -> parse("name: empty\n")).hasMessageContaining("neither steps nor load steps");
    }

    @Test
    void expectationDefaultsTo2xxAnd3xx() {
        Scenario s = parse("steps:\n  - {name: a, path: /a}\n");
        Scenario.Expectation e = s.steps().get(0).expect();
        assertThat(e.statuses()).isEqualTo(Set.of());
        assertThat(e.accepts(204)).isTrue();
        assertThat(e.accepts(302)).isTrue();
        assertThat(e.accepts(404)).isFalse();
    }

    @Test
    void aBodyMadeOfAliasesIsRefusedBeforeItIsWrittenOutAsJson() {
        StringBuilder bomb = new StringBuilder("b0: &b0 [x, x, x, x, x]\n");
        for (int i = 1; i <= 3; i++) {
            bomb.append("b").append(i).append(": &b").append(i).append(" [*b").append(i - 1).append(", *b")
                    .append(i - 1).append(", *b").append(i - 1).append(", *b").append(i - 1).append(", *b")
                    .append(i - 1).append("]\n");
        }
        String scenario = bomb + "steps:\n  - {name: a, path: /a, method: POST, body: {k: *b3}}\n";
        // 16 aliases standing for 5^4 scalars: under the node limit, so the scenario is fine
        assertThat(parse(scenario).steps().getFirst().body()).hasSizeGreaterThan(2000);
        // the same 16 aliases over 400 scalars stand for 50,000 of them, twice: over the limit
        String bigger = scenario.replace("[x, x, x, x, x]", "[" + "x, ".repeat(399) + "x]");
        assertThatThrownBy(() -> parse(bigger)).hasMessageStartingWith("t.yaml: not valid YAML")
                .hasMessageContaining("100000 nodes");
    }

    @Test
    void aRepeatedKeyIsAnError() {
        assertThatThrownBy(() -> parse("name: a\nname: b\nsteps:\n  - {name: a, path: /a}\n"))
                .hasMessageContaining("duplicate key 'name'").hasMessageContaining("line 2");
        assertThat(parse("name: a\nsteps:\n  - {name: a, path: /a}\n").name()).isEqualTo("a");
    }

    @Test
    void aScenarioLinkingOutOfTheWorkspaceIsNotRead() {
        HostileWorkspace ws = HostileWorkspace.create("scenario-hostile").linkToSecret("s.yaml");
        assertThatThrownBy(() -> ScenarioParser.read(WorkspaceFiles.of(ws.root()), ws.root().resolve("s.yaml"),
                "s.yaml")).hasMessageContaining("'s.yaml' resolves outside the workspace")
                .satisfies(e -> assertThat(ws.leaks(e.getMessage())).isFalse());
    }

    private static Scenario parse(String yaml) {
        return ScenarioParser.parse(new StringReader(yaml), "t.yaml");
    }
}
