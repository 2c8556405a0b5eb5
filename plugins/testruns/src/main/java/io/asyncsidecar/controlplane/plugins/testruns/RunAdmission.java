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
 * an id, and creates the run's directory, event log, record and first status events.
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
        RunArguments args = RunArguments.parse(body, settings, allowList, serverBaseUrl.get());
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
        byte[] idBytes = new byte[10];
        random.nextBytes(idBytes);
        String id = "tr-" + HexFormat.of().formatHex(idBytes);
        TestRun run = new TestRun(id, caller.tenantId(), caller.subject(), Instant.now(), history.nextOrder(),
                args, args.redacted());
        try {
            store.create(id);
            RunEventLog log = RunEventLog.create(store.events(id), settings.maxLogLines());
            run.liveLog(log);
            flusher.watch(log);
            store.writeRecord(id, run.toJson());
            recorder.statusEvents(run, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store test run " + id, e);
        }
        return run;
    }
}
