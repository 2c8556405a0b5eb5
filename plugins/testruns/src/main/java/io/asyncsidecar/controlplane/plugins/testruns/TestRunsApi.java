package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.kit.JsonRequests;
import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.RequiredScopes;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The HTTP surface of {@code /api/testruns}: submit (202), list (paged, filtered by status), read, cancel,
 * and the two report files. Everything is scoped to the caller's effective tenant; another tenant's run
 * answers 404 as if it did not exist.
 */
final class TestRunsApi {

    /** Scope to start and cancel runs. */
    static final RequiredScopes RUN = RequiredScopes.of("tests.run");
    /** Scope to read runs, reports and streams. */
    static final RequiredScopes READ = RequiredScopes.of("tests.read");

    private static final int MAX_LIMIT = 500;

    private final RunQueue queue;
    private final RunHistory history;

    TestRunsApi(RunQueue queue, RunHistory history) {
        this.queue = queue;
        this.history = history;
    }

    void routes(PluginRoutes routes) {
        routes.post("", RUN, this::submit)
                .get("", READ, this::list)
                .get("/{id}", READ, this::get)
                .post("/{id}/cancel", RUN, this::cancel)
                .get("/{id}/report.json", READ, this::reportJson)
                .get("/{id}/report.md", READ, this::reportMarkdown);
    }

    private void submit(ServerRequest req, ServerResponse res) {
        TestRun run = queue.submit(Caller.of(req), JsonRequests.object(req));
        String location = "/api/testruns/" + run.id();
        res.status(Status.ACCEPTED_202).header(HeaderNames.LOCATION, location);
        Map<String, Object> body = new LinkedHashMap<>(run.toJson());
        body.put("location", location);
        send(res, body);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
        for (String s : query(req, "status").map(v -> v.split(",")).orElse(new String[0])) {
            if (s.isBlank()) {
                continue;
            }
            try {
                statuses.add(RunStatus.fromLabel(s.trim()));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("'status' must be one or more of queued, running, passed, failed,"
                        + " error, cancelled, interrupted (comma-separated), got '" + s.trim() + "'")
                        .with("field", "status");
            }
        }
        int limit = intParam(req, "limit", 50, 1, MAX_LIMIT);
        int offset = intParam(req, "offset", 0, 0, Integer.MAX_VALUE);
        RunHistory.Page page = history.list(Caller.of(req).tenantId(), statuses, limit, offset);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(TestRun::toJson).toList());
        body.put("total", page.total());
        body.put("limit", limit);
        body.put("offset", offset);
        send(res, body);
    }

    private void get(ServerRequest req, ServerResponse res) {
        send(res, history.get(Caller.of(req).tenantId(), id(req)).toJson());
    }

    private void cancel(ServerRequest req, ServerResponse res) {
        TestRun run = queue.cancel(Caller.of(req), id(req));
        res.status(Status.ACCEPTED_202);
        send(res, run.toJson());
    }

    private void reportJson(ServerRequest req, ServerResponse res) {
        sendFile(res, history.report(Caller.of(req).tenantId(), id(req), true), "application/json");
    }

    private void reportMarkdown(ServerRequest req, ServerResponse res) {
        sendFile(res, history.report(Caller.of(req).tenantId(), id(req), false), "text/markdown; charset=UTF-8");
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get("id");
    }

    private static Optional<String> query(ServerRequest req, String name) {
        return req.query().contains(name) ? Optional.of(req.query().get(name)) : Optional.empty();
    }

    private static int intParam(ServerRequest req, String name, int defaultValue, int min, int max) {
        Optional<String> raw = query(req, name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int v = Integer.parseInt(raw.get().trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest("'" + name + "' must be a whole number from " + min + " to " + max
                + ", got '" + raw.get() + "'").with("field", name);
    }

    /** Sends JSON as bytes: with a Content-Length, which keeps kept-alive clients from waiting on ACKs. */
    private static void send(ServerResponse res, Object json) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json").send(JsonCodec.writeBytes(json));
    }

    private static void sendFile(ServerResponse res, Path file, String contentType) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            res.header(HeaderNames.CONTENT_TYPE, contentType).send(bytes);
        } catch (NoSuchFileException e) {
            throw ProblemException.notFound("the report file is gone (deleted by retention)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
