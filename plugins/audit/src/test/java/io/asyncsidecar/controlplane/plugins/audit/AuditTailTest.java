package io.asyncsidecar.controlplane.plugins.audit;

import static io.asyncsidecar.controlplane.plugins.audit.AuditTestServer.ALICE;
import static io.asyncsidecar.controlplane.plugins.audit.AuditTestServer.BOB;
import static io.asyncsidecar.controlplane.plugins.audit.AuditTestServer.ROOT;
import static io.asyncsidecar.controlplane.plugins.audit.LogFiles.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import io.asyncsidecar.controlplane.server.ControlPlane;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code WS /ws/audit/tail} through the started server: new entries with the filters and the tenant, scrubbed;
 * both kinds of rotation; a slow subscriber dropped with 1008 while a fast one gets everything; refused upgrades.
 */
@ServerTest
class AuditTailTest {

    static final Path DIR = LogFiles.folder("tail");
    static final Path LIVE = DIR.resolve("live/audit.log");
    static final Path RENAME = DIR.resolve("rename/audit.log");
    static final Path COPY = DIR.resolve("copy/audit.log");
    static final Path SLOW = DIR.resolve("slow/audit.log");
    static final Path MISSING = DIR.resolve("missing/audit.log");

    static {
        for (Path log : List.of(LIVE, RENAME, COPY, SLOW)) {
            try {
                Files.createDirectories(log.getParent());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            LogFiles.write(log, List.of(entry("old", "2026-12-01T09:00:00Z", "tA", "alice", "auth.login", "s")));
        }
    }

    private final WebServer server;

    AuditTailTest(WebServer server) {
        this.server = server;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, AuditTestServer.config(DIR, LIVE.toString(),
                List.of(RENAME.toString(), COPY.toString(), SLOW.toString(), MISSING.toString()),
                Map.of("plugins.audit.tail.poll-millis", "100", "plugins.audit.tail.max-lag", "1500",
                        // long enough for the slow client to read again and see its close frame
                        "plugins.audit.tail.close-timeout-millis", "30000")));
        // small socket buffers, so a client that stops reading blocks the server's writes soon
        server.connectionOptions(o -> o.tcpNoDelay(true).socketSendBufferSize(16 * 1024));
    }

    private TailClient tail(Path log, String query, String token, String... headers) throws InterruptedException {
        TailClient c = TailClient.connect(server.port(), "/ws/audit/tail?path=" + log + query, token, headers);
        JsonObject hello = c.next();
        assertThat(hello.getString("type")).isEqualTo("tailing");
        assertThat(hello.getString("log")).isEqualTo(log.toString());
        return c;
    }

    @Test
    void newMatchingEntriesOfTheTenantArriveScrubbed() throws Exception {
        try (TailClient alice = tail(LIVE, "&action=auth.*", ALICE);
             TailClient bob = tail(LIVE, "", BOB);
             TailClient admin = tail(LIVE, "", ROOT, "X-Tenant-ID", "tB")) {
            LogFiles.append(LIVE, List.of(
                    entry("b1", "2026-12-01T10:00:00Z", "tB", "bob", "auth.login", "s"),
                    entry("x1", "2026-12-01T10:00:01Z", "tA", "alice", "helm.checks.read", "chart"),
                    entry("t1", "2026-12-01T10:00:02Z", "tA", "alice@example.com", "auth.login", "s",
                            "note", "token=" + Secrets.GITHUB),
                    "not json at all",
                    entry("t2", "2026-12-01T10:00:03Z", "tA", "alice", "auth.logout", "s")));
            JsonObject t1 = alice.next();
            assertThat(t1.getString("type")).isEqualTo("entry");
            assertThat(t1.getJsonObject("entry").getString("id")).isEqualTo("t1");
            assertThat(t1.getJsonObject("entry").getString("subject")).isEqualTo("[email]");
            assertThat(t1.toString()).doesNotContain(Secrets.GITHUB, "alice@example.com");
            assertThat(alice.nextEntryId()).isEqualTo("t2");
            assertThat(bob.nextEntryId()).isEqualTo("b1");
            assertThat(admin.nextEntryId()).isEqualTo("b1");
            // nothing else came in between: the next one is the sentinel
            LogFiles.append(LIVE, List.of(entry("t3", "2026-12-01T10:00:04Z", "tA", "alice", "auth.sentinel", "s"),
                    entry("b2", "2026-12-01T10:00:05Z", "tB", "bob", "auth.sentinel", "s")));
            assertThat(alice.nextEntryId()).isEqualTo("t3");
            assertThat(bob.nextEntryId()).isEqualTo("b2");
            assertThat(admin.nextEntryId()).isEqualTo("b2");
        }
    }

