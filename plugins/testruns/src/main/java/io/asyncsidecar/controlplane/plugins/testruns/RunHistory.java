package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.spi.ProblemException;

import jakarta.json.JsonObject;

/**
 * Every run the plugin knows, by id and tenant: the history reloaded from disk at start-up, the runs added
 * since, listed newest first with a status filter, and trimmed to the newest {@code retention-per-tenant}
 * finished runs of each tenant.
 *
 * <p>Restart rule: a run found {@code running} on disk becomes {@code interrupted}, with the results its events
 * show ({@link RecoveredResults}); it is not run again, since it may have loaded its target for a while already.
 * A run found {@code queued} was accepted but never started: it goes back in the queue, in its order, with the
 * arguments it was accepted with; one whose stored request is gone or no longer valid (the configuration
 * changed) becomes {@code interrupted}, saying why.
 */
final class RunHistory {

    /** A page of runs. */
    record Page(List<TestRun> items, int total) {
    }

    private final RunStore store;
    private final RunRecorder recorder;
    private final int retentionPerTenant;
    private final System.Logger logger;
    private final Map<String, TestRun> runs = new ConcurrentHashMap<>();
    private final AtomicLong order = new AtomicLong();

    RunHistory(RunStore store, RunRecorder recorder, int retentionPerTenant, System.Logger logger) {
        this.store = store;
        this.recorder = recorder;
        this.retentionPerTenant = retentionPerTenant;
        this.logger = logger;
    }

    /**
     * Loads the runs on disk, marks those that were running {@code interrupted}, applies retention and answers
     * those that were queued, to be queued again.
     *
     * @param storedArguments the arguments a queued run was accepted with, by run id; null when there are none,
     *                        a {@link ProblemException} when they are no longer valid
     * @return the runs to queue again, oldest first (in the history already)
     */
    List<TestRun> load(Function<String, RunArguments> storedArguments) {
        List<String> problems = new ArrayList<>();
        List<JsonObject> records = new ArrayList<>(store.loadRecords(problems));
        problems.forEach(p -> logger.log(System.Logger.Level.WARNING, "test run store: " + p));
        records.sort(Comparator.comparing(r -> r.getString("created_at")));
        int interrupted = 0;
        List<TestRun> waiting = new ArrayList<>();
        for (JsonObject record : records) {
            TestRun run;
            try {
                run = TestRun.fromJson(record, nextOrder());
            } catch (RuntimeException e) {
                logger.log(System.Logger.Level.WARNING, "skipped test run with an invalid record "
                        + record.getString("id", "?") + ": " + e.getMessage());
                continue;
            }
            if (run.status() == RunStatus.QUEUED) {
                String refused;
                try {
                    RunArguments args = storedArguments.apply(run.id());
                    if (args != null) {
                        TestRun queued = TestRun.fromJson(record, run.order(), args);
                        runs.put(queued.id(), queued);
                        waiting.add(queued);
                        continue;
                    }
                    refused = "the server stopped while the run was queued, and its request was not kept; submit"
                            + " it again";
                } catch (ProblemException e) {
                    refused = "the server stopped while the run was queued, and its request is no longer valid ("
                            + e.getMessage() + "); submit it again";
                }
                interruptOnDisk(run, refused);
                interrupted++;
            } else if (!run.status().isFinal()) {
                interruptOnDisk(run, "the server stopped while the run was " + run.status().label()
                        + "; submit it again");
                interrupted++;
            }
            runs.put(run.id(), run);
        }
        runs.values().stream().map(TestRun::tenantId).distinct().toList().forEach(this::applyRetention);
        logger.log(System.Logger.Level.INFO, "test runs: " + runs.size() + " in history, " + interrupted
                + " marked interrupted, " + waiting.size() + " queued again");
        return waiting;
    }

    /** Ends a run found in flight, keeping what its events show it measured. */
    private void interruptOnDisk(TestRun run, String error) {
        try {
            RunEventLog log = RunEventLog.reopen(store.events(run.id()));
            JsonObject results = RecoveredResults.from(RunEventLog.read(store.events(run.id())),
                    run.toJson().getJsonObject("args"));
            recorder.finish(run, new RunOutcome(RunStatus.INTERRUPTED, null, error, results, ""), log);
        } catch (IOException | RuntimeException e) {
            logger.log(System.Logger.Level.WARNING, "cannot mark test run " + run.id() + " interrupted", e);
        }
    }

    /** @return the next creation order, the tie-breaker of runs created in the same instant */
    long nextOrder() {
        return order.incrementAndGet();
    }

    /**
     * Adds an accepted run.
     *
     * @param run the run
     */
    void add(TestRun run) {
        runs.put(run.id(), run);
    }

    /**
     * The runs of a tenant, in no particular order.
     *
     * @param tenant the tenant
     * @return its runs
     */
    Stream<TestRun> runs(String tenant) {
        return runs.values().stream().filter(r -> r.tenantId().equals(tenant));
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
        List<TestRun> matching = runs(tenant)
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
     * @return the run, or empty when unknown or owned by another tenant
     */
    Optional<TestRun> find(String tenant, String id) {
        TestRun run = runs.get(id);
        return run == null || !run.tenantId().equals(tenant) ? Optional.empty() : Optional.of(run);
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
        return find(tenant, id).orElseThrow(() ->
                ProblemException.notFound("no test run '" + id + "' in tenant " + tenant));
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

    /**
     * Deletes a tenant's finished runs beyond the newest {@code retention-per-tenant}.
     *
     * @param tenant the tenant
     */
    synchronized void applyRetention(String tenant) {
        List<TestRun> finished = runs(tenant)
                .filter(r -> r.status().isFinal())
                .sorted(newestFirst())
                .toList();
        for (TestRun old : finished.subList(Math.min(finished.size(), retentionPerTenant), finished.size())) {
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
}
