package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.ReentrantLock;

import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.spi.ProblemException;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Accepted runs in FIFO order, at most {@code max-concurrent-runs} executing at once, each on a virtual thread
 * with its orchestrator; cancellation; and the stop at shutdown.
 *
 * <p>Cancellation is cooperative (orchestrators poll {@link RunContext#cancelled()}); threads are never
 * interrupted, because an interrupt closes the file channels a run writes its history to.
 */
final class RunQueue implements AutoCloseable {

    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private final TestRunsSettings settings;
    private final Path workspace;
    private final RunStore store;
    private final RunAdmission admission;
    private final RunHistory history;
    private final RunRecorder recorder;
    private final ExecutorService executor;
    private final System.Logger logger;
    private final Map<String, Orchestrator> orchestrators = new LinkedHashMap<>();
    private final Set<TestRun> active = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<TestRun> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final SecureRandom random = new SecureRandom();
    private int running;
    private volatile boolean closing;

    RunQueue(TestRunsSettings settings, Path workspace, RunStore store, RunAdmission admission, RunHistory history,
             RunRecorder recorder, ExecutorService executor, System.Logger logger) {
        this.settings = settings;
        this.workspace = workspace;
        this.store = store;
        this.admission = admission;
        this.history = history;
        this.recorder = recorder;
        this.executor = executor;
        this.logger = logger;
        orchestrators.put(TestRunsSettings.BUILTIN, new BuiltInOrchestrator());
        settings.externals().forEach((name, cmd) -> orchestrators.put(name, new ExternalOrchestrator(name, cmd)));
    }

    /**
     * Accepts a run and queues it.
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
        refuseWhileClosing();
        TestRun run = admission.admit(caller, body);
        lock.lock();
        try {
            refuseWhileClosing();
            history.add(run);
            active.add(run);
            queue.add(run);
            dispatch();
        } finally {
            lock.unlock();
        }
        logger.log(System.Logger.Level.INFO, "test run " + run.id() + " queued by " + caller.subject()
                + " in tenant " + caller.tenantId() + " against " + run.args().baseUrl());
        return run;
    }

    /**
     * Queues again a run that was queued when the server stopped (its log reopened by {@link RunAdmission}).
     *
     * @param run the run, in the history already
     */
    void resume(TestRun run) {
        lock.lock();
        try {
            active.add(run);
            queue.add(run);
            dispatch();
        } finally {
            lock.unlock();
        }
        logger.log(System.Logger.Level.INFO, "test run " + run.id() + " queued again after a restart");
    }

    private void refuseWhileClosing() {
        if (closing) {
            throw ProblemException.of(503, "Service Unavailable", "the server is shutting down");
        }
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
        TestRun run = history.get(caller.tenantId(), id);
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
            finish(run, RunOutcome.of(RunStatus.CANCELLED));
        }
        return run;
    }

    private void dispatch() {
        // called with the lock held
        while (!closing && running < settings.maxConcurrentRuns() && !queue.isEmpty()) {
            TestRun run = queue.poll();
            running++;
            executor.execute(() -> execute(run));
        }
    }

    private void execute(TestRun run) {
        try {
            RunEventLog log = run.liveLog();
            if (run.cancelRequested() || closing) {
                finish(run, RunOutcome.of(RunStatus.CANCELLED));
                return;
            }
            run.worker(Thread.currentThread());
            run.started(Instant.now());
            recorder.persist(run);
            // a run that started is not run again after a restart: its secrets need not be kept
            store.dropRequest(run.id());
            recorder.statusEvents(run, log);
            RunOutcome outcome;
            try {
                outcome = orchestrators.get(run.args().orchestrator()).execute(new RunExecution(run, log, workspace,
                        store, settings.requestTimeout(), () -> closing));
            } catch (InterruptedException e) {
                outcome = RunOutcome.of(RunStatus.CANCELLED);
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

    /** Ends a run; a cancellation or the shutdown overrides what the orchestrator reported. */
    private void finish(TestRun run, RunOutcome outcome) {
        RunOutcome end = outcome;
        if (closing) {
            end = new RunOutcome(RunStatus.INTERRUPTED, null, "the server stopped while the run was "
                    + run.status().label(), outcome.results(), outcome.markdown());
        } else if (run.cancelRequested()) {
            end = new RunOutcome(RunStatus.CANCELLED, null, "cancelled", outcome.results(), outcome.markdown());
        }
        try {
            recorder.finish(run, end, run.liveLog());
        } catch (IOException e) {
            logger.log(System.Logger.Level.ERROR, "cannot store the end of test run " + run.id(), e);
        } finally {
            run.liveLog(null);
            active.remove(run);
        }
        logger.log(System.Logger.Level.INFO, "test run " + run.id() + " " + end.status().label()
                + (end.error() == null ? "" : ": " + end.error()));
        if (!closing) {
            history.applyRetention(run.tenantId());
        }
    }

    /**
     * Stops: queued runs stay queued on disk (the next start runs them), running ones are asked to stop and get
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
            RunEventLog log = run.liveLog();
            if (log != null) {
                log.close();
            }
            active.remove(run);
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
            // the orchestrator did not stop in time: record the interruption ourselves, with what it measured
            RunEventLog log = run.liveLog();
            JsonObject measured = JsonValue.EMPTY_JSON_OBJECT;
            if (log != null) {
                log.flush();
                try {
                    measured = RecoveredResults.from(RunEventLog.read(store.events(run.id())),
                            run.toJson().getJsonObject("args"));
                } catch (IOException e) {
                    // ends without them
                }
            }
            finish(run, new RunOutcome(RunStatus.INTERRUPTED, null, null, measured, ""));
        }
    }
}
