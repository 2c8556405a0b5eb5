package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.WorkspacePaths;
import io.asyncsidecar.controlplane.spi.testruns.TestRunArchive;
import io.asyncsidecar.controlplane.spi.testruns.TestRunReport;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/**
 * Owns the test runs: accepts them, queues them (at most {@code max-concurrent-runs} at a time, the rest in
 * FIFO order), executes them on virtual threads, persists every state change and keeps their history
 * across restarts.
 *
 * <p>Restart rules: a run found {@code running} or {@code queued} on disk becomes {@code interrupted}.
 * Queued runs are not re-queued: a load test that starts by itself after a restart, possibly hours after it
 * was asked for, would surprise more than a run to submit again.
 *
 * <p>Cancellation is cooperative (orchestrators poll {@link RunContext#cancelled()}); threads are never
 * interrupted, because an interrupt closes the file channels a run writes its history to.
 */
final class TestRunService implements TestRunArchive, AutoCloseable {

    /** A page of runs. */
    record Page(List<TestRun> items, int total) {
    }

    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private final TestRunsConfig config;
    private final TargetAllowList allowList;
    private final Path workspace;
    private final RunStore store;
    private final Supplier<String> serverBaseUrl;
    private final ExecutorService executor;
    private final System.Logger logger;
    private final Map<String, Orchestrator> orchestrators = new LinkedHashMap<>();
    private final Map<String, TestRun> runs = new ConcurrentHashMap<>();
    private final Set<TestRun> active = ConcurrentHashMap.newKeySet();
    /** Logs of live runs, and of finished ones while subscribers still read them: flushed and watched. */
    private final Set<RunEventLog> watched = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<TestRun> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong order = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private int running;
    private volatile boolean closing;
    private volatile Thread flusher;

    TestRunService(TestRunsConfig config, Path workspace, Path dataDirectory, Supplier<String> serverBaseUrl,
                   ExecutorService executor, System.Logger logger) {
        this.config = config;
        this.allowList = TargetAllowList.create(config.allowedHosts());
        this.workspace = workspace;
        this.store = new RunStore(dataDirectory);
        this.serverBaseUrl = serverBaseUrl;
        this.executor = executor;
        this.logger = logger;
        orchestrators.put(TestRunsConfig.BUILTIN, new BuiltInOrchestrator());
        config.externals().forEach((name, cmd) -> orchestrators.put(name, new ExternalOrchestrator(name, cmd)));
    }

    /**
     * Loads the history (marking runs that were in flight {@code interrupted}), applies retention and starts
     * the flusher.
     */
    void start() {
        List<String> problems = new ArrayList<>();
        List<JsonObject> records = new ArrayList<>(store.loadRecords(problems));
        problems.forEach(p -> logger.log(System.Logger.Level.WARNING, "skipped unreadable test run: " + p));
        records.sort(Comparator.comparing(r -> r.getString("created_at")));
        int interrupted = 0;
        for (JsonObject record : records) {
            TestRun run;
            try {
                run = TestRun.fromJson(record, order.incrementAndGet());
            } catch (RuntimeException e) {
                logger.log(System.Logger.Level.WARNING, "skipped test run with an invalid record "
                        + record.getString("id", "?") + ": " + e.getMessage());
                continue;
            }
            if (!run.status().isFinal()) {
                interruptOnDisk(run);
                interrupted++;
            }
            runs.put(run.id(), run);
        }
        runs.values().stream().map(TestRun::tenantId).distinct().toList().forEach(this::applyRetention);
        logger.log(System.Logger.Level.INFO, "test runs: " + runs.size() + " in history, " + interrupted
                + " marked interrupted");
        flusher = Thread.ofVirtual().name("testruns-flusher").start(this::flushLoop);
    }

    private void interruptOnDisk(TestRun run) {
        RunStatus was = run.status();
        try {
            RunEventLog log = RunEventLog.reopen(store.events(run.id()));
            finishRecord(run, RunStatus.INTERRUPTED, null,
                    "the server stopped while the run was " + was.label() + "; submit it again",
                    JsonValue.EMPTY_JSON_OBJECT, "", log);
        } catch (IOException | RuntimeException e) {
            logger.log(System.Logger.Level.WARNING, "cannot mark test run " + run.id() + " interrupted", e);
        }
    }

