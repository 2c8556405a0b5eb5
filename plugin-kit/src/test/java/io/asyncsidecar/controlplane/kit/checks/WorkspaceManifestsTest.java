package io.asyncsidecar.controlplane.kit.checks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Folders read whole and raw chart templates in a hostile workspace: a manifest and a template that are links
 * to a secret outside are findings naming the link, and the secret is in no document, preview or message.
 */
class WorkspaceManifestsTest {

    private static final String SECRET = "SECRET-" + java.util.UUID.randomUUID();

    @TempDir
    Path temp;

    private Path workspace;

    @BeforeEach
    void hostileWorkspace() throws Exception {
        workspace = Files.createDirectories(temp.resolve("ws"));
        Path secret = Files.writeString(Files.createDirectories(temp.resolve("outside")).resolve("environ"),
                "kind: Secret\nmetadata: {name: " + SECRET + "}\n");
        Files.createDirectories(workspace.resolve("manifests/extra"));
        Files.writeString(workspace.resolve("manifests/extra/cm.yaml"), "kind: ConfigMap\nmetadata: {name: cm}\n");
        Files.createSymbolicLink(workspace.resolve("manifests/extra/env.yaml"), secret);
        Path chart = Files.createDirectories(workspace.resolve("chart/templates"));
        Files.writeString(workspace.resolve("chart/Chart.yaml"), "apiVersion: v2\nname: c\nversion: 1.0.0\n");
        Files.writeString(chart.resolve("cm.yaml"), "kind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}\n");
        Files.createSymbolicLink(chart.resolve("leak.yaml"), secret);
    }

    @Test
    void aLinkInAFolderIsAFindingAndItsTargetIsNeverRead() {
        WorkspaceManifests m = WorkspaceManifests.load(workspace, "path", "manifests/extra");
        assertThat(m.files()).extracting(f -> f.file()).containsExactly("manifests/extra/cm.yaml");
        assertThat(m.findings()).singleElement().satisfies(f -> {
            assertThat(f.checkId()).isEqualTo(WorkspaceManifests.LINK);
            assertThat(f.file()).isEqualTo("manifests/extra/env.yaml");
            assertThat(f.message()).doesNotContain(temp.toString());
        });
        assertThat(m.preview(100_000)).contains("kind: ConfigMap").doesNotContain(SECRET);
        assertThat(m.objects().toString()).doesNotContain(SECRET);
    }

    @Test
    void aFolderWithoutLinksHasNoFinding() throws Exception {
        Files.delete(workspace.resolve("manifests/extra/env.yaml"));
        WorkspaceManifests m = WorkspaceManifests.load(workspace, "path", "manifests/extra");
        assertThat(m.findings()).isEmpty();
        assertThat(m.objects()).hasSize(1);
    }

    @Test
    void aRawChartTemplateThatLinksOutIsAFindingNotAnObject() {
        RenderedChart chart = RawChartTemplates.create().read(workspace, "chart", "chart", Map.of());
        assertThat(chart.objects()).hasSize(1);
        assertThat(chart.objects().toString()).doesNotContain(SECRET);
        assertThat(chart.findings()).extracting(Finding::checkId, Finding::file)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(WorkspaceManifests.LINK, "chart/templates/leak.yaml"));
    }
}