    @Test
    void followsARenameAndNewFile() throws Exception {
        try (TailClient alice = tail(RENAME, "", ALICE)) {
            LogFiles.append(RENAME, List.of(entry("e1", "2026-12-01T10:00:00Z", "tA", "alice", "a", "r")));
            assertThat(alice.nextEntryId()).isEqualTo("e1");
            Files.move(RENAME, RENAME.resolveSibling("audit.log.1"));
            // the producer still writes to the renamed file until it reopens
            LogFiles.append(RENAME.resolveSibling("audit.log.1"),
                    List.of(entry("e2", "2026-12-01T10:00:01Z", "tA", "alice", "a", "r")));
            LogFiles.append(RENAME, List.of(entry("e3", "2026-12-01T10:00:02Z", "tA", "alice", "a", "r")));
            assertThat(alice.nextEntryId()).isEqualTo("e2");
            JsonObject rotated = alice.next();
            assertThat(rotated.getString("type")).isEqualTo("rotated");
            assertThat(rotated.getString("how")).isEqualTo("renamed");
            assertThat(alice.nextEntryId()).isEqualTo("e3");
            LogFiles.append(RENAME, List.of(entry("e4", "2026-12-01T10:00:03Z", "tA", "alice", "a", "r")));
            assertThat(alice.nextEntryId()).isEqualTo("e4");
        }
    }

    @Test
    void followsACopyTruncate() throws Exception {
        try (TailClient alice = tail(COPY, "", ALICE)) {
            LogFiles.append(COPY, List.of(entry("c1", "2026-12-01T10:00:00Z", "tA", "alice", "a", "r")));
            assertThat(alice.nextEntryId()).isEqualTo("c1");
            // appended just before the copy: read from the copy if the watcher had not seen it yet
            LogFiles.append(COPY, List.of(entry("c2", "2026-12-01T10:00:01Z", "tA", "alice", "a", "r")));
            Files.copy(COPY, COPY.resolveSibling("audit.log.1"));
            try (FileChannel ch = FileChannel.open(COPY, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            LogFiles.append(COPY, List.of(entry("c3", "2026-12-01T10:00:02Z", "tA", "alice", "a", "r")));
            assertThat(alice.nextEntryId()).isEqualTo("c2");
            JsonObject rotated = alice.next();
            assertThat(rotated.getString("type")).isEqualTo("rotated");
            assertThat(rotated.getString("how")).isEqualTo("truncated");
            assertThat(alice.nextEntryId()).isEqualTo("c3");
        }
    }

    @Test
    void aSlowSubscriberIsDroppedWhileAFastOneGetsEverything() throws Exception {
        // a burst of 3000 entries: the fast subscriber is well within max-lag (1500) a second later; the slow one,
        // its socket buffers full after a hundred or so, is not
        int n = 3000;
        try (TailClient slow = tail(SLOW, "", ALICE); TailClient fast = tail(SLOW, "", ALICE)) {
            slow.pause();
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                lines.add(entry("s" + i, "2026-12-01T10:00:00Z", "tA", "alice", "a", "r", "pad", "x".repeat(1000)));
            }
            LogFiles.append(SLOW, lines);
            for (int i = 0; i < n; i++) {
                assertThat(fast.nextEntryId()).isEqualTo("s" + i);
            }
            // the lag check looks a second back: give it that, then read again and find the close frame
            Thread.sleep(2500);
            slow.resume();
            assertThat(slow.awaitClose(Duration.ofSeconds(20))).isEqualTo(1008);
            assertThat(slow.closeReason()).isEqualTo("subscriber too slow; reconnect");
            assertThat(slow.received()).isLessThan(n);
            // the fast one is still served
            LogFiles.append(SLOW, List.of(entry("after", "2026-12-01T10:00:01Z", "tA", "alice", "a", "r")));
            assertThat(fast.nextEntryId()).isEqualTo("after");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "?limit=5                          | alice-token  | 400",
            "?since=yesterday                  | alice-token  | 400",
            "?path=/etc/passwd                 | alice-token  | 400",
            "?colour=blue                      | alice-token  | 400",
            "                                  | viewer-token | 403",  // tenant tA without security.read
            "                                  |              | 401"})
    void refusedUpgrades(String query, String token, int status) {
        WebSocketHandshakeException e = refused("/ws/audit/tail" + (query == null ? "" : query), token);
        assertThat(e.getResponse().statusCode()).isEqualTo(status);
    }

    @Test
    void aMissingLogRefusesTheUpgrade() {
        assertThat(refused("/ws/audit/tail?path=" + MISSING, ALICE).getResponse().statusCode()).isEqualTo(404);
    }

    private WebSocketHandshakeException refused(String path, String token) {
        Throwable t = catchThrowable(() -> TailClient.connect(server.port(), path, token).close());
        assertThat(t).isInstanceOf(CompletionException.class);
        assertThat(t.getCause()).isInstanceOf(WebSocketHandshakeException.class);
        return (WebSocketHandshakeException) t.getCause();
    }
}
