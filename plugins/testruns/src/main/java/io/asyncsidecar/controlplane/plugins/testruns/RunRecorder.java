package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.IOException;
import java.time.Instant;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Writes what a run's state changes leave behind: its record, its {@code status} and {@code testrun.update}
 * events and, when it ends, its reports and the closing events.
 */
final class RunRecorder {

    private final RunStore store;
    private final System.Logger logger;

    RunRecorder(RunStore store, System.Logger logger) {
        this.store = store;
        this.logger = logger;
    }

    /**
     * Replaces the run's record; a disk error is logged, not thrown, because the run goes on without it.
     *
     * @param run the run
     */
    void persist(TestRun run) {
        try {
            store.writeRecord(run.id(), run.toJson());
        } catch (IOException e) {
            logger.log(System.Logger.Level.ERROR, "cannot store test run " + run.id(), e);
        }
    }

    /**
     * Appends the events of the run's current status and flushes them.
     *
     * @param run the run
     * @param log its event log
     */
    void statusEvents(TestRun run, RunEventLog log) {
        JsonObject update = run.updateMessage();
        log.appendAndFlush("status", RunEventLog.fields("id", run.id(), "status", update.getString("status"),
                "exit_code", update.get("exit_code"), "error", update.get("error")));
        log.appendAndFlush("testrun.update", update);
    }

    /**
     * Records the final state, once: writes the reports, then the record, then the closing events (status,
     * update, summary), and closes the log.
     *
     * @param run     the run
     * @param outcome the final status and the orchestrator's results
     * @param log     the run's event log, or null when it has none
     * @throws IOException when the record cannot be written
     */
    void finish(TestRun run, RunOutcome outcome, RunEventLog log) throws IOException {
        if (!run.claimFinish()) {
            return;
        }
        store.dropRequest(run.id());
        // events and reports first: a caller who sees the run finished can read them at once
        if (log != null) {
            log.flush();
        }
        RunStatus status = outcome.status();
        Integer exit = outcome.exitCode();
        String error = outcome.error();
        Instant at = Instant.now();
        JsonObject runSummary = summary(outcome.results());
        JsonObject report = RunReport.json(run.finalJson(status, exit, error, at, runSummary), outcome.results());
        boolean written = true;
        try {
            store.writeReports(run.id(), report, RunReport.markdown(report, outcome.markdown()));
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
            log.appendAndFlush("summary", RunEventLog.fields(
                    "id", run.id(),
                    "status", status.label(),
                    "exit_code", exit,
                    "error", error,
                    "summary", record.getJsonObject("summary"),
                    "report_json", record.get("output_json"),
                    "report_md", record.get("output_md")));
            log.close();
        }
    }

    /** The short result kept on the record (and shown in lists). */
    private static JsonObject summary(JsonObject results) {
        JsonObjectBuilder b = JsonCodec.objectBuilder();
        if (results.get("e2e") instanceof JsonObject e2e && e2e.containsKey("total")) {
            b.add("e2e", JsonCodec.objectBuilder().add("total", e2e.getInt("total"))
                    .add("passed", e2e.getInt("passed")).add("failed", e2e.getInt("failed")));
        }
        if (results.get("load") instanceof JsonObject load && load.get("total") instanceof JsonObject total) {
            JsonObject latency = total.getJsonObject("latency_ms");
            long failedThresholds = load.getJsonArray("thresholds").stream()
                    .filter(t -> !t.asJsonObject().getBoolean("passed")).count();
            b.add("load", JsonCodec.objectBuilder()
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
}
