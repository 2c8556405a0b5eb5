package io.asyncsidecar.controlplane.plugins.audit;

import static io.asyncsidecar.controlplane.plugins.audit.AuditTestServer.ALICE;
import static io.asyncsidecar.controlplane.plugins.audit.LogFiles.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.server.ControlPlane;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.Test;

/**
 * A cursor keeps its place while the log rotates between two pages: renamed and compressed, or copied and
 * truncated; a cursor into a deleted file is 410.
 */
@ServerTest
class AuditRotationTest {

    static final Path DIR = LogFiles.folder("rotation");
    static final Path RENAME = DIR.resolve("rename/audit.log");
    static final Path COPY = DIR.resolve("copy/audit.log");
    static final Path GONE = DIR.resolve("gone/audit.log");

    static {
        for (Path log : List.of(RENAME, COPY, GONE)) {
            try {
                Files.createDirectories(log.getParent());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            LogFiles.write(log.resolveSibling("audit.log.1"), entries("r", 20, 11));
            LogFiles.write(log, entries("r", 10, 1));
        }
    }

    private final Http http;

    AuditRotationTest(Http1Client client, WebServer server) {
        this.http = new Http(client, server.port());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, AuditTestServer.config(DIR, RENAME.toString(),
                List.of(COPY.toString(), GONE.toString()), Map.of()));
    }

    /** Entries {@code prefix + from} (oldest) down to {@code prefix + to} (newest), in file order. */
    static List<String> entries(String prefix, int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i >= to; i--) {
            lines.add(entry(prefix + i, "2026-12-01T10:00:00Z", "tA", "alice", "auth.login", "s"));
            lines.add(entry("other" + i, "2026-12-01T10:00:00Z", "tB", "bob", "auth.login", "s"));
        }
        return lines;
    }

    private Http.Reply page(Path log, String cursor) {
        return cursor == null ? http.get("/api/audit/search", ALICE, "path", log.toString(), "limit", "3")
                : http.get("/api/audit/search", ALICE, "path", log.toString(), "limit", "3", "cursor", cursor);
    }

    @Test
    void renameAndCompressBetweenPages() throws IOException {
        Http.Reply first = page(RENAME, null);
        assertThat(first.ids()).containsExactly("r1", "r2", "r3");
        // logrotate: .1 -> .2.gz, the live file -> .1, a new live file
        LogFiles.compress(RENAME.resolveSibling("audit.log.1"), RENAME.resolveSibling("audit.log.2.gz"));
        Files.move(RENAME, RENAME.resolveSibling("audit.log.1"));
        LogFiles.write(RENAME, entries("n", 2, 1));

        Http.Reply second = page(RENAME, first.nextCursor());
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.ids()).containsExactly("r4", "r5", "r6");
        List<String> rest = new ArrayList<>(second.ids());
        Http.Reply r = second;
        while (r.nextCursor() != null) {
            r = page(RENAME, r.nextCursor());
            rest.addAll(r.ids());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 4; i <= 20; i++) {
            expected.add("r" + i);
        }
        assertThat(rest).containsExactlyElementsOf(expected);
        // a new search starts with the new file
        assertThat(page(RENAME, null).ids()).containsExactly("n1", "n2", "r1");
    }

    @Test
    void copyTruncateBetweenPages() throws IOException {
        Http.Reply first = page(COPY, null);
        assertThat(first.ids()).containsExactly("r1", "r2", "r3");
        // logrotate copytruncate: .1 -> .2.gz, copy the live file to .1, truncate it, the producer goes on
        LogFiles.compress(COPY.resolveSibling("audit.log.1"), COPY.resolveSibling("audit.log.2.gz"));
        Files.copy(COPY, COPY.resolveSibling("audit.log.1"), StandardCopyOption.COPY_ATTRIBUTES);
        try (FileChannel ch = FileChannel.open(COPY, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        LogFiles.append(COPY, entries("n", 30, 1));

        Http.Reply second = page(COPY, first.nextCursor());
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.ids()).containsExactly("r4", "r5", "r6");
        Http.Reply third = page(COPY, second.nextCursor());
        assertThat(third.ids()).containsExactly("r7", "r8", "r9");
        Http.Reply fourth = page(COPY, third.nextCursor());
        // the end of the copy, then on into the compressed file
        assertThat(fourth.ids()).containsExactly("r10", "r11", "r12");
        assertThat(fourth.json().getJsonArray("files").toString()).contains("audit.log.1", "audit.log.2.gz");
    }

    @Test
    void aCursorIntoADeletedFileIsGone() throws IOException {
        Http.Reply first = page(GONE, null);
        Http.Reply second = page(GONE, first.nextCursor());
        Http.Reply third = page(GONE, second.nextCursor());
        Http.Reply fourth = page(GONE, third.nextCursor());
        assertThat(fourth.ids()).containsExactly("r10", "r11", "r12");
        Files.delete(GONE.resolveSibling("audit.log.1"));
        Http.Reply gone = page(GONE, fourth.nextCursor());
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.detail()).contains("gone", "without 'cursor'");
    }
}
