package io.asyncsidecar.controlplane.kit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kit's one workspace-file reader against a hostile workspace: links out of it (to a file and to a folder
 * holding a secret), a link out of a narrower boundary, special files, oversized files and too many entries.
 */
class WorkspaceFilesTest {

    private static final String SECRET = "SECRET-" + java.util.UUID.randomUUID();

    @TempDir
    Path temp;

    private Path workspace;
    private Path outside;

    @BeforeEach
    void hostileWorkspace() throws Exception {
        workspace = Files.createDirectories(temp.resolve("ws"));
        outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("environ"), "AUTH_TOKENS_JSON=" + SECRET);
        Files.createDirectories(workspace.resolve("manifests/a/sub"));
        Files.writeString(workspace.resolve("manifests/a/ok.yaml"), "kind: ConfigMap\n");
        Files.writeString(workspace.resolve("manifests/a/sub/deep.yaml"), "kind: Secret\n");
        Files.createSymbolicLink(workspace.resolve("manifests/a/env.yaml"), outside.resolve("environ"));
        Files.createSymbolicLink(workspace.resolve("manifests/a/dir"), outside);
        Files.createSymbolicLink(workspace.resolve("manifests/a/inside.yaml"), workspace.resolve("manifests/a/ok.yaml"));
        Files.createDirectories(workspace.resolve("chart/templates"));
        Files.writeString(workspace.resolve("sibling.yaml"), "kind: Service\n");
        Files.createSymbolicLink(workspace.resolve("chart/templates/sibling.yaml"), workspace.resolve("sibling.yaml"));
    }

    @Test
    void aLinkOutOfTheWorkspaceIsRefusedNamingTheLinkNotItsTarget() {
        WorkspaceFiles files = WorkspaceFiles.of(workspace);
        assertThatThrownBy(() -> files.readString(workspace.resolve("manifests/a/env.yaml")))
                .isInstanceOfSatisfying(WorkspaceFiles.Refused.class, r -> {
                    assertThat(r.reason()).isEqualTo(WorkspaceFiles.Reason.OUTSIDE);
                    assertThat(r.path()).isEqualTo("manifests/a/env.yaml");
                    assertThat(r.getMessage()).contains("manifests/a/env.yaml").doesNotContain(temp.toString())
                            .doesNotContain(SECRET);
                });
        assertThat(files.excerpt(workspace.resolve("manifests/a/env.yaml"), 1000)).isEmpty();
        assertThat(files.isFile(workspace.resolve("manifests/a/env.yaml"))).isFalse();
    }

    @Test
    void filesAndLinksInsideAreRead() throws Exception {
        WorkspaceFiles files = WorkspaceFiles.of(workspace);
        assertThat(files.readString(workspace.resolve("manifests/a/inside.yaml"))).isEqualTo("kind: ConfigMap\n");
        assertThat(files.excerpt(workspace.resolve("manifests/a/ok.yaml"), 4)).isEqualTo("kind");
    }

    @Test
    void aWalkListsWhatIsInsideAndRefusesEveryEntryThatLeads() throws Exception {
        WorkspaceFiles.Listing listing = WorkspaceFiles.of(workspace).walk(workspace.resolve("manifests/a"), p -> true);
        assertThat(listing.files()).extracting(p -> workspace.relativize(p).toString().replace('\\', '/'))
                .containsExactly("manifests/a/inside.yaml", "manifests/a/ok.yaml", "manifests/a/sub/deep.yaml");
        assertThat(listing.refused()).extracting(WorkspaceFiles.Refused::path)
                .containsExactlyInAnyOrder("manifests/a/env.yaml", "manifests/a/dir");
        assertThat(listing.truncated()).isFalse();
    }

    @Test
    void aNarrowerBoundaryRefusesALinkToASibling() throws Exception {
        WorkspaceFiles chart = WorkspaceFiles.of(workspace).within(workspace.resolve("chart"));
        WorkspaceFiles.Listing listing = chart.walk(workspace.resolve("chart"), p -> true);
        assertThat(listing.files()).isEmpty();
        assertThat(listing.refused()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("chart/templates/sibling.yaml");
            assertThat(r.getMessage()).contains("outside 'chart'");
        });
        // The whole workspace may read it.
        assertThat(WorkspaceFiles.of(workspace).readString(workspace.resolve("chart/templates/sibling.yaml")))
                .isEqualTo("kind: Service\n");
    }

    @Test
    void sizeAndEntryLimitsHold() throws Exception {
        Files.writeString(workspace.resolve("big.yaml"), "x".repeat(2000));
        WorkspaceFiles small = WorkspaceFiles.of(workspace, 1000, 3);
        assertThatThrownBy(() -> small.readBytes(workspace.resolve("big.yaml")))
                .isInstanceOfSatisfying(WorkspaceFiles.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo(WorkspaceFiles.Reason.TOO_LARGE));
        assertThat(small.readBytes(workspace.resolve("manifests/a/ok.yaml"))).hasSize(16);
        assertThat(small.walk(workspace, p -> true).truncated()).isTrue();
        assertThat(WorkspaceFiles.of(workspace).walk(workspace, p -> true).truncated()).isFalse();
    }

    @Test
    void specialFilesAreNotRead() throws Exception {
        Path fifo = workspace.resolve("manifests/a/pipe.yaml");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (java.io.IOException e) {
            made = false;
        }
        assumeTrue(made, "mkfifo is not available");
        WorkspaceFiles files = WorkspaceFiles.of(workspace);
        assertThatThrownBy(() -> files.readBytes(fifo)).isInstanceOfSatisfying(WorkspaceFiles.Refused.class,
                r -> assertThat(r.reason()).isEqualTo(WorkspaceFiles.Reason.NOT_A_FILE));
        assertThat(files.walk(workspace.resolve("manifests/a"), p -> true).refused())
                .extracting(WorkspaceFiles.Refused::path).contains("manifests/a/pipe.yaml");
    }

    @Test
    void malformedUtf8IsNotText() throws Exception {
        Files.write(workspace.resolve("latin1.yaml"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> WorkspaceFiles.of(workspace).readString(workspace.resolve("latin1.yaml")))
                .isInstanceOfSatisfying(WorkspaceFiles.Refused.class, r -> {
                    assertThat(r.reason()).isEqualTo(WorkspaceFiles.Reason.NOT_TEXT);
                    assertThat(r.getMessage()).isEqualTo("'latin1.yaml' is not valid UTF-8");
                });
        assertThat(List.of(WorkspaceFiles.of(workspace).display(outside.resolve("environ")))).containsExactly("environ");
    }
}
