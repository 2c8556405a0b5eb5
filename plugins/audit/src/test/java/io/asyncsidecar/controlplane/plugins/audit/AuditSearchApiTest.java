package io.asyncsidecar.controlplane.plugins.audit;

import static io.asyncsidecar.controlplane.plugins.audit.AuditTestServer.ALICE;
import static io.asyncsidecar.controlplane.plugins.audit.AuditTestServer.BOB;
import static io.asyncsidecar.controlplane.plugins.audit.AuditTestServer.ROOT;
import static io.asyncsidecar.controlplane.plugins.audit.AuditTestServer.VIEWER;
import static io.asyncsidecar.controlplane.plugins.audit.LogFiles.entry;
import static io.asyncsidecar.controlplane.plugins.audit.LogFiles.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.asyncsidecar.controlplane.server.ControlPlane;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code GET /api/audit/search} through the started server: tenant isolation, every filter, rotated and gzipped
 * siblings, pagination, NDJSON, path refusal, a missing log, malformed and hostile lines, bad input.
 */
@ServerTest
class AuditSearchApiTest {

    static final Path ROOT_DIR = LogFiles.folder("search");
    static final Path MAIN = ROOT_DIR.resolve("main");
    static final Path HOSTILE = ROOT_DIR.resolve("hostile/audit.log");
    static final Path PAGING = ROOT_DIR.resolve("paging/audit.log");
    static final Path BULK = ROOT_DIR.resolve("bulk/audit.log");
    static final Path MISSING = ROOT_DIR.resolve("missing/audit.log");
    static final List<String> TENANT_A = List.of("a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11");

