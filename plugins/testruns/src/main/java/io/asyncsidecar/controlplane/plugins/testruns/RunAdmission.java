package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Supplier;

import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.spi.ProblemException;

import jakarta.json.JsonObject;

/**
 * Turns a request into a stored run: validates the arguments (and that a built-in run's scenario exists), draws
 * an id, and creates the run's directory (whole: record and request, or nothing), event log and first status
 * events.
 */
final class RunAdmission {

    private final TestRunsSettings settings;
    private final TargetAllowList allowList;
    private final Path workspace;
    private final Supplier<String> serverBaseUrl;
    private final RunStore store;
    private final RunHistory history;
    private final RunRecorder recorder;
    private final EventLogFlusher flusher;
    private final SecureRandom random = new SecureRandom();

    RunAdmission(TestRunsSettings settings, Path workspace, Supplier<String> serverBaseUrl, RunStore store,
                 RunHistory history, RunRecorder recorder, EventLogFlusher flusher) {
        this.settings = settings;
        this.allowList = TargetAllowList.create(settings.allowedHosts());
        this.workspace = workspace;
        this.serverBaseUrl = serverBaseUrl;
        this.store = store;
        this.history = history;
        this.recorder = recorder;
        this.flusher = flusher;
    }

    /**
     * Creates a queued run in the caller's tenant.
     *
     * @param caller the caller
     * @param body   the request body
     * @return the run, stored but not yet in the history
     * @throws ProblemException 400 naming the invalid field
     */
    TestRun admit(Caller caller, JsonObject body) {
        RunArguments args = arguments(body, serverBaseUrl.get());
        byte[] idBytes = new byte[10];
        random.nextBytes(idBytes);
        String id = "tr-" + HexFormat.of().formatHex(idBytes);
        TestRun run = new TestRun(id, caller.tenantId(), caller.subject(), Instant.now(), history.nextOrder(),
                args, args.redacted());
        try {
            store.create(id, run.toJson(), args.stored());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store test run " + id, e);
        }
        RunEventLog log;
        try {
            log = RunEventLog.create(store.events(id), settings.maxLogLines());
        } catch (RuntimeException e) {
            // not acknowledged: the run goes whole, as it came
            try {
                store.delete(id);
            } catch (IOException ignored) {
                // the next start removes what is left
            }
            throw e;
        }
        run.liveLog(log);
        flusher.watch(log);
        recorder.statusEvents(run, log);
        return run;
    }

    /**
     * The arguments a queued run was accepted with, checked again against the configuration now in force.
     *
     * @param id the run id
     * @return the arguments, or null when the run's request was not kept
     * @throws ProblemException when they are no longer valid
     */
    RunArguments storedArguments(String id) {
        return store.readRequest(id).map(request -> arguments(request, "")).orElse(null);
    }

    /**
     * Reopens the event log of a run queued again after a restart.
     *
     * @param run the run
     * @throws IOException when its events cannot be read
     */
    void resume(TestRun run) throws IOException {
        RunEventLog log = RunEventLog.resume(store.events(run.id()), settings.maxLogLines());
        run.liveLog(log);
        flusher.watch(log);
        log.appendAndFlush("log", RunEventLog.fields("stream", "runner", "line",
                "queued again after a server restart"));
    }

    private RunArguments arguments(JsonObject body, String defaultTarget) {
        RunArguments args = RunArguments.parse(body, settings, allowList, defaultTarget);
        if (TestRunsSettings.BUILTIN.equals(args.orchestrator())) {
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
        return args;
    }
}
