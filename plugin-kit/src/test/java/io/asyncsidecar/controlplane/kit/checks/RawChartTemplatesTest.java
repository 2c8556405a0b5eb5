package io.asyncsidecar.controlplane.kit.checks;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RawChartTemplatesTest {

    @Test
    void resolvesValuesQuotesLikeGoAndMarksWhatItCannotEvaluate() {
        String template = """
                name: {{ .Values.name | quote }}
                replicas: {{ .Values.replicas | default 2 }}
                image: {{ include "app.image" . }}
                {{- if .Values.gpu }}
                gpu: true
                {{- end }}
                """;

        String out = RawChartTemplates.renderText(template, Map.of("name", "say \"hi\"", "replicas", 3L,
                "gpu", false));

        assertThat(out.lines().toList()).containsExactly(
                "name: \"say \\\"hi\\\"\"",
                "replicas: 3",
                "image: tpl-include-app.image-.",
                "",
                "",
                "");
    }

    @Test
    void writesACollectionOnALineOfItsOwnAsAYamlBlock() {
        String template = """
                resources:
                  {{ toYaml .Values.resources | nindent 2 }}
                """;

        String out = RawChartTemplates.renderText(template, Map.of("resources", Map.of("limits",
                Map.of("nvidia.com/gpu", 1L))));

        assertThat(out.lines().toList()).containsExactly("resources:", "  limits:", "    nvidia.com/gpu: 1");
    }

    @Test
    void aRangeEmitsItsBodyOnceForTheFirstItem() {
        String out = RawChartTemplates.renderText("""
                {{- range .Values.ports }}
                - {{ . }}
                {{- end }}
                """, Map.of("ports", List.of(80L, 443L)));

        assertThat(out.lines().filter(l -> !l.isBlank()).toList()).containsExactly("- 80");
    }
}
