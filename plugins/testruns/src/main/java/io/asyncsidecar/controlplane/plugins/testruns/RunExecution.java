package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import jakarta.json.JsonObject;

/**
 * The {@link RunContext} of one executing run: its arguments and directories, and the events it emits, which
 * go to the run's event log with the run's secrets redacted from log lines.
 */
final class RunExecution implements RunContext {

    private final TestRun run;
    private final RunEventLog log;
    private final Path workspace;
    private final RunStore store;
    private final Duration requestTimeout;
    private final BooleanSupplier stopping;
    private final Redactor redactor;

    /**
     * Creates the context of a run about to execute.
     *
     * @param run            the run
     * @param log            its event log
     * @param workspace      the workspace root
     * @param store          where its work directory is
     * @param requestTimeout the built-in runner's per-request timeout
     * @param stopping       whether the server is stopping, which cancels every run
     */
    RunExecution(TestRun run, RunEventLog log, Path workspace, RunStore store, Duration requestTimeout,
                 BooleanSupplier stopping) {
        this.run = run;
        this.log = log;
        this.workspace = workspace;
        this.store = store;
        this.requestTimeout = requestTimeout;
        this.stopping = stopping;
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
        return requestTimeout;
    }

    @Override
    public boolean cancelled() {
        return stopping.getAsBoolean() || run.cancelRequested();
    }

    @Override
    public void log(String stream, String line) {
        log.append("log", RunEventLog.fields("stream", stream, "line", redactor.apply(line)));
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