    /**
     * Accepts a run.
     *
     * @param caller the caller (its tenant owns the run)
     * @param body   the request body
     * @return the queued run
     * @throws ProblemException 400 for invalid input, 403 for a cross-tenant write, 503 while stopping
     */
    TestRun submit(Caller caller, JsonObject body) {
        if (caller.actsForOtherTenant()) {
            throw ProblemException.forbidden("cross-tenant access through X-Tenant-ID is read-only; runs are "
                    + "started in the caller's own tenant");
        }
        if (closing) {
            throw ProblemException.of(503, "Service Unavailable", "the server is shutting down");
        }
        RunArguments args = RunArguments.parse(body, config, allowList, serverBaseUrl.get());
        if (TestRunsConfig.BUILTIN.equals(args.orchestrator())) {
            Path scenario;
            try {
                scenario = WorkspacePaths.resolve(workspace, "scenario", args.scenario());
            } catch (ProblemException e) {
                throw e.with("field", "scenario");
            }
            if (!Files.isRegularFile(scenario)) {
                throw ProblemException.badRequest("scenario '" + args.scenario() + "' does not exist in the "
                        + "workspace").with("field", "scenario");
            }
        }
        String id = "tr-" + HexFormat.of().formatHex(bytes(10));
        TestRun run = new TestRun(id, caller.tenantId(), caller.subject(), Instant.now(), order.incrementAndGet(),
                args, args.redacted());
        try {
            store.create(id);
            RunEventLog log = RunEventLog.create(store.events(id), config.maxLogLines());
            run.liveLog(log);
            watched.add(log);
            store.writeRecord(id, run.toJson());
            statusEvents(run, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store test run " + id, e);
        }
        lock.lock();
        try {
            if (closing) {
                throw ProblemException.of(503, "Service Unavailable", "the server is shutting down");
            }
            runs.put(id, run);
            active.add(run);
            queue.add(run);
            dispatch();
        } finally {
            lock.unlock();
        }
        logger.log(System.Logger.Level.INFO, "test run " + id + " queued by " + caller.subject() + " in tenant "
                + caller.tenantId() + " against " + args.baseUrl());
        return run;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /**
     * A tenant's runs, newest first.
     *
     * @param tenant   the tenant
     * @param statuses statuses to keep; empty keeps all
     * @param limit    page size
     * @param offset   runs to skip
     * @return the page and the total that matched
     */
    Page list(String tenant, Set<RunStatus> statuses, int limit, int offset) {
        List<TestRun> matching = runs.values().stream()
                .filter(r -> r.tenantId().equals(tenant))
                .filter(r -> statuses.isEmpty() || statuses.contains(r.status()))
                .sorted(newestFirst())
                .toList();
        int from = Math.min(offset, matching.size());
        return new Page(matching.subList(from, Math.min(matching.size(), from + limit)), matching.size());
    }

    /**
     * One run of a tenant.
     *
     * @param tenant the tenant
     * @param id     the run id
     * @return the run
     * @throws ProblemException 404 when unknown or owned by another tenant
     */
    TestRun get(String tenant, String id) {
        TestRun run = runs.get(id);
        if (run == null || !run.tenantId().equals(tenant)) {
            throw ProblemException.notFound("no test run '" + id + "' in tenant " + tenant);
        }
        return run;
    }

    /**
     * Cancels a queued or running run.
     *
     * @param caller the caller
     * @param id     the run id
     * @return the run (a running one is cancelled moments later, when its orchestrator notices)
     * @throws ProblemException 404 unknown, 409 already finished, 403 cross-tenant
     */
    TestRun cancel(Caller caller, String id) {
        TestRun run = get(caller.tenantId(), id);
        if (caller.actsForOtherTenant()) {
            throw ProblemException.forbidden("cross-tenant access through X-Tenant-ID is read-only");
        }
        boolean wasQueued;
        lock.lock();
        try {
            if (run.status().isFinal()) {
                throw ProblemException.conflict("test run " + id + " already finished: " + run.status().label())
                        .with("status", run.status().label());
            }
            run.requestCancel();
            wasQueued = queue.remove(run);
        } finally {
            lock.unlock();
        }
        logger.log(System.Logger.Level.INFO, "test run " + id + " cancelled by " + caller.subject());
        if (wasQueued) {
            finish(run, new RunOutcome(RunStatus.CANCELLED, null, null, JsonValue.EMPTY_JSON_OBJECT, ""));
        }
        return run;
    }

    /**
     * A report file of a finished run.
     *
     * @param tenant the tenant
     * @param id     the run id
     * @param json   true for report.json, false for report.md
     * @return the file
     * @throws ProblemException 404 unknown, 409 while the run has no report yet
     */
    Path report(String tenant, String id, boolean json) {
        TestRun run = get(tenant, id);
        if (!run.hasReport()) {
            throw ProblemException.conflict("test run " + id + " is " + run.status().label()
                    + "; its report is written when it finishes").with("status", run.status().label());
        }
        return json ? store.reportJson(id) : store.reportMarkdown(id);
    }

    /**
     * The events file of a run (for replaying a finished run).
     *
     * @param id the run id
     * @return the file
     */
    Path eventsFile(String id) {
        return store.events(id);
    }

    /** @return the executor for stream senders */
    ExecutorService executor() {
        return executor;
    }

    @Override
    public Optional<TestRunReport> latestCompleted(String tenantId) {
        return runs.values().stream()
                .filter(r -> r.tenantId().equals(tenantId) && r.status().isCompleted())
                .max(Comparator.comparing(TestRun::finishedAt).thenComparing(TestRun::order))
                .flatMap(r -> toReport(r));
    }

    @Override
    public Optional<TestRunReport> find(String tenantId, String runId) {
        TestRun run = runs.get(runId);
        if (run == null || !run.tenantId().equals(tenantId)) {
            return Optional.empty();
        }
        return toReport(run);
    }

    private Optional<TestRunReport> toReport(TestRun run) {
        JsonObject record = run.toJson();
        JsonObject report = JsonValue.EMPTY_JSON_OBJECT;
        String markdown = "";
        if (run.hasReport()) {
            try (JsonReader r = Json.createReader(new StringReader(
                    Files.readString(store.reportJson(run.id()), StandardCharsets.UTF_8)))) {
                report = r.readObject();
                markdown = Files.readString(store.reportMarkdown(run.id()), StandardCharsets.UTF_8);
            } catch (IOException | JsonException e) {
                // deleted by retention in the meantime, or damaged on disk: report the run without its report
                logger.log(System.Logger.Level.WARNING, "cannot read the report of test run " + run.id() + ": "
                        + e.getMessage());
            }
        }
        return Optional.of(new TestRunReport(run.id(), run.tenantId(), run.status().label(), run.status().isFinal(),
                record, report, markdown));
    }

    private void dispatch() {
        // called with the lock held
        while (!closing && running < config.maxConcurrentRuns() && !queue.isEmpty()) {
            TestRun run = queue.poll();
            running++;
            executor.execute(() -> execute(run));
        }
    }

    private void execute(TestRun run) {
        try {
            RunEventLog log = run.liveLog();
            if (run.cancelRequested() || closing) {
                finish(run, new RunOutcome(RunStatus.CANCELLED, null, null, JsonValue.EMPTY_JSON_OBJECT, ""));
                return;
            }
            run.worker(Thread.currentThread());
            run.started(Instant.now());
            persist(run);
            statusEvents(run, log);
            RunOutcome outcome;
            try {
                outcome = orchestrators.get(run.args().orchestrator()).execute(new Execution(run, log));
            } catch (InterruptedException e) {
                outcome = new RunOutcome(RunStatus.CANCELLED, null, null, JsonValue.EMPTY_JSON_OBJECT, "");
            } catch (RuntimeException | Error e) {
                String incident = Long.toHexString(random.nextLong());
                logger.log(System.Logger.Level.ERROR, "test run " + run.id() + " failed, incident " + incident, e);
                outcome = RunOutcome.error("the runner failed unexpectedly (incident " + incident + ")",
                        JsonValue.EMPTY_JSON_OBJECT);
            }
            finish(run, outcome);
        } finally {
            lock.lock();
            try {
                running--;
                dispatch();
            } finally {
                lock.unlock();
            }
        }
    }

    private void finish(TestRun run, RunOutcome outcome) {
        RunStatus status = outcome.status();
        String error = outcome.error();
        Integer exit = outcome.exitCode();
        if (closing) {
            status = RunStatus.INTERRUPTED;
            error = "the server stopped while the run was " + run.status().label();
            exit = null;
        } else if (run.cancelRequested()) {
            status = RunStatus.CANCELLED;
            error = "cancelled";
            exit = null;
        }
        RunEventLog log = run.liveLog();
        try {
            finishRecord(run, status, exit, error, outcome.results(), outcome.markdown(), log);
        } catch (IOException e) {
            logger.log(System.Logger.Level.ERROR, "cannot store the end of test run " + run.id(), e);
        } finally {
            run.liveLog(null);
            active.remove(run);
        }
        logger.log(System.Logger.Level.INFO, "test run " + run.id() + " " + status.label()
                + (error == null ? "" : ": " + error));
        if (!closing) {
            applyRetention(run.tenantId());
        }
    }

    /** Records the final state, writes the reports and the closing events (status, update, summary). */
    private void finishRecord(TestRun run, RunStatus status, Integer exit, String error, JsonObject results,
                              String markdown, RunEventLog log) throws IOException {
        if (!run.claimFinish()) {
            return;
        }
        // events and reports first: a caller who sees the run finished can read them at once
        if (log != null) {
            log.flush();
        }
        Instant at = Instant.now();
        JsonObject runSummary = summary(results);
        JsonObject report = RunReport.json(run.finalJson(status, exit, error, at, runSummary), results);
        boolean written = true;
        try {
            store.writeReports(run.id(), report, RunReport.markdown(report, markdown));
        } catch (IOException e) {
            // the run still ends; it just has no report
            logger.log(System.Logger.Level.ERROR, "cannot write the reports of test run " + run.id(), e);
            written = false;
        }
        run.finished(status, exit, error, at, runSummary, written);
        JsonObject record = run.toJson();
        store.writeRecord(run.id(), record);
        if (log != null) {
            statusEvents(run, log);
            log.appendAndFlush("summary", Json.createObjectBuilder()
                    .add("id", run.id())
                    .add("status", status.label())
                    .add("exit_code", exit == null ? JsonValue.NULL : Json.createValue(exit))
                    .add("error", error == null ? JsonValue.NULL : Json.createValue(error))
                    .add("summary", record.getJsonObject("summary"))
                    .add("report_json", record.get("output_json"))
                    .add("report_md", record.get("output_md"))
                    .build());
            log.close();
        }
    }

    /** The short result kept on the record (and shown in lists). */
    private static JsonObject summary(JsonObject results) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        if (results.get("e2e") instanceof JsonObject e2e && e2e.containsKey("total")) {
            b.add("e2e", Json.createObjectBuilder().add("total", e2e.getInt("total"))
                    .add("passed", e2e.getInt("passed")).add("failed", e2e.getInt("failed")));
        }
        if (results.get("load") instanceof JsonObject load && load.get("total") instanceof JsonObject total) {
            JsonObject latency = total.getJsonObject("latency_ms");
            long failedThresholds = load.getJsonArray("thresholds").stream()
                    .filter(t -> !t.asJsonObject().getBoolean("passed")).count();
            b.add("load", Json.createObjectBuilder()
                    .add("requests", total.get("requests"))
                    .add("rps", total.get("rps"))
                    .add("error_rate", total.get("error_rate"))
                    .add("p95_ms", latency.get("p95"))
                    .add("p99_ms", latency.get("p99"))
                    .add("thresholds_failed", failedThresholds));
        }
        if (results.get("external") instanceof JsonObject ext && ext.get("summary") instanceof JsonObject s) {
            b.add("external", s);
        }
        return b.build();
    }

    private void statusEvents(TestRun run, RunEventLog log) {
        JsonObject update = run.updateMessage();
        log.appendAndFlush("status", RunEventLog.fields("id", run.id(), "status", update.getString("status"),
                "exit_code", update.get("exit_code"), "error", update.get("error")));
        log.appendAndFlush("testrun.update", update);
    }

    private void persist(TestRun run) {
        try {
            store.writeRecord(run.id(), run.toJson());
        } catch (IOException e) {
            logger.log(System.Logger.Level.ERROR, "cannot store test run " + run.id(), e);
        }
    }

    private synchronized void applyRetention(String tenant) {
        List<TestRun> finished = runs.values().stream()
                .filter(r -> r.tenantId().equals(tenant) && r.status().isFinal())
                .sorted(newestFirst())
                .toList();
        for (TestRun old : finished.subList(Math.min(finished.size(), config.retentionPerTenant()),
                finished.size())) {
            try {
                store.delete(old.id());
            } catch (IOException e) {
                logger.log(System.Logger.Level.WARNING, "cannot delete old test run " + old.id() + ": "
                        + e.getMessage());
            }
            runs.remove(old.id());
        }
    }

    private static Comparator<TestRun> newestFirst() {
        return Comparator.comparing(TestRun::createdAt).thenComparing(TestRun::order).reversed();
    }

    private void flushLoop() {
        long interval = config.flushInterval().toMillis();
        while (!closing) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            for (RunEventLog log : watched) {
                log.flush();
                long last = log.lastSeq();
                for (RunSubscriber s : log.subscribers()) {
                    s.checkLag(last, config.streamMaxLag());
                }
                if (log.isClosed() && log.subscribers().isEmpty()) {
                    watched.remove(log);
                }
            }
        }
    }