    static {
        try {
            writeMain();
            writeHostile();
            writePaging();
            writeBulk();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private final Http http;

    AuditSearchApiTest(Http1Client client, WebServer server) {
        this.http = new Http(client, server.port());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, AuditTestServer.config(ROOT_DIR, "main/audit.log",
                List.of(HOSTILE.toString(), PAGING.toString(), BULK.toString(), MISSING.toString()),
                Map.of("plugins.audit.max-line-bytes", "65536")));
    }

    /** Five files, chronological in each; tenant tA's entries are a1 (newest) to a11 (oldest). */
    private static void writeMain() throws IOException {
        Files.createDirectories(MAIN);
        LogFiles.write(MAIN.resolve("audit.log"), List.of(
                object("id", "a4", "timestamp", "2026-12-01T10:00:00.000+00:00", "tenant", "tA", "actor", "alice",
                        "event", "auth.login", "target", "session"),
                entry("b3", "2026-12-01T10:00:30Z", "tB", "bob", "argocd.apps.read", "app/hypergraph-prod"),
                entry("a3", "2026-12-01T10:01:00Z", "tA", "svc-deployer", "testruns.create", "run/r-7",
                        "note", "load test with 20 Virtual users"),
                entry("o2", "2026-12-01T10:01:30Z", "ops", "root", "audit.search", "audit/log"),
                object("id", "a2", "ts", 1796119320, "tenant_id", "tA", "subject", "alice", "action",
                        "helm.checks.read", "resource", "chart/hypergraph"),
                entry("a1", "2026-12-01T10:03:00Z", "tA", "alice", "helm.checks.read", "chart/hypergraph-values",
                        "detail", Map.of("status", 200, "kube_version", "1.31.0"))));
        LogFiles.write(MAIN.resolve("audit.log.1"), List.of(
                entry("a6", "2026-12-01T09:00:00Z", "tA", "bob.contractor", "reports.export", "report/latest"),
                entry("b2", "2026-12-01T09:10:00Z", "tB", "bob", "keda.scalers.read", "scaledobject/explainer"),
                object("id", "a5", "time", 1796116800000L, "tenant_id", "tA", "user", "alice", "action",
                        "karpenter.nodepools.read", "resource", "nodepool/gpu-a10g")));
        LogFiles.gzip(MAIN.resolve("audit.log.2.gz"), List.of(
                entry("a8", "2026-12-01T08:00:00Z", "tA", "ci-bot", "testruns.create", "run/r-5"),
                entry("o1", "2026-12-01T08:10:00Z", "ops", "oncall", "testruns.cancel", "run/r-5"),
                entry("a7", null, "tA", "ci-bot", "testruns.read", "run/r-5")));
        LogFiles.write(MAIN.resolve("audit.log.2026-11-30"), List.of(
                entry("a10", "2026-11-30T12:00:00Z", "tA", "alice", "metrics.aggregate", "endpoint/gateway:9090"),
                entry("a9", "2026-11-30T13:00:00Z", "tA", "Alice", "auth.token.refresh", "session")));
        LogFiles.gzip(MAIN.resolve("audit-2026-11-29.log.gz"), List.of(
                entry("b1", "2026-11-29T10:00:00Z", "tB", "bob", "auth.login", "session"),
                entry("a11", "2026-11-29T11:00:00Z", "tA", "alice", "auth.login", "session")));
        // not a sibling: ignored
        LogFiles.write(MAIN.resolve("other.log"), List.of(entry("x1", "2026-12-01T11:00:00Z", "tA", "alice", "x", "y")));
    }

    /** Valid entries h1..h4 of tA among eight malformed lines, a blank one, a line still being written. */
    private static void writeHostile() throws IOException {
        Files.createDirectories(HOSTILE.getParent());
        byte[] garbage = new byte[3000];
        new Random(7).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
            if (garbage[i] == '\n') {
                garbage[i] = 'x';
            }
        }
        StringBuilder deep = new StringBuilder("{\"tenant_id\":\"tA\",\"deep\":");
        deep.append("[".repeat(5000)).append("]".repeat(5000)).append('}');
        try (var out = Files.newOutputStream(HOSTILE)) {
            for (String line : List.of(
                    entry("h1", "2026-12-01T10:00:00Z", "tA", "alice", "auth.login", "session"),
                    "garbage, not json",
                    "{\"id\":\"h-trunc\",\"tenant_id\":\"tA\",\"ts\":",
                    "[1,2,3]",
                    "{\"id\":\"h-bad\",\"tenant_id\":\"tA\", broken}")) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.write(garbage);
            out.write('\n');
            out.write((entry("h-big", "2026-12-01T10:00:01Z", "tA", "alice", "x", "y", "blob", "x".repeat(200_000))
                    + "\n").getBytes(StandardCharsets.UTF_8));
            out.write("\n".getBytes(StandardCharsets.UTF_8));
            out.write(("   " + entry("h2", "2026-12-01T10:00:02Z", "tA", "alice", "auth.login", "session") + "  \r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write("{\"id\":\"h3\",\"tenant_id\":\"tA\",\"note\":\"".getBytes(StandardCharsets.UTF_8));
            out.write(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xC3});
            out.write("\"}\n".getBytes(StandardCharsets.UTF_8));
            out.write((deep + "\n").getBytes(StandardCharsets.UTF_8));
            out.write((entry("hb", "2026-12-01T10:00:03Z", "tB", "bob", "auth.login", "session") + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write((entry("h4", "not a time", "tA", "alice", "auth.login", "session") + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(new byte[] {0, 0, 0});
            out.write((entry("h-nul", "2026-12-01T10:00:04Z", "tA", "alice", "x", "y") + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            // the producer is writing this one right now
            out.write("{\"id\":\"h-partial\",\"tenant_id\":\"tA\",\"su".getBytes(StandardCharsets.UTF_8));
        }
        // a rotated sibling cut short: its first entries are read, then the file is reported
        Path gz = HOSTILE.resolveSibling("audit.log.1.gz");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            lines.add(entry("g" + i, "2026-11-30T10:00:00Z", "tC", "carol", "auth.login", "session",
                    "n", new Random(i).nextLong()));
        }
        LogFiles.gzip(gz, lines);
        byte[] whole = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(whole, whole.length / 2));
    }

    /** 25 entries p1 (newest) .. p25 of tA, with tB entries between them. */
    private static void writePaging() throws IOException {
        Files.createDirectories(PAGING.getParent());
        List<String> lines = new ArrayList<>();
        for (int i = 25; i >= 1; i--) {
            lines.add(entry("p" + i, String.format("2026-12-01T10:%02d:00Z", 60 - i), "tA", "alice", "auth.login", "s"));
            lines.add(entry("q" + i, String.format("2026-12-01T10:%02d:30Z", 60 - i), "tB", "bob", "auth.login", "s"));
        }
        LogFiles.write(PAGING, lines);
    }

    /** 1500 entries of tA: more than a page can hold. */
    private static void writeBulk() throws IOException {
        Files.createDirectories(BULK.getParent());
        List<String> lines = new ArrayList<>();
        for (int i = 1500; i >= 1; i--) {
            lines.add(entry("k" + i, "2026-12-01T10:00:00Z", "tA", "alice", "auth.login", "s"));
        }
        LogFiles.write(BULK, lines);
    }

    // --- tenants and scopes -------------------------------------------------------------------------------

    @Test
    void everyFileOfTheLogNewestFirstForTheCallersTenantOnly() {
        Http.Reply r = http.get("/api/audit/search", ALICE);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        JsonObject body = r.json();
        assertThat(r.ids()).containsExactlyElementsOf(TENANT_A);
        assertThat(body.getInt("count")).isEqualTo(11);
        assertThat(body.getJsonArray("files").getValuesAs(jakarta.json.JsonString.class))
                .extracting(jakarta.json.JsonString::getString)
                .containsExactly("audit.log", "audit.log.1", "audit.log.2.gz", "audit.log.2026-11-30",
                        "audit-2026-11-29.log.gz");
        assertThat(body.getInt("scanned")).isEqualTo(16);
        assertThat(body.getInt("matched")).isEqualTo(11);
        assertThat(body.getInt("malformed")).isZero();
        assertThat(body.getBoolean("complete")).isTrue();
        assertThat(body.isNull("next_cursor")).isTrue();
        // entries keep their own field names
        JsonObject a4 = body.getJsonArray("items").getJsonObject(3);
        assertThat(a4.keySet()).containsExactly("id", "timestamp", "tenant", "actor", "event", "target");
    }

    @Test
    void anotherTenantSeesOnlyItsOwn() {
        assertThat(http.get("/api/audit/search", BOB).ids()).containsExactly("b3", "b2", "b1");
        assertThat(http.get("/api/audit/search", ROOT).ids()).containsExactly("o2", "o1");
    }

    @Test
    void aTenantsAdminReadsAnotherTenantThroughTheHeaderOthersMayNot() {
        assertThat(http.get("/api/audit/search", ROOT, "--", "X-Tenant-ID", "tB").ids())
                .containsExactly("b3", "b2", "b1");
        Http.Reply refused = http.get("/api/audit/search", ALICE, "--", "X-Tenant-ID", "tB");
        assertThat(refused.status()).isEqualTo(403);
    }

    @Test
    void theScopeAndATokenAreRequired() {
        Http.Reply noScope = http.get("/api/audit/search", VIEWER);
        assertThat(noScope.status()).isEqualTo(403);
        assertThat(noScope.detail()).contains("security.read");
        assertThat(http.get("/api/audit/search", null).status()).isEqualTo(401);
    }

    @Test
    void aTenantParameterIsRefusedWithAHint() {
        Http.Reply r = http.get("/api/audit/search", ALICE, "tenant", "tB");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.detail()).contains("unknown parameter 'tenant'", "X-Tenant-ID");
    }

    // --- filters ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "subject  | alice                  | a1 a2 a4 a5 a10 a11",
            "subject  | bob*                   | a6",
            "action   | testruns.*             | a3 a7 a8",
            "action   | auth.login             | a4 a11",
            "resource | chart/hypergraph       | a2",
            "resource | chart/*                | a1 a2",
            "resource | endpoint/gateway:9090  | a10",
            "q        | VIRTUAL                | a3",
            "q        | kube_version           | a1",
            "q        | 1.31                   | a1",
            "q        | gateway:9090           | a10",
            "q        | nothing-like-this      | ''",
            "since    | 2026-12-01T09:00:00Z   | a1 a2 a3 a4 a5 a6",
            "since    | 2026-12-01T11:00:00+01:00 | a1 a2 a3 a4",
            "until    | 2026-12-01T09:00:00Z   | a8 a9 a10 a11",
            "until    | 2026-11-30             | a11"})
    void eachFilter(String name, String value, String expected) {
        Http.Reply r = http.get("/api/audit/search", ALICE, name, value);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.ids()).containsExactlyElementsOf(expected.isBlank() ? List.of() : List.of(expected.split(" ")));
    }

    @Test
    void filtersCombine() {
        assertThat(http.get("/api/audit/search", ALICE, "subject", "alice", "since", "2026-12-01T00:00:00Z").ids())
                .containsExactly("a1", "a2", "a4", "a5");
        assertThat(http.get("/api/audit/search", ALICE, "since", "2026-11-30", "until", "2026-12-01").ids())
                .containsExactly("a9", "a10");
        assertThat(http.get("/api/audit/search", ALICE, "action", "auth.*", "q", "alice").ids())
                .containsExactly("a4", "a9", "a11");
        JsonObject filters = http.get("/api/audit/search", ALICE, "action", "auth.*", "q", "Alice").json()
                .getJsonObject("filters");
        assertThat(filters.getString("tenant")).isEqualTo("tA");
        assertThat(filters.getString("action")).isEqualTo("auth.*");
    }

    // --- pagination -------------------------------------------------------------------------------------------

    @Test
    void pagesFollowTheCursorToTheOldestEntry() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Http.Reply r = cursor == null ? http.get("/api/audit/search", ALICE, "limit", "3")
                    : http.get("/api/audit/search", ALICE, "limit", "3", "cursor", cursor);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().getInt("count")).isLessThanOrEqualTo(3);
            seen.addAll(r.ids());
            cursor = r.nextCursor();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).containsExactlyElementsOf(TENANT_A);
        assertThat(pages).isEqualTo(4);
    }

    @Test
    void pagesOfOneFile() {
        List<String> seen = new ArrayList<>();
        Http.Reply r = http.get("/api/audit/search", ALICE, "path", PAGING.toString(), "limit", "4");
        while (true) {
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            seen.addAll(r.ids());
            if (r.nextCursor() == null) {
                break;
            }
            r = http.get("/api/audit/search", ALICE, "path", PAGING.toString(), "limit", "4", "cursor", r.nextCursor());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            expected.add("p" + i);
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void aPageHoldsAtMostTheLimit() {
        Http.Reply r = http.get("/api/audit/search", ALICE, "path", BULK.toString(), "limit", "1000");
        assertThat(r.json().getInt("count")).isEqualTo(1000);
        assertThat(r.ids().getFirst()).isEqualTo("k1");
        assertThat(r.ids().getLast()).isEqualTo("k1000");
        assertThat(r.nextCursor()).isNotNull();
        Http.Reply rest = http.get("/api/audit/search", ALICE, "path", BULK.toString(), "limit", "1000", "cursor",
                r.nextCursor());
        assertThat(rest.json().getInt("count")).isEqualTo(500);
        assertThat(rest.ids().getFirst()).isEqualTo("k1001");
        assertThat(rest.nextCursor()).isNull();
        // the default page
        assertThat(http.get("/api/audit/search", ALICE, "path", BULK.toString()).json().getInt("count")).isEqualTo(100);
    }

    @Test
    void aCursorBelongsToItsQuery() {
        String cursor = http.get("/api/audit/search", ALICE, "limit", "2").nextCursor();
        Http.Reply otherFilter = http.get("/api/audit/search", ALICE, "limit", "2", "cursor", cursor, "q", "alice");
        assertThat(otherFilter.status()).isEqualTo(400);
        assertThat(otherFilter.detail()).contains("'cursor' belongs to another query");
        Http.Reply otherTenant = http.get("/api/audit/search", BOB, "limit", "2", "cursor", cursor);
        assertThat(otherTenant.status()).isEqualTo(400);
        Http.Reply garbage = http.get("/api/audit/search", ALICE, "cursor", "not-a-cursor");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.detail()).contains("'cursor'", "not-a-cursor");
    }

    // --- NDJSON ---------------------------------------------------------------------------------------------

    @Test
    void ndjsonStreamsEveryMatchWithTheFilters() {
        Http.Reply all = http.get("/api/audit/search", ALICE, "format", "ndjson");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.contentType()).startsWith("application/x-ndjson");
        assertThat(all.ndjsonIds()).containsExactlyElementsOf(TENANT_A);
        assertThat(http.get("/api/audit/search", ALICE, "format", "ndjson", "action", "testruns.*").ndjsonIds())
                .containsExactly("a3", "a7", "a8");
        List<String> bulk = http.get("/api/audit/search", ALICE, "format", "ndjson", "path", BULK.toString())
                .ndjsonIds();
        assertThat(bulk).hasSize(1500);
        assertThat(bulk.getFirst()).isEqualTo("k1");
        assertThat(bulk.getLast()).isEqualTo("k1500");
        // from a cursor on: the rest
        String cursor = http.get("/api/audit/search", ALICE, "limit", "5").nextCursor();
        assertThat(http.get("/api/audit/search", ALICE, "format", "ndjson", "cursor", cursor).ndjsonIds())
                .containsExactlyElementsOf(TENANT_A.subList(5, 11));
    }

    @Test
    void ndjsonHasNoLimit() {
        Http.Reply r = http.get("/api/audit/search", ALICE, "format", "ndjson", "limit", "5");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.detail()).contains("'limit'", "ndjson");
    }

    // --- paths --------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"/etc/passwd", "../../../../etc/passwd", "main/audit.log.1", "main/other.log", "main"})
    void aPathThatIsNoConfiguredLogIsRefused(String path) {
        Http.Reply r = http.get("/api/audit/search", ALICE, "path", path);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.detail()).contains("'path' may only name a configured audit log", "got '" + path + "'");
        assertThat(r.body()).doesNotContain("root:x:");
    }

    @Test
    void aConfiguredLogMayBeNamedAsConfiguredOrByItsPath() {
        assertThat(http.get("/api/audit/search", ALICE, "path", "main/audit.log").ids()).containsExactlyElementsOf(TENANT_A);
        assertThat(http.get("/api/audit/search", ALICE, "path", MAIN.resolve("audit.log").toString()).ids())
                .containsExactlyElementsOf(TENANT_A);
        assertThat(http.get("/api/audit/search", ALICE, "path", "./main/../main/audit.log").status()).isEqualTo(200);
    }

    @Test
    void aMissingLogIsAProblemNamingThePath() {
        Http.Reply r = http.get("/api/audit/search", ALICE, "path", MISSING.toString());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.detail()).contains(MISSING.toString(), "plugins.audit.path");
        assertThat(r.json().getString("path")).isEqualTo(MISSING.toString());
        assertThat(http.get("/api/audit/search", ALICE, "path", MISSING.toString(), "format", "ndjson").status())
                .isEqualTo(404);
    }

    // --- hostile input ------------------------------------------------------------------------------------

    @Test
    void malformedLinesAreCountedNeverA500() {
        Http.Reply r = http.get("/api/audit/search", ALICE, "path", HOSTILE.toString());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonObject body = r.json();
        assertThat(r.ids()).containsExactly("h4", "h3", "h2", "h1");
        // not JSON, truncated, an array, broken inside, binary garbage, over max-line-bytes, 5000 levels deep, NULs
        assertThat(body.getInt("malformed")).isEqualTo(8);
        assertThat(body.getInt("scanned")).isGreaterThanOrEqualTo(14);
        JsonObject problem = body.getJsonArray("problems").getJsonObject(0);
        assertThat(problem.getString("file")).isEqualTo("audit.log.1.gz");
        assertThat(problem.getString("detail")).isNotBlank();
        // the invalid UTF-8 became replacement characters
        assertThat(body.getJsonArray("items").getJsonObject(1).getString("note")).contains("\uFFFD");
        assertThat(http.get("/api/audit/search", ALICE, "path", HOSTILE.toString(), "format", "ndjson").ndjsonIds())
                .containsExactly("h4", "h3", "h2", "h1");
        assertThat(http.get("/api/audit/search", ALICE, "path", HOSTILE.toString(), "since", "2026-01-01").ids())
                .containsExactly("h2", "h1");
    }

    // --- bad input ----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "limit  | 0             | 'limit' must be a whole number from 1 to 1000, got '0'",
            "limit  | 1001          | got '1001'",
            "limit  | ten           | got 'ten'",
            "since  | yesterday     | 'since' must be an RFC 3339 date-time",
            "until  | 2026-13-45    | got '2026-13-45'",
            "format | xml           | 'format' must be json or ndjson, got 'xml'",
            "subject| *             | 'subject' must not be only '*'",
            "colour | blue          | unknown parameter 'colour'"})
    void badInputIsA400NamingIt(String name, String value, String message) {
        Http.Reply r = http.get("/api/audit/search", ALICE, name, value);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.detail()).contains(message);
    }

    @Test
    void moreBadInput() {
        Http.Reply order = http.get("/api/audit/search", ALICE, "since", "2026-12-02", "until", "2026-12-01");
        assertThat(order.status()).isEqualTo(400);
        assertThat(order.detail()).contains("must be before 'until'");
        Http.Reply twice = http.raw("/api/audit/search?q=a&q=b", ALICE);
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.detail()).contains("'q' is given 2 times");
        Http.Reply tooLong = http.get("/api/audit/search", ALICE, "q", "x".repeat(600));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.detail()).contains("'q' is 600 characters long");
        assertThat(http.get("/api/audit/search", ALICE, "q", "").status()).isEqualTo(200);
    }
}
