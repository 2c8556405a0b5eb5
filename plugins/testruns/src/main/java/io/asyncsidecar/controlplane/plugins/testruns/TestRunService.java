package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Wires the parts that own the test runs: {@link RunHistory} (what exists, retention), {@link RunQueue}
 * (accepting, executing and cancelling runs), {@link RunArchive} (the runs as the SPI publishes them) and the
 * {@link EventLogFlusher}; starts and stops them in order.
 */
final class TestRunService implements AutoCloseable {

    private final RunHistory history;
    private final RunQueue queue;
    private final RunAdmission admission;
    private final RunArchive archive;
    private final EventLogFlusher flusher;
    private final ExecutorService executor;
    private final System.Logger logger;

    TestRunService(TestRunsSettings settings, Path workspace, Path dataDirectory, Supplier<String> serverBaseUrl,
                   ExecutorService executor, System.Logger logger) {
        RunStore store = new RunStore(dataDirectory);
        RunRecorder recorder = new RunRecorder(store, logger);
        this.executor = executor;
        this.flusher = new EventLogFlusher(settings.flushInterval(), settings.streamMaxLag());
        this.history = new RunHistory(store, recorder, settings.retentionPerTenant(), logger);
        this.archive = new RunArchive(history, store, logger);
        this.admission = new RunAdmission(settings, workspace, serverBaseUrl, store, history, recorder,
                flusher);
        this.queue = new RunQueue(settings, workspace, store, admission, history, recorder, executor, logger);
        this.logger = logger;
    }

    /**
     * Loads the history (marking runs that were running {@code interrupted}), starts the flusher and queues again
     * the runs that were queued, in their order.
     */
    void start() {
        List<TestRun> waiting = history.load(admission::storedArguments);
        flusher.start();
        for (TestRun run : waiting) {
            try {
                admission.resume(run);
            } catch (IOException | RuntimeException e) {
                logger.log(System.Logger.Level.WARNING, "cannot reopen the events of test run " + run.id()
                        + "; it runs without its earlier ones", e);
            }
            queue.resume(run);
        }
    }

    /** @return the runs that exist */
    RunHistory history() {
        return history;
    }

    /** @return where runs are submitted and cancelled */
    RunQueue queue() {
        return queue;
    }

    /** @return the archive to publish */
    RunArchive archive() {
        return archive;
    }

    /** @return the executor for stream senders */
    ExecutorService executor() {
        return executor;
    }

    /** Stops the flusher, then the queue (which interrupts what is queued and running). */
    @Override
    public void close() {
        flusher.close();
        queue.close();
    }
}
