package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The text handling that needs no server: image references, label selectors, Helm's error positions, taking
 * template actions out, and mapping rendered lines back to template lines.
 */
class HelmTextUnitTest {

    @Test
    void imageTags() {
        assertThat(WorkloadChecks.imageTag("nginx")).isNull();
        assertThat(WorkloadChecks.imageTag("nginx:")).isNull();
        assertThat(WorkloadChecks.imageTag("nginx:1.27")).isEqualTo("1.27");
        assertThat(WorkloadChecks.imageTag("localhost:5000/team/nginx")).isNull();
        assertThat(WorkloadChecks.imageTag("localhost:5000/team/nginx:latest")).isEqualTo("latest");
        assertThat(WorkloadChecks.imageTag("ghcr.io/x/y@sha256:0123abcd")).isEmpty();
        assertThat(WorkloadChecks.imageTag("ghcr.io/x/y:1.0@sha256:0123abcd")).isEmpty();
    }

    @Test
    void labelSelectors() {
        Map<String, Object> labels = Map.of("app", "web", "tier", "front");
        assertThat(WorkloadChecks.selects(Map.of("matchLabels", Map.of("app", "web")), labels)).isTrue();
        assertThat(WorkloadChecks.selects(Map.of("matchLabels", Map.of("app", "api")), labels)).isFalse();
        assertThat(WorkloadChecks.selects(Map.of("matchExpressions", List.of(
                Map.of("key", "tier", "operator", "In", "values", List.of("front", "back")),
                Map.of("key", "canary", "operator", "DoesNotExist"))), labels)).isTrue();
        assertThat(WorkloadChecks.selects(Map.of("matchExpressions", List.of(
                Map.of("key", "tier", "operator", "NotIn", "values", List.of("front")))), labels)).isFalse();
        assertThat(WorkloadChecks.selects(Map.of(), labels)).isTrue();
    }

    @Test
    void helmErrorPositionsAreMappedIntoTheChart() {
        Path chart = Path.of("/ws/charts/app");
        HelmMessages.Position include = HelmMessages.locate("template: app/templates/cm.yaml:6:8: executing"
                + " \"app/templates/cm.yaml\" at <include \"x\" .>: error calling include", "app", chart);
        assertThat(include.file()).isEqualTo(chart.resolve("templates/cm.yaml"));
        assertThat(include.line()).isEqualTo(6);
        HelmMessages.Position fail = HelmMessages.locate("execution error at (app/templates/vpa.yaml:3:6): no VPA",
                "app", chart);
        assertThat(fail.file()).isEqualTo(chart.resolve("templates/vpa.yaml"));
        assertThat(fail.line()).isEqualTo(3);
        HelmMessages.Position yaml = HelmMessages.locate("YAML parse error on app/templates/d.yaml: error converting"
                + " YAML to JSON: yaml: line 12: did not find expected key", "app", chart);
        assertThat(yaml.line()).isEqualTo(12);
        // A path of another chart (a subchart's name) is not mistaken for this one's.
        assertThat(HelmMessages.locate("template: other/templates/cm.yaml:6:8: boom", "app", chart).file())
                .isNotEqualTo(chart.resolve("templates/cm.yaml"));
        assertThat(HelmMessages.clean("Error: boom\n\nUse --debug flag to render out invalid YAML\n"))
                .isEqualTo("boom");
    }

    @Test
    void strippingActionsKeepsLinesAndResolvesPlainValues() {
        String template = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: {{ include "x.fullname" . }}
                  labels:
                    {{- include "x.labels" . | nindent 4 }}
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | quote }}"
                          resources:
                            {{- toYaml .Values.resources | nindent 12 }}
                {{- /* a comment
                spanning lines */}}
                """;
        TemplateText.Stripped s = TemplateText.strip(template, Map.of("Values",
                Map.of("image", Map.of("repository", "ghcr.io/x/app", "tag", "1.2.3"))));
        assertThat(s.text().split("\n", -1)).hasSameSizeAs(template.split("\n", -1));
        assertThat(s.text()).contains("name: TEMPLATED", "image: \"ghcr.io/x/app:1.2.3\"");
        assertThat(s.text()).doesNotContain("{{", "}}");
        assertThat(s.generated()).containsEntry(4, "name").containsEntry(6, "labels").containsEntry(14, "resources");
    }

    @Test
    void renderedLinesMapBackToTheirTemplateLines() {
        List<String> template = List.of(
                "{{- $c := dict }}",
                "apiVersion: v1",
                "kind: Service",
                "metadata:",
                "  name: {{ include \"x.fullname\" . }}",
                "  labels:",
                "    {{- include \"x.labels\" . | nindent 4 }}",
                "spec:",
                "  selector:",
                "    app: web");
        List<String> rendered = List.of(
                "apiVersion: v1",
                "kind: Service",
                "metadata:",
                "  name: release-x",
                "  labels:",
                "    app: web",
                "    team: a",
                "spec:",
                "  selector:",
                "    app: web");
        TemplateLineLocator locator = new TemplateLineLocator(template, rendered, 0, 1);
        assertThat(locator.applyAsInt(1)).isEqualTo(2);   // apiVersion
        assertThat(locator.applyAsInt(4)).isEqualTo(5);   // name: {{ include }}
        assertThat(locator.applyAsInt(6)).isEqualTo(7);   // generated labels: the include that made them
        assertThat(locator.applyAsInt(7)).isEqualTo(7);
        assertThat(locator.applyAsInt(9)).isEqualTo(9);   // selector
        assertThat(locator.applyAsInt(10)).isEqualTo(10); // the literal "app: web" after it, not the label above
    }
}
