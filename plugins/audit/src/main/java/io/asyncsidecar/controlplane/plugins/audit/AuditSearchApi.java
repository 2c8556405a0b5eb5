package io.asyncsidecar.controlplane.plugins.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.ConcurrencyLimit;
import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.plugins.audit.AuditSettings.LogRef;
import io.asyncsidecar.controlplane.plugins.audit.ChunkResult.Match;
import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.RequiredScopes;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/audit/search}: the caller's tenant's entries, newest first, a page at a time
 * ({@code limit}, {@code cursor}), or every match as NDJSON with {@code format=ndjson}. The answer says how many
 * lines were scanned, matched and skipped as malformed, which files were read and which could not be.
 */
final class AuditSearchApi {

    /** Scope of the search and the tail. */
    static final RequiredScopes READ = RequiredScopes.of("security.read");

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private static final Set<String> PARAMS = Set.of("q", "subject", "action", "resource", "since", "until", "limit",
            "cursor", "format", "path");

    private final AuditSettings settings;
    private final Path workspace;
    private final LogSearch search;
    private final ConcurrencyLimit searches;

    AuditSearchApi(AuditSettings settings, Path workspace, LogSearch search) {
        this.settings = settings;
        this.workspace = workspace;
        this.search = search;
        // A search is I/O and CPU over files: bounded, briefly queued, then 503 with Retry-After.
        this.searches = ConcurrencyLimit.of("audit searches", "plugins.audit.max-concurrent-searches",
                settings.maxConcurrentSearches(), 4 * settings.maxConcurrentSearches(), Duration.ofSeconds(5));
    }

    void routes(PluginRoutes routes) {
        routes.get("/search", READ, this::search);
    }

    private void search(ServerRequest req, ServerResponse res) {
        long begin = System.nanoTime();
        Map<String, String> params = AuditRequest.params(req.query(), PARAMS);
        LogRef log = AuditRequest.log(settings.logs(), workspace, params.get("path"));
        AuditQuery query = AuditQuery.parse(log, Caller.of(req).tenantId(), params);
        String format = params.getOrDefault("format", "json");
        if (!format.equals("json") && !format.equals("ndjson")) {
            throw ProblemException.badRequest("'format' must be json or ndjson, got '" + format + "'")
                    .with("field", "format");
        }
        boolean ndjson = format.equals("ndjson");
        if (ndjson && params.containsKey("limit")) {
            throw ProblemException.badRequest("'limit' does not apply to format=ndjson, which streams every match;"
                    + " leave it out").with("field", "limit");
        }
        int limit = ndjson ? Integer.MAX_VALUE : limit(params.get("limit"));
        String cursorText = params.get("cursor");
        Cursor cursor = cursorText == null || cursorText.isEmpty() ? null : Cursor.decode(cursorText, query.fingerprint());
        searches.run(() -> {
            if (ndjson) {
                search.export(query, cursor, () -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/x-ndjson");
                    return res.outputStream();
                });
            } else {
                send(res, body(query, search.page(query, cursor, limit), limit, begin));
            }
        });
    }

    private static int limit(String raw) {
        if (raw == null || raw.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v >= 1 && v <= MAX_LIMIT) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest("'limit' must be a whole number from 1 to " + MAX_LIMIT + ", got '" + raw
                + "'").with("field", "limit");
    }

    private static Map<String, Object> body(AuditQuery query, LogSearch.Page page, int limit, long begin) {
        List<Match> items = page.items();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("count", items.size());
        b.put("items", items.stream().map(Match::entry).toList());
        b.put("next_cursor", page.nextCursor());
        b.put("complete", page.nextCursor() == null);
        b.put("limit", limit);
        b.put("scanned", page.scanned());
        b.put("matched", page.matched());
        b.put("malformed", page.malformed());
        b.put("scrubbed", items.stream().filter(Match::scrubbed).count());
        b.put("log", query.log().configured());
        b.put("files", page.files());
        b.put("problems", page.problems());
        b.put("filters", query.describe());
        b.put("took_ms", (System.nanoTime() - begin) / 1_000_000);
        return b;
    }

    /** Sends JSON as bytes: with a Content-Length, which keeps kept-alive clients from waiting on ACKs. */
    private static void send(ServerResponse res, Object json) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json").send(JsonCodec.writeBytes(json));
    }
}
