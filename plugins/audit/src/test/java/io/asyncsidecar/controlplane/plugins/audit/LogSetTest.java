package io.asyncsidecar.controlplane.plugins.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Which files belong to a log, and their order, newest first.
 */
class LogSetTest {

    @Test
    void numberedThenDatedSiblingsNewestFirst() throws IOException {
        Path dir = LogFiles.folder("logset");
        for (String name : List.of("audit.log", "audit.log.1", "audit.log.2.gz", "audit.log.10.gz", "audit.1.log",
                "audit.log.2026-11-30", "audit.log-20261201.gz", "audit-2026-11-29.log.gz",
                "audit.log.2026-11-30T12-00-00.gz", "audit-2026-11-28.log", "audit.log.bak", "audit.log.1.bz2",
                "other.log", "other.log.1", "audit.logs")) {
            Files.writeString(dir.resolve(name), "x\n");
        }
        assertThat(LogSet.list(dir.resolve("audit.log")).stream().map(LogFile::name).toList()).containsExactly(
                "audit.log", "audit.1.log", "audit.log.1", "audit.log.2.gz", "audit.log.10.gz",
                "audit.log-20261201.gz", "audit.log.2026-11-30T12-00-00.gz", "audit.log.2026-11-30",
                "audit-2026-11-29.log.gz", "audit-2026-11-28.log");
        List<LogFile> files = LogSet.list(dir.resolve("audit.log"));
        assertThat(files.getFirst().live()).isTrue();
        assertThat(files.stream().filter(LogFile::gzip).map(LogFile::name).toList()).allMatch(n -> n.endsWith(".gz"));
    }

    @Test
    void siblingsLinkingOutOfTheFolderAreNotPartOfTheLog() throws IOException {
        Path dir = LogFiles.folder("logset-links");
        Path outside = Files.writeString(LogFiles.folder("logset-links-outside").resolve("environ"), "secret\n");
        Files.writeString(dir.resolve("audit.log"), "x\n");
        Files.writeString(dir.resolve("audit.log.2"), "x\n");
        Files.deleteIfExists(dir.resolve("audit.log.1"));
        Files.createSymbolicLink(dir.resolve("audit.log.1"), outside);
        Files.deleteIfExists(dir.resolve("audit.log.3"));
        Files.createSymbolicLink(dir.resolve("audit.log.3"), dir.resolve("audit.log.2"));
        assertThat(LogSet.list(dir.resolve("audit.log"))).extracting(LogFile::name)
                .containsExactly("audit.log", "audit.log.2", "audit.log.3");
    }

    @Test
    void siblingsWithoutTheLiveFileStillCount() throws IOException {
        Path dir = LogFiles.folder("logset-rotating");
        Files.writeString(dir.resolve("audit.log.1"), "x\n");
        assertThat(LogSet.list(dir.resolve("audit.log"))).extracting(LogFile::name).containsExactly("audit.log.1");
        assertThatThrownBy(() -> LogSet.list(dir.resolve("none.log"))).isInstanceOf(NoSuchFileException.class);
    }
}
