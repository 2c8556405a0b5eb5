package io.asyncsidecar.controlplane.plugins.compliance.hif;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The schema folder is read without following links out of it, and a file too large to be a schema is refused. */
class HifSchemaFolderLinksTest {

    @TempDir
    Path root;

    @Test
    void linksAreNotFollowedAndHugeFilesAreRefused() throws Exception {
        Path folder = Files.createDirectories(root.resolve("schemas"));
        Path outside = Files.writeString(root.resolve("outside.json"), "{\"type\": \"object\"}");
        Files.writeString(folder.resolve("plain.json"), "{\"type\": \"object\"}");
        Files.createSymbolicLink(folder.resolve("linked.json"), outside);
        Files.writeString(folder.resolve("huge.json"), "{\"description\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}");

        HifSchemas schemas = HifSchemas.load(Optional.of(folder), System.getLogger("test"));

        assertThat(schemas.all()).containsKey("plain");
        assertThat(schemas.all()).doesNotContainKey("linked");
        assertThat(schemas.failures()).containsKey("huge");
        assertThat(schemas.failures().get("huge")).contains("larger than");
    }
}