    /**
     * Stops: queued runs become interrupted at once, running ones are asked to stop and get
     * {@code SHUTDOWN_WAIT} to write their end as {@code interrupted}.
     */
    @Override
    public void close() {
        List<TestRun> queued;
        lock.lock();
        try {
            closing = true;
            queued = new ArrayList<>(queue);
            queue.clear();
        } finally {
            lock.unlock();
        }
        for (TestRun run : queued) {
            finish(run, new RunOutcome(RunStatus.INTERRUPTED, null, null, JsonValue.EMPTY_JSON_OBJECT, ""));
        }
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        while (!active.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (TestRun run : List.copyOf(active)) {
            // the orchestrator did not stop in time: record the interruption ourselves
            finish(run, new RunOutcome(RunStatus.INTERRUPTED, null, null, JsonValue.EMPTY_JSON_OBJECT, ""));
        }
        Thread f = flusher;
        if (f != null) {
            f.interrupt();
        }
    }

    /** The view of a run its orchestrator gets. */
    private final class Execution implements RunContext {
        private final TestRun run;
        private final RunEventLog log;
        private final Redactor redactor;

        Execution(TestRun run, RunEventLog log) {
            this.run = run;
            this.log = log;
            this.redactor = Redactor.of(run.args().secrets());
        }

        @Override
        public String runId() {
            return run.id();
        }

        @Override
        public RunArguments args() {
            return run.args();
        }

        @Override
        public Path workspace() {
            return workspace;
        }

        @Override
        public Path workDirectory() {
            try {
                return store.work(run.id());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Duration requestTimeout() {
            return config.requestTimeout();
        }

        @Override
        public boolean cancelled() {
            return closing || run.cancelRequested();
        }

        @Override
        public void log(String stream, String line) {
            log.append("log", Json.createObjectBuilder().add("stream", stream).add("line", redactor.apply(line))
                    .build());
        }

        @Override
        public void step(JsonObject step) {
            log.append("step", step);
        }

        @Override
        public void stats(JsonObject second) {
            log.append("stats", second);
        }

        @Override
        public String redact(String text) {
            return redactor.apply(text);
        }
    }
}
